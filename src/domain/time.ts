// Calendar maths in an explicit time zone. "Today" and "this month" depend on where the team is, not on
// the server's clock zone, so every function that looks at an instant takes `tz` (an IANA name).
// Pure dates (LocalDate / Month) are handled as UTC calendar days, which have no DST to trip over.
import type { LocalDate, Month } from './types.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * The last reading per zone, by whole second: a command asks for "today", "this month" and a few stamps of the same
 * instant, and formatToParts costs ~5 µs a call. A reading changes only on a second (zone rules change on whole
 * seconds too), so the cache is exact.
 */
const lastReading = new Map<string, { second: number; clock: Readonly<WallClock> }>();

/** The wall-clock reading in `tz` at instant `now`. */
export function wallClock(now: Date, tz: string): WallClock {
  const second = Math.floor(now.getTime() / 1000);
  const last = lastReading.get(tz);
  if (last && last.second === second) return { ...last.clock };
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(now)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const clock = {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
  if (Number.isFinite(second)) lastReading.set(tz, { second, clock });
  return { ...clock };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad4 = (n: number): string => String(n).padStart(4, '0');

export function isValidTimeZone(tz: string): boolean {
  if (!tz) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function localDate(now: Date, tz: string): LocalDate {
  const w = wallClock(now, tz);
  return `${pad4(w.year)}-${pad2(w.month)}-${pad2(w.day)}`;
}

export function localMonth(now: Date, tz: string): Month {
  return monthOf(localDate(now, tz));
}

/** "HH:MM" wall-clock time in `tz`. */
export function localTime(now: Date, tz: string): string {
  const w = wallClock(now, tz);
  return `${pad2(w.hour)}:${pad2(w.minute)}`;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at instant `at`, as people read it: "UTC+8", "UTC-4", "UTC+5:30", "UTC". */
export function utcOffsetLabel(at: Date, tz: string): string {
  let f = offsetFormatters.get(tz);
  if (!f) {
    // Building a formatter costs far more than formatting (ICU loads the zone): one per zone.
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'shortOffset' });
    offsetFormatters.set(tz, f);
  }
  const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  return (name ?? 'GMT').replace(/^GMT/, 'UTC').replace(/^UTC[+-]0$/, 'UTC');
}

/**
 * An instant as every message shows it: the wall clock in the bot's zone, and which zone that is —
 * "2026-11-10 10:00 UTC+8". One format for every card, reply and post, so no time is ever ambiguous.
 */
export function formatStamp(at: Date, tz: string): string {
  return `${localDate(at, tz)} ${localTime(at, tz)} ${utcOffsetLabel(at, tz)}`;
}

export function monthOf(date: LocalDate): Month {
  return date.slice(0, 7);
}

export function yearOf(m: Month): number {
  return Number(m.slice(0, 4));
}

function monthNumber(m: Month): number {
  return Number(m.slice(5, 7));
}

export function daysInMonth(m: Month): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(yearOf(m), monthNumber(m), 0)).getUTCDate();
}

function makeMonth(year: number, month: number): Month {
  return `${pad4(year)}-${pad2(month)}`;
}

/** Accepts `2026-11`, `2026/11`, `2026-1`, `2026.11`, `2026年11月`; null for anything else or month 13. */
export function parseMonth(s: string): Month | null {
  const m = /^(\d{4})(?:[-/.](\d{1,2})|年(\d{1,2})月?)$/.exec(s.trim());
  if (!m) return null;
  const month = Number(m[2] ?? m[3]);
  if (month < 1 || month > 12) return null;
  return makeMonth(Number(m[1]), month);
}

/** Accepts `2026-11-05`, `2026/11/5`, `2026.11.5`, `2026年11月5日`; null for impossible days like 2026-02-30. */
export function parseLocalDate(s: string): LocalDate | null {
  const m = /^(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日?)$/.exec(s.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2] ?? m[4]);
  const day = Number(m[3] ?? m[5]);
  if (month < 1 || month > 12) return null;
  const ym = makeMonth(year, month);
  if (day < 1 || day > daysInMonth(ym)) return null;
  return `${ym}-${pad2(day)}`;
}

export function isMonth(s: string): s is Month {
  return /^\d{4}-\d{2}$/.test(s) && parseMonth(s) === s;
}

export function isLocalDate(s: string): s is LocalDate {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && parseLocalDate(s) === s;
}

export function addMonths(m: Month, n: number): Month {
  const index = yearOf(m) * 12 + (monthNumber(m) - 1) + n;
  return makeMonth(Math.floor(index / 12), (index % 12) + 1);
}

function dayNumber(date: LocalDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}

function fromDayNumber(n: number): LocalDate {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/** Signed whole days from `a` to `b` (b − a); 2026-01-01 → 2026-01-02 is 1. */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return dayNumber(b) - dayNumber(a);
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return fromDayNumber(dayNumber(date) + n);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  const d = new Date(dayNumber(date) * 86_400_000).getUTCDay();
  return d === 0 ? 7 : d;
}

export function firstDayOfMonth(m: Month): LocalDate {
  return `${m}-01`;
}

export function lastDayOfMonth(m: Month): LocalDate {
  return `${m}-${pad2(daysInMonth(m))}`;
}

/** Every month touched by the date range, both ends inclusive; empty when end < start. */
export function monthsBetween(startDate: LocalDate, endDate: LocalDate): Month[] {
  const out: Month[] = [];
  if (endDate < startDate) return out;
  const last = monthOf(endDate);
  for (let m = monthOf(startDate); m <= last; m = addMonths(m, 1)) out.push(m);
  return out;
}

export function monthsOfYear(year: number): Month[] {
  return Array.from({ length: 12 }, (_, i) => makeMonth(year, i + 1));
}

// Offset of `tz` from UTC at `instant`, in ms (positive east of Greenwich).
function offsetMs(instant: number, tz: string): number {
  const w = wallClock(new Date(instant), tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The UTC instant when the wall clock in `tz` reads `date time` (e.g. 2026-11-30 10:00 Asia/Shanghai →
 * 02:00Z). Two passes settle the offset across DST changes; a time skipped by a spring-forward gap
 * lands just after the gap, and an ambiguous autumn time takes the earlier instant.
 */
export function zonedTimeToUtc(date: LocalDate, time: string, tz: string): Date {
  const t = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!t || Number(t[1]) > 23 || Number(t[2]) > 59) throw new RangeError(`time must be HH:MM, got "${time}"`);
  const wall = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), Number(t[1]), Number(t[2]));
  const first = wall - offsetMs(wall, tz);
  const second = wall - offsetMs(first, tz);
  if (second === first) {
    // Ambiguous (fall-back) times: prefer the earlier instant if it reads the same wall clock.
    const earlier = wall - offsetMs(first - 3_600_000, tz);
    if (earlier < first && localDate(new Date(earlier), tz) === date && localTime(new Date(earlier), tz) === localTime(new Date(first), tz)) {
      return new Date(earlier);
    }
    return new Date(first);
  }
  return new Date(Math.max(first, second));
}

export function startOfLocalDayUtc(date: LocalDate, tz: string): Date {
  return zonedTimeToUtc(date, '00:00', tz);
}
