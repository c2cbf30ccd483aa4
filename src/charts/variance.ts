// Monthly variance report: plan vs actual per line — actual as % of the line's plan, the plan being the 100 % line
// of every row with the ±10 % band around it — the bar coloured by its variance class (over plan vermillion, under
// plan orange, within ±10 % grey) and labelled with the signed % and the amounts; beside it a small year-to-date
// cumulative plan-vs-actual line chart.
import type { EChartsOption } from 'echarts';
import { formatSignedPercentBp, variance } from '../domain/budget.js';
import type { Locale } from '../domain/types.js';
import type { ChartPart, VarianceChart } from './model.js';
import { AXIS_LABEL, FONT_FAMILY, LABEL_BOX, PALETTE, SPLIT_LINE, TEXT, legendOption, moneyLabel, titleOption, tx } from './theme.js';

type Part = Extract<ChartPart, VarianceChart>;
export type VarianceClass = 'over' | 'under' | 'within';

/** Same rule as the report's "beyond ±10 %" (domain/budget.ts variance()); spend against no plan is over. */
export function varianceClass(plan: number, actual: number): VarianceClass {
  const v = variance(plan, actual);
  if (!v.beyond) return 'within';
  return v.variance > 0 ? 'over' : 'under';
}

const CLASS_COLOR: Record<VarianceClass, string> = { over: PALETTE.vermillion, under: PALETTE.orange, within: PALETTE.grey };

export function monthName(locale: Locale, month: string): string {
  const m = Number(month.slice(5, 7));
  return new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en', { month: 'short', timeZone: 'UTC' }).format(Date.UTC(2000, m - 1, 1));
}

export function varianceOption(c: Part): EChartsOption {
  const { locale } = c;
  const money = moneyLabel(locale);
  const classes = c.bars.map((b) => varianceClass(b.plan, b.actual));
  const withYtd = c.ytd.length > 0;
  const plan = c.bars.reduce((s, b) => s + b.plan, 0);
  const actual = c.bars.reduce((s, b) => s + b.actual, 0);
  const total = variance(plan, actual);
  const signed = (m: number) => (m > 0 ? `+${money(m)}` : money(m));
  const subtitle = tx(locale, 'chart.variance.subtitle', {
    plan: money(plan),
    actual: money(actual),
    variance: total.percentBp === null ? signed(total.variance) : `${signed(total.variance)} (${formatSignedPercentBp(total.percentBp, locale)})`,
  });
  // Actual as % of plan: the plan is the 100 % line of every row, the ±10 % band around it is "within".
  const ratio = c.bars.map((b) => (b.plan > 0 ? (b.actual * 100) / b.plan : null));
  const peak = Math.max(100, ...ratio.map((r) => r ?? 0));
  const max = Math.min(200, Math.max(140, Math.ceil(peak / 20) * 20));
  const values = ratio.map((r, i) => (r === null ? (c.bars[i]!.actual > 0 ? max : 0) : Math.min(max, r)));
  const barLabel = (i: number): string => {
    const b = c.bars[i]!;
    const v = variance(b.plan, b.actual);
    const amounts = `${money(b.actual)} / ${money(b.plan)}`;
    return v.percentBp === null ? `${tx(locale, 'chart.no_plan')} · ${money(b.actual)}` : `${formatSignedPercentBp(v.percentBp, locale)} · ${amounts}`;
  };
  const actualSeries = (cls: VarianceClass) => ({
    name: tx(locale, `chart.series.${cls}`),
    type: 'bar' as const,
    stack: 'actual',
    barMaxWidth: 22,
    xAxisIndex: 0,
    yAxisIndex: 0,
    itemStyle: { color: CLASS_COLOR[cls] },
    // '-' is ECharts' "no value": no bar segment and no label in the other two classes' series.
    data: values.map((v, i) => (classes[i] === cls ? v : '-')),
    label: {
      show: true,
      position: 'right' as const,
      ...LABEL_BOX,
      formatter: (p: { dataIndex: number }) => barLabel(p.dataIndex),
    },
  });
  const ytdLast = c.ytd.at(-1);
  const ytdTitle = ytdLast
    ? {
        text: tx(locale, 'chart.variance.ytd'),
        subtext: tx(locale, 'chart.variance.ytd_totals', { plan: money(ytdLast.plan), actual: money(ytdLast.actual) }),
        left: 680,
        top: 96,
        textStyle: { fontFamily: FONT_FAMILY, fontSize: 15, fontWeight: 'normal' as const, color: PALETTE.ink },
        subtextStyle: { fontFamily: FONT_FAMILY, fontSize: 12, color: PALETTE.muted },
      }
    : undefined;
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: TEXT,
    title: [titleOption(c.title, subtitle), ...(ytdTitle ? [ytdTitle] : [])],
    legend: [
      legendOption({
        top: 80,
        left: 24,
        right: undefined,
        data: [tx(locale, 'chart.series.over'), tx(locale, 'chart.series.under'), tx(locale, 'chart.series.within')],
      }),
      ...(withYtd ? [legendOption({ top: 152, left: 680, right: undefined, itemGap: 12, data: [tx(locale, 'chart.series.ytd_plan'), tx(locale, 'chart.series.ytd_actual')] })] : []),
    ],
    grid: [
      { left: 170, right: withYtd ? 360 : 190, top: 122, bottom: 44 },
      ...(withYtd ? [{ left: 740, right: 30, top: 200, bottom: 44 }] : []),
    ],
    xAxis: [
      { type: 'value', gridIndex: 0, min: 0, max, interval: 20, axisLabel: { ...AXIS_LABEL, formatter: '{value}%', hideOverlap: true }, splitLine: SPLIT_LINE },
      ...(withYtd
        ? [{ type: 'category' as const, gridIndex: 1, boundaryGap: false, data: c.ytd.map((p) => monthName(locale, p.month)), axisLabel: { ...AXIS_LABEL, fontSize: 12 } }]
        : []),
    ],
    yAxis: [
      {
        type: 'category',
        gridIndex: 0,
        inverse: true,
        data: c.bars.map((b) => b.label),
        axisTick: { show: false },
        axisLabel: { ...AXIS_LABEL, color: PALETTE.ink, width: 156, overflow: 'truncate' },
      },
      ...(withYtd ? [{ type: 'value' as const, gridIndex: 1, axisLabel: { ...AXIS_LABEL, fontSize: 12, formatter: money }, splitLine: SPLIT_LINE }] : []),
    ],
    series: [
      {
        ...actualSeries('over'),
        markArea: {
          silent: true,
          itemStyle: { color: 'rgba(153,153,153,0.16)' },
          data: [[{ xAxis: 90 }, { xAxis: 110 }]],
        },
        markLine: {
          silent: true,
          z: 1,
          symbol: 'none',
          data: [
            {
              xAxis: 100,
              lineStyle: { color: PALETTE.blue, type: 'solid', width: 2 },
              label: { formatter: `${tx(locale, 'chart.series.plan')} 100%`, position: 'start', color: PALETTE.blue, fontFamily: FONT_FAMILY, fontSize: 12 },
            },
          ],
        },
      },
      actualSeries('under'),
      actualSeries('within'),
      ...(withYtd
        ? [
            {
              name: tx(locale, 'chart.series.ytd_plan'),
              type: 'line' as const,
              xAxisIndex: 1,
              yAxisIndex: 1,
              symbol: 'circle',
              symbolSize: 6,
              lineStyle: { color: PALETTE.blue, type: 'dashed' as const, width: 2 },
              itemStyle: { color: PALETTE.blue },
              data: c.ytd.map((p) => p.plan),
            },
            {
              name: tx(locale, 'chart.series.ytd_actual'),
              type: 'line' as const,
              xAxisIndex: 1,
              yAxisIndex: 1,
              symbol: 'rect',
              symbolSize: 7,
              lineStyle: { color: PALETTE.ink, width: 2 },
              itemStyle: { color: PALETTE.ink },
              data: c.ytd.map((p) => p.actual),
            },
          ]
        : []),
    ],
  } as EChartsOption;
}
