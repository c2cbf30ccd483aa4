// Campaign lifecycle (policy 四: plan → execute → evaluate):
//   pending_approval → approved | rejected | changes_requested (→ pending_approval when resubmitted)
//   approved → running (between its dates) → ended → evaluated
// `running` and `ended` follow from the calendar, so they are derived with effectiveStatus() rather than
// needing a job to flip them at midnight.
import { addDays, daysBetween, monthsBetween, firstDayOfMonth, lastDayOfMonth } from './time.js';
import { DomainError, KPI_KEYS, type CampaignStatus, type KpiKey, type LocalDate, type Minor, type Month } from './types.js';

/** Longest campaign we accept, in calendar days (both ends counted). */
export const MAX_CAMPAIGN_DAYS = 366;
/** Ended campaigns not evaluated after this many days show up on the agenda. */
export const EVALUATION_GRACE_DAYS = 7;

export function assertDateRange(start: LocalDate, end: LocalDate): void {
  if (end < start || daysBetween(start, end) + 1 > MAX_CAMPAIGN_DAYS) {
    throw new DomainError('error.campaign_dates', { start, end, maxDays: MAX_CAMPAIGN_DAYS });
  }
}

/**
 * Splits a campaign's budget over the months it runs in, proportional to its days in each month (a campaign
 * from 25 Nov to 5 Dec spends 6/11 in November). Integer fen; rounding leftovers go to the last month so the
 * parts always sum exactly to `amount`.
 */
export function splitCommitment(amount: Minor, startDate: LocalDate, endDate: LocalDate): { month: Month; amount: Minor }[] {
  assertDateRange(startDate, endDate);
  const totalDays = daysBetween(startDate, endDate) + 1;
  const months = monthsBetween(startDate, endDate);
  let given = 0;
  return months.map((month, i) => {
    if (i === months.length - 1) return { month, amount: amount - given };
    const from = firstDayOfMonth(month) > startDate ? firstDayOfMonth(month) : startDate;
    const to = lastDayOfMonth(month) < endDate ? lastDayOfMonth(month) : endDate;
    const days = daysBetween(from, to) + 1;
    const part = Math.floor((amount * days) / totalDays);
    given += part;
    return { month, amount: part };
  });
}

/** The status as of `today`: an approved campaign is running from its start date and ended after its end date. */
export function effectiveStatus(status: CampaignStatus, startDate: LocalDate, endDate: LocalDate, today: LocalDate): CampaignStatus {
  if ((status === 'approved' || status === 'running') && today > endDate) return 'ended';
  if (status === 'approved' && today >= startDate) return 'running';
  return status;
}

/** Leaders decide only proposals waiting for them; a changes_requested proposal must be resubmitted first. */
export function canDecide(status: CampaignStatus): boolean {
  return status === 'pending_approval';
}

export type CampaignDecision = 'approve' | 'reject' | 'request_changes';

export function statusAfterDecision(decision: CampaignDecision): CampaignStatus {
  if (decision === 'approve') return 'approved';
  if (decision === 'reject') return 'rejected';
  return 'changes_requested';
}

/** The proposer may edit and resubmit after a leader asked for changes. */
export function canResubmit(status: CampaignStatus): boolean {
  return status === 'changes_requested';
}

/** Closing records actuals and lessons; only a campaign that was approved (and maybe ran) can be evaluated. */
export function canClose(status: CampaignStatus): boolean {
  return status === 'approved' || status === 'running' || status === 'ended';
}

/** Ended more than EVALUATION_GRACE_DAYS ago and still not evaluated. */
export function awaitingEvaluation(status: CampaignStatus, startDate: LocalDate, endDate: LocalDate, today: LocalDate): boolean {
  return effectiveStatus(status, startDate, endDate, today) === 'ended' && today > addDays(endDate, EVALUATION_GRACE_DAYS);
}

export interface KpiComparison {
  key: KpiKey;
  target: number;
  actual: number | null;
  /** actual / target in basis points (10000 = 100 %), rounded; null when no actual or the target is 0. */
  ratioBp: number | null;
  /** Every KPI is "more is better", so met = actual ≥ target; null when no actual was reported. */
  met: boolean | null;
}

/** One row per targeted KPI, in the canonical KPI order; KPIs reported without a target are ignored. */
export function compareKpis(targets: Partial<Record<KpiKey, number>>, actuals: Partial<Record<KpiKey, number>>): KpiComparison[] {
  const rows: KpiComparison[] = [];
  for (const key of KPI_KEYS) {
    const target = targets[key];
    if (target === undefined) continue;
    const actual = actuals[key] ?? null;
    rows.push({
      key,
      target,
      actual,
      ratioBp: actual === null || target === 0 ? null : Math.round((actual / target) * 10_000),
      met: actual === null ? null : actual >= target,
    });
  }
  return rows;
}
