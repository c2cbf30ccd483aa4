// Budget use per line (monthly budget summary, `/budget chart`): spent and committed stacked as % of each line's
// plan, so the 80 % and 100 % marks hold for every line; the label gives the % and the amounts.
import type { EChartsOption } from 'echarts';
import { formatPercentBp } from '../domain/budget.js';
import type { BudgetUseChart, ChartPart } from './model.js';
import { AXIS_LABEL, LABEL_BOX, PALETTE, SPLIT_LINE, TEXT, legendOption, moneyLabel, titleOption, tx } from './theme.js';

type Part = Extract<ChartPart, BudgetUseChart>;

/** Percent of plan (not bp: the axis is in %), null without a plan. */
function pct(part: number, plan: number): number | null {
  return plan > 0 ? (part * 100) / plan : null;
}

export function budgetUseOption(c: Part): EChartsOption {
  const { locale } = c;
  const money = moneyLabel(locale);
  const used = c.bars.map((b) => pct(b.spent + b.committed, b.plan));
  const peak = Math.max(100, ...used.map((u) => u ?? 0));
  // 0–120 % at least; further when a line is over, but never so far that the others shrink to nothing.
  const max = Math.min(200, Math.max(120, Math.ceil(peak / 20) * 20));
  const clip = (v: number) => Math.min(max, Math.max(0, v));
  const spent = c.bars.map((b) => (b.plan > 0 ? clip(pct(b.spent, b.plan)!) : b.spent > 0 ? max : 0));
  const committed = c.bars.map((b, i) => (b.plan > 0 ? clip(pct(b.spent + b.committed, b.plan)!) - spent[i]! : 0));
  const label = (i: number): string => {
    const b = c.bars[i]!;
    const amounts = `${money(b.spent + b.committed)} / ${money(b.plan)}`;
    if (b.plan <= 0) return `${tx(locale, 'chart.no_plan')} · ${money(b.spent + b.committed)}`;
    return `${formatPercentBp(Math.floor(((b.spent + b.committed) * 10_000) / b.plan), locale)} · ${amounts}`;
  };
  const total = c.total;
  const subtitle = tx(locale, 'chart.budget.subtitle', {
    spent: money(total.spent),
    committed: money(total.committed),
    plan: money(total.plan),
    percent: total.plan > 0 ? formatPercentBp(Math.floor(((total.spent + total.committed) * 10_000) / total.plan), locale) : tx(locale, 'chart.no_plan'),
  });
  const mark = (value: number, color: string, type: 'dashed' | 'solid') => ({
    xAxis: value,
    lineStyle: { color, type, width: 2 },
    label: { formatter: `${value}%`, color, fontFamily: TEXT.fontFamily, fontSize: 13, position: 'start' as const },
  });
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: TEXT,
    title: titleOption(c.title, subtitle),
    legend: legendOption({ data: [tx(locale, 'chart.series.spent'), tx(locale, 'chart.series.committed')] }),
    grid: { left: 190, right: 190, top: 110, bottom: 40 },
    xAxis: {
      type: 'value',
      min: 0,
      max,
      interval: 20,
      axisLabel: { ...AXIS_LABEL, formatter: '{value}%' },
      splitLine: SPLIT_LINE,
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: c.bars.map((b) => b.label),
      axisTick: { show: false },
      axisLabel: { ...AXIS_LABEL, color: PALETTE.ink, width: 176, overflow: 'truncate' },
    },
    series: [
      {
        name: tx(locale, 'chart.series.spent'),
        type: 'bar',
        stack: 'use',
        barMaxWidth: 22,
        itemStyle: { color: PALETTE.blue },
        // Spending against no plan is drawn full length in vermillion, labelled "no plan".
        data: spent.map((v, i) => (c.bars[i]!.plan <= 0 && v > 0 ? { value: v, itemStyle: { color: PALETTE.vermillion } } : v)),
        markLine: {
          silent: true,
          // Under the bars and their labels: the labels stay readable where a mark crosses them.
          z: 1,
          symbol: 'none',
          data: [mark(80, PALETTE.orange, 'dashed'), mark(100, PALETTE.vermillion, 'solid')],
        },
      },
      {
        name: tx(locale, 'chart.series.committed'),
        type: 'bar',
        stack: 'use',
        barMaxWidth: 22,
        itemStyle: { color: PALETTE.sky },
        data: committed,
        label: { show: true, position: 'right', ...LABEL_BOX, formatter: (p: { dataIndex: number }) => label(p.dataIndex) },
      },
    ],
  };
}
