// Daily reminders: pending approvals older than reminder_hours re-surfaced once a day to the right approvers,
// unowned high risks re-escalated once after 24 h, campaigns ended 7 days ago without evaluation; and the
// time-zone behaviour of the scheduled runs.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { bind, FakeClock, installedSince, jobRuns, openDb, outboxRows, person, schedulerOn, seedLines } from './helpers.js';

const noop = async () => ({});
const onlyReminders = { 'weekly-agenda': noop, 'monthly-budget': noop, 'monthly-report': noop };

async function world(db: Db) {
  const alice = await person(db, 'UALICE', [], 'Alice');
  const fin = await person(db, 'UFIN', ['finance'], 'Fay');
  const fin2 = await person(db, 'UFIN2', ['finance'], 'Finn');
  const lead = await person(db, 'ULEAD', ['leader'], 'Leo');
  const ids = await seedLines(db, [{ code: 'SEM', name: 'Search ads', month: '2026-11', plan: 1_000_000, spends: [] }], fin.id);
  await bind(db, 'slack', 'T1', 'leaders', 'CLEAD');
  return { alice, fin, fin2, lead, line: ids.SEM! };
}

describe('reminders', () => {
  it('re-surfaces approvals pending longer than reminder_hours once per day, to finance or leaders by step', async () => {
    const db = await openDb();
    const w = await world(db);
    const at = (iso: string) => new Date(iso);
    await db.write(async (tx) => {
      const base = { kind: 'increase', toLineId: w.line, month: '2026-11', reason: 'Double 11', requesterId: w.alice.id };
      // 1: waiting for finance for 30 h; 2: waiting for finance for 3 h (too recent); 3: waiting for a leader since
      // finance approved 26 h ago; 4: already decided; 5: requested by finance member Fay herself (not reminded to her).
      await tx.budgetAdjustment.create({ data: { ...base, amount: 100_000, status: 'pending_finance', createdAt: at('2026-11-09T19:00:00Z') } });
      await tx.budgetAdjustment.create({ data: { ...base, amount: 200_000, status: 'pending_finance', createdAt: at('2026-11-10T22:00:00Z') } });
      const a3 = await tx.budgetAdjustment.create({ data: { ...base, amount: 9_000_000, status: 'pending_leader', createdAt: at('2026-11-08T00:00:00Z') } });
      await tx.approvalStep.create({ data: { adjustmentId: a3.id, step: 'finance', decision: 'approved', deciderId: w.fin.id, decidedAt: at('2026-11-09T23:00:00Z') } });
      await tx.budgetAdjustment.create({ data: { ...base, amount: 300_000, status: 'approved', createdAt: at('2026-11-01T00:00:00Z') } });
      await tx.budgetAdjustment.create({ data: { ...base, amount: 400_000, status: 'pending_finance', requesterId: w.fin.id, createdAt: at('2026-11-09T00:00:00Z') } });
    });
    const clock = new FakeClock('2026-11-11T01:00:00Z'); // Wednesday 09:00 Shanghai
    const s = schedulerOn(db, clock, { jobs: onlyReminders });
    const [r] = (await s.start()).filter((x) => x.job === 'reminders');
    expect(r).toMatchObject({ period: '2026-11-11', status: 'done', details: { adjustments: 3 } });
    const dms = (await outboxRows(db)).filter((o) => o.dedupeKey?.startsWith('reminders:'));
    expect(dms.map((d) => [d.cardKey, d.target])).toEqual([
      ['ADJ-1', 'UFIN'],
      ['ADJ-1', 'UFIN2'],
      ['ADJ-3', 'ULEAD'],
      ['ADJ-5', 'UFIN2'],
    ]);
    const m = JSON.parse(dms[0]!.payload).message;
    expect(m.title).toBe('Reminder: ADJ-1 is waiting for your decision');
    expect(m.text).toBe('<@slack:UALICE|Alice> asked for ¥1,000.00 on SEM (2026-11) 30 h ago: Double 11');
    expect(m.buttons.map((b: { action: string }) => b.action)).toEqual(['adj.approve:1', 'adj.reject:1']);
    const third = JSON.parse(dms[2]!.payload).message;
    expect(third.context).toContain('Waiting for: leader approval');
    expect(third.text).toContain('26 h ago');

    // Later the same day (a manual run, another tick): nothing new.
    clock.advance(6 * 3_600_000);
    await s.tick();
    expect((await s.runNow('reminders')).status).toBe('already-done');
    expect((await outboxRows(db)).filter((o) => o.dedupeKey?.startsWith('reminders:'))).toHaveLength(4);
    // Even if the ledger were bypassed, remindedAt keeps it to one reminder a day.
    await db.write((tx) => tx.jobRun.deleteMany({ where: { job: 'reminders' } }));
    await s.runNow('reminders');
    expect((await outboxRows(db)).filter((o) => o.dedupeKey?.startsWith('reminders:'))).toHaveLength(4);

    // Next day 09:00: reminded again (still pending), once; ADJ-2 has now waited 27 h and joins.
    clock.set('2026-11-12T01:00:00Z');
    await s.tick();
    await s.tick();
    const next = (await outboxRows(db)).filter((o) => o.dedupeKey?.startsWith('reminders:2026-11-12:'));
    expect(next.map((d) => d.cardKey)).toEqual(['ADJ-1', 'ADJ-1', 'ADJ-2', 'ADJ-2', 'ADJ-3', 'ADJ-5']);
    await db.close();
  });

  it('re-escalates a high risk without an owner after 24 h once to the leaders chat; campaigns awaiting evaluation DM their owner once', async () => {
    const db = await openDb();
    const w = await world(db);
    await db.write(async (tx) => {
      const base = { category: 'legal', likelihood: 4, impact: 5, score: 20, grade: 'high', reporterId: w.alice.id, status: 'open' };
      await tx.risk.create({ data: { ...base, title: 'Ad law wording', createdAt: new Date('2026-11-09T12:00:00Z') } }); // 37 h
      await tx.risk.create({ data: { ...base, title: 'Too recent', createdAt: new Date('2026-11-10T12:00:00Z') } }); // 13 h
      await tx.risk.create({ data: { ...base, title: 'Owned', ownerId: w.lead.id, createdAt: new Date('2026-11-01T00:00:00Z') } });
      await tx.risk.create({ data: { ...base, title: 'Medium', grade: 'medium', score: 12, createdAt: new Date('2026-11-01T00:00:00Z') } });
      await tx.risk.create({ data: { ...base, title: 'Closed', status: 'closed', createdAt: new Date('2026-11-01T00:00:00Z') } });
      const c = { goal: 'sales', theme: 't', format: 'other', channels: '[]', startDate: '2026-10-20', lineId: w.line, amount: 1, kpiTargets: '{}', ownerId: w.alice.id };
      await tx.campaign.create({ data: { ...c, name: 'Ended 7 days ago', endDate: '2026-11-04', status: 'ended' } });
      await tx.campaign.create({ data: { ...c, name: 'Ended 6 days ago', endDate: '2026-11-05', status: 'ended' } });
      await tx.campaign.create({ data: { ...c, name: 'Evaluated', endDate: '2026-11-01', status: 'evaluated', evaluatedAt: new Date('2026-11-08T00:00:00Z') } });
    });
    const clock = new FakeClock('2026-11-11T01:00:00Z');
    const s = schedulerOn(db, clock, { jobs: onlyReminders });
    await s.start();
    let rows = (await outboxRows(db)).filter((o) => o.dedupeKey?.startsWith('reminders:'));
    expect(rows.map((r) => [r.kind, r.target, r.cardKey])).toEqual([
      ['post', 'CLEAD', 'RSK-1'],
      ['dm', 'UALICE', null],
    ]);
    const risk = JSON.parse(rows[0]!.payload).message;
    expect(risk.title).toBe('High risk RSK-1 still has no owner');
    expect(risk.buttons.map((b: { action: string }) => b.action)).toEqual(['rsk.own:1', 'rsk.strategy:1']);
    expect(JSON.parse(rows[1]!.payload).message.title).toBe('Campaign CMP-1 needs its evaluation');
    expect((await db.read((tx) => tx.risk.findUniqueOrThrow({ where: { id: 1 } }))).escalatedAt?.toISOString()).toBe('2026-11-11T01:00:00.000Z');

    // Next days: RSK-2 reaches 24 h and CMP-2 reaches 7 days; RSK-1 and CMP-1 are not repeated.
    for (const day of ['2026-11-12T01:00:00Z', '2026-11-13T01:00:00Z']) {
      clock.set(day);
      await s.tick();
    }
    rows = (await outboxRows(db)).filter((o) => o.dedupeKey?.startsWith('reminders:'));
    expect(rows.map((r) => [r.kind, r.target, r.cardKey ?? JSON.parse(r.payload).message.title])).toEqual([
      ['post', 'CLEAD', 'RSK-1'],
      ['dm', 'UALICE', 'Campaign CMP-1 needs its evaluation'],
      ['post', 'CLEAD', 'RSK-2'],
      ['dm', 'UALICE', 'Campaign CMP-2 needs its evaluation'],
    ]);
    expect((await jobRuns(db)).filter((r) => r.job === 'reminders').map((r) => r.period)).toEqual(['2026-11-11', '2026-11-12', '2026-11-13']);
    await db.close();
  });
});

describe('time zones', () => {
  it('a Monday 10:00 Asia/Shanghai job fires at Monday 02:00 UTC', async () => {
    const db = await openDb();
    await bind(db, 'slack', 'T1', 'team', 'CTEAM');
    await installedSince(db, '2026-11-01T00:00:00Z');
    const clock = new FakeClock('2026-11-29T18:00:00Z'); // Monday 02:00 in Shanghai, Sunday in UTC
    const s = schedulerOn(db, clock);
    await s.start();
    expect((await s.nextRuns()).find((r) => r.job === 'weekly-agenda')?.at?.toISOString()).toBe('2026-11-30T02:00:00.000Z');
    const periods = async () => (await jobRuns(db)).filter((r) => r.job === 'weekly-agenda').map((r) => r.period);
    expect(await periods()).toEqual(['2026-W48']); // last Monday's, caught up
    clock.set('2026-11-30T01:59:00Z');
    await s.tick();
    expect(await periods()).toEqual(['2026-W48']);
    clock.set('2026-11-30T02:00:00Z');
    const [run] = (await s.tick()).filter((r) => r.job === 'weekly-agenda');
    expect(run).toMatchObject({ period: '2026-W49', status: 'done', late: false, posts: 1 });
    await db.close();
  });

  it('month boundaries follow the configured zone: 2026-11-30T16:30Z is already December in Shanghai', async () => {
    const db = await openDb();
    const clock = new FakeClock('2026-11-30T16:30:00Z');
    const s = schedulerOn(db, clock);
    expect((await s.runNow('monthly-report')).period).toBe('2026-12');
    expect((await s.runNow('reminders')).period).toBe('2026-12-01');
    // The same instant in a UTC-configured bot is still November.
    await db.write((tx) => tx.setting.create({ data: { key: 'timezone', value: JSON.stringify('UTC') } }));
    expect((await s.runNow('monthly-budget')).period).toBe('2026-11');
    // 1 December 09:00 Shanghai = 01:00Z: the monthly jobs' next fire.
    await db.write((tx) => tx.setting.update({ where: { key: 'timezone' }, data: { value: JSON.stringify('Asia/Shanghai') } }));
    expect((await s.nextRuns()).find((r) => r.job === 'monthly-report')?.at?.toISOString()).toBe('2026-12-01T01:00:00.000Z');
    clock.set('2026-12-01T01:00:00Z');
    expect((await s.nextRuns()).find((r) => r.job === 'monthly-report')?.at?.toISOString()).toBe('2027-01-01T01:00:00.000Z');
    await db.close();
  });
});
