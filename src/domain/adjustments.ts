// Budget adjustment requests: a two-level approval (policy 七: finance reviews, management approves).
//   pending_finance → pending_leader → approved
//          ↘ rejected / cancelled at either pending step
import { formatMoney } from './money.js';
import type { Action } from './permissions.js';
import { DomainError, type AdjustmentKind, type AdjustmentStatus, type Minor, type Role } from './types.js';

export type Step = 'finance' | 'leader';

/** Which approval step a status is waiting on; null once the request is final. */
export function stepFor(status: AdjustmentStatus): Step | null {
  if (status === 'pending_finance') return 'finance';
  if (status === 'pending_leader') return 'leader';
  return null;
}

export function roleForStep(step: Step): Role {
  return step === 'finance' ? 'finance' : 'leader';
}

export function decideAction(step: Step): Action {
  return step === 'finance' ? 'adjustment.decide.finance' : 'adjustment.decide.leader';
}

export function pendingStatusFor(step: Step): AdjustmentStatus {
  return step === 'finance' ? 'pending_finance' : 'pending_leader';
}

export interface Route {
  amount: Minor;
  leaderThreshold: Minor;
  raisesYearlyTotal: boolean;
}

/**
 * Status after a step approves. Finance alone may approve small changes that stay within the line's yearly
 * envelope; a large amount (≥ leader_threshold) or anything that raises the yearly total needs a leader too.
 */
export function statusAfterApproval(step: Step, route: Route): AdjustmentStatus {
  if (step === 'leader') return 'approved';
  return route.amount >= route.leaderThreshold || route.raisesYearlyTotal ? 'pending_leader' : 'approved';
}

export function isPending(status: AdjustmentStatus): boolean {
  return status === 'pending_finance' || status === 'pending_leader';
}

export function isFinal(status: AdjustmentStatus): boolean {
  return !isPending(status);
}

/** The requester may withdraw only while nobody has made the final decision. */
export function canCancel(status: AdjustmentStatus): boolean {
  return isPending(status);
}

/**
 * A transfer only moves money between lines, so the year's total is unchanged. An increase raises it when
 * the line's monthly plans would sum to more than its approved yearly envelope; months may be redistributed
 * within that envelope without going back to the leaders.
 */
export function raisesYearlyTotal(input: {
  kind: AdjustmentKind;
  amount: Minor;
  lineAnnualAmount: Minor;
  linePlannedTotal: Minor;
}): boolean {
  if (input.kind === 'transfer') return false;
  return input.linePlannedTotal + input.amount > input.lineAnnualAmount;
}

export interface ApplyInput {
  kind: AdjustmentKind;
  amount: Minor;
  /** Current plan of the receiving line's month. */
  toPlan: Minor;
  /** Transfer only: current plan of the source line's month. */
  fromPlan?: Minor;
  /** Transfer only: the source month's plan − spent − committed. */
  fromAvailable?: Minor;
}

export interface ApplyResult {
  toPlan: Minor;
  /** Present for transfers. */
  fromPlan?: Minor;
}

/**
 * The monthly plans after an approved adjustment executes. A transfer may only take money the source month has
 * not yet spent or committed — otherwise the source line would be overspent the moment the transfer lands.
 * Re-checked at execution time because spend may have been recorded since the request.
 */
export function applyAdjustment(input: ApplyInput): ApplyResult {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) {
    throw new RangeError(`adjustment amount must be a positive integer, got ${input.amount}`);
  }
  if (input.kind === 'increase') return { toPlan: input.toPlan + input.amount };
  if (input.fromPlan === undefined || input.fromAvailable === undefined) {
    throw new RangeError('a transfer needs fromPlan and fromAvailable');
  }
  if (input.amount > input.fromAvailable) {
    throw new DomainError('error.transfer_exceeds_available', {
      amount: formatMoney(input.amount, 'en'),
      available: formatMoney(Math.max(0, input.fromAvailable), 'en'),
      amountMinor: input.amount,
      availableMinor: input.fromAvailable,
    });
  }
  return { toPlan: input.toPlan + input.amount, fromPlan: input.fromPlan - input.amount };
}
