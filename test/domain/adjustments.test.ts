import { describe, expect, it } from 'vitest';
import {
  applyAdjustment,
  canCancel,
  decideAction,
  isFinal,
  isPending,
  pendingStatusFor,
  raisesYearlyTotal,
  roleForStep,
  statusAfterApproval,
  stepFor,
} from '../../src/domain/adjustments.js';
import { ADJUSTMENT_STATUSES, DomainError } from '../../src/domain/types.js';

const threshold = 5_000_000; // ¥50,000

describe('adjustment status machine', () => {
  it('maps statuses to steps, roles and actions', () => {
    expect(stepFor('pending_finance')).toBe('finance');
    expect(stepFor('pending_leader')).toBe('leader');
    for (const s of ['approved', 'rejected', 'cancelled'] as const) expect(stepFor(s)).toBeNull();
    expect(roleForStep('finance')).toBe('finance');
    expect(roleForStep('leader')).toBe('leader');
    expect(decideAction('finance')).toBe('adjustment.decide.finance');
    expect(decideAction('leader')).toBe('adjustment.decide.leader');
    expect(pendingStatusFor('finance')).toBe('pending_finance');
    expect(pendingStatusFor('leader')).toBe('pending_leader');
  });

  it('only pending requests can be cancelled', () => {
    const pending = ADJUSTMENT_STATUSES.filter(isPending);
    expect(pending).toEqual(['pending_finance', 'pending_leader']);
    for (const s of ADJUSTMENT_STATUSES) {
      expect(canCancel(s)).toBe(pending.includes(s));
      expect(isFinal(s)).toBe(!pending.includes(s));
    }
  });

  it('finance approves small in-envelope requests alone', () => {
    expect(statusAfterApproval('finance', { amount: threshold - 1, leaderThreshold: threshold, raisesYearlyTotal: false })).toBe('approved');
  });

  it('sends amounts at or above the threshold to a leader', () => {
    expect(statusAfterApproval('finance', { amount: threshold, leaderThreshold: threshold, raisesYearlyTotal: false })).toBe('pending_leader');
    expect(statusAfterApproval('finance', { amount: threshold + 1, leaderThreshold: threshold, raisesYearlyTotal: false })).toBe('pending_leader');
  });

  it('sends anything raising the yearly total to a leader, however small', () => {
    expect(statusAfterApproval('finance', { amount: 100, leaderThreshold: threshold, raisesYearlyTotal: true })).toBe('pending_leader');
  });

  it('a leader approval is final', () => {
    expect(statusAfterApproval('leader', { amount: 1, leaderThreshold: threshold, raisesYearlyTotal: false })).toBe('approved');
    expect(statusAfterApproval('leader', { amount: threshold * 10, leaderThreshold: threshold, raisesYearlyTotal: true })).toBe('approved');
  });
});

describe('raisesYearlyTotal', () => {
  const line = { lineAnnualAmount: 12_000_000, linePlannedTotal: 11_000_000 };
  it('never for a transfer', () => {
    expect(raisesYearlyTotal({ kind: 'transfer', amount: 99_000_000, ...line })).toBe(false);
  });
  it('for an increase that takes the plans beyond the annual envelope', () => {
    expect(raisesYearlyTotal({ kind: 'increase', amount: 1_000_000, ...line })).toBe(false); // exactly at the envelope
    expect(raisesYearlyTotal({ kind: 'increase', amount: 1_000_001, ...line })).toBe(true);
    expect(raisesYearlyTotal({ kind: 'increase', amount: 1, lineAnnualAmount: 100, linePlannedTotal: 100 })).toBe(true);
  });
});

describe('applyAdjustment', () => {
  it('adds an increase to the target month', () => {
    expect(applyAdjustment({ kind: 'increase', amount: 500, toPlan: 1_000 })).toEqual({ toPlan: 1_500 });
  });
  it('moves a transfer between months, total unchanged', () => {
    const r = applyAdjustment({ kind: 'transfer', amount: 300, toPlan: 1_000, fromPlan: 2_000, fromAvailable: 300 });
    expect(r).toEqual({ toPlan: 1_300, fromPlan: 1_700 });
    expect((r.fromPlan ?? 0) + r.toPlan).toBe(3_000);
  });
  it('refuses a transfer beyond what the source has available', () => {
    try {
      applyAdjustment({ kind: 'transfer', amount: 301, toPlan: 0, fromPlan: 2_000, fromAvailable: 300 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      const err = e as DomainError;
      expect(err.code).toBe('error.transfer_exceeds_available');
      expect(err.params).toMatchObject({ amount: '¥3.01', available: '¥3.00', amountMinor: 301, availableMinor: 300 });
    }
  });
  it('shows ¥0.00 available when the source is already overspent', () => {
    expect(() => applyAdjustment({ kind: 'transfer', amount: 1, toPlan: 0, fromPlan: 100, fromAvailable: -50 })).toThrow(
      expect.objectContaining({ params: expect.objectContaining({ available: '¥0.00' }) }),
    );
  });
  it('rejects programming errors', () => {
    expect(() => applyAdjustment({ kind: 'increase', amount: 0, toPlan: 0 })).toThrow(RangeError);
    expect(() => applyAdjustment({ kind: 'increase', amount: 1.5, toPlan: 0 })).toThrow(RangeError);
    expect(() => applyAdjustment({ kind: 'transfer', amount: 1, toPlan: 0 })).toThrow(RangeError);
  });
});
