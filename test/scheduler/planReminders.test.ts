// Reminders for an annual plan and a plan amendment waiting for a decision: made through the Core, reminded by the
// scheduler's `reminders` job once reminder_hours have passed — to finance or the leaders by step, never to the
// drafter or requester, once per local day — as the decision card itself, updated in place by the decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAsTsv, seasonalPlan } from '../support/planFixtures.js';
import { text, world, type World } from '../usecases/budgetSetup.js';
import { FakeClock, outboxRows, schedulerOn } from './helpers.js';

let w: World;
beforeAll(async () => {
  w = await world({ lines: false }); // 2026-11-10 10:00 in Shanghai
  // 2026's plan approved, so a line added now is an amendment; 2027's plan submitted by Alice.
  for (const [year, who] of [[2026, w.alice], [2027, w.alice]] as const) {
    expect((await w.core.command(who, `/budget plan new ${year}`)).ok).toBe(true);
    expect((await w.core.command(who, `/budget plan import ${year}\n${planAsTsv(seasonalPlan(6))}`)).ok).toBe(true);
  }
  expect((await w.core.command(w.alice, '/budget plan submit 2026')).ok).toBe(true);
  const p = await w.db.read((tx) => tx.budgetPlan.findUniqueOrThrow({ where: { year: 2026 } }));
  expect((await w.core.action(w.fin, `plan.approve:${p.id}:1:1`)).ok).toBe(true);
  expect((await w.core.action(w.lead, `plan.approve:${p.id}:1:2`)).ok).toBe(true);
  expect((await w.core.command(w.alice, '/budget plan submit 2027')).ok).toBe(true);
  const asked = await w.core.command(w.fin, '/budget line add LIVE channel 120000 Livestream studio');
  expect(asked.ok, text(asked)).toBe(true);
});
afterAll(async () => w?.db.close?.());

const reminders = async () => (await outboxRows(w.db)).filter((o) => o.dedupeKey?.startsWith('reminders:'));

describe('plan reminders', () => {
  it('a plan and an amendment waiting past reminder_hours are reminded once a day, by step, never to their authors', async () => {
    const clock = new FakeClock('2026-11-11T01:00:00Z'); // 23 h after: too early
    const s = schedulerOn(w.db, clock);
    const first = (await s.start()).find((r) => r.job === 'reminders');
    expect(first).toMatchObject({ status: 'done', details: { plans: 0, amendments: 0 } });

    clock.set('2026-11-12T01:00:00Z'); // 47 h after
    const second = await s.runNow('reminders');
    expect(second).toMatchObject({ status: 'done', details: { plans: 1, amendments: 1 } });
    const sent = await reminders();
    expect(sent.map((r) => [r.cardKey, r.target])).toEqual([
      ['PLAN-2027', 'UFIN0001'],
      ['PLAN-2027', 'UFIN0002'],
      ['AMD-1', 'UFIN0002'], // Fay asked for AMD-1: not reminded of her own request
    ]);
    const plan = JSON.parse(sent[0]!.payload).message;
    expect(plan.title).toBe('Budget plan 2027 · v1');
    expect(plan.text).toContain('Plan 2027 v1');
    expect(plan.text).toContain('has waited 47 h for finance review');
    expect(plan.buttons.map((b: { action: string }) => b.action.split(':')[0])).toEqual(['plan.approve', 'plan.changes', 'plan.reject']);
    const amd = JSON.parse(sent[2]!.payload).message;
    expect(amd.text).toContain('AMD-1: new line `LIVE` (¥120,000.00) for 2026');
    expect(amd.buttons.map((b: { action: string }) => b.action)).toEqual(['amd.approve:1:1', 'amd.reject:1:1']);

    // The same day again: nothing more.
    clock.set('2026-11-12T09:00:00Z');
    expect((await s.runNow('reminders')).status).toBe('already-done');
    expect(await reminders()).toHaveLength(3);

    // Finance decides both: the reminder copies are updated in place (same card key) and the next reminders go to
    // the leaders, counted from the finance decision.
    w.clock.set('2026-11-12T02:00:00Z');
    const p27 = await w.db.read((tx) => tx.budgetPlan.findUniqueOrThrow({ where: { year: 2027 } }));
    expect((await w.core.action(w.fin, `plan.approve:${p27.id}:1:1`)).ok).toBe(true);
    expect((await w.core.action(w.fin2, 'amd.approve:1:1')).ok).toBe(true);
    const updates = (await outboxRows(w.db)).filter((o) => o.kind === 'update').map((o) => o.cardKey);
    expect(updates).toContain('PLAN-2027');
    expect(updates).toContain('AMD-1');

    clock.set('2026-11-13T01:00:00Z'); // 23 h after finance: too early for the leader reminder
    expect(await s.runNow('reminders')).toMatchObject({ details: { plans: 0, amendments: 0 } });
    clock.set('2026-11-14T01:00:00Z');
    expect(await s.runNow('reminders')).toMatchObject({ details: { plans: 1, amendments: 1 } });
    const leaders = (await reminders()).slice(3).map((r) => [r.cardKey, r.target]);
    expect(leaders).toEqual([
      ['PLAN-2027', 'ULEAD001'],
      ['PLAN-2027', 'ULEAD002'],
      ['AMD-1', 'ULEAD001'],
      ['AMD-1', 'ULEAD002'],
    ]);
    await s.stop();
  });
});
