// Text a person typed is data on every platform: built into real messages (the approval card, the risk card, a
// refusal quoting the input) and rendered for Slack, Feishu and the playground, it shows exactly as typed, makes
// no mention, broadcast or hidden link, and no block / card passes a platform limit.
import { describe, expect, it } from 'vitest';
import { adjustmentCard, type AdjustmentView } from '../../src/messages/builders/adjustments.js';
import { errorMessage } from '../../src/messages/builders/common.js';
import { riskCard } from '../../src/messages/builders/risks.js';
import { esc, personRef, plainText } from '../../src/messages/markup.js';
import type { Message } from '../../src/messages/model.js';
import { cardBytes, renderMessageCards, CARD_BYTES } from '../../src/platforms/feishu/render.js';
import { renderMessage as renderHtml } from '../../src/platforms/local/render.js';
import { renderMessageParts } from '../../src/platforms/slack/render.js';
import { blockProblems } from '../support/blockKit.js';
import { HOSTILE, hostileText } from '../support/hostile.js';
import { feishuVisible, htmlVisible, slackVisible, type Visible } from '../support/visible.js';

const slackPerson = { platform: 'slack', userId: 'UREQ0001', displayName: 'Req *<@UX>*' };
const feishuPerson = { platform: 'feishu', userId: 'ou_fin001', displayName: 'Fin [x](https://e.x)' };

function view(reason: string, lineName: string): AdjustmentView {
  const fig = { plan: 100_000_00, spent: 10_000_00, committed: 0 };
  return {
    id: 7,
    kind: 'transfer',
    amount: 5_000_00,
    month: '2026-11',
    reason,
    status: 'pending_finance',
    requester: slackPerson,
    toLine: { code: 'SEM', name: lineName, ...fig },
    fromLine: { code: 'EVT', name: lineName, ...fig },
    steps: [{ step: 'finance', decision: 'approved', decider: feishuPerson, at: '2026-11-26 10:00', comment: reason }],
    createdAt: '2026-11-26 09:00',
    decidedAt: null,
  };
}

/** Visible text with line breaks and runs of spaces folded, so layouts may differ in where they break lines. */
const fold = (s: string) => s.replace(/\s+/g, ' ').trim();

function expectShownAsTyped(v: Visible, typed: string, allowedMentions: string[]) {
  for (const line of typed.split('\n')) expect(fold(v.text)).toContain(fold(line));
  expect(v.broadcasts).toEqual([]);
  for (const m of v.mentions) expect(allowedMentions).toContain(m);
  // A link is fine only when its whole address is visible (Feishu links typed addresses); never a hidden one.
  for (const link of v.links) expect(v.text).toContain(link);
}

const renderers = {
  slack(m: Message) {
    const parts = renderMessageParts(m);
    for (const p of parts) expect(blockProblems(p.blocks)).toEqual([]);
    return slackVisible(parts);
  },
  feishu(m: Message) {
    const cards = renderMessageCards(m);
    for (const c of cards) expect(cardBytes(c)).toBeLessThanOrEqual(CARD_BYTES);
    return feishuVisible(cards);
  },
  playground(m: Message) {
    return htmlVisible(renderHtml(m));
  },
};

describe.each(Object.entries(renderers))('typed text on %s', (platform, render) => {
  const mine = platform === 'slack' ? ['UREQ0001'] : platform === 'feishu' ? ['ou_fin001'] : ['slack:UREQ0001', 'feishu:ou_fin001'];

  it('the approval card shows a hostile reason, line name and display names as typed, mentioning only the people involved', () => {
    const card = adjustmentCard('en', view(HOSTILE, HOSTILE));
    const v = render(card);
    expectShownAsTyped(v, HOSTILE, mine);
    // People of another platform appear by name (as typed); people of this one are real mentions.
    if (platform !== 'slack') expect(v.text).toContain('Req *<@UX>*');
    if (platform !== 'feishu') expect(v.text).toContain('Fin [x](https://e.x)');
    expect(card.summary).not.toMatch(/<@|\*\*/); // summaries are plain text with names
  });

  it('3,000 characters of markup characters: nothing cut, nothing interpreted', () => {
    const long = hostileText(3000);
    const v = render(riskCard('zh-CN', {
      id: 3, category: 'legal', likelihood: 5, impact: 5, score: 25, grade: 'high', title: long.slice(0, 200), description: long,
      campaign: null, reporter: personRef(slackPerson), owner: personRef(feishuPerson), strategy: null, dueDate: null,
      status: 'open', closeNote: null, createdAt: '2026-11-26 09:00', closedAt: null,
    }));
    expectShownAsTyped(v, long, mine);
  });

  it('a refusal quoting the input shows it as typed', () => {
    const v = render(errorMessage('en', 'cmd.error.unknown_command', { token: HOSTILE }));
    expectShownAsTyped(v, HOSTILE, []);
  });
});

describe('escaping in the builders', () => {
  it('esc() makes any text markup that reads back as the same characters', () => {
    for (const s of [HOSTILE, hostileText(500), '\\', '**', '`', '<@slack:U1|x>', 'a\\*b']) expect(plainText(esc(s))).toBe(s);
  });

  it('t() parameters are data: a typed mention or bold stays text, a personRef stays a mention', () => {
    const m = errorMessage('en', 'cmd.error.unknown_command', { token: '**x** <@slack:UVICTIM9|v>' });
    expect(plainText(m.text!)).toContain('**x** <@slack:UVICTIM9|v>');
    expect(renderMessageParts(m)[0]!.blocks.some((b) => JSON.stringify(b).includes('"user_id":"UVICTIM9"'))).toBe(false);
  });
});
