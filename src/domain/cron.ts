// Cron expressions evaluated on the wall clock of an explicit time zone. Pure: no I/O, no timers; the
// scheduler passes the instant in, and `/mkt set schedule.*` uses parseCron to refuse what cannot run.
//
// Supported cron syntax (what node-schedule / cron-parser accept for the usual cases):
//   "m h dom mon dow" or "s m h dom mon dow" (seconds: one number); `*`, `?`, lists `1,15`, ranges `1-5`,
//   steps `*/15` `8-18/2`, month names JAN…DEC, weekday names SUN…SAT, 0 and 7 both Sunday.
//   When both day-of-month and day-of-week are restricted, a day matching either fires (classic cron).
// Not supported (rejected, so the default schedule is used): L, W, #, years.
import { addDays, localDate, weekdayOf, wallClock, zonedTimeToUtc } from './time.js';
import type { LocalDate } from './types.js';

export interface CronSpec {
  source: string;
  second: number;
  minutes: number[]; // ascending
  hours: number[]; // ascending
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>; // 0 = Sunday … 6 = Saturday
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

export type CronParse = { ok: true; spec: CronSpec } | { ok: false; error: string };

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function parseField(
  text: string,
  min: number,
  max: number,
  names?: string[],
  nameBase = 0,
): { values: number[]; star: boolean } | string {
  const values = new Set<number>();
  let star = false;
  const toNumber = (token: string): number | null => {
    const upper = token.toUpperCase();
    if (names) {
      const i = names.indexOf(upper);
      if (i >= 0) return i + nameBase;
    }
    if (!/^\d{1,2}$/.test(token)) return null;
    return Number(token);
  };
  for (const part of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(part);
    if (!m) return `bad element "${part}"`;
    const range = m[1]!;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return `bad step in "${part}"`;
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = min;
      hi = max;
      if (m[2] === undefined) star = true;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) return `bad range "${range}"`;
      const a = toNumber(bounds[0]!);
      const b = bounds.length === 2 ? toNumber(bounds[1]!) : a;
      if (a === null || b === null) return `bad value "${range}"`;
      lo = a;
      hi = bounds.length === 2 ? b : m[2] === undefined ? a : max;
      if (lo < min || hi > max || lo > hi) return `"${range}" is out of ${min}-${max}`;
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  if (values.size === 0) return `empty field "${text}"`;
  return { values: [...values].sort((a, b) => a - b), star };
}

export function parseCron(expr: string): CronParse {
  if (typeof expr !== 'string') return { ok: false, error: 'not a string' };
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return { ok: false, error: `expected 5 fields, got ${fields.length}` };
  let second = 0;
  if (fields.length === 6) {
    const s = fields.shift()!;
    if (!/^\d{1,2}$/.test(s) || Number(s) > 59) return { ok: false, error: 'the seconds field must be one number 0-59' };
    second = Number(s);
  }
  const [mi, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const minutes = parseField(mi, 0, 59);
  if (typeof minutes === 'string') return { ok: false, error: `minute: ${minutes}` };
  const hours = parseField(h, 0, 23);
  if (typeof hours === 'string') return { ok: false, error: `hour: ${hours}` };
  const days = parseField(dom, 1, 31);
  if (typeof days === 'string') return { ok: false, error: `day of month: ${days}` };
  const months = parseField(mon, 1, 12, MONTH_NAMES, 1);
  if (typeof months === 'string') return { ok: false, error: `month: ${months}` };
  const weekdays = parseField(dow, 0, 7, DAY_NAMES, 0);
  if (typeof weekdays === 'string') return { ok: false, error: `day of week: ${weekdays}` };
  const wd = new Set(weekdays.values.map((d) => d % 7));
  const spec: CronSpec = {
    source: expr.trim(),
    second,
    minutes: minutes.values,
    hours: hours.values,
    days: new Set(days.values),
    months: new Set(months.values),
    weekdays: wd,
    daysRestricted: !days.star,
    weekdaysRestricted: !weekdays.star,
  };
  // A schedule that can never fire (e.g. "0 9 31 2 *") is as useless as a malformed one.
  if (!spec.daysRestricted || spec.weekdaysRestricted) return { ok: true, spec };
  const possible = [...spec.months].some((mo) => [...spec.days].some((d) => d <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!));
  return possible ? { ok: true, spec } : { ok: false, error: 'never fires' };
}

function dateMatches(spec: CronSpec, date: LocalDate): boolean {
  if (!spec.months.has(Number(date.slice(5, 7)))) return false;
  const dayOk = spec.days.has(Number(date.slice(8, 10)));
  const weekdayOk = spec.weekdays.has(weekdayOf(date) % 7);
  if (spec.daysRestricted && spec.weekdaysRestricted) return dayOk || weekdayOk;
  if (spec.daysRestricted) return dayOk;
  if (spec.weekdaysRestricted) return weekdayOk;
  return true;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
/** Longest stretch between two fires of any valid expression (Feb 29 on a given weekday is rarer, but fine). */
const SEARCH_DAYS = 366 * 8 + 2;

function instant(spec: CronSpec, date: LocalDate, hour: number, minute: number, tz: string): Date | null {
  const at = zonedTimeToUtc(date, `${pad2(hour)}:${pad2(minute)}`, tz);
  // A wall-clock time skipped by a DST gap does not exist on that day: cron-parser moves it, we skip it.
  const w = wallClock(at, tz);
  if (w.hour !== hour || w.minute !== minute || localDate(at, tz) !== date) return null;
  return new Date(at.getTime() + spec.second * 1000);
}

/** The latest instant ≤ `now` at which `spec` fires on the wall clock of `tz`; null if none in 8 years. */
export function previousOccurrence(spec: CronSpec, now: Date, tz: string): Date | null {
  const today = localDate(now, tz);
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    const date = addDays(today, -i);
    if (!dateMatches(spec, date)) continue;
    for (let hi = spec.hours.length - 1; hi >= 0; hi--) {
      for (let mi = spec.minutes.length - 1; mi >= 0; mi--) {
        const at = instant(spec, date, spec.hours[hi]!, spec.minutes[mi]!, tz);
        if (at && at.getTime() <= now.getTime()) return at;
      }
    }
  }
  return null;
}

/** The first instant > `now` at which `spec` fires on the wall clock of `tz`; null if none in 8 years. */
export function nextOccurrence(spec: CronSpec, now: Date, tz: string): Date | null {
  const today = localDate(now, tz);
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    const date = addDays(today, i);
    if (!dateMatches(spec, date)) continue;
    for (const h of spec.hours) {
      for (const m of spec.minutes) {
        const at = instant(spec, date, h, m, tz);
        if (at && at.getTime() > now.getTime()) return at;
      }
    }
  }
  return null;
}
