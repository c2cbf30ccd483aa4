import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  daysBetween,
  daysInMonth,
  formatStamp,
  isLocalDate,
  isMonth,
  isValidTimeZone,
  localDate,
  localMonth,
  localTime,
  monthOf,
  monthsBetween,
  monthsOfYear,
  parseLocalDate,
  parseMonth,
  startOfLocalDayUtc,
  utcOffsetLabel,
  wallClock,
  weekdayOf,
  yearOf,
  zonedTimeToUtc,
} from '../../src/domain/time.js';

describe('local date and month in a time zone', () => {
  // 2026-11-30 17:30 UTC is already 1 December in Shanghai (UTC+8).
  const instant = new Date('2026-11-30T17:30:00Z');
  it('uses the given zone, not the server zone', () => {
    expect(localDate(instant, 'Asia/Shanghai')).toBe('2026-12-01');
    expect(localDate(instant, 'UTC')).toBe('2026-11-30');
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2026-11-30');
    expect(localMonth(instant, 'Asia/Shanghai')).toBe('2026-12');
    expect(localMonth(instant, 'UTC')).toBe('2026-11');
    expect(localTime(instant, 'Asia/Shanghai')).toBe('01:30');
  });
  it('handles New Year across zones', () => {
    const ny = new Date('2026-12-31T16:00:00Z');
    expect(localDate(ny, 'Asia/Shanghai')).toBe('2027-01-01');
    expect(localMonth(ny, 'Asia/Shanghai')).toBe('2027-01');
    expect(localTime(ny, 'Asia/Shanghai')).toBe('00:00');
  });
});

describe('readings of the same second (a reading is remembered per zone, by whole second)', () => {
  it('are the same within a second, differ across its boundary and across zones, also on a DST change', () => {
    // New York springs forward at 2026-03-08 07:00:00 UTC: 01:59:59 EST, then 03:00:00 EDT.
    expect(localTime(new Date('2026-03-08T06:59:59.001Z'), 'America/New_York')).toBe('01:59');
    expect(localTime(new Date('2026-03-08T06:59:59.999Z'), 'America/New_York')).toBe('01:59');
    expect(localTime(new Date('2026-03-08T07:00:00.000Z'), 'America/New_York')).toBe('03:00');
    expect(localTime(new Date('2026-03-08T07:00:00.000Z'), 'Asia/Shanghai')).toBe('15:00');
    expect(localTime(new Date('2026-03-08T07:00:00.500Z'), 'America/New_York')).toBe('03:00');
    expect(wallClock(new Date('2026-03-08T07:00:01.200Z'), 'America/New_York').second).toBe(1);
    // Just before midnight in Shanghai, then the next second: a new day.
    expect(localDate(new Date('2026-11-30T15:59:59.900Z'), 'Asia/Shanghai')).toBe('2026-11-30');
    expect(localDate(new Date('2026-11-30T16:00:00.000Z'), 'Asia/Shanghai')).toBe('2026-12-01');
  });
  it('hands out a reading of its own: changing one does not change the next', () => {
    const at = new Date('2026-05-01T00:00:00Z');
    const first = wallClock(at, 'UTC');
    first.day = 31;
    expect(wallClock(at, 'UTC').day).toBe(1);
    expect(localDate(at, 'UTC')).toBe('2026-05-01');
  });
});

describe('parseMonth', () => {
  it.each([
    ['2026-11', '2026-11'],
    ['2026/11', '2026-11'],
    ['2026-1', '2026-01'],
    ['2026.3', '2026-03'],
    [' 2026-12 ', '2026-12'],
    ['2026年5月', '2026-05'],
  ])('accepts %j', (s, m) => expect(parseMonth(s)).toBe(m));
  it.each(['2026-13', '2026-00', '2026-', '26-11', '2026-11-05', 'nov', '', '2026-111'])('rejects %j', (s) =>
    expect(parseMonth(s)).toBeNull(),
  );
});

describe('parseLocalDate', () => {
  it.each([
    ['2026-11-05', '2026-11-05'],
    ['2026/11/5', '2026-11-05'],
    ['2026.1.2', '2026-01-02'],
    ['2028-02-29', '2028-02-29'],
    ['2026年11月5日', '2026-11-05'],
  ])('accepts %j', (s, d) => expect(parseLocalDate(s)).toBe(d));
  it.each(['2026-02-30', '2026-02-29', '2026-13-01', '2026-04-31', '2026-11-00', '2026-11', '11/05/2026', 'today', ''])(
    'rejects %j',
    (s) => expect(parseLocalDate(s)).toBeNull(),
  );
});

describe('month arithmetic', () => {
  it('adds months across years both ways', () => {
    expect(addMonths('2026-11', 1)).toBe('2026-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-05', -17)).toBe('2024-12');
    expect(addMonths('2026-05', 0)).toBe('2026-05');
    expect(addMonths('2026-05', 24)).toBe('2028-05');
  });
  it('knows month lengths, leap years included', () => {
    expect(daysInMonth('2026-02')).toBe(28);
    expect(daysInMonth('2028-02')).toBe(29);
    expect(daysInMonth('2100-02')).toBe(28);
    expect(daysInMonth('2000-02')).toBe(29);
    expect(daysInMonth('2026-04')).toBe(30);
    expect(daysInMonth('2026-12')).toBe(31);
  });
  it('lists months between dates inclusively', () => {
    expect(monthsBetween('2026-11-25', '2027-02-03')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-11-01', '2026-11-30')).toEqual(['2026-11']);
    expect(monthsBetween('2026-11-05', '2026-11-05')).toEqual(['2026-11']);
    expect(monthsBetween('2026-11-05', '2026-10-05')).toEqual([]);
  });
  it('gives the months of a year, year of a month, month of a date', () => {
    const months = monthsOfYear(2026);
    expect(months).toHaveLength(12);
    expect(months[0]).toBe('2026-01');
    expect(months[11]).toBe('2026-12');
    expect(yearOf('2026-11')).toBe(2026);
    expect(monthOf('2026-11-05')).toBe('2026-11');
  });
  it('validates canonical forms', () => {
    expect(isMonth('2026-11')).toBe(true);
    expect(isMonth('2026-1')).toBe(false);
    expect(isLocalDate('2026-11-05')).toBe(true);
    expect(isLocalDate('2026-02-30')).toBe(false);
  });
});

describe('day arithmetic', () => {
  it('counts days signed, across months and leap days', () => {
    expect(daysBetween('2026-01-01', '2026-01-02')).toBe(1);
    expect(daysBetween('2026-01-02', '2026-01-01')).toBe(-1);
    expect(daysBetween('2026-01-01', '2026-01-01')).toBe(0);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    // DST in Europe does not turn a day into 23 hours here: dates are calendar days.
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });
  it('adds days and finds weekdays', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekdayOf('2026-11-30')).toBe(1); // Monday
    expect(weekdayOf('2026-11-29')).toBe(7); // Sunday
  });
});

describe('zonedTimeToUtc', () => {
  it('converts Shanghai wall clock to UTC', () => {
    expect(zonedTimeToUtc('2026-11-30', '10:00', 'Asia/Shanghai').toISOString()).toBe('2026-11-30T02:00:00.000Z');
    expect(zonedTimeToUtc('2026-12-01', '00:00', 'Asia/Shanghai').toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(zonedTimeToUtc('2026-11-30', '10:00', 'UTC').toISOString()).toBe('2026-11-30T10:00:00.000Z');
  });
  it('follows DST offsets', () => {
    expect(zonedTimeToUtc('2026-07-01', '09:00', 'America/New_York').toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(zonedTimeToUtc('2026-01-05', '09:00', 'America/New_York').toISOString()).toBe('2026-01-05T14:00:00.000Z');
    expect(zonedTimeToUtc('2026-07-01', '09:00', 'Europe/London').toISOString()).toBe('2026-07-01T08:00:00.000Z');
  });
  it('resolves a skipped spring-forward time to just after the gap', () => {
    // 2026-03-08 02:30 does not exist in New York; the clock jumps from 02:00 EST to 03:00 EDT.
    const d = zonedTimeToUtc('2026-03-08', '02:30', 'America/New_York');
    expect(d.toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(localTime(d, 'America/New_York')).toBe('03:30');
  });
  it('takes the earlier instant of an ambiguous fall-back time', () => {
    expect(zonedTimeToUtc('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedTimeToUtc('2026-10-25', '01:30', 'Europe/London').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
  it('round-trips with localDate/localTime', () => {
    for (const tz of ['Asia/Shanghai', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Auckland']) {
      const d = zonedTimeToUtc('2026-06-15', '09:45', tz);
      expect(localDate(d, tz)).toBe('2026-06-15');
      expect(localTime(d, tz)).toBe('09:45');
    }
  });
  it('refuses a malformed time', () => {
    expect(() => zonedTimeToUtc('2026-11-30', '25:00', 'UTC')).toThrow(RangeError);
    expect(() => zonedTimeToUtc('2026-11-30', '10am', 'UTC')).toThrow(RangeError);
  });
  it('gives the start of a local day', () => {
    expect(startOfLocalDayUtc('2026-11-05', 'Asia/Shanghai').toISOString()).toBe('2026-11-04T16:00:00.000Z');
    expect(startOfLocalDayUtc('2026-11-05', 'UTC').toISOString()).toBe('2026-11-05T00:00:00.000Z');
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA names and rejects junk', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('+08:00 nonsense')).toBe(false);
  });
});

describe('formatStamp: every time shown says which zone it is in', () => {
  it('shows the wall clock in the zone and names the zone by its offset', () => {
    const at = new Date('2026-11-10T02:00:00Z');
    expect(formatStamp(at, 'Asia/Shanghai')).toBe('2026-11-10 10:00 UTC+8');
    expect(formatStamp(at, 'UTC')).toBe('2026-11-10 02:00 UTC');
    expect(formatStamp(at, 'Asia/Kolkata')).toBe('2026-11-10 07:30 UTC+5:30');
    // New York changes its offset with daylight saving time.
    expect(formatStamp(new Date('2026-07-01T16:00:00Z'), 'America/New_York')).toBe('2026-07-01 12:00 UTC-4');
    expect(utcOffsetLabel(at, 'America/New_York')).toBe('UTC-5');
  });
});
