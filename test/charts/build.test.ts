// View → chart part: what each chart shows (order, top 15 + others) and when it is left out with a note.
import { describe, expect, it } from 'vitest';
import { annualPlanChart, budgetUseChart, campaignChart, TOP_LINES, varianceChart } from '../../src/charts/index.js';
import { varianceClass } from '../../src/charts/variance.js';
import { fixtureLines } from '../support/chartFixtures.js';

const line = (code: string, plan: number, spent: number, committed = 0) => ({ code, name: `${code} line`, plan, spent, committed });

describe('budget use chart', () => {
  it('sorts lines by share of plan used (spent + committed), spending without a plan first', () => {
    const out = budgetUseChart('en', '2026-05', [line('A', 1000, 100), line('B', 1000, 900), line('C', 0, 50), line('D', 1000, 500, 450), line('E', 0, 0)]);
    expect(out.chart?.kind).toBe('budget-use');
    if (out.chart?.kind !== 'budget-use') throw new Error('no chart');
    expect(out.chart.bars.map((b) => b.label.split(' ')[0])).toEqual(['C', 'D', 'B', 'A', 'E']);
    expect(out.chart.total).toEqual({ plan: 3000, spent: 1550, committed: 450 });
  });

  it('draws the top 15 lines and folds the rest into one "others" bar with their sums', () => {
    const lines = fixtureLines(200);
    const out = budgetUseChart('zh-CN', '2026-05', lines);
    if (out.chart?.kind !== 'budget-use') throw new Error('no chart');
    expect(out.chart.bars).toHaveLength(TOP_LINES + 1);
    const others = out.chart.bars.at(-1)!;
    expect(others).toMatchObject({ label: '其他 185 个科目', folded: 185 });
    const bars = out.chart.bars;
    const sum = (k: 'plan' | 'spent' | 'committed') => bars.reduce((s, b) => s + b[k], 0);
    expect(sum('plan')).toBe(lines.reduce((s, l) => s + l.plan, 0));
    expect(sum('spent')).toBe(lines.reduce((s, l) => s + l.spent, 0));
  });

  it('16 lines are drawn one by one (no "others" bar for a single line)', () => {
    const out = budgetUseChart('en', '2026-05', fixtureLines(16));
    expect(out.chart?.kind === 'budget-use' && out.chart.bars.some((b) => b.folded)).toBe(false);
  });

  it('is left out with a one-line note when there is nothing to draw', () => {
    expect(budgetUseChart('en', '2026-05', [])).toEqual({ omitted: 'No chart: there are no budget lines.' });
    expect(budgetUseChart('zh-CN', '2026-05', [line('A', 0, 0)])).toEqual({ omitted: '未附图表：没有计划金额。' });
  });

  it('cuts long labels', () => {
    const out = budgetUseChart('en', '2026-05', [{ code: 'LONG', name: 'A very long budget line name indeed', plan: 100, spent: 1, committed: 0 }]);
    expect(out.chart?.kind === 'budget-use' && out.chart.bars[0]!.label).toBe('LONG A very long …');
  });
});

describe('variance chart', () => {
  it('orders by the size of the variance and keeps the year to date', () => {
    const out = varianceChart('en', {
      month: '2026-03',
      lines: [
        { code: 'A', name: 'a', plan: 1000, actual: 1050 },
        { code: 'B', name: 'b', plan: 1000, actual: 200 },
        { code: 'C', name: 'c', plan: 1000, actual: 1500 },
        { code: 'Z', name: 'z', plan: 0, actual: 0 },
      ],
      ytd: [{ month: '2026-01', plan: 3000, actual: 2750 }],
    });
    if (out.chart?.kind !== 'variance') throw new Error('no chart');
    expect(out.chart.bars.map((b) => b.label)).toEqual(['B b', 'C c', 'A a']);
    expect(out.chart.ytd).toEqual([{ month: '2026-01', plan: 3000, actual: 2750 }]);
  });

  it('colours follow the report rule: over / under beyond ±10 %, spend against no plan is over', () => {
    expect(varianceClass(1000, 1101)).toBe('over');
    expect(varianceClass(1000, 1100)).toBe('within');
    expect(varianceClass(1000, 899)).toBe('under');
    expect(varianceClass(0, 5)).toBe('over');
  });

  it('is left out when no line has a plan or spend', () => {
    expect(varianceChart('en', { month: '2026-03', lines: [] }).omitted).toBe('No chart: there are no budget lines.');
    expect(varianceChart('en', { month: '2026-03', lines: [{ code: 'A', name: 'a', plan: 0, actual: 0 }] }).omitted).toBe('No chart: nothing is planned.');
  });
});

describe('campaign and annual plan charts', () => {
  it('a campaign with neither KPIs nor budget has no chart', () => {
    expect(campaignChart('en', { id: 'CMP-1', name: 'x', amount: 0, actualCost: 0, kpis: [] }).omitted).toBe(
      'No chart: no targets and no budget to compare.',
    );
    expect(campaignChart('en', { id: 'CMP-1', name: 'x', amount: 100, actualCost: 0, kpis: [] }).chart?.title).toBe('CMP-1 x — evaluation');
  });

  it('an annual plan keeps 12 months per category and drops empty categories', () => {
    const out = annualPlanChart('en', { year: 2027, categories: [{ label: 'Staff', months: [1, 2] }, { label: 'Other', months: Array(12).fill(0) }] });
    if (out.chart?.kind !== 'annual-plan') throw new Error('no chart');
    expect(out.chart.categories).toEqual([{ label: 'Staff', months: [1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }]);
    expect(annualPlanChart('en', { year: 2027, categories: [] }).omitted).toBe('No chart: nothing is planned.');
  });
});

describe('the annual plan card', () => {
  it('carries the spend-by-month chart stacked by category, from the same lines as its totals', async () => {
    const { planCard } = await import('../../src/messages/builders/plan.js');
    const months = (n: number) => Array.from({ length: 12 }, (_, i) => n * (i + 1));
    const card = planCard('zh-CN', {
      id: 1,
      year: 2027,
      status: 'pending_finance',
      version: 1,
      history: [],
      lines: [
        { code: 'EVT', name: '活动', category: 'activity', months: months(100) },
        { code: 'EVT2', name: '活动二', category: 'activity', months: months(1) },
        { code: 'HR', name: '人员', category: 'staff', months: months(50) },
      ],
    });
    expect(card.chart).toMatchObject({ kind: 'annual-plan', year: 2027, title: '2027 年度预算 — 按月支出计划' });
    if (card.chart?.kind !== 'annual-plan') throw new Error('no chart');
    expect(card.chart.categories).toEqual([
      { label: '活动费用', months: months(101) },
      { label: '人员费用', months: months(50) },
    ]);
    const empty = planCard('en', { id: 2, year: 2028, status: 'draft', version: 1, history: [], lines: [] });
    expect(empty.chart).toBeUndefined();
    expect(empty.context).toContain('No chart: nothing is planned.');
  });
});
