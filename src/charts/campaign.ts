// Campaign evaluation: each KPI's actual as % of its target (met green, missed vermillion, 100 % marked), labelled
// "actual / target"; beside it the budget the campaign held vs what it cost.
import type { EChartsOption } from 'echarts';
import { formatPercentBp } from '../domain/budget.js';
import type { CampaignChart, ChartPart } from './model.js';
import { AXIS_LABEL, FONT_FAMILY, LABEL_BOX, PALETTE, SPLIT_LINE, TEXT, moneyLabel, titleOption, tx } from './theme.js';

type Part = Extract<ChartPart, CampaignChart>;

export function campaignOption(c: Part): EChartsOption {
  const { locale } = c;
  const money = moneyLabel(locale);
  const hasKpis = c.kpis.length > 0;
  const hasBudget = c.budget.committed > 0 || c.budget.spent > 0;
  const met = c.kpis.filter((k) => k.met).length;
  const subtitle = tx(locale, 'chart.campaign.subtitle', {
    met,
    total: c.kpis.length,
    committed: money(c.budget.committed),
    spent: money(c.budget.spent),
  });
  const ratios = c.kpis.map((k) => (k.ratioBp === null ? null : k.ratioBp / 100));
  const max = Math.min(300, Math.max(120, Math.ceil(Math.max(0, ...ratios.map((r) => r ?? 0)) / 20) * 20));
  const kpiLabel = (i: number): string => {
    const k = c.kpis[i]!;
    if (k.actualText === null) return `${tx(locale, 'chart.campaign.no_result')} / ${k.targetText}`;
    return `${k.actualText} / ${k.targetText}${k.ratioBp === null ? '' : ` (${formatPercentBp(k.ratioBp, locale)})`}`;
  };
  const kpiRight = hasBudget ? 440 : 230;
  const budgetLeft = hasKpis ? 720 : 120;
  const sectionTitle = (text: string, left: number) => ({
    text,
    left,
    top: 92,
    textStyle: { fontFamily: FONT_FAMILY, fontSize: 15, fontWeight: 'normal' as const, color: PALETTE.ink },
  });
  const grids: object[] = [];
  const xAxes: object[] = [];
  const yAxes: object[] = [];
  const series: object[] = [];
  const titles: object[] = [titleOption(c.title, subtitle)];
  if (hasKpis) {
    titles.push(sectionTitle(tx(locale, 'chart.campaign.kpis'), 24));
    grids.push({ left: 150, right: kpiRight, top: 150, bottom: 44 });
    xAxes.push({ type: 'value', gridIndex: grids.length - 1, min: 0, max, interval: max > 200 ? 50 : 20, axisLabel: { ...AXIS_LABEL, formatter: '{value}%' }, splitLine: SPLIT_LINE });
    yAxes.push({
      type: 'category',
      gridIndex: grids.length - 1,
      inverse: true,
      data: c.kpis.map((k) => k.label),
      axisTick: { show: false },
      axisLabel: { ...AXIS_LABEL, color: PALETTE.ink, width: 136, overflow: 'truncate' },
    });
    series.push({
      name: tx(locale, 'chart.campaign.kpis'),
      type: 'bar',
      xAxisIndex: xAxes.length - 1,
      yAxisIndex: yAxes.length - 1,
      barMaxWidth: 26,
      data: c.kpis.map((k, i) => ({
        value: ratios[i] === null ? 0 : Math.min(max, ratios[i]!),
        itemStyle: { color: k.met ? PALETTE.green : PALETTE.vermillion },
      })),
      label: { show: true, position: 'right', ...LABEL_BOX, formatter: (p: { dataIndex: number }) => kpiLabel(p.dataIndex) },
      markLine: {
        silent: true,
        z: 1,
        symbol: 'none',
        data: [{ xAxis: 100, lineStyle: { color: PALETTE.ink, type: 'dashed', width: 2 }, label: { formatter: '100%', position: 'start', fontFamily: FONT_FAMILY, color: PALETTE.ink } }],
      },
    });
  }
  if (hasBudget) {
    titles.push(sectionTitle(tx(locale, 'chart.campaign.budget'), budgetLeft - 40));
    grids.push({ left: budgetLeft, right: hasKpis ? 40 : 120, top: 150, bottom: 44 });
    const over = c.budget.spent > c.budget.committed;
    xAxes.push({
      type: 'category',
      gridIndex: grids.length - 1,
      data: [tx(locale, 'chart.series.committed'), tx(locale, 'chart.series.cost')],
      axisTick: { show: false },
      axisLabel: { ...AXIS_LABEL, color: PALETTE.ink, fontSize: 14 },
    });
    yAxes.push({ type: 'value', gridIndex: grids.length - 1, axisLabel: { ...AXIS_LABEL, formatter: money }, splitLine: SPLIT_LINE });
    series.push({
      name: tx(locale, 'chart.campaign.budget'),
      type: 'bar',
      xAxisIndex: xAxes.length - 1,
      yAxisIndex: yAxes.length - 1,
      barMaxWidth: 70,
      data: [
        { value: c.budget.committed, itemStyle: { color: PALETTE.blue } },
        { value: c.budget.spent, itemStyle: { color: over ? PALETTE.vermillion : PALETTE.orange } },
      ],
      label: { show: true, position: 'top', fontFamily: FONT_FAMILY, fontSize: 13, color: PALETTE.ink, formatter: (p: { value: unknown }) => money(Number(p.value)) },
    });
  }
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: TEXT,
    title: titles,
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    series,
  } as EChartsOption;
}
