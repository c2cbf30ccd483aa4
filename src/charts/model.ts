// The chart part of the neutral message model (Message.chart): what to draw, as plain JSON data (it travels in
// the outbox with its message). Built from the same views as the message text (./build.ts), drawn on the server
// by ./render.ts, placed by each platform's renderer. Labels are resolved at drawing time from `locale`.
import type { Locale, Minor, Month } from '../domain/types.js';

/** One horizontal bar of the budget-use chart (a line, or the "others" fold of the lines after the top 15). */
export interface BudgetUseBar {
  label: string;
  plan: Minor;
  spent: Minor;
  committed: Minor;
  /** Set on the "others" bar: how many lines it folds. */
  folded?: number;
}

/** Monthly budget summary and `/budget chart`: spent + committed as % of plan per line, 80 % and 100 % marks. */
export interface BudgetUseChart {
  kind: 'budget-use';
  month: Month;
  /** Sorted by % used (highest first), at most TOP_LINES + "others". */
  bars: BudgetUseBar[];
  total: { plan: Minor; spent: Minor; committed: Minor };
}

export interface VarianceBar {
  label: string;
  plan: Minor;
  actual: Minor;
  folded?: number;
}

/** Monthly variance report: plan vs actual per line (coloured by variance) and the year-to-date cumulative lines. */
export interface VarianceChart {
  kind: 'variance';
  month: Month;
  /** Largest |variance| first, at most TOP_LINES + "others". */
  bars: VarianceBar[];
  /** Cumulative plan and actual from January to `month`, one point per month. */
  ytd: { month: Month; plan: Minor; actual: Minor }[];
}

export interface KpiBar {
  /** KPI name, localized. */
  label: string;
  /** Target and actual, formatted in the KPI's unit ("¥5万", "2.5%", "12,000"). */
  targetText: string;
  actualText: string | null;
  /** actual / target in bp (10000 = 100 %); null without an actual or with a zero target. */
  ratioBp: number | null;
  met: boolean | null;
}

/** Campaign evaluation: KPI achievement against target, and budget committed vs spent. */
export interface CampaignChart {
  kind: 'campaign';
  campaign: string;
  kpis: KpiBar[];
  budget: { committed: Minor; spent: Minor };
}

/** Annual plan: planned spend per month, stacked by category. */
export interface AnnualPlanChart {
  kind: 'annual-plan';
  year: number;
  /** One series per category (label localized), 12 monthly amounts each. */
  categories: { label: string; months: Minor[] }[];
}

export type ChartData = BudgetUseChart | VarianceChart | CampaignChart | AnnualPlanChart;

export type ChartPart = ChartData & {
  locale: Locale;
  /** Shown above the plot. Plain text (drawn as is), like every label of a chart part. */
  title: string;
  /**
   * One-line description for screen readers and platforms' alt text; the figures themselves stay in the
   * message text.
   */
  alt: string;
};

export const CHART_KINDS = ['budget-use', 'variance', 'campaign', 'annual-plan'] as const satisfies readonly ChartData['kind'][];
