// The Block Kit renderer on its own: markup translation, escaping and Slack's limits.
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/messages/model.js';
import { modalErrors } from '../../src/platforms/slack/index.js';
import { readViewValues, renderModal } from '../../src/platforms/slack/modal.js';
import { renderMessage, renderMessageParts, toMrkdwn, toPlain } from '../../src/platforms/slack/render.js';
import { blockProblems } from '../support/blockKit.js';
import { slackVisible } from '../support/visible.js';
import { adjustmentCard, adjustmentRequestedMessage } from '../../src/messages/builders/adjustments.js';
import { riskCard } from '../../src/messages/builders/risks.js';
import { personRef } from '../../src/messages/markup.js';
import { classifySlackError } from '../../src/platforms/slack/sender.js';

describe('mrkdwn', () => {
  it('translates bold and mentions, names people of other platforms, escapes control characters', () => {
    expect(toMrkdwn('**Approved** by <@slack:U123|Li Lei> at 10:00')).toBe('*Approved* by <@U123> at 10:00');
    expect(toMrkdwn('**Approved by <@slack:U123|Li> at 10:00**')).toBe('*Approved by <@U123> at 10:00*');
    expect(toMrkdwn('asked by <@feishu:ou_abc|王芳>')).toBe('asked by 王芳');
    expect(toMrkdwn('<!channel> & <https://evil|click> a<b')).toBe('&lt;!channel&gt; &amp; &lt;https://evil|click&gt; a&lt;b');
    expect(toPlain('**Hi** <@slack:U1|Ann>')).toBe('Hi @Ann');
  });
});

describe('renderMessage', () => {
  it('renders title, text, fields, sections, context and buttons', () => {
    const msg: Message = {
      tone: 'info',
      title: 'Budget increase request ADJ-1',
      text: 'Requested by <@slack:UMKT|mkt>',
      fields: [{ label: 'Amount', value: '¥60,000.00' }],
      sections: [{ heading: '**SEM** in 2026-11', fields: [{ label: 'Plan', value: '¥100,000.00' }] }],
      context: ['ADJ-1 requested at 2026-11-26 17:45'],
      buttons: [
        { label: 'Approve', action: 'adj.approve:1', style: 'primary' },
        { label: 'Reject', action: 'adj.reject:1', style: 'danger' },
      ],
      summary: 'ADJ-1 waits for finance',
    };
    const { text, blocks } = renderMessage(msg);
    expect(text).toBe('ADJ-1 waits for finance');
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'divider', 'section', 'section', 'context', 'actions']);
    expect(blocks[4]).toMatchObject({ text: { type: 'mrkdwn', text: '*SEM in 2026-11*' } });
    expect(blocks.at(-1)).toMatchObject({
      elements: [
        { type: 'button', action_id: 'adj.approve:1', value: 'adj.approve:1', style: 'primary' },
        { type: 'button', action_id: 'adj.reject:1', value: 'adj.reject:1', style: 'danger' },
      ],
    });
  });

  it('stays within Block Kit limits and cuts nothing: a message too long for 50 blocks continues in the next', () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `L${i}`, value: 'v'.repeat(2500) }));
    const sections = Array.from({ length: 60 }, (_, i) => ({ heading: `S${i}`, text: 'x' }));
    const title = 'T'.repeat(400);
    const parts = renderMessageParts({
      title,
      text: 'line of text\n'.repeat(700),
      fields,
      sections,
      buttons: [{ label: 'B'.repeat(100), action: 'adj.approve:1' }],
      summary: 's',
    });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(blockProblems(p.blocks)).toEqual([]);
    expect(parts.at(-1)!.blocks.at(-1)!.type).toBe('actions'); // the buttons come after everything
    const all = slackVisible(parts).text;
    expect(all).toContain(title); // too long for a header: shown whole as text
    expect(all.split('line of text').length - 1).toBe(700);
    for (let i = 0; i < 23; i++) expect(all).toContain(`L${i}\n${'v'.repeat(2500)}`);
    for (let i = 0; i < 60; i++) expect(all).toContain(`S${i}`);
  });

  it('cuts long text between entities, never inside one: approval card, requester confirmation, risk alert', () => {
    const reason = `${'&<>'.repeat(166)}&`; // 499 characters, 2,497 once escaped for mrkdwn
    const person = { platform: 'slack', userId: 'UREQ', displayName: 'Req' };
    const figures = { code: 'SEM', name: '&'.repeat(120), plan: 100, spent: 0, committed: 0 };
    const view = {
      id: 1, kind: 'increase' as const, amount: 100, month: '2026-11', reason, status: 'pending_finance' as const, requester: person,
      toLine: figures, fromLine: null, steps: [], createdAt: '2026-11-26 09:00', decidedAt: null,
    };
    const risk = {
      id: 2, category: 'legal', likelihood: 5, impact: 5, score: 25, grade: 'high' as const, title: '&'.repeat(200), description: '&<'.repeat(1500),
      campaign: null, reporter: personRef(person), owner: null, strategy: null, dueDate: null, status: 'open' as const, closeNote: null,
      createdAt: '2026-11-26 09:00', closedAt: null,
    };
    for (const msg of [
      adjustmentCard('en', view),
      adjustmentRequestedMessage('en', view, { noChannel: false, noApprovers: false }),
      riskCard('en', risk),
    ]) {
      const parts = renderMessageParts(msg);
      expect(parts).toHaveLength(1);
      expect(blockProblems(parts[0]!.blocks)).toEqual([]);
      for (const text of JSON.stringify(parts[0]!.blocks).match(/"text":"(?:[^"\\]|\\.)*"/g) ?? []) {
        expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/); // no "&am" / "&lt;&" halves: every & starts a whole entity
      }
    }
    expect(slackVisible(renderMessageParts(adjustmentCard('en', view))).text).toContain(reason);
    // A line longer than a block goes on in the next block (a line break there), every character kept.
    expect(slackVisible(renderMessageParts(riskCard('en', risk))).text.replace(/\n/g, '')).toContain('&<'.repeat(1500));
  });

  it('repeated action refs get unique action_ids but keep the ref in value', () => {
    const { blocks } = renderMessage({ buttons: [{ label: 'a', action: 'x:1' }, { label: 'b', action: 'x:1' }], summary: 's' });
    const els = blocks[0]!.elements as { action_id: string; value: string }[];
    expect(els.map((e) => e.action_id)).toEqual(['x:1', 'x:1#2']);
    expect(els.map((e) => e.value)).toEqual(['x:1', 'x:1']);
  });
});

describe('modals', () => {
  const form = {
    id: 'campaign.new',
    title: 'A very long modal title that Slack would refuse',
    submitLabel: 'Submit',
    fields: [
      { kind: 'text' as const, name: 'name', label: 'Name', required: true },
      { kind: 'textarea' as const, name: 'notes', label: 'Notes', maxLength: 500 },
      { kind: 'money' as const, name: 'amount', label: 'Amount', initial: '5万' },
      { kind: 'number' as const, name: 'n', label: 'N', initial: '3' },
      { kind: 'select' as const, name: 'goal', label: 'Goal', options: [{ value: 'sales', label: 'Sales' }], initial: 'sales' },
      { kind: 'multiselect' as const, name: 'ch', label: 'Channels', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }], initial: 'a,b' },
      { kind: 'date' as const, name: 'start', label: 'Start', initial: '2026-12-01' },
      { kind: 'select' as const, name: 'line', label: 'Line', options: [] },
    ],
  };

  it('maps each field kind to its Block Kit input', () => {
    const view = renderModal(form, { form: form.id, channelId: 'C1' }) as any;
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.callback_id).toBe('campaign.new');
    expect(JSON.parse(view.private_metadata)).toEqual({ form: 'campaign.new', channelId: 'C1' });
    const el = (n: string) => view.blocks.find((b: any) => b.block_id === n);
    expect(el('name')).toMatchObject({ optional: false, element: { type: 'plain_text_input', action_id: 'name' } });
    expect(el('notes')).toMatchObject({ optional: true, element: { type: 'plain_text_input', multiline: true, max_length: 500 } });
    expect(el('amount').element).toMatchObject({ type: 'plain_text_input', initial_value: '5万' });
    expect(el('n').element).toMatchObject({ type: 'number_input', initial_value: '3' });
    expect(el('goal').element).toMatchObject({ type: 'static_select', initial_option: { value: 'sales' } });
    expect(el('ch').element.initial_options.map((o: any) => o.value)).toEqual(['a', 'b']);
    expect(el('start').element).toMatchObject({ type: 'datepicker', initial_date: '2026-12-01' });
    expect(el('line').element.type).toBe('plain_text_input'); // a select without options is refused by Slack
  });

  it('reads submitted values back by field name', () => {
    expect(
      readViewValues({
        values: {
          name: { name: { type: 'plain_text_input', value: 'Fair' } },
          notes: { notes: { type: 'plain_text_input', value: null } },
          goal: { goal: { type: 'static_select', selected_option: { value: 'sales' } } },
          ch: { ch: { type: 'multi_static_select', selected_options: [{ value: 'a' }, { value: 'b' }] } },
          start: { start: { type: 'datepicker', selected_date: '2026-12-01' } },
          n: { n: { type: 'number_input', value: '3' } },
        },
      }),
    ).toEqual({ name: 'Fair', notes: undefined, goal: 'sales', ch: ['a', 'b'], start: '2026-12-01', n: '3' });
  });

  it('puts errors for fields the modal does not show on the first input', () => {
    const blocks = [{ type: 'section' }, { type: 'input', block_id: 'a' }, { type: 'input', block_id: 'b' }];
    expect(modalErrors(blocks, { b: 'bad b', zzz: 'bad form' })).toEqual({ b: 'bad b', a: 'bad form' });
  });
});

describe('error classification', () => {
  it('retries rate limits, 5xx and network errors; not permanent platform errors', () => {
    expect(classifySlackError({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 })).toEqual({ ok: false, retry: true, error: 'rate_limited', retryAfterMs: 7000 });
    expect(classifySlackError({ code: 'slack_webapi_http_error', statusCode: 503 })).toMatchObject({ retry: true });
    expect(classifySlackError({ code: 'slack_webapi_http_error', statusCode: 404 })).toMatchObject({ retry: false });
    expect(classifySlackError({ code: 'slack_webapi_request_error', message: 'ECONNRESET' })).toMatchObject({ retry: true });
    expect(classifySlackError({ code: 'slack_webapi_platform_error', data: { error: 'ratelimited' } })).toMatchObject({ retry: true });
    for (const code of ['channel_not_found', 'not_in_channel', 'invalid_auth', 'account_inactive', 'invalid_blocks']) {
      expect(classifySlackError({ code: 'slack_webapi_platform_error', data: { error: code } })).toEqual({ ok: false, retry: false, error: code });
    }
  });
});
