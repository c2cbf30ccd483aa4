import { describe, expect, it } from 'vitest';
import { authorityFor, checkDelegation, delegationEndsAt, isActive } from '../../src/domain/delegation.js';

const base = { delegatorRoles: ['finance'] as const, delegatorStandsInFor: [], samePerson: false, standInDelegated: [], until: null, today: '2026-11-10' };

describe('delegation window', () => {
  it('ends at the end of its date in the configured zone (next local midnight)', () => {
    expect(delegationEndsAt('2026-11-20', 'Asia/Shanghai').toISOString()).toBe('2026-11-20T16:00:00.000Z');
    expect(delegationEndsAt('2026-11-20', 'UTC').toISOString()).toBe('2026-11-21T00:00:00.000Z');
  });

  it('is active from creation until its end or revocation, across midnight in Shanghai', () => {
    const d = { createdAt: new Date('2026-11-10T02:00:00Z'), endsAt: delegationEndsAt('2026-11-20', 'Asia/Shanghai'), revokedAt: null };
    expect(isActive(d, new Date('2026-11-20T15:59:59Z'))).toBe(true); // 23:59:59 on the 20th in Shanghai
    expect(isActive(d, new Date('2026-11-20T16:00:00Z'))).toBe(false); // 00:00 on the 21st
    expect(isActive(d, new Date('2026-11-10T01:59:59Z'))).toBe(false);
    expect(isActive({ ...d, endsAt: null }, new Date('2030-01-01T00:00:00Z'))).toBe(true);
    expect(isActive({ ...d, revokedAt: new Date('2026-11-12T00:00:00Z') }, new Date('2026-11-12T00:00:00Z'))).toBe(false);
  });
});

describe('setting a delegation', () => {
  it('covers the roles the delegator holds, or the one named', () => {
    expect(checkDelegation(base)).toEqual({ ok: true, roles: ['finance'] });
    expect(checkDelegation({ ...base, delegatorRoles: ['finance', 'leader'] })).toEqual({ ok: true, roles: ['finance', 'leader'] });
    expect(checkDelegation({ ...base, delegatorRoles: ['finance', 'leader'], role: 'leader' })).toEqual({ ok: true, roles: ['leader'] });
  });

  it('refuses: no role, oneself, a past or far date, and chains both ways', () => {
    expect(checkDelegation({ ...base, delegatorRoles: [] })).toMatchObject({ ok: false, problem: 'no_role' });
    expect(checkDelegation({ ...base, role: 'leader' })).toMatchObject({ ok: false, problem: 'no_role', role: 'leader' });
    expect(checkDelegation({ ...base, samePerson: true })).toMatchObject({ ok: false, problem: 'self' });
    expect(checkDelegation({ ...base, until: '2026-11-09' })).toMatchObject({ ok: false, problem: 'past' });
    expect(checkDelegation({ ...base, until: '2026-11-10' })).toMatchObject({ ok: true });
    expect(checkDelegation({ ...base, until: '2028-01-01' })).toMatchObject({ ok: false, problem: 'too_far' });
    // B stands in for A's finance step and tries to pass it on to C.
    expect(checkDelegation({ ...base, delegatorRoles: [], delegatorStandsInFor: ['finance'] })).toMatchObject({ ok: false, problem: 'chain_from', role: 'finance' });
    expect(checkDelegation({ ...base, delegatorRoles: [], delegatorStandsInFor: ['finance'], role: 'finance' })).toMatchObject({ ok: false, problem: 'chain_from' });
    // A delegates to B while B has delegated the same role away.
    expect(checkDelegation({ ...base, standInDelegated: ['finance'] })).toMatchObject({ ok: false, problem: 'chain_to', role: 'finance' });
  });
});

describe('who decides as whom', () => {
  const li = { delegationId: 1, delegatorId: 10, delegatorHoldsRole: true };
  it('a role holder decides as themselves; a stand-in on behalf of the delegator', () => {
    expect(authorityFor({ actorId: 5, holdsRole: true, standIns: [li], filedBy: [7] })).toEqual({ ok: true, onBehalfOf: null });
    expect(authorityFor({ actorId: 5, holdsRole: false, standIns: [li], filedBy: [7] })).toEqual({ ok: true, onBehalfOf: { delegatorId: 10, delegationId: 1 } });
    expect(authorityFor({ actorId: null, holdsRole: false, standIns: [], filedBy: [7] })).toEqual({ ok: false, reason: 'no_role' });
  });

  it('never their own request nor one the delegator filed; a delegator who lost the role gives nothing', () => {
    expect(authorityFor({ actorId: 5, holdsRole: false, standIns: [li], filedBy: [5] })).toEqual({ ok: false, reason: 'own_request' });
    expect(authorityFor({ actorId: 5, holdsRole: false, standIns: [li], filedBy: [10] })).toEqual({ ok: false, reason: 'delegator_filed', delegatorId: 10 });
    expect(authorityFor({ actorId: 5, holdsRole: false, standIns: [li, { delegationId: 2, delegatorId: 11, delegatorHoldsRole: true }], filedBy: [10] })).toEqual({
      ok: true,
      onBehalfOf: { delegatorId: 11, delegationId: 2 },
    });
    expect(authorityFor({ actorId: 5, holdsRole: false, standIns: [{ ...li, delegatorHoldsRole: false }], filedBy: [7] })).toEqual({ ok: false, reason: 'no_role' });
    expect(authorityFor({ actorId: 5, holdsRole: false, standIns: [], filedBy: [5] })).toEqual({ ok: false, reason: 'no_role' });
  });
});
