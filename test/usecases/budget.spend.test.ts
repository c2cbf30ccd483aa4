// Spend, threshold alerts, status, lines and the budget forms.
import { describe, expect, it } from 'vitest';
import { counts, expectRefusedNothingWritten, outbox, plan, text, world } from './budgetSetup.js';

describe('budget status and lines', () => {
  it('line add splits the annual amount evenly and creates the fiscal year once', async () => {
    const w = await world({ lines: false });
    const r = await w.core.command(w.admin, '/budget line add kol 100000.01 KOL cooperation');
    expect(r.ok, text(r)).toBe(true);
    const allocs = await w.db.read((tx) => tx.monthlyAllocation.findMany({ orderBy: { month: 'asc' } }));
    expect(allocs.map((a) => a.month)).toEqual(Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`));
    expect(allocs.reduce((s, a) => s + a.planned, 0)).toBe(10_000_001);
    expect(allocs[0]!.planned).toBe(833_334);
    expect(allocs[11]!.planned).toBe(833_333);
    await w.core.command(w.fin, '/budget line add SEM 120000 Search');
    expect(await w.db.read((tx) => tx.fiscalYear.count())).toBe(1);
    const lines = await w.core.command(w.bob, '/budget lines');
    expect(text(lines)).toContain('**KOL** — KOL cooperation: ¥100,000.01 a year');
  });

  it('shows plan, spent, committed, available and % used per line, flagging lines at ≥ 80 %', async () => {
    const w = await world();
    await w.core.command(w.fin, '/budget spend 8500 SEM 2026-11-03 Baidu');
    await w.core.command(w.fin, '/budget spend 1000 WEIBO 2026-11-03 Posts');
    const s = await w.core.command(w.bob, '/budget');
    expect(s.ok).toBe(true);
    const out = text(s);
    expect(out).toContain('Budget 2026-11');
    expect(out).toMatch(/\*\*SEM\*\* — Search engine marketing ⚠️/);
    expect(out).toContain('Plan ¥10,000.00 · spent ¥8,500.00 · committed ¥0.00 · available ¥1,500.00 · 85% used');
    expect(out).toMatch(/\*\*WEIBO\*\* — Weibo operations\n/);
    expect(out).toContain('Lines at 80 % or more of plan: SEM');
    const other = await w.core.command(w.bob, '/budget 2026-10');
    expect(text(other)).toContain('available ¥10,000.00 · 0% used');
  });
});

describe('budget spend', () => {
  it('records spend with today as default date, attributes a leading campaign id, and raises each alert once', async () => {
    const w = await world();
    await w.core.command(w.alice, '/budget request 500 SEM Earlier request by Alice');
    await w.core.command(w.bob, '/budget transfer 500 WEIBO SEM Earlier request by Bob');
    // An approved campaign on SEM, and one on WEIBO.
    await w.db.write(async (tx) => {
      const owner = await tx.person.findFirstOrThrow({ where: { userId: 'UALICE01' } });
      const line = await tx.budgetLine.findFirstOrThrow({ where: { code: 'SEM' } });
      const weibo = await tx.budgetLine.findFirstOrThrow({ where: { code: 'WEIBO' } });
      const base = { goal: 'sales', theme: 't', format: 'other', channels: '[]', startDate: '2026-11-01', endDate: '2026-11-30', amount: 100_000, kpiTargets: '{}', status: 'approved', ownerId: owner.id };
      await tx.campaign.create({ data: { ...base, name: 'c1', lineId: line.id } });
      await tx.campaign.create({ data: { ...base, name: 'c2', lineId: weibo.id } });
    });

    const s1 = await w.core.command(w.alice, '/budget spend 7000 SEM CMP-1 Poster print');
    expect(s1.ok, text(s1)).toBe(true);
    expect(text(s1)).toContain('EXP-1');
    expect(text(s1)).toContain('CMP-1');
    const e1 = await w.db.read((tx) => tx.expense.findUniqueOrThrow({ where: { id: 1 } }));
    expect(e1).toMatchObject({ date: '2026-11-10', month: '2026-11', campaignId: 1, amount: 700_000 });
    // CMP-2 is on another line: not attributed.
    await w.core.command(w.alice, '/budget spend 1 SEM CMP-2 wrong line');
    expect((await w.db.read((tx) => tx.expense.findUniqueOrThrow({ where: { id: 2 } }))).campaignId).toBeNull();
    expect(await w.db.read((tx) => tx.thresholdAlert.count())).toBe(0);

    // 70 % → 85 %: the 80 % alert, to both finance members and both requesters (4 distinct people).
    const s2 = await w.core.command(w.fin, '/budget spend 1500 SEM 2026-11-09 Baidu');
    expect(text(s2)).toMatch(/passed 80 %/);
    let alerts = await w.db.read((tx) => tx.thresholdAlert.findMany());
    expect(alerts.map((a) => [a.month, a.threshold])).toEqual([['2026-11', 80]]);
    let dms = (await outbox(w.db)).filter((r) => r.kind === 'dm' && r.payload.includes('alert.request:1:2026-11'));
    expect(dms.map((r) => r.target).sort()).toEqual(['UALICE01', 'UBOB0001', 'UFIN0001', 'UFIN0002']);

    // Still above 80 %, below 100 %: no second alert.
    await w.core.command(w.fin, '/budget spend 100 SEM Small');
    expect(await w.db.read((tx) => tx.thresholdAlert.count())).toBe(1);
    // Over 100 %: the 100 % alert, once.
    await w.core.command(w.fin, '/budget spend 2000 SEM Big');
    await w.core.command(w.fin, '/budget spend 2000 SEM Bigger');
    alerts = await w.db.read((tx) => tx.thresholdAlert.findMany({ orderBy: { threshold: 'asc' } }));
    expect(alerts.map((a) => a.threshold)).toEqual([80, 100]);
    dms = (await outbox(w.db)).filter((r) => r.kind === 'dm' && r.payload.includes('alert.request:1:2026-11'));
    expect(dms).toHaveLength(8);

    // The alert's button opens the request form pre-filled with the line and month.
    const open = await w.core.action(w.alice, 'alert.request:1:2026-11');
    expect(open.openForm?.id).toBe('budget.request');
    const fields = Object.fromEntries(open.openForm!.fields.map((f) => [f.name, f.initial]));
    expect(fields).toMatchObject({ line: 'SEM', month: '2026-11' });
  });

  it('refuses bad spend and writes nothing', async () => {
    const w = await world();
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/budget spend 100 SEM 2027-01-03 next year'), /2027-01/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/budget spend 1万万 SEM x'), /1万万/);
  });
});

describe('budget forms', () => {
  it('request form: opens with lines, validates every field, submits like the command', async () => {
    const w = await world();
    const open = await w.core.command(w.alice, '/budget request');
    expect(open.openForm?.id).toBe('budget.request');
    const line = open.openForm!.fields.find((f) => f.name === 'line')!;
    expect(line.options?.map((o) => o.value)).toEqual(['SEM', 'WEIBO']);
    expect(open.openForm!.fields.find((f) => f.name === 'month')!.initial).toBe('2026-11');

    const bad = await expectRefusedNothingWritten(w, () =>
      w.core.submit(w.alice, 'budget.request', { line: 'TIKTOK', amount: '5.555', month: '2026-13', reason: '' }),
    );
    expect(Object.keys(bad.formErrors!).sort()).toEqual(['amount', 'line', 'month', 'reason']);
    expect(bad.formErrors!.amount).toContain('5.555');
    expect(bad.formErrors!.month).toContain('2026-13');

    const bad2 = await expectRefusedNothingWritten(w, () =>
      w.core.submit(w.alice, 'budget.request', { line: 'TIKTOK', amount: '5000', month: '2026-11', reason: 'x' }),
    );
    expect(bad2.formErrors).toEqual({ line: expect.stringContaining('TIKTOK') });
    const bad3 = await expectRefusedNothingWritten(w, () =>
      w.core.submit(w.alice, 'budget.request', { line: 'SEM', amount: '5000', month: '2030-01', reason: 'x' }),
    );
    expect(Object.keys(bad3.formErrors!)).toEqual(['month']);

    const ok = await w.core.submit(w.alice, 'budget.request', { line: 'SEM', amount: '5万', month: '2026-12', reason: 'Year end' });
    expect(ok.ok, text(ok)).toBe(true);
    const adj = await w.db.read((tx) => tx.budgetAdjustment.findUniqueOrThrow({ where: { id: 1 } }));
    expect(adj).toMatchObject({ kind: 'increase', amount: 5_000_000, month: '2026-12', status: 'pending_finance' });
  });

  it('transfer form: same line and exceeding available are field errors', async () => {
    const w = await world();
    const open = await w.core.action(w.alice, 'form.open:budget.transfer');
    expect(open.openForm?.fields.map((f) => f.name)).toEqual(['from', 'to', 'amount', 'month', 'reason']);
    const same = await expectRefusedNothingWritten(w, () =>
      w.core.submit(w.alice, 'budget.transfer', { from: 'SEM', to: 'SEM', amount: '100', month: '2026-11', reason: 'x' }),
    );
    expect(Object.keys(same.formErrors!)).toEqual(['to']);
    const much = await expectRefusedNothingWritten(w, () =>
      w.core.submit(w.alice, 'budget.transfer', { from: 'SEM', to: 'WEIBO', amount: '20000', month: '2026-11', reason: 'x' }),
    );
    expect(Object.keys(much.formErrors!)).toEqual(['amount']);
    const ok = await w.core.submit(w.alice, 'budget.transfer', { from: 'sem', to: 'weibo', amount: '2000', month: '2026-11', reason: 'x' });
    expect(ok.ok, text(ok)).toBe(true);
  });

  it('spend form: validates date and line; records spend', async () => {
    const w = await world();
    const open = await w.core.command(w.fin, '/budget spend');
    expect(open.openForm?.fields.find((f) => f.name === 'date')?.initial).toBe('2026-11-10');
    const bad = await expectRefusedNothingWritten(w, () =>
      w.core.submit(w.fin, 'budget.spend', { line: 'SEM', amount: '100', date: '2026-02-30', note: 'x' }),
    );
    expect(bad.formErrors!.date).toContain('2026-02-30');
    const before = await counts(w.db);
    const ok = await w.core.submit(w.fin, 'budget.spend', { line: 'SEM', amount: '100', date: '2026-11-02', note: 'Ads' });
    expect(ok.ok, text(ok)).toBe(true);
    expect((await counts(w.db)).Expense).toBe(before.Expense! + 1);
    expect(await plan(w.db, 'SEM', '2026-11')).toBe(1_000_000);
  });
});
