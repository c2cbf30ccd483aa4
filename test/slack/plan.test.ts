// The annual plan on Slack end to end: the import modal's file_input (the file fetched from the fake's
// url_private_download with the bot token), the approval card with in-place updates, and the export file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockText, buttonsOf } from '../support/fakeSlack.js';
import { planAsTsv, planAsXlsx, seasonalPlan } from '../support/planFixtures.js';
import { readWorkbook } from '../support/xlsx.js';
import { ADMIN, APPROVALS, FIN, LEAD, MKT, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ progressAfterMs: 0 });
  await h.ask(ADMIN, '/mkt', 'role <@UFIN|fin> finance');
  await h.ask(ADMIN, '/mkt', 'role <@ULEAD|lead> leader');
  await h.ask(ADMIN, '/mkt', 'channel approvals here', { channelId: APPROVALS });
});
afterAll(async () => h?.close());

const plan = seasonalPlan(80);

describe('annual plan on Slack', () => {
  it('import modal with an XLSX → submit → finance → leader (card updated in place) → export with the same numbers', async () => {
    expect(blockText(await h.ask(MKT, '/budget', 'plan new 2031'))).toContain('Draft plan 2031');
    const before = h.fake.views().length;
    const res = await h.slack.command(MKT, '/budget', 'plan import 2031');
    expect(res.status).toBe(200);
    const view = await waitFor(() => h.fake.views()[before], { what: 'import modal' });
    const fileBlock = view.blocks.find((b: any) => b.element?.type === 'file_input');
    expect(fileBlock.element.filetypes).toEqual(['xlsx', 'csv']);

    const shared = h.fake.files.addUserFile('plan-2031.xlsx', await planAsXlsx(plan));
    const answersBefore = h.answers(MKT).length;
    const submitted = await h.slack.submitView(MKT, view, { year: '2031', file: JSON.stringify(shared) });
    expect(submitted.status).toBe(200);
    const answer = await waitFor(() => h.answers(MKT).slice(answersBefore).find((m) => blockText(m).includes('Imported 80 lines')), { what: 'import answer' });
    // The progress note came first (progressAfterMs 0 here; after a second in production).
    expect(blockText(h.answers(MKT)[answersBefore]!)).toContain('Importing plan-2031.xlsx');
    expect(h.answers(MKT).indexOf(answer)).toBeGreaterThan(answersBefore);
    expect(h.fake.files.downloads.at(-1)?.auth).toBe('Bearer xoxb-test');

    await h.ask(MKT, '/budget', 'plan submit 2031');
    const card = await waitFor(() => h.fake.messages(APPROVALS).find((m) => blockText(m).includes('Budget plan 2031')), { what: 'plan card' });
    expect(blockText(card)).toContain('Waiting for finance review');
    expect(card.blocks.length).toBeLessThanOrEqual(50);
    const approve = () => buttonsOf(card).find((b) => b.value.startsWith('plan.approve'))!;
    let n = h.answers(FIN).length;
    await h.slack.click(FIN, card, approve().value);
    await h.nextAnswer(FIN, n);
    await waitFor(() => (blockText(card).includes('Waiting for leadership approval') ? true : undefined), { what: 'card at leader step' });
    n = h.answers(LEAD).length;
    await h.slack.click(LEAD, card, approve().value);
    await waitFor(() => (blockText(card).includes('Approved (locked)') ? true : undefined), { what: 'card approved' });
    expect(buttonsOf(card)).toEqual([]);
    expect(await h.app.db.read((tx) => tx.monthlyAllocation.count())).toBe(960);

    await h.ask(FIN, '/budget', 'export 2031');
    const file = await waitFor(() => h.fake.files.shared('DFIN').find((f) => f.filename === 'budget-2031.xlsx'), { what: 'export shared' });
    const book = await readWorkbook(file.bytes!);
    for (const l of plan) {
      const row = book.Plan!.find((r) => r[0] === l.code)!;
      expect((row.slice(5) as number[]).map((v) => Math.round(v * 100))).toEqual(l.months);
    }
  });

  it('pasted cells (a slash command with rows on the next lines) give the numbers of the XLSX; a progress note comes first', async () => {
    await h.ask(MKT, '/budget', 'plan new 2033');
    const n = h.answers(MKT).length;
    const res = await h.slack.command(MKT, '/budget', `plan import 2033\n${planAsTsv(plan)}`);
    expect(res.status).toBe(200);
    const done = await waitFor(() => h.answers(MKT).slice(n).find((m) => blockText(m).includes('Imported 80 lines')), { what: 'pasted import' });
    const texts = h.answers(MKT).slice(n).map(blockText);
    expect(texts.findIndex((t) => t.includes('Importing 80 pasted rows into the 2033 draft'))).toBeLessThan(texts.indexOf(blockText(done)));
    const lines = await h.app.db.read((tx) => tx.planLine.findMany({ where: { plan: { year: 2033 } }, orderBy: { code: 'asc' } }));
    expect(lines.map((l) => ({ code: l.code, months: JSON.parse(l.months) }))).toEqual(plan.map((l) => ({ code: l.code, months: l.months })));
  });

  it('a line added to the approved current year is amendment AMD-1: finance, then a leader, by clicks on one card updated in place', async () => {
    await h.ask(MKT, '/budget', 'plan new 2030');
    await h.ask(MKT, '/budget', `plan import 2030\n${planAsTsv(seasonalPlan(6))}`);
    await h.ask(MKT, '/budget', 'plan submit 2030');
    const planCard = await waitFor(() => h.fake.messages(APPROVALS).find((m) => blockText(m).includes('Budget plan 2030')), { what: 'plan 2030 card' });
    const approvePlan = () => buttonsOf(planCard).find((b) => b.value.startsWith('plan.approve'))!.value;
    await h.slack.click(FIN, planCard, approvePlan());
    await waitFor(() => (blockText(planCard).includes('Waiting for leadership approval') ? true : undefined), { what: 'plan at the leader step' });
    await h.slack.click(LEAD, planCard, approvePlan());
    await waitFor(() => (blockText(planCard).includes('Approved (locked)') ? true : undefined), { what: 'plan approved' });

    const asked = blockText(await h.ask(ADMIN, '/budget', 'line add LIVE channel 12万 Livestream studio'));
    expect(asked).toContain('AMD-1 goes to finance, then a leader');
    const card = await waitFor(() => h.fake.messages(APPROVALS).find((m) => blockText(m).includes('Plan amendment AMD-1')), { what: 'amendment card' });
    expect(buttonsOf(card).map((b) => b.value)).toEqual(['amd.approve:1:1', 'amd.reject:1:1']);
    await h.slack.click(FIN, card, 'amd.approve:1:1');
    await waitFor(() => (buttonsOf(card).some((b) => b.value === 'amd.approve:1:2') ? true : undefined), { what: 'amendment at the leader step' });
    const lines = () => h.app.db.read((tx) => tx.budgetLine.count({ where: { fiscalYear: { year: 2030 } } }));
    expect(await lines()).toBe(6);
    await h.slack.click(LEAD, card, 'amd.approve:1:2');
    await waitFor(() => (blockText(card).includes('Approved: the line is in the budget') ? true : undefined), { what: 'amendment approved in place' });
    expect(buttonsOf(card)).toEqual([]);
    expect(await lines()).toBe(7);
    expect(blockText(planCard)).toContain('Budget plan 2030'); // the plan card itself is unchanged by the amendment
    expect(h.fake.refused()).toEqual([]);
  });

  it('a file URL that is not Slack\'s file host is never fetched, and nothing is imported', async () => {
    await h.ask(MKT, '/budget', 'plan new 2032');
    const before = h.fake.views().length;
    await h.slack.command(MKT, '/budget', 'plan import 2032');
    const view = await waitFor(() => h.fake.views()[before], { what: 'import modal' });
    const downloads = h.fake.files.downloads.length;
    const n = h.answers(MKT).length;
    const evil = { id: 'F1', name: 'p.xlsx', size: 10, url_private_download: 'https://evil.example/p.xlsx' };
    await h.slack.submitView(MKT, view, { year: '2032', file: JSON.stringify(evil) });
    expect(blockText(await h.nextAnswer(MKT, n))).toContain('Nothing was imported');
    expect(h.fake.files.downloads.length).toBe(downloads);
    expect(await h.app.db.read((tx) => tx.planLine.count({ where: { plan: { year: 2032 } } }))).toBe(0);
  });
});
