// The PERIOD a scheduled run belongs to, so the run ledger can claim each period once.
// Weekly jobs: ISO week of the local date; monthly jobs: the local month; daily jobs: the local date.
import { previousOccurrence, type CronSpec } from '../domain/cron.js';
import { addDays, addMonths, localDate, weekdayOf } from '../domain/time.js';
import type { LocalDate } from '../domain/types.js';
import type { JobName } from '../usecases/settings.js';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** ISO-8601 week of a calendar date: "2026-W48" (the week belongs to the year of its Thursday). */
export function isoWeek(date: LocalDate): string {
  const thursday = addDays(date, 4 - weekdayOf(date));
  const year = Number(thursday.slice(0, 4));
  const dayOfYear = (Date.UTC(year, Number(thursday.slice(5, 7)) - 1, Number(thursday.slice(8, 10))) - Date.UTC(year, 0, 1)) / 86_400_000;
  return `${year}-W${pad2(Math.floor(dayOfYear / 7) + 1)}`;
}

export type PeriodKind = 'week' | 'month' | 'day';

export const PERIOD_KIND: Record<JobName, PeriodKind> = {
  'weekly-agenda': 'week',
  'monthly-budget': 'month',
  'monthly-report': 'month',
  reminders: 'day',
};

/** The period a run on local date `date` belongs to: "2026-W48", "2026-11" or "2026-11-30". */
export function periodOfDate(job: JobName, date: LocalDate): string {
  const kind = PERIOD_KIND[job];
  if (kind === 'week') return isoWeek(date);
  if (kind === 'month') return date.slice(0, 7);
  return date;
}

/** The period containing instant `at` in `tz` (what `npm run job` runs). */
export function currentPeriod(job: JobName, at: Date, tz: string): string {
  return periodOfDate(job, localDate(at, tz));
}

export interface DueRun {
  job: JobName;
  period: string;
  /** The scheduled instant this run stands for. */
  scheduledAt: Date;
}

/** The latest run that should have happened by `now` (its period is what the ledger must show as done). */
export function latestDue(job: JobName, spec: CronSpec, now: Date, tz: string): DueRun | null {
  const at = previousOccurrence(spec, now, tz);
  if (!at) return null;
  return { job, period: periodOfDate(job, localDate(at, tz)), scheduledAt: at };
}

/** The period a run's posts are about: the variance report run in a month covers the month before; every
 *  other job covers its own period. */
export function coveredPeriod(job: JobName, period: string): string {
  return job === 'monthly-report' ? addMonths(period, -1) : period;
}
