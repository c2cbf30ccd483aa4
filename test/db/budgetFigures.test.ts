import { expect, it } from 'vitest';
import { openTempDb } from '../support/tempDb.js';
import { lineFigures } from '../../src/usecases/budgetFigures.js';
it('computes plan, spent and committed with campaign spend netted from its commitment', async () => {
  const db = await openTempDb();
  await db.write(async (tx) => {
    const p = await tx.person.create({ data: { platform: 'slack', workspaceId: 'T', userId: 'U' } });
    const fy = await tx.fiscalYear.create({ data: { year: 2026 } });
    const l = await tx.budgetLine.create({ data: { fiscalYearId: fy.id, code: 'SEM', name: 'SEM', annualAmount: 1200 } });
    await tx.monthlyAllocation.create({ data: { lineId: l.id, month: '2026-11', planned: 100 } });
    await tx.expense.create({ data: { lineId: l.id, month: '2026-11', date: '2026-11-02', amount: 30, note: 'x', recordedById: p.id } });
    const c = await tx.campaign.create({ data: { name: 'c', goal: 'sales', theme: 't', format: 'other', channels: '[]', startDate: '2026-11-01', endDate: '2026-11-30', lineId: l.id, amount: 50, kpiTargets: '{}', status: 'approved', ownerId: p.id } });
    await tx.budgetCommitment.create({ data: { campaignId: c.id, lineId: l.id, month: '2026-11', amount: 50 } });
    await tx.expense.create({ data: { lineId: l.id, month: '2026-11', date: '2026-11-03', amount: 20, note: 'y', recordedById: p.id, campaignId: c.id } });
  });
  const rows = await db.read((tx) => lineFigures(tx, '2026-11'));
  expect(rows).toEqual([{ lineId: 1, code: 'SEM', name: 'SEM', ownerId: null, plan: 100, spent: 50, committed: 30 }]);
});
