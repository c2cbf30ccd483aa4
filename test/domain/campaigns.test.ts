import { describe, expect, it } from 'vitest';
import {
  assertDateRange,
  awaitingEvaluation,
  canClose,
  canDecide,
  canResubmit,
  compareKpis,
  effectiveStatus,
  splitCommitment,
  statusAfterDecision,
} from '../../src/domain/campaigns.js';
import { CAMPAIGN_STATUSES, DomainError } from '../../src/domain/types.js';

describe('splitCommitment', () => {
  it('keeps a one-month campaign whole', () => {
    expect(splitCommitment(1_000_000, '2026-11-01', '2026-11-30')).toEqual([{ month: '2026-11', amount: 1_000_000 }]);
    expect(splitCommitment(7, '2026-11-05', '2026-11-05')).toEqual([{ month: '2026-11', amount: 7 }]);
  });
  it('splits proportionally to days per month', () => {
    // 25–30 Nov = 6 days, 1–5 Dec = 5 days.
    expect(splitCommitment(1_100, '2026-11-25', '2026-12-05')).toEqual([
      { month: '2026-11', amount: 600 },
      { month: '2026-12', amount: 500 },
    ]);
  });
  it('gives the rounding remainder to the last month and sums exactly', () => {
    const parts = splitCommitment(1_000, '2026-01-01', '2026-03-31'); // 31 + 28 + 31 = 90 days
    expect(parts.map((p) => p.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(parts[0]?.amount).toBe(344); // floor(1000*31/90)
    expect(parts[1]?.amount).toBe(311); // floor(1000*28/90)
    expect(parts[2]?.amount).toBe(345);
    expect(parts.reduce((s, p) => s + p.amount, 0)).toBe(1_000);
  });
  it('always sums to the amount, with integer parts', () => {
    for (const [amount, start, end] of [
      [1, '2026-01-31', '2026-02-01'],
      [9_999_999_999, '2026-01-15', '2027-01-14'],
      [3, '2026-05-31', '2026-08-01'],
      [100_000_01, '2028-02-10', '2028-03-10'],
    ] as const) {
      const parts = splitCommitment(amount, start, end);
      expect(parts.reduce((s, p) => s + p.amount, 0)).toBe(amount);
      for (const p of parts) {
        expect(Number.isInteger(p.amount)).toBe(true);
        expect(p.amount).toBeGreaterThanOrEqual(0);
      }
    }
  });
  it('validates the range', () => {
    expect(() => splitCommitment(100, '2026-12-01', '2026-11-01')).toThrow(DomainError);
  });
});

describe('assertDateRange', () => {
  it('accepts up to 366 days inclusive', () => {
    expect(() => assertDateRange('2026-11-05', '2026-11-05')).not.toThrow();
    expect(() => assertDateRange('2028-01-01', '2028-12-31')).not.toThrow(); // 366 days, leap year
  });
  it('refuses end before start and over-long campaigns', () => {
    expect(() => assertDateRange('2026-11-05', '2026-11-04')).toThrow(
      expect.objectContaining({ code: 'error.campaign_dates', params: { start: '2026-11-05', end: '2026-11-04', maxDays: 366 } }),
    );
    expect(() => assertDateRange('2026-01-01', '2027-01-02')).toThrow(DomainError); // 367 days
  });
});

describe('effectiveStatus', () => {
  const s = '2026-11-10';
  const e = '2026-11-20';
  it('derives running and ended from the calendar', () => {
    expect(effectiveStatus('approved', s, e, '2026-11-09')).toBe('approved');
    expect(effectiveStatus('approved', s, e, '2026-11-10')).toBe('running');
    expect(effectiveStatus('approved', s, e, '2026-11-20')).toBe('running');
    expect(effectiveStatus('approved', s, e, '2026-11-21')).toBe('ended');
    expect(effectiveStatus('running', s, e, '2026-11-15')).toBe('running');
    expect(effectiveStatus('running', s, e, '2026-11-21')).toBe('ended');
  });
  it('leaves other statuses alone', () => {
    for (const st of ['pending_approval', 'changes_requested', 'rejected', 'ended', 'evaluated'] as const) {
      expect(effectiveStatus(st, s, e, '2026-12-31')).toBe(st);
    }
  });
  it('flags campaigns ended over 7 days ago without evaluation', () => {
    expect(awaitingEvaluation('running', s, e, '2026-11-27')).toBe(false);
    expect(awaitingEvaluation('running', s, e, '2026-11-28')).toBe(true);
    expect(awaitingEvaluation('ended', s, e, '2026-12-01')).toBe(true);
    expect(awaitingEvaluation('evaluated', s, e, '2026-12-31')).toBe(false);
  });
});

describe('decisions', () => {
  it('only pending proposals can be decided; only approved/running/ended closed', () => {
    expect(CAMPAIGN_STATUSES.filter(canDecide)).toEqual(['pending_approval']);
    expect(CAMPAIGN_STATUSES.filter(canClose)).toEqual(['approved', 'running', 'ended']);
    expect(CAMPAIGN_STATUSES.filter(canResubmit)).toEqual(['changes_requested']);
  });
  it('maps decisions to statuses', () => {
    expect(statusAfterDecision('approve')).toBe('approved');
    expect(statusAfterDecision('reject')).toBe('rejected');
    expect(statusAfterDecision('request_changes')).toBe('changes_requested');
  });
});

describe('compareKpis', () => {
  it('compares each targeted KPI in canonical order', () => {
    const rows = compareKpis({ revenue: 1_000_000, participants: 500, conversions: 40 }, { participants: 600, revenue: 800_000, ctr: 3 });
    expect(rows).toEqual([
      { key: 'participants', target: 500, actual: 600, ratioBp: 12_000, met: true },
      { key: 'conversions', target: 40, actual: null, ratioBp: null, met: null },
      { key: 'revenue', target: 1_000_000, actual: 800_000, ratioBp: 8_000, met: false },
    ]);
  });
  it('counts exactly meeting the target as met, and handles a zero target', () => {
    expect(compareKpis({ interactions: 10 }, { interactions: 10 })[0]).toMatchObject({ met: true, ratioBp: 10_000 });
    expect(compareKpis({ follower_growth: 0 }, { follower_growth: 5 })[0]).toMatchObject({ met: true, ratioBp: null });
    expect(compareKpis({ ctr: 2.5 }, { ctr: 2.5 })[0]).toMatchObject({ met: true, ratioBp: 10_000 });
  });
  it('returns nothing without targets', () => {
    expect(compareKpis({}, { participants: 1 })).toEqual([]);
  });
});
