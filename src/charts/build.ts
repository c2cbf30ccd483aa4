// View → chart part. Pure: the message builders pass the same view they write the text from, so a chart and its
// text can never disagree. A chart that cannot be drawn (no lines, nothing planned) comes back as a localized
// one-line note that the message shows instead.
import { percentUsedBp, usedBp } from '../domain/budget.js';
import type { Locale, Minor, Month } from '../domain/types.js';
import { t } from '../i18n/index.js';
import { tx } from './theme.js';
import type { AnnualPlanChart, BudgetUseBar, CampaignChart, ChartPart, KpiBar, VarianceBar, VarianceChart } from './model.js';

/** Lines drawn one by one; the rest are folded into one "others" bar. */
export const TOP_LINES = 15;
/** Longest line label drawn (code + name); longer ones are cut with "…". */
export const LABEL_CHARS = 18;

export type ChartOutcome = { chart: ChartPart; omitted?: undefined } | { chart?: undefined; omitted: string };

function omitted(locale: Locale, reason: string): ChartOutcome {
  return { omitted: t(locale, 'chart.omitted', { reason: t(locale, `chart.omitted.${reason}`) }) };
}

export function lineLabel(code: string, name: string): string {
  const full = `${code} ${name}`.replace(/\s+/g, ' ').trim();
  const chars = Array.from(full);
  return chars.length <= LABEL_CHARS ? full : `${chars.slice(0, LABEL_CHARS - 1).join('')}…`;
}

/** Sorts by `rank` (highest first, then by label) and folds everything after TOP_LINES into one bar. */
function topAndOthers<T extends { label: string; folded?: number }>(
  locale: Locale,
  items: T[],
  rank: (item: T) => number[],
  fold: (rest: T[], label: string) => T,
): T[] {
  const byRank = (a: T, b: T): number => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return rb[i]! - ra[i]!;
    return a.label.localeCompare(b.label);
  };
  const sorted = [...items].sort(byRank);
  if (sorted.length <= TOP_LINES + 1) return sorted;
  const rest = sorted.slice(TOP_LINES);
  return [...sorted.slice(0, TOP_LINES), { ...fold(rest, tx(locale, 'chart.others', { n: rest.length })), folded: rest.length }];
}

// ---------------------------------------------------------------------------------------- budget use

export interface BudgetLineInput {
  code: string;
  name: string;
  plan: Minor;
  spent: Minor;
  committed: Minor;
}

/**
 * Spending against no plan ranks above everything; then (spent + committed) / plan — the length of the bar — then
 * spent / plan.
 */
function useRank(l: { plan: Minor; spent: Minor; committed: Minor }): number[] {
  const used = usedBp(l);
  if (used === null) return [l.spent + l.committed > 0 ? 1 : -1, 0, 0];
  return [0, used, percentUsedBp(l) ?? 0];
}

/** Monthly budget summary and `/budget chart`: one bar per line, sorted by % used. */
export function budgetUseChart(locale: Locale, month: Month, lines: BudgetLineInput[]): ChartOutcome {
  const total = lines.reduce(
    (s, l) => ({ plan: s.plan + l.plan, spent: s.spent + l.spent, committed: s.committed + l.committed }),
    { plan: 0, spent: 0, committed: 0 },
  );
  if (lines.length === 0) return omitted(locale, 'no_lines');
  if (total.plan <= 0) return omitted(locale, 'no_plan');
  const bars = topAndOthers<BudgetUseBar>(
    locale,
    lines.map((l) => ({ label: lineLabel(l.code, l.name), plan: l.plan, spent: l.spent, committed: l.committed })),
    useRank,
    (rest, label) => ({
      label,
      plan: rest.reduce((s, l) => s + l.plan, 0),
      spent: rest.reduce((s, l) => s + l.spent, 0),
      committed: rest.reduce((s, l) => s + l.committed, 0),
    }),
  );
  return {
    chart: {
      kind: 'budget-use',
      locale,
      month,
      bars,
      total,
      title: tx(locale, 'chart.budget.title', { month }),
      alt: tx(locale, 'chart.budget.alt', { month, n: lines.length }),
    },
  };
}

// ------------------------------------------------------------------------------------------ variance

export interface VarianceInput {
  month: Month;
  lines: { code: string; name: string; plan: Minor; actual: Minor }[];
  /** Cumulative plan and actual per month of the year up to `month`. */
  ytd?: { month: Month; plan: Minor; actual: Minor }[];
}

/** Monthly variance report: plan vs actual per line, largest variance first, and the year to date. */
export function varianceChart(locale: Locale, view: VarianceInput): ChartOutcome {
  const drawn = view.lines.filter((l) => l.plan !== 0 || l.actual !== 0);
  if (drawn.length === 0) return omitted(locale, view.lines.length === 0 ? 'no_lines' : 'no_plan');
  if (drawn.every((l) => l.plan === 0)) return omitted(locale, 'no_plan');
  const bars = topAndOthers<VarianceBar>(
    locale,
    drawn.map((l) => ({ label: lineLabel(l.code, l.name), plan: l.plan, actual: l.actual })),
    (b) => [Math.abs(b.actual - b.plan)],
    (rest, label) => ({ label, plan: rest.reduce((s, l) => s + l.plan, 0), actual: rest.reduce((s, l) => s + l.actual, 0) }),
  );
  const chart: VarianceChart = { kind: 'variance', month: view.month, bars, ytd: view.ytd ?? [] };
  return {
    chart: {
      ...chart,
      locale,
      title: tx(locale, 'chart.variance.title', { month: view.month }),
      alt: tx(locale, 'chart.variance.alt', { month: view.month, n: drawn.length }),
    },
  };
}

// ------------------------------------------------------------------------------------------ campaign

export interface CampaignInput {
  id: string;
  name: string;
  /** Budget the campaign held (committed) and what it cost. */
  amount: Minor;
  actualCost: Minor;
  kpis: KpiBar[];
}

/** Campaign evaluation: KPI achievement and budget committed vs spent. */
export function campaignChart(locale: Locale, c: CampaignInput): ChartOutcome {
  if (c.kpis.length === 0 && c.amount === 0 && c.actualCost === 0) return omitted(locale, 'no_data');
  const chart: CampaignChart = { kind: 'campaign', campaign: c.id, kpis: c.kpis, budget: { committed: c.amount, spent: c.actualCost } };
  return {
    chart: {
      ...chart,
      locale,
      title: tx(locale, 'chart.campaign.title', { id: c.id, name: c.name }),
      alt: tx(locale, 'chart.campaign.alt', { id: c.id, n: c.kpis.length }),
    },
  };
}

// --------------------------------------------------------------------------------------- annual plan

export interface AnnualPlanInput {
  year: number;
  /** Category label (localized) and its 12 monthly amounts. */
  categories: { label: string; months: Minor[] }[];
}

/** Annual plan card: planned spend per month, stacked by category. */
export function annualPlanChart(locale: Locale, plan: AnnualPlanInput): ChartOutcome {
  const categories = plan.categories.filter((c) => c.months.some((m) => m > 0));
  if (categories.length === 0) return omitted(locale, 'no_plan');
  const chart: AnnualPlanChart = {
    kind: 'annual-plan',
    year: plan.year,
    categories: categories.map((c) => ({ label: c.label, months: Array.from({ length: 12 }, (_, i) => Math.max(0, c.months[i] ?? 0)) })),
  };
  return {
    chart: {
      ...chart,
      locale,
      title: tx(locale, 'chart.plan.title', { year: plan.year }),
      alt: tx(locale, 'chart.plan.alt', { year: plan.year, n: categories.length }),
    },
  };
}
