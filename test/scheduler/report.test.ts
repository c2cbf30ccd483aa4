// The monthly variance report against a hand-computed fixture (en and zh-CN), the explain button → form →
// stored reason → shown in the report, and the monthly budget summary.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import type { Message } from '../../src/messages/model.js';
import { createCore } from '../../src/usecases/core.js';
import type { Actor } from '../../src/usecases/types.js';
import { bind, config, FakeClock, installedSince, jobRuns, openDb, outboxRows, person, schedulerOn, seedLines } from './helpers.js';

const actor = (userId: string): Actor => ({ platform: 'slack', workspaceId: 'T1', userId, channelId: 'CTEAM' });

function flat(m: Message): string {
  return [m.title, m.text, ...(m.sections ?? []).flatMap((s) => [s.heading, s.text, ...(s.buttons ?? []).map((b) => `[${b.label}](${b.action})`)]), ...(m.buttons ?? []).map((b) => `[${b.label}](${b.action})`), ...(m.context ?? []), m.summary]
    .filter(Boolean)
    .join('\n');
}

/**
 * Fixture for October 2026 (fen):
 *   SEM  plan 10,000,000 actual 12,345,678 (three spends) → variance +2,345,678 → +23.45 % → "+23.4%", beyond
 *   WX   plan  5,000,000 actual  4,700,000                → variance   −300,000 →  −6 %    → "-6%",    within
 *   KOL  plan  2,000,000 actual          0                → variance −2,000,000 → −100 %   → "-100%",  beyond
 *   EVT  plan          0 actual    100,000                → variance   +100,000 → no plan,             beyond
 *   total plan 17,000,000 actual 17,145,678 → +145,678 → +0.856 % → "+0.8%"
 */
async function fixture(db: Db) {
  const owner = await person(db, 'UOWNER', [], 'Olga');
  const fin = await person(db, 'UFIN', ['finance'], 'Fay');
  await person(db, 'ULEAD', ['leader'], 'Leo');
  await person(db, 'UBOB', [], 'Bob');
  const ids = await seedLines(
    db,
    [
      { code: 'SEM', name: 'Search ads', month: '2026-10', plan: 10_000_000, spends: [5_000_000, 7_000_000, 345_678], ownerId: owner.id },
      { code: 'WX', name: 'WeChat', month: '2026-10', plan: 5_000_000, spends: [4_700_000], ownerId: owner.id },
      { code: 'KOL', name: 'Influencers', month: '2026-10', plan: 2_000_000, spends: [] },
      { code: 'EVT', name: 'Events', month: '2026-10', plan: 0, spends: [100_000] },
    ],
    fin.id,
  );
  await bind(db, 'slack', 'T1', 'team', 'CTEAM');
  await bind(db, 'slack', 'T1', 'leaders', 'CLEAD');
  return { ids, owner };
}

async function runReport(locale: 'en' | 'zh-CN') {
  const db = await openDb();
  const f = await fixture(db);
  const clock = new FakeClock('2026-11-01T01:00:00Z'); // 1 November 09:00 Shanghai
  await db.write((tx) => tx.setting.create({ data: { key: 'locale', value: JSON.stringify(locale) } }));
  const reports = await schedulerOn(db, clock).start();
  expect(reports.find((r) => r.job === 'monthly-report')).toMatchObject({ period: '2026-11', status: 'done', late: false });
  const rows = await outboxRows(db);
  const post = rows.find((r) => r.dedupeKey?.startsWith('monthly-report:2026-11:slack'))!;
  return { db, clock, rows, post, message: JSON.parse(post.payload).message as Message, ...f };
}

describe('monthly variance report', () => {
  it('matches the hand-computed figures (en)', async () => {
    const { db, message, post, rows, ids, owner } = await runReport('en');
    expect(post).toMatchObject({ kind: 'post', target: 'CTEAM', cardKey: 'VAR-2026-10' });
    const text = flat(message);
    expect(message.title).toBe('Budget variance report — 2026-10');
    expect(text).toContain('⚠ SEM Search ads: plan ¥100,000.00 · actual ¥123,456.78 · variance +¥23,456.78 (+23.4%)');
    expect(text).toContain('WX WeChat: plan ¥50,000.00 · actual ¥47,000.00 · variance -¥3,000.00 (-6%)');
    expect(text).not.toContain('⚠ WX');
    expect(text).toContain('⚠ KOL Influencers: plan ¥20,000.00 · actual ¥0.00 · variance -¥20,000.00 (-100%)');
    expect(text).toContain('⚠ EVT Events: plan ¥0.00 · actual ¥1,000.00 · variance +¥1,000.00 (no plan)');
    expect(text).toContain('**Total**: plan ¥170,000.00 · actual ¥171,456.78 · variance +¥1,456.78 (+0.8%)');
    expect(message.summary).toBe('Variance 2026-10: plan ¥170,000.00, actual ¥171,456.78, variance +¥1,456.78 (+0.8%); 3 lines beyond ±10 %.');
    // An "Explain variance" button for each line beyond ±10 %, none for WX.
    for (const code of ['SEM', 'KOL', 'EVT']) expect(text).toContain(`[Explain variance](var.explain:${ids[code]}:2026-10)`);
    expect(text).not.toContain(`var.explain:${ids.WX}:`);
    // The owner of SEM is asked by DM (WX is within the limit; KOL and EVT have no owner).
    const dms = rows.filter((r) => r.kind === 'dm' && r.dedupeKey?.startsWith('monthly-report:'));
    expect(dms.map((d) => [d.target, d.cardKey])).toEqual([['UOWNER', `VAR-2026-10-L${ids.SEM}`]]);
    expect(owner.userId).toBe('UOWNER');
    await db.close();
  });

  it('matches the hand-computed figures (zh-CN)', async () => {
    const { db, message } = await runReport('zh-CN');
    const text = flat(message);
    expect(message.title).toBe('预算差异分析报告 — 2026-10');
    expect(text).toContain('⚠ SEM Search ads：计划 ¥100,000.00 · 实际 ¥123,456.78 · 差异 +¥23,456.78（+23.4%）');
    expect(text).toContain('WX WeChat：计划 ¥50,000.00 · 实际 ¥47,000.00 · 差异 -¥3,000.00（-6%）');
    expect(text).toContain('⚠ EVT Events：计划 ¥0.00 · 实际 ¥1,000.00 · 差异 +¥1,000.00（无计划）');
    expect(text).toContain('**合计**：计划 ¥170,000.00 · 实际 ¥171,456.78 · 差异 +¥1,456.78（+0.8%）');
    expect(text).toContain('[说明差异原因](var.explain:');
    await db.close();
  });

  it('explain button → form → reason stored with audit → shown in the report (updated in place and on re-runs)', async () => {
    const { db, clock, ids } = await runReport('en');
    const core = createCore({ db, config: config(), clock });
    const ref = `var.explain:${ids.SEM}:2026-10`;

    // Someone who is neither the owner, finance nor a leader is refused privately.
    const bob = await core.action(actor('UBOB'), ref);
    expect(bob.ok).toBe(false);
    expect(bob.reply?.text).toMatch(/^Only the line's owner \(.+\) or finance \(.+\) or a leader \(.+\) can explain the variance of SEM\.$/);

    const opened = await core.action(actor('UOWNER'), ref);
    expect(opened.ok).toBe(true);
    expect(opened.openForm).toMatchObject({ id: ref, title: 'Explain variance — SEM 2026-10' });
    expect(opened.openForm?.intro).toBe('Plan ¥100,000.00, actual ¥123,456.78, variance +¥23,456.78 (+23.4%).');
    expect(opened.openForm?.fields[0]).toMatchObject({ name: 'reason', required: true });

    const empty = await core.submit(actor('UOWNER'), ref, { reason: '   ' });
    expect(empty.ok).toBe(false);
    expect(empty.formErrors).toEqual({ reason: 'Please give a reason.' });
    expect(await db.read((tx) => tx.varianceExplanation.count())).toBe(0);

    const done = await core.submit(actor('UOWNER'), ref, { reason: 'Double 11 pre-sale moved into October.' });
    expect(done.ok).toBe(true);
    expect(done.reply?.text).toContain('Reason for SEM 2026-10 saved');
    const stored = await db.read((tx) => tx.varianceExplanation.findMany());
    expect(stored).toMatchObject([{ lineId: ids.SEM, month: '2026-10', reason: 'Double 11 pre-sale moved into October.' }]);
    const audits = await db.read((tx) => tx.auditLog.findMany({ where: { action: 'variance.explained' } }));
    expect(audits).toHaveLength(1);

    // Every posted copy of the report is updated in place with the reason; the owner's DM too.
    const updates = (await outboxRows(db)).filter((r) => r.kind === 'update');
    expect(updates.map((u) => u.target).sort()).toEqual([`VAR-2026-10`, `VAR-2026-10-L${ids.SEM}`].sort());
    const updated = flat(JSON.parse(updates.find((u) => u.target === 'VAR-2026-10')!.payload).message);
    expect(updated).toContain('Reason (<@slack:UOWNER|Olga>): Double 11 pre-sale moved into October.');
    expect(updated).toContain(`[Edit reason](var.explain:${ids.SEM}:2026-10)`);
    expect(updated).toContain(`[Explain variance](var.explain:${ids.KOL}:2026-10)`);

    // Finance may explain a line without owner; a second submission edits the reason (one row per line and month).
    expect((await core.submit(actor('UFIN'), `var.explain:${ids.KOL}:2026-10`, { reason: 'Campaign postponed to December.' })).ok).toBe(true);
    expect((await core.submit(actor('UOWNER'), ref, { reason: 'Pre-sale moved into October.' })).ok).toBe(true);
    expect(await db.read((tx) => tx.varianceExplanation.count())).toBe(2);

    // A later run (npm run job) says the period is done; the report built now shows the reasons.
    const again = await schedulerOn(db, clock).runNow('monthly-report');
    expect(again).toMatchObject({ status: 'already-done', period: '2026-11', posts: 0 });
    const { varianceReport } = await import('../../src/usecases/reports.js');
    const view = await db.read((tx) => varianceReport(tx, '2026-10'));
    expect(view.lines.find((l) => l.code === 'SEM')?.explanation?.reason).toBe('Pre-sale moved into October.');
    expect(view.lines.find((l) => l.code === 'KOL')?.explanation?.by.userId).toBe('UFIN');

    // The agenda of the month after lists the reasons (the agenda reads VarianceExplanation of last month).
    clock.set('2026-11-02T02:00:00Z');
    const agenda = await core.command(actor('UBOB'), '/agenda');
    expect(JSON.stringify(agenda.reply)).toContain('Pre-sale moved into October.');

    // The current month cannot be explained yet; a bad reference is refused.
    expect((await core.action(actor('UFIN'), `var.explain:${ids.SEM}:2026-11`)).ok).toBe(false);
    expect((await core.action(actor('UFIN'), `var.explain:${ids.SEM}:2026-13`)).ok).toBe(false);
    await db.close();
  });
});

describe('monthly budget summary', () => {
  it('goes to the leaders chat and to finance by DM: this month plan, last month overspends, lines ≥ 80 %', async () => {
    const db = await openDb();
    const fin = await person(db, 'UFIN', ['finance', 'leader'], 'Fay'); // two roles: still one DM
    await person(db, 'UFIN2', ['finance'], 'Finn');
    await seedLines(
      db,
      [
        { code: 'SEM', name: 'Search ads', month: '2026-10', plan: 1_000_000, spends: [1_200_000] }, // overspent
        { code: 'WX', name: 'WeChat', month: '2026-10', plan: 1_000_000, spends: [850_000] }, // 85 %
        { code: 'SEM', name: 'Search ads', month: '2026-11', plan: 1_000_000, spends: [] },
        { code: 'WX', name: 'WeChat', month: '2026-11', plan: 1_000_000, spends: [900_000] }, // 90 % on the 1st
      ],
      fin.id,
    );
    await bind(db, 'feishu', 'tenant1', 'leaders', 'oc_leaders');
    await installedSince(db, '2026-10-01T00:00:00Z');
    const clock = new FakeClock('2026-11-01T01:00:00Z');
    const s = schedulerOn(db, clock, { jobs: { 'monthly-report': async () => ({}), 'weekly-agenda': async () => ({}), reminders: async () => ({}) } });
    const reports = await s.start();
    expect(reports.find((r) => r.job === 'monthly-budget')).toMatchObject({ period: '2026-11', status: 'done', posts: 3, details: { channels: 1, dms: 2 } });
    const rows = await outboxRows(db);
    expect(rows.map((r) => [r.platform, r.kind, r.target])).toEqual([
      ['feishu', 'post', 'oc_leaders'],
      ['slack', 'dm', 'UFIN'],
      ['slack', 'dm', 'UFIN2'],
    ]);
    const text = flat(JSON.parse(rows[0]!.payload).message);
    expect(text).toContain('Monthly budget summary — 2026-11');
    expect(text).toContain('SEM Search ads: plan ¥10,000.00, committed ¥0.00');
    expect(text).toContain('SEM Search ads: spent ¥12,000.00 of ¥10,000.00 (+¥2,000.00, 120%)');
    expect(text).toContain('WX WeChat (2026-10): ¥8,500.00 of ¥10,000.00 used (85%)');
    expect(text).toContain('WX WeChat (2026-11): ¥9,000.00 of ¥10,000.00 used (90%)');
    expect(text).toContain(`(alert.request:`);
    expect((await jobRuns(db)).filter((r) => r.status === 'done')).toHaveLength(4);
    await db.close();
  });
});
