// Plan amendments through the Core on a real database: `/budget line add` on a year whose plan is approved asks
// finance then a leader (compare-and-set, audit, card updated in place) and creates the line and its monthly
// allocations exactly once on the leader's approval; refusals write nothing. Without a plan the line is added at once;
// with a plan in progress the command says where the line goes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAsTsv, seasonalPlan } from '../support/planFixtures.js';
import { text, world, type World } from './budgetSetup.js';

let w: World;
beforeAll(async () => {
  w = await world({ lines: false }); // 2026-11-10 in Shanghai
  expect((await w.core.command(w.alice, '/budget plan new 2026')).ok).toBe(true);
  expect((await w.core.command(w.alice, `/budget plan import 2026\n${planAsTsv(seasonalPlan(8))}`)).ok).toBe(true);
  expect((await w.core.command(w.alice, '/budget plan submit 2026')).ok).toBe(true);
  const p = await w.db.read((tx) => tx.budgetPlan.findUniqueOrThrow({ where: { year: 2026 } }));
  expect((await w.core.action(w.fin, `plan.approve:${p.id}:1:1`)).ok).toBe(true);
  expect((await w.core.action(w.lead, `plan.approve:${p.id}:1:2`)).ok).toBe(true);
});
afterAll(async () => w?.db.close?.());

async function state() {
  return w.db.read(async (tx) => ({
    lines: await tx.budgetLine.count(),
    allocations: await tx.monthlyAllocation.count(),
    amendments: await tx.planAmendment.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, lineId: true } }),
    steps: await tx.planAmendmentStep.count(),
    audit: await tx.auditLog.count(),
  }));
}

const outboxTexts = (target: string) =>
  w.db.read(async (tx) => (await tx.outboxMessage.findMany({ where: { target }, orderBy: { id: 'asc' } })).map((r) => r.payload).join('\n'));

describe('plan amendments', () => {
  it('a line added to an approved year becomes AMD-1: finance, then a leader; the line and 12 allocations appear once', async () => {
    const before = await state();
    expect(before.lines).toBe(8);
    const asked = await w.core.command(w.fin, '/budget line add LIVE channel 120000 Livestream studio');
    expect(asked.ok, text(asked)).toBe(true);
    expect(text(asked)).toContain('is an amendment: AMD-1 goes to finance, then a leader');
    let s = await state();
    expect(s.lines).toBe(8);
    expect(s.amendments).toEqual([{ id: 1, status: 'pending_finance', lineId: null }]);
    expect(s.audit).toBe(before.audit + 1);
    // The card went to finance by DM (no approvals chat bound), not to the requester.
    expect(await outboxTexts('UFIN0002')).toContain('Plan amendment AMD-1');
    expect(await outboxTexts('UFIN0001')).not.toContain('Plan amendment AMD-1');

    // Refusals, each changing nothing: the same code again, an existing code, a marketer.
    expect(text(await w.core.command(w.admin, '/budget line add LIVE 5000 again'))).toContain('already waiting for approval as AMD-1');
    expect(text(await w.core.command(w.admin, '/budget line add L001 5000 dup'))).toContain('A budget line “L001” already exists in 2026');
    expect((await w.core.command(w.alice, '/budget line add NEW 5000 mine')).ok).toBe(false);
    expect(await state()).toEqual(s);

    // Nobody decides their own request; a leader cannot take finance's step; a leader button before finance is stale.
    expect(text(await w.core.action(w.fin, 'amd.approve:1:1'))).toContain('Nobody decides an amendment they asked for');
    expect(text(await w.core.action(w.lead, 'amd.approve:1:1'))).toMatch(/Only finance \([^)]+\) reviews an amendment/);
    const early = await w.core.action(w.lead, 'amd.approve:1:2');
    expect(early.ok).toBe(false);
    expect(early.updatedCard?.cardKey).toBe('AMD-1');
    expect(await state()).toEqual(s);

    const reviewed = await w.core.action(w.fin2, 'amd.approve:1:1');
    expect(reviewed.ok, text(reviewed)).toBe(true);
    expect(reviewed.updatedCard?.message.fields?.find((f) => f.label === 'Status')?.value).toBe('Waiting for leadership approval');
    expect((await w.core.action(w.fin2, 'amd.approve:1:1')).ok).toBe(false); // a late second click
    s = await state();
    expect(s.amendments[0]!.status).toBe('pending_leader');
    expect(s.lines).toBe(8);

    // Two leaders click at once: one approval, one line, twelve allocations.
    const [a, b] = await Promise.all([w.core.action(w.lead, 'amd.approve:1:2'), w.core.action(w.lead2, 'amd.approve:1:2')]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect(text(a.ok ? a : b)).toContain('line `LIVE` and its monthly budgets are in the 2026 budget');
    s = await state();
    expect(s.lines).toBe(9);
    expect(s.allocations).toBe(before.allocations + 12);
    expect(s.steps).toBe(2);
    const line = await w.db.read((tx) => tx.budgetLine.findFirstOrThrow({ where: { code: 'LIVE' }, include: { allocations: true } }));
    expect(line.category).toBe('channel');
    expect(line.allocations.map((x) => x.planned)).toEqual(Array(12).fill(1_000_000));
    expect(s.amendments[0]).toEqual({ id: 1, status: 'approved', lineId: line.id });
    expect(await w.db.read((tx) => tx.auditLog.count({ where: { entity: 'BudgetLine', entityId: String(line.id), action: 'budget.line.add' } }))).toBe(1);
    // The requester heard; the card was updated in place; the plan card counts the amendment.
    expect(await outboxTexts('UFIN0001')).toContain('AMD-1 was approved by');
    expect(await w.db.read((tx) => tx.outboxMessage.count({ where: { kind: 'update', cardKey: 'AMD-1' } }))).toBeGreaterThanOrEqual(2);
    expect(text(await w.core.command(w.alice, '/budget plan 2026'))).toContain('Amendments: 1 approved (¥120,000.00) · 0 waiting');
  });

  it('a rejection needs a reason, tells the requester, and adds no line', async () => {
    expect((await w.core.command(w.admin, '/budget line add TRADE activity 3万 Trade fair')).ok).toBe(true);
    const id = (await state()).amendments.at(-1)!.id;
    const opened = await w.core.action(w.fin, `amd.reject:${id}:1`);
    expect(opened.openForm?.id).toBe(`amd.reject:${id}:1`);
    const empty = await w.core.submit(w.fin, `amd.reject:${id}:1`, { comment: '  ' });
    expect(empty.formErrors?.comment).toBeTruthy();
    const before = await state();
    const done = await w.core.submit(w.fin, `amd.reject:${id}:1`, { comment: 'Fold it into EVENTS instead' });
    expect(done.ok, text(done)).toBe(true);
    const after = await state();
    expect(after.amendments.at(-1)).toEqual({ id, status: 'rejected', lineId: null });
    expect(after.lines).toBe(before.lines);
    expect(await outboxTexts('UADMIN')).toContain('Fold it into EVENTS instead');
    expect((await w.core.action(w.lead, `amd.approve:${id}:2`)).ok).toBe(false);
    expect((await state()).lines).toBe(before.lines);
  });

  it('a plan in progress takes lines in its draft; a year without a plan adds the line at once', async () => {
    w.clock.set('2027-02-01T02:00:00Z');
    expect((await w.core.command(w.bob, '/budget plan new 2027')).ok).toBe(true);
    const before = await state();
    const refused = await w.core.command(w.fin, '/budget line add SEM 120000 Search');
    expect(refused.ok).toBe(false);
    expect(text(refused)).toContain('The 2027 plan is Draft');
    expect(await state()).toEqual(before);

    w.clock.set('2028-02-01T02:00:00Z');
    const direct = await w.core.command(w.fin, '/budget line add SEM staff 120000 Search');
    expect(direct.ok, text(direct)).toBe(true);
    const sem = await w.db.read((tx) => tx.budgetLine.findFirstOrThrow({ where: { code: 'SEM', fiscalYear: { year: 2028 } } }));
    expect(sem.category).toBe('staff');
  });
});
