// Delegation (out of office): a finance member or a leader names a stand-in for one approval role until a date
// (inclusive, in the configured time zone) or until revoked. The stand-in may decide that step on the delegator's
// behalf — never a request they filed themselves nor one the delegator filed — and cannot pass it on (no chains).
import { addDays, daysBetween, startOfLocalDayUtc } from './time.js';
import type { LocalDate } from './types.js';

export type ApprovalRole = 'finance' | 'leader';
export const APPROVAL_ROLES: readonly ApprovalRole[] = ['finance', 'leader'];

/** The longest a delegation may be set ahead (a typo such as 2062 is refused). */
export const MAX_DELEGATION_DAYS = 366;

/** The instant a delegation ending on local date `until` ends: the end of that day (next local midnight). */
export function delegationEndsAt(until: LocalDate, tz: string): Date {
  return startOfLocalDayUtc(addDays(until, 1), tz);
}

export interface DelegationWindow {
  createdAt: Date;
  /** null: until revoked. */
  endsAt: Date | null;
  revokedAt: Date | null;
}

export function isActive(d: DelegationWindow, now: Date): boolean {
  if (d.revokedAt && d.revokedAt.getTime() <= now.getTime()) return false;
  if (d.createdAt.getTime() > now.getTime()) return false;
  return d.endsAt === null || now.getTime() < d.endsAt.getTime();
}

/** Why a delegation cannot be set (an i18n key under dlg.error.*). */
export type DelegationProblem =
  | 'no_role' // the delegator holds no approval role (or not the one named)
  | 'self'
  | 'past' // `until` before today
  | 'too_far'
  | 'chain_from' // the delegator only stands in for that role (holds it through someone else's delegation)
  | 'chain_to'; // the chosen stand-in has delegated that same role away themselves

export interface DelegationRequest {
  /** Approval roles the delegator holds by grant. */
  delegatorRoles: readonly ApprovalRole[];
  /** The role named in the command, if any. */
  role?: ApprovalRole;
  /** Roles the delegator stands in for (active delegations to them). */
  delegatorStandsInFor: readonly ApprovalRole[];
  samePerson: boolean;
  /** Roles the stand-in has delegated away (active). */
  standInDelegated: readonly ApprovalRole[];
  until: LocalDate | null;
  today: LocalDate;
}

/** The roles the delegation covers, or the first problem. */
export function checkDelegation(r: DelegationRequest): { ok: true; roles: ApprovalRole[] } | { ok: false; problem: DelegationProblem; role?: ApprovalRole } {
  if (r.samePerson) return { ok: false, problem: 'self' };
  let roles: ApprovalRole[];
  if (r.role) {
    if (!r.delegatorRoles.includes(r.role)) {
      return { ok: false, problem: r.delegatorStandsInFor.includes(r.role) ? 'chain_from' : 'no_role', role: r.role };
    }
    roles = [r.role];
  } else {
    roles = APPROVAL_ROLES.filter((x) => r.delegatorRoles.includes(x));
    if (roles.length === 0) {
      const borrowed = r.delegatorStandsInFor[0];
      return borrowed ? { ok: false, problem: 'chain_from', role: borrowed } : { ok: false, problem: 'no_role' };
    }
  }
  const chained = roles.find((x) => r.standInDelegated.includes(x));
  if (chained) return { ok: false, problem: 'chain_to', role: chained };
  if (r.until !== null) {
    if (r.until < r.today) return { ok: false, problem: 'past' };
    if (daysBetween(r.today, r.until) > MAX_DELEGATION_DAYS) return { ok: false, problem: 'too_far' };
  }
  return { ok: true, roles };
}

/** A delegation as the decision rule sees it. */
export interface StandIn {
  delegationId: number;
  delegatorId: number;
  /** Whether the delegator still holds the role by grant (a revoked role takes the delegation with it). */
  delegatorHoldsRole: boolean;
}

export type Authority =
  | { ok: true; onBehalfOf: null }
  | { ok: true; onBehalfOf: { delegatorId: number; delegationId: number } }
  | { ok: false; reason: 'no_role' | 'own_request' | 'delegator_filed'; delegatorId?: number };

/**
 * Who the actor decides as at a step that needs `role`:
 * - holding the role by grant, as themselves (not on their own request);
 * - otherwise as the stand-in of the first delegator who still holds the role and did not file the request.
 * `filedBy` are the people who filed it (requester; for a plan its drafter and submitter).
 */
export function authorityFor(a: { actorId: number | null; holdsRole: boolean; standIns: readonly StandIn[]; filedBy: readonly (number | null)[] }): Authority {
  const filed = new Set(a.filedBy.filter((x): x is number => x !== null));
  if (a.actorId !== null && filed.has(a.actorId)) {
    return a.holdsRole || a.standIns.length > 0 ? { ok: false, reason: 'own_request' } : { ok: false, reason: 'no_role' };
  }
  if (a.holdsRole) return { ok: true, onBehalfOf: null };
  const valid = a.standIns.filter((s) => s.delegatorHoldsRole);
  const usable = valid.find((s) => !filed.has(s.delegatorId));
  if (usable) return { ok: true, onBehalfOf: { delegatorId: usable.delegatorId, delegationId: usable.delegationId } };
  if (valid.length > 0) return { ok: false, reason: 'delegator_filed', delegatorId: valid[0]!.delegatorId };
  return { ok: false, reason: 'no_role' };
}
