// The reports' messages carry their chart, built from the same view as their text (one source of numbers).
import { describe, expect, it } from 'vitest';
import { budgetStatusMessage } from '../../src/messages/builders/budget.js';
import { evaluationMessage } from '../../src/messages/builders/campaigns.js';
import { markup } from '../../src/messages/markup.js';
import {
  monthlyBudgetMessage,
  varianceReportMessage,
  type VarianceReportView,
} from '../../src/messages/builders/reports.js';

const lines = [
  { lineId: 1, code: 'SEM', name: 'Search ads', plan: 1_000_000, spent: 900_000, committed: 50_000 },
  { lineId: 2, code: 'KOL', name: 'Influencers', plan: 500_000, spent: 100_000, committed: 0 },
];

describe('report messages with charts', () => {
  it('the monthly budget summary: a budget-use chart of the same lines', () => {
    const m = monthlyBudgetMessage('en', { month: '2026-05', previous: '2026-04', lines, overspent: [], high: [] });
    expect(m.chart).toMatchObject({ kind: 'budget-use', month: '2026-05', total: { plan: 1_500_000, spent: 1_000_000, committed: 50_000 } });
    if (m.chart?.kind !== 'budget-use') throw new Error('no chart');
    expect(m.chart.bars.map((b) => [b.label, b.plan, b.spent, b.committed])).toEqual([
      ['SEM Search ads', 1_000_000, 900_000, 50_000],
      ['KOL Influencers', 500_000, 100_000, 0],
    ]);
  });

  it('/budget chart adds the chart to the /budget figures; /budget alone has none', () => {
    expect(budgetStatusMessage('zh-CN', '2026-05', lines, 1, { chart: true }).chart?.title).toBe('预算使用 — 2026-05');
    expect(budgetStatusMessage('zh-CN', '2026-05', lines).chart).toBeUndefined();
  });

  it('the variance report: plan vs actual per line, and the year to date in the chart and in the text', () => {
    const line = (lineId: number, code: string, plan: number, actual: number) => ({
      lineId,
      code,
      name: code,
      owner: null,
      plan,
      actual,
      variance: actual - plan,
      percentBp: Math.trunc(((actual - plan) * 10_000) / plan),
      beyond: Math.abs(actual - plan) * 10 > plan,
      explanation: null,
    });
    const view: VarianceReportView = {
      month: '2026-03',
      lines: [line(1, 'SEM', 1_000_000, 1_500_000), line(2, 'KOL', 500_000, 480_000)],
      total: { plan: 1_500_000, actual: 1_980_000, variance: 480_000, percentBp: 3200 },
      ytd: [
        { month: '2026-01', plan: 1_500_000, actual: 1_200_000 },
        { month: '2026-02', plan: 3_000_000, actual: 2_700_000 },
        { month: '2026-03', plan: 4_500_000, actual: 4_680_000 },
      ],
    };
    const m = varianceReportMessage('en', view);
    if (m.chart?.kind !== 'variance') throw new Error('no chart');
    expect(m.chart.bars.map((b) => [b.label, b.plan, b.actual])).toEqual([
      ['SEM SEM', 1_000_000, 1_500_000],
      ['KOL KOL', 500_000, 480_000],
    ]);
    expect(m.chart.ytd).toEqual(view.ytd);
    const text = (m.sections ?? []).map((s) => s.text).join('\n');
    expect(text).toContain('**Year to date** (2026-01 to 2026-03): plan ¥45,000.00 · actual ¥46,800.00 · variance +¥1,800.00 (+4%)');
  });

  it('a campaign evaluation: KPI achievement and budget committed vs cost', () => {
    const m = evaluationMessage('zh-CN', {
      id: 7,
      name: '双十一直播',
      amount: 8_000_000,
      actualCost: 9_000_000,
      released: 8_000_000,
      lessons: '—',
      by: markup('Li'),
      rows: [
        { key: 'conversions', target: 500, actual: 320, ratioBp: 6400, met: false },
        { key: 'participants', target: 100_000, actual: null, ratioBp: null, met: null },
      ],
    });
    if (m.chart?.kind !== 'campaign') throw new Error('no chart');
    expect(m.chart.title).toBe('CMP-7 双十一直播 — 活动评估');
    expect(m.chart.budget).toEqual({ committed: 8_000_000, spent: 9_000_000 });
    expect(m.chart.kpis).toEqual([
      { label: expect.any(String), targetText: '500', actualText: '320', ratioBp: 6400, met: false },
      { label: expect.any(String), targetText: '100,000', actualText: null, ratioBp: null, met: null },
    ]);
  });
});
