import { describe, expect, it } from 'vitest';
import { formatWorkHours, isOverdue, parseWorkHours, workingHoursBetween, workingMs, type WorkHours } from '../../src/domain/workHours.js';

const TZ = 'Asia/Shanghai';
const nineToSix: WorkHours = { start: 9 * 60, end: 18 * 60, days: [1, 2, 3, 4, 5] };
const H = 3_600_000;

describe('work hours: parsing', () => {
  it('reads the usual forms and gives one canonical text', () => {
    const a = parseWorkHours('09:00-18:00 Mon-Fri');
    expect(a).toEqual({ ok: true, hours: nineToSix });
    expect(parseWorkHours('9:00 - 18:00 周一-周五')).toEqual({ ok: true, hours: nineToSix });
    expect(parseWorkHours('09:00-18:00')).toEqual({ ok: true, hours: nineToSix });
    const b = parseWorkHours('08:30-17:30 Mon,Wed,fri');
    expect(b.ok && formatWorkHours(b.hours)).toBe('08:30-17:30 Mon,Wed,Fri');
    const c = parseWorkHours('00:00-24:00 Sat-Sun');
    expect(c.ok && formatWorkHours(c.hours)).toBe('00:00-24:00 Sat,Sun');
    expect(formatWorkHours(nineToSix)).toBe('09:00-18:00 Mon-Fri');
  });

  it('refuses bad input, naming the bad part', () => {
    expect(parseWorkHours('18:00-09:00 Mon-Fri')).toEqual({ ok: false, problem: { key: 'order', token: '18:00-09:00' } });
    expect(parseWorkHours('09:00-25:00')).toEqual({ ok: false, problem: { key: 'time', token: '25:00' } });
    expect(parseWorkHours('9-18')).toEqual({ ok: false, problem: { key: 'time', token: '9' } });
    expect(parseWorkHours('09:00-18:00 Mon-Funday')).toEqual({ ok: false, problem: { key: 'day', token: 'funday' } });
    expect(parseWorkHours('09:00-18:00 Fri-Mon')).toEqual({ ok: false, problem: { key: 'day_order', token: 'fri-mon' } });
    expect(parseWorkHours('09:00-18:00 Mon-Fri extra')).toMatchObject({ ok: false, problem: { key: 'format' } });
    expect(parseWorkHours('')).toMatchObject({ ok: false });
  });
});

describe('work hours: counting', () => {
  it('counts every hour without working hours', () => {
    expect(workingMs(new Date('2026-11-13T10:00:00Z'), new Date('2026-11-15T10:00:00Z'), null, TZ)).toBe(48 * H);
  });

  it('counts zero over a weekend: Friday 17:00 → Monday 10:00 in Shanghai is 2 working hours', () => {
    // 2026-11-13 is a Friday. 17:00 Shanghai = 09:00Z.
    const fri = new Date('2026-11-13T09:00:00Z');
    const mon = new Date('2026-11-16T02:00:00Z'); // Monday 10:00 Shanghai
    expect(workingMs(fri, mon, nineToSix, TZ)).toBe(2 * H);
    expect(workingHoursBetween(fri, mon, nineToSix, TZ)).toBe(2);
  });

  it('48 working hours from a Friday afternoon end on the second Tuesday after, not on Sunday', () => {
    const fri = new Date('2026-11-13T07:00:00Z'); // Friday 15:00 Shanghai: 3 h that day
    // 3 (Fri) + 9 × 5 (Mon–Fri) = 48 h at Friday 18:00 of the next week.
    expect(isOverdue(fri, new Date('2026-11-15T07:00:00Z'), 48, nineToSix, TZ)).toBe(false); // Sunday: 3 h only
    expect(workingHoursBetween(fri, new Date('2026-11-20T09:59:00Z'), nineToSix, TZ)).toBe(47); // next Fri 17:59
    expect(isOverdue(fri, new Date('2026-11-20T10:00:00Z'), 48, nineToSix, TZ)).toBe(true); // next Fri 18:00
    expect(isOverdue(fri, new Date('2026-11-15T07:00:00Z'), 48, null, TZ)).toBe(true); // 48 calendar hours
  });

  it('hours outside the window count zero; a wait inside one day counts its overlap', () => {
    // Monday 07:00 → 10:30 Shanghai: 1.5 h from 09:00.
    expect(workingMs(new Date('2026-11-15T23:00:00Z'), new Date('2026-11-16T02:30:00Z'), nineToSix, TZ)).toBe(1.5 * H);
    // Monday 19:00 → Tuesday 08:00: nothing.
    expect(workingMs(new Date('2026-11-16T11:00:00Z'), new Date('2026-11-17T00:00:00Z'), nineToSix, TZ)).toBe(0);
    expect(workingMs(new Date('2026-11-17T00:00:00Z'), new Date('2026-11-16T00:00:00Z'), nineToSix, TZ)).toBe(0);
    expect(isOverdue(new Date(0), new Date(), 0, null, TZ)).toBe(false); // 0 = escalation off
  });

  it('follows the zone across a DST change (New York, 2026-11-01)', () => {
    const ny = 'America/New_York';
    const sunday = { start: 0, end: 24 * 60, days: [7] };
    // The whole of Sunday 1 November 2026 is 25 hours long there.
    expect(workingMs(new Date('2026-10-31T00:00:00Z'), new Date('2026-11-03T00:00:00Z'), sunday, ny)).toBe(25 * H);
  });
});
