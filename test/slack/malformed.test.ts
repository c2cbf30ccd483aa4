// Hostile or broken bodies that carry a valid signature (only Slack, or someone holding the signing secret, can send
// them): never a 5xx, nothing written, one log line. And a body far larger than any Slack request gets 413, not a reset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { log } from '../../src/log.js';
import { settle } from '../support/waitFor.js';
import { ADMIN, MKT, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness;
const logged: string[] = [];
beforeAll(async () => {
  h = await startHarness();
  log.setLevel('warn');
  log.setSink((line) => logged.push(line));
});
afterAll(async () => {
  log.setSink((line, level) => (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n'));
  log.setLevel('error');
  await h?.close();
});

const interactive = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

describe('signed but malformed Slack bodies', () => {
  const cases: [string, string, string][] = [
    ['block_actions without user or team', interactive({ type: 'block_actions', actions: [{ type: 'button', action_id: 'x', value: 'adj.approve:1', action_ts: '1' }], trigger_id: 't1' }), 'application/x-www-form-urlencoded'],
    ['view_submission without view', interactive({ type: 'view_submission', user: { id: MKT.id }, team: { id: 'T1' } }), 'application/x-www-form-urlencoded'],
    ['event_callback with event: null', JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: 'Ev1', event: null }), 'application/json'],
    ['event_callback with event as a string', JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: 'Ev2', event: 'app_mention' }), 'application/json'],
    ['a slash command without user_id', new URLSearchParams({ team_id: 'T1', command: '/budget', text: '', trigger_id: 'trg-x' }).toString(), 'application/x-www-form-urlencoded'],
    ['a payload that is an array', interactive([1, 2, 3]), 'application/x-www-form-urlencoded'],
  ];
  for (const [name, body, contentType] of cases) {
    it(`${name} → 400, logged once, nothing written`, async () => {
      const before = await h.counts();
      const lines = logged.length;
      const res = await h.slack.post(body, { contentType });
      expect(res.status).toBe(400);
      await settle();
      expect(await h.counts()).toEqual(before);
      const mine = logged.slice(lines);
      expect(mine.filter((l) => l.includes('slack.malformed_body'))).toHaveLength(1);
      expect(mine.filter((l) => /"level":"error"/.test(l))).toEqual([]);
    });
  }

  it('non-string values in a submitted form (a number, an object) get a field error on the modal, not the internal error', async () => {
    const before = h.fake.views().length;
    const res = await h.slack.command(MKT, '/budget', 'request');
    expect(res.status).toBe(200);
    const view = await waitFor(() => h.fake.views()[before], { what: 'budget request modal' });
    const input = (block: any, value: unknown) =>
      block.element.type === 'static_select'
        ? { type: 'static_select', selected_option: { value } }
        : block.element.type === 'datepicker'
          ? { type: 'datepicker', selected_date: value }
          : { type: block.element.type, value };
    const counts = await h.counts();
    for (const [i, odd] of ([42, { text: 'x' }] as unknown[]).entries()) {
      const values: Record<string, Record<string, unknown>> = {};
      for (const block of view.blocks.filter((b: any) => b.type === 'input')) {
        values[block.block_id] = { [block.element.action_id]: input(block, block.block_id === 'reason' || block.block_id === 'amount' ? odd : null) };
      }
      const payload = {
        type: 'view_submission',
        team: { id: 'T1' },
        user: { id: MKT.id, name: MKT.name, team_id: 'T1' },
        trigger_id: `trg-odd-${i}`,
        view: { id: view.id, hash: `${view.hash}-${i}`, callback_id: view.callback_id, private_metadata: view.private_metadata, blocks: view.blocks, state: { values } },
      };
      const r = await h.slack.post(interactive(payload));
      expect(r.status).toBe(200);
      expect(r.json?.response_action, r.text).toBe('errors');
      expect(Object.keys(r.json.errors)).toEqual(expect.arrayContaining(['reason', 'amount']));
      expect(JSON.stringify(r.json.errors)).not.toMatch(/on our side|出错/);
    }
    const after = await h.counts();
    expect({ ...after, processed: 0 }).toEqual({ ...counts, processed: 0 });
  });
});

describe('oversized bodies', () => {
  it('a 5 MB body gets 413 (the client reads the answer, no connection reset); nothing written', async () => {
    const before = await h.counts();
    const res = await fetch(`${h.slack.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-slack-signature': 'v0=00' },
      body: 'text=' + 'x'.repeat(5 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    await res.text();
    expect(await h.counts()).toEqual(before);
    // The server is still fine.
    expect((await h.ask(ADMIN, '/mkt', 'help')).text).toBeTruthy();
  });
});
