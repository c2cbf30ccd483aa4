// Who may do what. One matrix, so the help text, the docs and the checks never disagree.
// Everybody is implicitly a marketer; extra roles only add actions. Admin manages the bot but does not
// inherit finance or leader decisions: separation of duties keeps money approvals with the people accountable.
import { DomainError, type Role } from './types.js';

export const ACTIONS = [
  'settings.manage',
  'roles.manage',
  'budget.view',
  'budget.line.add',
  'budget.request',
  'budget.spend',
  'adjustment.decide.finance',
  'adjustment.decide.leader',
  'adjustment.cancel',
  'campaign.propose',
  'campaign.view',
  'campaign.decide',
  'campaign.close',
  'risk.report',
  'risk.view',
  'risk.close',
  'risk.own',
  'risk.strategy',
  'agenda.view',
  'agenda.edit',
  'agenda.post',
  'variance.explain',
] as const;
export type Action = (typeof ACTIONS)[number];

// What every person can do. `adjustment.cancel` and `variance.explain` are further limited by the use-case
// to the requester / line owner; the role check only says "a normal member may attempt it".
const MARKETER: readonly Action[] = [
  'budget.view',
  'budget.request',
  'budget.spend',
  'adjustment.cancel',
  'campaign.propose',
  'campaign.view',
  'risk.report',
  'risk.view',
  'agenda.view',
  'agenda.edit',
  'variance.explain',
];

/** Actions granted by each role, on top of the marketer baseline every person has. */
export const ROLE_MATRIX: Readonly<Record<Role, readonly Action[]>> = {
  marketer: MARKETER,
  // SPEC: budget lines are added by admins and finance; money decisions stay with finance and leaders.
  admin: [...MARKETER, 'settings.manage', 'roles.manage', 'agenda.post', 'budget.line.add'],
  finance: [...MARKETER, 'budget.line.add', 'budget.spend', 'adjustment.decide.finance'],
  leader: [
    ...MARKETER,
    'adjustment.decide.leader',
    'campaign.decide',
    'campaign.close',
    'risk.close',
    'risk.own',
    'risk.strategy',
  ],
};

/** Actions an owner may take on their own campaign / risk without a role grant. */
export const OWNER_ACTIONS: readonly Action[] = ['campaign.close', 'risk.close', 'risk.strategy'];

export function canAct(roles: Iterable<Role>, action: Action, opts: { isOwner?: boolean } = {}): boolean {
  if (ROLE_MATRIX.marketer.includes(action)) return true;
  if (opts.isOwner && OWNER_ACTIONS.includes(action)) return true;
  for (const role of roles) {
    if (ROLE_MATRIX[role].includes(action)) return true;
  }
  return false;
}

/** Nobody decides their own request (policy: finance review, then management approval — by someone else). */
export function assertNotOwnRequest(requesterId: number, deciderId: number): void {
  if (requesterId === deciderId) throw new DomainError('error.self_decision');
}

/** Roles that can take `action` (for "ask a finance member" hints and docs). Marketer means everyone. */
export function rolesFor(action: Action): Role[] {
  return (Object.keys(ROLE_MATRIX) as Role[]).filter((r) => ROLE_MATRIX[r].includes(action));
}
