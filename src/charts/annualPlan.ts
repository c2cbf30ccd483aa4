// Annual plan card: planned spend per month, stacked by category, with each month's total on top.
import type { EChartsOption } from 'echarts';
import { monthsOfYear } from '../domain/time.js';
import type { AnnualPlanChart, ChartPart } from './model.js';
import { AXIS_LABEL, FONT_FAMILY, PALETTE, SERIES_COLORS, SPLIT_LINE, TEXT, legendOption, moneyLabel, titleOption, tx } from './theme.js';
import { monthName } from './variance.js';

type Part = Extract<ChartPart, AnnualPlanChart>;

export function annualPlanOption(c: Part): EChartsOption {
  const { locale } = c;
  const money = moneyLabel(locale);
  const months = monthsOfYear(c.year);
  const totals = months.map((_, i) => c.categories.reduce((s, cat) => s + (cat.months[i] ?? 0), 0));
  const total = totals.reduce((s, v) => s + v, 0);
  const last = c.categories.length - 1;
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: TEXT,
    title: titleOption(c.title, tx(locale, 'chart.plan.subtitle', { total: money(total) })),
    legend: legendOption({ top: 74, left: 24, right: undefined, data: c.categories.map((cat) => cat.label) }),
    grid: { left: 90, right: 30, top: 120, bottom: 44 },
    xAxis: { type: 'category', data: months.map((m) => monthName(locale, m)), axisTick: { show: false }, axisLabel: { ...AXIS_LABEL, color: PALETTE.ink } },
    yAxis: { type: 'value', axisLabel: { ...AXIS_LABEL, formatter: money }, splitLine: SPLIT_LINE },
    series: c.categories.map((cat, i) => ({
      name: cat.label,
      type: 'bar' as const,
      stack: 'plan',
      barMaxWidth: 46,
      itemStyle: { color: SERIES_COLORS[i % SERIES_COLORS.length]! },
      data: cat.months,
      // The top segment carries the month's total.
      label:
        i === last
          ? { show: true, position: 'top' as const, fontFamily: FONT_FAMILY, fontSize: 12, color: PALETTE.ink, formatter: (p: { dataIndex: number }) => money(totals[p.dataIndex] ?? 0) }
          : { show: false },
    })),
  };
}
