// Chat references <#platform:chatId|Name> in every renderer, and the plain-text form used for summaries.
import { describe, expect, it } from 'vitest';
import { chatRef, plainText } from '../../src/messages/markup.js';
import { toMarkdown } from '../../src/platforms/feishu/render.js';
import { richText } from '../../src/platforms/local/render.js';
import { toMrkdwn, toPlain } from '../../src/platforms/slack/render.js';

const text = `Approvals cards now go to ${chatRef('slack', 'C0APPROV', 'approvals')} and ${chatRef('feishu', 'oc_123', '审批群')}; asked by <@slack:U1|Sam>.`;

describe('chat references', () => {
  it('Slack links its own channels and names the others', () => {
    expect(toMrkdwn(text)).toBe('Approvals cards now go to <#C0APPROV> and #审批群; asked by <@U1>.');
    expect(toPlain(text)).toBe('Approvals cards now go to #approvals and #审批群; asked by @Sam.');
  });

  it('Feishu and the playground show names, escaped', () => {
    expect(toMarkdown(text)).toBe('Approvals cards now go to #approvals and #审批群; asked by Sam.');
    expect(richText(text)).toContain('#approvals and #审批群');
    expect(richText(chatRef('local', 'team', '<b>team</b>').markup)).toBe('#&lt;b&gt;team&lt;/b&gt;'); // a name is text
  });

  it('plain text for summaries drops all markup', () => {
    expect(plainText(`**${text}**`)).toBe('Approvals cards now go to #approvals and #审批群; asked by Sam.');
  });
});
