// Realistic chart data for tests, `npm run bench` and the screenshots in docs/ (scripts/chart-screenshots.ts):
// a department's budget lines with Chinese names, some over plan, some idle, one spending without a plan.
import { annualPlanChart, budgetUseChart, campaignChart, varianceChart, type ChartOutcome } from '../../src/charts/index.js';
import type { ChartPart } from '../../src/charts/model.js';
import type { Locale, Month } from '../../src/domain/types.js';

const NAMES = ['线上广告投放', '搜索引擎营销', 'KOL 合作', '展会与活动', '内容制作', '社交媒体运营', '渠道返点', '品牌公关'];
const CODES = ['ADS', 'SEM', 'KOL', 'EXPO', 'CNT', 'SNS', 'CHN', 'PR'];

export interface FixtureLine {
  code: string;
  name: string;
  plan: number;
  spent: number;
  committed: number;
}

/** `n` lines: plans from ¥10k to ¥1.5M, use from idle to 150 %, a few with commitments, one without a plan. */
export function fixtureLines(n: number): FixtureLine[] {
  return Array.from({ length: n }, (_, i) => {
    const plan = i === 3 ? 0 : 1_000_000 + ((i * 7919) % 150) * 1_000_000;
    const usedPct = (i * 37) % 151;
    return {
      code: `${CODES[i % CODES.length]}${String(Math.floor(i / CODES.length) + 1).padStart(2, '0')}`,
      name: NAMES[i % NAMES.length]!,
      plan,
      spent: i === 3 ? 1_250_000 : Math.round((plan * usedPct) / 100),
      committed: i % 4 === 1 ? Math.round(plan * 0.15) : 0,
    };
  });
}

const MONTHS: Month[] = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05'];

function must(o: ChartOutcome): ChartPart {
  if (!o.chart) throw new Error(`fixture chart omitted: ${o.omitted}`);
  return o.chart;
}

export function budgetFixture(locale: Locale, n = 22): ChartPart {
  return must(budgetUseChart(locale, '2026-05', fixtureLines(n)));
}

export function varianceFixture(locale: Locale, n = 22): ChartPart {
  const lines = fixtureLines(n).map((l) => ({ code: l.code, name: l.name, plan: l.plan, actual: l.spent }));
  const plan = lines.reduce((s, l) => s + l.plan, 0);
  const actual = lines.reduce((s, l) => s + l.actual, 0);
  const ytd = MONTHS.map((month, i) => ({ month, plan: plan * (i + 1), actual: Math.round(actual * (i + 1) * (0.9 + i * 0.04)) }));
  return must(varianceChart(locale, { month: '2026-05', lines, ytd }));
}

export function campaignFixture(locale: Locale): ChartPart {
  const zh = locale === 'zh-CN';
  return must(
    campaignChart(locale, {
      id: 'CMP-7',
      name: zh ? '双十一直播带货' : 'Singles Day live sale',
      amount: 8_000_000,
      actualCost: 9_150_000,
      kpis: [
        { label: zh ? '曝光量' : 'Impressions', targetText: '1,000,000', actualText: '1,250,000', ratioBp: 12_500, met: true },
        { label: zh ? '线索数' : 'Leads', targetText: '500', actualText: '320', ratioBp: 6_400, met: false },
        { label: zh ? '转化率' : 'Conversion', targetText: '3%', actualText: '3.2%', ratioBp: 10_667, met: true },
        { label: 'ROI', targetText: '3', actualText: null, ratioBp: null, met: null },
      ],
    }),
  );
}

export function annualPlanFixture(locale: Locale): ChartPart {
  const zh = locale === 'zh-CN';
  const season = [3, 3, 4, 5, 6, 8, 5, 4, 6, 9, 12, 10];
  return must(
    annualPlanChart(locale, {
      year: 2027,
      categories: [
        { label: zh ? '活动费用' : 'Activities', months: season.map((x) => x * 1_000_000) },
        { label: zh ? '渠道运营' : 'Channels', months: Array(12).fill(4_000_000) },
        { label: zh ? '人员费用' : 'Staff', months: Array(12).fill(6_000_000) },
        { label: zh ? '其他' : 'Other', months: Array(12).fill(500_000) },
      ],
    }),
  );
}

export const CHART_FIXTURES: { name: string; make: (locale: Locale) => ChartPart }[] = [
  { name: 'budget-use', make: (l) => budgetFixture(l) },
  { name: 'variance', make: (l) => varianceFixture(l) },
  { name: 'campaign', make: campaignFixture },
  { name: 'annual-plan', make: annualPlanFixture },
];
