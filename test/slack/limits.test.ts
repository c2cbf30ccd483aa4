// A department at scale on Slack: 300 budget lines (some with hostile names), 100 open risks with 3,000-character
// descriptions, 100 agenda topics. Every message passes Block Kit validation (the fake refuses what Slack refuses),
// every list is complete across its pages with its total on each, and every line can be chosen in the forms
// (external select answered by block_suggestion).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineCode, seedLines, seedPerson, seedRisks, seedTopics } from '../support/bigData.js';
import { buttonsOf, type FakeMessage } from '../support/fakeSlack.js';
import { HOSTILE_NAME } from '../support/hostile.js';
import { slackVisible } from '../support/visible.js';
import { ADMIN, APPROVALS, MKT, START, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness;
const year = START.getUTCFullYear();
const month = `${year}-03`;
const N = 300;

beforeAll(async () => {
  h = await startHarness();
  await h.ask(ADMIN, '/mkt', 'role <@UFIN|fin> finance');
  await h.ask(ADMIN, '/mkt', 'channel approvals here', { channelId: APPROVALS });
  const fin = await seedPerson(h.app.db, { platform: 'slack', workspaceId: 'T1', userId: 'UFIN', displayName: 'fin' });
  await seedLines(h.app.db, { year, n: N, spendMonth: month, personId: fin });
  await seedRisks(h.app.db, { n: 100, reporterId: fin });
  await seedTopics(h.app.db, { n: 100, addedById: fin });
}, 60_000);
afterAll(async () => h?.close());

/** Follows "Next ▶" from `first` to the last page; returns every page's message. */
async function pages(user: typeof MKT, first: FakeMessage, view: string): Promise<FakeMessage[]> {
  const all = [first];
  for (let guard = 0; guard < 100; guard++) {
    const next = buttonsOf(all.at(-1)!).find((b) => b.value.startsWith(`page:${view}:`) && /Next/.test(b.label));
    if (!next) break;
    const before = h.answers(user).length;
    const res = await h.slack.click(user, all.at(-1)!, next.value);
    expect(res.status).toBe(200);
    all.push(await h.nextAnswer(user, before));
  }
  return all;
}

const codesIn = (text: string) => new Set(text.match(/\bL\d{3}\b/g) ?? []);

describe('300 budget lines on Slack', () => {
  it('/budget: every line on some page, the total and the flagged lines on every page, every message valid', async () => {
    const first = await h.ask(MKT, '/budget', '');
    const all = await pages(MKT, first, 'budget.status');
    expect(all.length).toBeGreaterThan(1);
    const seen = new Set<string>();
    for (const page of all) {
      const v = slackVisible(page);
      expect(v.text).toContain('Total — Plan ¥3,000,000.00'); // 300 × ¥10,000
      expect(v.text).toMatch(/Lines at 80 % or more of plan: L001, L004/);
      expect(v.text).toMatch(/Showing \d+–\d+ of 300/);
      for (const c of codesIn(v.text)) seen.add(c);
      expect(v.mentions).toEqual([]);
    }
    for (let i = 1; i <= N; i++) expect(seen.has(lineCode(i)), lineCode(i)).toBe(true);
    expect(slackVisible(all).text).toContain(HOSTILE_NAME); // hostile names shown as typed
    expect(h.fake.refused()).toEqual([]);
  });

  it('/budget lines: all 300 with the count and the yearly total', async () => {
    const all = await pages(MKT, await h.ask(MKT, '/budget', 'lines'), 'budget.lines');
    const text = slackVisible(all).text;
    expect(text).toContain('300 lines, ¥36,000,000.00 a year in all');
    const seen = codesIn(text);
    expect(Array.from({ length: N }, (_, i) => lineCode(i + 1)).filter((c) => !seen.has(c))).toEqual([]);
    expect(h.fake.refused()).toEqual([]);
  });

  it('the request form offers every line: an external select searched as the person types; L300 can be requested', async () => {
    const viewsBefore = h.fake.views().length;
    await h.slack.command(MKT, '/budget', 'request');
    const view = await waitFor(() => h.fake.views()[viewsBefore], { what: 'the request modal' });
    const line = view.blocks.find((b: any) => b.block_id === 'line');
    expect(line.element.type).toBe('external_select');
    const firstHundred = await h.slack.suggest(MKT, view, 'line', '');
    expect(firstHundred.options).toHaveLength(100);
    const l29 = await h.slack.suggest(MKT, view, 'line', 'l29');
    expect(l29.options.map((o) => o.value)).toEqual(Array.from({ length: 10 }, (_, i) => `L29${i}`));
    const byName = await h.slack.suggest(MKT, view, 'line', '科目名称');
    expect(byName.options.length).toBe(100); // at most 100 at a time; typing more narrows
    const last = await h.slack.suggest(MKT, view, 'line', 'L300');
    expect(last.options[0]!.value).toBe('L300');

    const res = await h.slack.submitView(MKT, view, { line: 'L300', amount: '5000', month, reason: 'The last line too' });
    expect(res.status).toBe(200);
    const l300 = await h.app.db.read((tx) => tx.budgetLine.findFirstOrThrow({ where: { code: 'L300' } }));
    await waitFor(() => h.app.db.read((tx) => tx.budgetAdjustment.findFirst({ where: { toLineId: l300.id } })), { what: 'ADJ on L300' });
    expect(h.fake.refused()).toEqual([]);
  });

  it('the transfer and campaign forms offer every line too', async () => {
    for (const [command, text, fields] of [
      ['/budget', 'transfer', ['from', 'to']],
      ['/campaign', 'new', ['line']],
    ] as const) {
      const before = h.fake.views().length;
      await h.slack.command(MKT, command, text);
      const view = await waitFor(() => h.fake.views()[before], { what: `${command} ${text} modal` });
      for (const f of fields) {
        expect(view.blocks.find((b: any) => b.block_id === f).element.type).toBe('external_select');
        expect((await h.slack.suggest(MKT, view, f, 'L250')).options[0]!.value).toBe('L250');
      }
    }
    expect(h.fake.refused()).toEqual([]);
  });
});

describe('100 risks and 100 agenda topics on Slack', () => {
  it('/risk list: all 100, 3,000-character descriptions never block a page, titles as typed', async () => {
    const all = await pages(MKT, await h.ask(MKT, '/risk', 'list'), 'risk.list');
    const text = slackVisible(all).text;
    for (let i = 1; i <= 100; i++) expect(text).toContain(`R${i} `);
    expect(h.fake.refused()).toEqual([]);
  });

  it('/agenda: one valid message; "All topics" pages through all 100', async () => {
    const agenda = await h.ask(MKT, '/agenda', '');
    expect(buttonsOf(agenda).map((b) => b.value)).toContain('page:agenda.topics:1');
    const before = h.answers(MKT).length;
    await h.slack.click(MKT, agenda, 'page:agenda.topics:1');
    const all = await pages(MKT, await h.nextAnswer(MKT, before), 'agenda.topics');
    const text = slackVisible(all).text;
    for (let i = 1; i <= 100; i++) expect(text).toContain(`T${i} `);
    expect(h.fake.refused()).toEqual([]);
  });
});
