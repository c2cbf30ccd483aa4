import { describe, expect, it } from 'vitest';
import { ACTIONS, ROLE_MATRIX, assertNotOwnRequest, canAct, rolesFor, type Action } from '../../src/domain/permissions.js';
import type { Role } from '../../src/domain/types.js';

const everyone: Action[] = [
  'budget.view',
  'budget.request',
  'budget.spend',
  'campaign.propose',
  'campaign.view',
  'risk.report',
  'risk.view',
  'agenda.view',
  'agenda.edit',
];

describe('canAct', () => {
  it('lets a person with no grants act as a marketer', () => {
    for (const a of everyone) expect(canAct([], a)).toBe(true);
    for (const a of ['settings.manage', 'roles.manage', 'agenda.post', 'budget.line.add', 'adjustment.decide.finance', 'adjustment.decide.leader', 'campaign.decide', 'campaign.close', 'risk.close', 'risk.own'] as Action[]) {
      expect(canAct([], a)).toBe(false);
      expect(canAct(['marketer'], a)).toBe(false);
    }
  });

  it('gives admin settings, roles, posting the agenda and adding lines, but no money decisions', () => {
    for (const a of ['settings.manage', 'roles.manage', 'agenda.post', 'budget.line.add', ...everyone] as Action[]) expect(canAct(['admin'], a)).toBe(true);
    for (const a of ['adjustment.decide.finance', 'adjustment.decide.leader', 'campaign.decide'] as Action[]) {
      expect(canAct(['admin'], a)).toBe(false);
    }
  });

  it('gives finance budget lines, spend and the first review', () => {
    expect(canAct(['finance'], 'budget.line.add')).toBe(true);
    expect(canAct(['finance'], 'budget.spend')).toBe(true);
    expect(canAct(['finance'], 'adjustment.decide.finance')).toBe(true);
    expect(canAct(['finance'], 'adjustment.decide.leader')).toBe(false);
    expect(canAct(['finance'], 'settings.manage')).toBe(false);
  });

  it('gives leader the final decisions and any campaign/risk closure', () => {
    for (const a of ['adjustment.decide.leader', 'campaign.decide', 'campaign.close', 'risk.close', 'risk.own', 'risk.strategy'] as Action[]) {
      expect(canAct(['leader'], a)).toBe(true);
    }
    expect(canAct(['leader'], 'adjustment.decide.finance')).toBe(false);
    expect(canAct(['leader'], 'roles.manage')).toBe(false);
  });

  it('lets owners close their own campaign or risk', () => {
    expect(canAct([], 'campaign.close', { isOwner: true })).toBe(true);
    expect(canAct([], 'risk.close', { isOwner: true })).toBe(true);
    expect(canAct([], 'risk.strategy', { isOwner: true })).toBe(true);
    expect(canAct([], 'campaign.decide', { isOwner: true })).toBe(false);
    expect(canAct([], 'adjustment.decide.leader', { isOwner: true })).toBe(false);
    expect(canAct([], 'risk.own', { isOwner: true })).toBe(false);
  });

  it('unions several roles, from any iterable', () => {
    const roles = new Set<Role>(['admin', 'finance']);
    expect(canAct(roles, 'settings.manage')).toBe(true);
    expect(canAct(roles, 'adjustment.decide.finance')).toBe(true);
    expect(canAct(roles, 'adjustment.decide.leader')).toBe(false);
  });

  it('covers every action in the matrix', () => {
    const granted = new Set(Object.values(ROLE_MATRIX).flat());
    for (const a of ACTIONS) expect(granted.has(a)).toBe(true);
    expect(rolesFor('adjustment.decide.finance')).toEqual(['finance']);
    expect(rolesFor('budget.view')).toEqual(['marketer', 'admin', 'finance', 'leader']);
  });
});

describe('assertNotOwnRequest', () => {
  it('refuses deciding your own request', () => {
    expect(() => assertNotOwnRequest(5, 5)).toThrow(expect.objectContaining({ code: 'error.self_decision' }));
    expect(() => assertNotOwnRequest(5, 6)).not.toThrow();
  });
});
