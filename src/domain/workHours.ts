// Working hours for escalation timers: "09:00-18:00 Mon-Fri" in the configured time zone. Time outside the
// working hours counts zero; without working hours every hour counts. Holidays are not modelled.
import { addDays, localDate, weekdayOf, zonedTimeToUtc } from './time.js';
import type { LocalDate } from './types.js';

export interface WorkHours {
  /** Minutes after local midnight, start < end (no overnight shifts). */
  start: number;
  end: number;
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  days: number[];
}

const HOUR = 3_600_000;

const DAY_WORDS: Record<string, number> = {
  mon: 1, monday: 1, 周一: 1, 星期一: 1,
  tue: 2, tues: 2, tuesday: 2, 周二: 2, 星期二: 2,
  wed: 3, wednesday: 3, 周三: 3, 星期三: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4, 周四: 4, 星期四: 4,
  fri: 5, friday: 5, 周五: 5, 星期五: 5,
  sat: 6, saturday: 6, 周六: 6, 星期六: 6,
  sun: 7, sunday: 7, 周日: 7, 周天: 7, 星期日: 7, 星期天: 7,
};

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Why a work-hours text was refused: an i18n key (admin.work_hours.*) and the token it quotes. */
export type WorkHoursProblem = { key: 'format' | 'time' | 'order' | 'day' | 'day_order'; token: string };

function minutes(token: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(token);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

/**
 * Parses "09:00-18:00 Mon-Fri" (also "9:00-18:00 周一-周五", "08:30-17:30 Mon,Tue,Thu"; days default to Mon-Fri).
 * Returns the hours or what is wrong.
 */
export function parseWorkHours(text: string): { ok: true; hours: WorkHours } | { ok: false; problem: WorkHoursProblem } {
  const normalized = text.normalize('NFKC').trim().replace(/\s*[-–~—至到]\s*/g, '-').replace(/\s*[,，、]\s*/g, ',');
  const parts = normalized.split(/\s+/).filter(Boolean);
  if (parts.length < 1 || parts.length > 2) return { ok: false, problem: { key: 'format', token: text.trim() } };
  const [range, daysText = 'mon-fri'] = parts as [string, string?];
  const times = range.split('-');
  if (times.length !== 2) return { ok: false, problem: { key: 'format', token: range } };
  const start = minutes(times[0]!);
  const end = minutes(times[1]!);
  if (start === null) return { ok: false, problem: { key: 'time', token: times[0]! } };
  if (end === null) return { ok: false, problem: { key: 'time', token: times[1]! } };
  if (start >= end) return { ok: false, problem: { key: 'order', token: range } };
  const days = new Set<number>();
  for (const item of daysText.toLowerCase().split(',')) {
    const ends = item.split('-');
    if (ends.length > 2 || !ends[0]) return { ok: false, problem: { key: 'day', token: item } };
    const a = DAY_WORDS[ends[0]];
    const b = ends.length === 2 ? DAY_WORDS[ends[1]!] : a;
    if (a === undefined) return { ok: false, problem: { key: 'day', token: ends[0] } };
    if (b === undefined) return { ok: false, problem: { key: 'day', token: ends[1]! } };
    if (a > b) return { ok: false, problem: { key: 'day_order', token: item } };
    for (let d = a; d <= b; d++) days.add(d);
  }
  return { ok: true, hours: { start, end, days: [...days].sort((x, y) => x - y) } };
}

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** "09:00-18:00 Mon-Fri" (or "Mon,Wed,Fri"): the canonical form, as stored and shown. */
export function formatWorkHours(h: WorkHours): string {
  const days: string[] = [];
  let i = 0;
  while (i < h.days.length) {
    let j = i;
    while (j + 1 < h.days.length && h.days[j + 1] === h.days[j]! + 1) j++;
    days.push(j - i >= 2 ? `${DAY_NAMES[h.days[i]!]}-${DAY_NAMES[h.days[j]!]}` : h.days.slice(i, j + 1).map((d) => DAY_NAMES[d]).join(','));
    i = j + 1;
  }
  return `${hhmm(h.start)}-${hhmm(h.end)} ${days.join(',')}`;
}

/** The working window of local date `date` as UTC instants, or null on a day off. */
function windowOf(date: LocalDate, h: WorkHours, tz: string): [number, number] | null {
  if (!h.days.includes(weekdayOf(date))) return null;
  const at = (m: number) => (m >= 1440 ? zonedTimeToUtc(addDays(date, 1), '00:00', tz) : zonedTimeToUtc(date, hhmm(m), tz)).getTime();
  return [at(h.start), at(h.end)];
}

/**
 * Milliseconds between `from` and `to` that fall inside working hours (all of them when `hours` is null).
 * Negative spans count zero.
 */
export function workingMs(from: Date, to: Date, hours: WorkHours | null, tz: string): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  if (!hours) return b - a;
  let total = 0;
  const last = localDate(to, tz);
  // A wait spans a handful of days; cap the walk so a corrupt date cannot loop for long.
  for (let d = addDays(localDate(from, tz), -1), n = 0; d <= last && n < 4000; d = addDays(d, 1), n++) {
    const w = windowOf(d, hours, tz);
    if (!w) continue;
    total += Math.max(0, Math.min(b, w[1]) - Math.max(a, w[0]));
  }
  return total;
}

/** Whole working hours between `from` and `to`. */
export function workingHoursBetween(from: Date, to: Date, hours: WorkHours | null, tz: string): number {
  return Math.floor(workingMs(from, to, hours, tz) / HOUR);
}

/** Whether a wait that started at `since` has reached `limitHours` working hours by `now` (0 = never escalates). */
export function isOverdue(since: Date, now: Date, limitHours: number, hours: WorkHours | null, tz: string): boolean {
  if (limitHours <= 0) return false;
  return workingMs(since, now, hours, tz) >= limitHours * HOUR;
}
