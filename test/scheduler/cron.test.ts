import { describe, expect, it } from 'vitest';
import { nextOccurrence, parseCron, previousOccurrence, type CronSpec } from '../../src/domain/cron.js';
import { currentPeriod, isoWeek, latestDue, periodOfDate } from '../../src/scheduler/periods.js';

const spec = (expr: string): CronSpec => {
  const p = parseCron(expr);
  if (!p.ok) throw new Error(p.error);
  return p.spec;
};
const SH = 'Asia/Shanghai';

describe('parseCron', () => {
  it('accepts the usual forms', () => {
    for (const e of ['0 10 * * 1', '0 9 1 * *', '*/15 8-18 * * MON-FRI', '30 9 1,15 jan,jul *', '0 0 9 * * 1', '0 10 * * 7', '0 9 ? * *']) {
      expect(parseCron(e).ok, e).toBe(true);
    }
  });
  it('rejects malformed or impossible expressions', () => {
    for (const e of ['', 'every monday', '0 10 * *', '60 10 * * 1', '0 24 * * *', '0 9 0 * *', '0 9 * 13 *', '0 9 * * 8', '0 9 L * *', '0 9 31 2 *', '0 9 1-x * *', '*/0 * * * *', '1 2 3 4 5 6 7']) {
      expect(parseCron(e).ok, e).toBe(false);
    }
  });
});

describe('occurrences in a time zone', () => {
  it('a Monday 10:00 Asia/Shanghai job fires at Monday 02:00 UTC', () => {
    const s = spec('0 10 * * 1');
    // 2026-11-30 is a Monday.
    expect(nextOccurrence(s, new Date('2026-11-27T00:00:00Z'), SH)?.toISOString()).toBe('2026-11-30T02:00:00.000Z');
    expect(previousOccurrence(s, new Date('2026-11-30T02:00:00Z'), SH)?.toISOString()).toBe('2026-11-30T02:00:00.000Z');
    expect(previousOccurrence(s, new Date('2026-11-30T01:59:59Z'), SH)?.toISOString()).toBe('2026-11-23T02:00:00.000Z');
    // The same rule in UTC fires 8 hours later.
    expect(nextOccurrence(s, new Date('2026-11-27T00:00:00Z'), 'UTC')?.toISOString()).toBe('2026-11-30T10:00:00.000Z');
  });

  it('month boundaries follow the configured zone', () => {
    const at = new Date('2026-11-30T16:30:00Z'); // 00:30 on 1 December in Shanghai
    expect(currentPeriod('monthly-report', at, SH)).toBe('2026-12');
    expect(currentPeriod('monthly-report', at, 'UTC')).toBe('2026-11');
    expect(currentPeriod('reminders', at, SH)).toBe('2026-12-01');
    const monthly = spec('0 9 1 * *');
    expect(nextOccurrence(monthly, at, SH)?.toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(latestDue('monthly-report', monthly, new Date('2026-12-01T01:00:00Z'), SH)).toMatchObject({ period: '2026-12' });
    expect(latestDue('monthly-report', monthly, new Date('2026-12-01T00:59:00Z'), SH)).toMatchObject({ period: '2026-11' });
  });

  it('handles DST: 09:00 in New York is 13:00Z in summer and 14:00Z in winter; a skipped time does not fire', () => {
    const s = spec('0 9 * * *');
    expect(nextOccurrence(s, new Date('2026-07-01T00:00:00Z'), 'America/New_York')?.toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(nextOccurrence(s, new Date('2026-12-01T00:00:00Z'), 'America/New_York')?.toISOString()).toBe('2026-12-01T14:00:00.000Z');
    const gap = spec('30 2 * * *'); // 2026-03-08 02:30 does not exist in New York
    expect(nextOccurrence(gap, new Date('2026-03-08T05:00:00Z'), 'America/New_York')?.toISOString()).toBe('2026-03-09T06:30:00.000Z');
  });

  it('day-of-month and day-of-week both restricted: either fires', () => {
    const s = spec('0 9 13 * 5'); // the 13th, or any Friday
    expect(nextOccurrence(s, new Date('2026-11-10T00:00:00Z'), 'UTC')?.toISOString()).toBe('2026-11-13T09:00:00.000Z');
    expect(nextOccurrence(s, new Date('2026-11-13T10:00:00Z'), 'UTC')?.toISOString()).toBe('2026-11-20T09:00:00.000Z');
  });

  it('every 15 minutes and a seconds field', () => {
    expect(previousOccurrence(spec('*/15 * * * *'), new Date('2026-11-30T10:14:00Z'), 'UTC')?.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(nextOccurrence(spec('30 0 10 * * 1'), new Date('2026-11-27T00:00:00Z'), 'UTC')?.toISOString()).toBe('2026-11-30T10:00:30.000Z');
  });
});

describe('periods', () => {
  it('ISO weeks', () => {
    expect(isoWeek('2026-11-23')).toBe('2026-W48');
    expect(isoWeek('2026-11-29')).toBe('2026-W48'); // Sunday
    expect(isoWeek('2026-11-30')).toBe('2026-W49');
    expect(isoWeek('2021-01-03')).toBe('2020-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(isoWeek('2026-01-01')).toBe('2026-W01');
  });
  it('per job', () => {
    expect(periodOfDate('weekly-agenda', '2026-11-25')).toBe('2026-W48');
    expect(periodOfDate('monthly-budget', '2026-11-25')).toBe('2026-11');
    expect(periodOfDate('monthly-report', '2026-11-25')).toBe('2026-11');
    expect(periodOfDate('reminders', '2026-11-25')).toBe('2026-11-25');
  });
});
