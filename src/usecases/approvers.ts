// Who may decide an approval step, and who hears about it: the people holding the step's role, plus their active
// stand-ins (src/domain/delegation.ts). Shared by budget adjustments, campaign approvals and the annual plan.
import type { Tx } from '../db/client.js';
import { authorityFor, isActive, type ApprovalRole, type StandIn } from '../domain/delegation.js';
import type { Locale } from '../domain/types.js';
import { t } from '../i18n/index.js';
import type { Message } from '../messages/model.js';
import { refuse, type Ctx } from './context.js';
import { directMessage } from './notify.js';
import { markup, plainText, type Markup } from '../messages/markup.js';
import { actorIdentity, ensurePerson, findPerson, mention, nameOf, peopleWithRole, rolesOf } from './people.js';
import { names } from './whoMay.js';

type PersonRow = NonNullable<Awaited<ReturnType<Tx['person']['findUnique']>>>;

/** Delegations of `role` in force at `now` (optionally only those to one stand-in), oldest first. */
export async function activeDelegations(tx: Tx, role: ApprovalRole, now: Date, where: { delegateId?: number; delegatorId?: number } = {}) {
  const rows = await tx.delegation.findMany({
    where: { role, revokedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: now } }], ...where },
    orderBy: { id: 'asc' },
  });
  return rows.filter((d) => isActive(d, now));
}

async function holdsByGrant(tx: Tx, personId: number, role: ApprovalRole): Promise<boolean> {
  return (await tx.roleGrant.count({ where: { personId, role } })) > 0;
}

/** The delegations that let `personId` stand in for `role`, as the decision rule sees them. */
export async function standInsOf(tx: Tx, personId: number, role: ApprovalRole, now: Date): Promise<StandIn[]> {
  const out: StandIn[] = [];
  for (const d of await activeDelegations(tx, role, now, { delegateId: personId })) {
    out.push({ delegationId: d.id, delegatorId: d.delegatorId, delegatorHoldsRole: await holdsByGrant(tx, d.delegatorId, role) });
  }
  return out;
}

export interface DecidingAs {
  /** The decider's Person row (created on first use: call only inside a write that proceeds). */
  decider: PersonRow;
  /** The delegator the decider stands in for, if any. */
  onBehalfOf: PersonRow | null;
  delegationId: number | null;
}

export interface DecisionCheck {
  role: ApprovalRole;
  filedBy: readonly (number | null)[];
  /** The area's own refusal for "not your step"; `who` (computed only when refusing) names who may act. */
  noRole: { key: string; params?: Record<string, string | number>; who?: () => Promise<Record<string, string | number>> };
  ownRequestKey?: string;
  /** Extra parameters of the own-request refusal (e.g. which other approvers can decide), computed only then. */
  ownRequestParams?: () => Promise<Record<string, string | number>>;
}

/**
 * Checks that the actor may decide a step needing `role` (holding it, or standing in for someone who does) on a
 * record filed by `filedBy`; refuses otherwise. Reads only. Returns the delegation used, if any.
 */
export async function checkAuthority(tx: Tx, ctx: Ctx, check: DecisionCheck): Promise<{ delegatorId: number; delegationId: number } | null> {
  const { role, filedBy, noRole } = check;
  const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
  const person = await findPerson(tx, ctx.actor);
  const standIns = person ? await standInsOf(tx, person.id, role, ctx.now) : [];
  const verdict = authorityFor({ actorId: person?.id ?? null, holdsRole: roles.has(role), standIns, filedBy });
  if (!verdict.ok) {
    if (verdict.reason === 'own_request') refuse(check.ownRequestKey ?? 'error.self_decision', (await check.ownRequestParams?.()) ?? {});
    if (verdict.reason === 'delegator_filed') {
      const delegator = await tx.person.findUniqueOrThrow({ where: { id: verdict.delegatorId! } });
      refuse('dlg.error.delegator_filed', { delegator: nameOf(delegator), who: await otherApprovers(tx, ctx, role, filedBy) });
    }
    refuse(noRole.key, { ...(noRole.params ?? {}), ...((await noRole.who?.()) ?? {}) });
  }
  return verdict.onBehalfOf;
}

/** checkAuthority, then the decider's Person row (created on first use: only inside a write that proceeds). */
export async function decidingAs(tx: Tx, ctx: Ctx, check: DecisionCheck): Promise<DecidingAs> {
  const behalf = await checkAuthority(tx, ctx, check);
  const decider = await ensurePerson(tx, actorIdentity(ctx.actor));
  if (!behalf) return { decider, onBehalfOf: null, delegationId: null };
  const onBehalfOf = await tx.person.findUniqueOrThrow({ where: { id: behalf.delegatorId } });
  return { decider, onBehalfOf, delegationId: behalf.delegationId };
}

/** The audit data of a decision taken by a stand-in. */
export function behalfData(d: DecidingAs): Record<string, number> {
  return d.onBehalfOf ? { onBehalfOfId: d.onBehalfOf.id, delegationId: d.delegationId! } : {};
}

/** DMs `message` to everyone who may decide a step needing `role` (holders and stand-ins). Returns how many. */
export async function dmApprovers(
  tx: Tx,
  role: ApprovalRole,
  now: Date,
  message: Message,
  opts: { cardKey?: string; dedupeKey?: string; filedBy?: readonly (number | null)[] } = {},
): Promise<number> {
  const people = await approversOf(tx, role, now, opts.filedBy ?? []);
  for (const p of people) {
    await directMessage(tx, p, message, { cardKey: opts.cardKey, dedupeKey: opts.dedupeKey ? `${opts.dedupeKey}:${p.id}` : undefined });
  }
  return people.length;
}

/** Whether the actor could decide a step needing `role` on a record filed by `filedBy` (for showing buttons). */
export async function mayDecide(tx: Tx, ctx: Ctx, role: ApprovalRole, filedBy: readonly (number | null)[]): Promise<boolean> {
  const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
  const person = await findPerson(tx, ctx.actor);
  const standIns = person ? await standInsOf(tx, person.id, role, ctx.now) : [];
  return authorityFor({ actorId: person?.id ?? null, holdsRole: roles.has(role), standIns, filedBy }).ok;
}

/** Active stand-ins for `role` whose delegator still holds it, except those whose delegator filed the record. */
export async function standInPeople(tx: Tx, role: ApprovalRole, now: Date, filedBy: readonly (number | null)[] = []): Promise<PersonRow[]> {
  const filed = new Set(filedBy.filter((x): x is number => x !== null));
  const out = new Map<number, PersonRow>();
  for (const d of await activeDelegations(tx, role, now)) {
    if (filed.has(d.delegatorId) || filed.has(d.delegateId) || out.has(d.delegateId)) continue;
    if (!(await holdsByGrant(tx, d.delegatorId, role))) continue;
    const p = await tx.person.findUnique({ where: { id: d.delegateId } });
    if (p) out.set(p.id, p);
  }
  return [...out.values()];
}

/** Everyone who may decide a step needing `role`: holders (except those who filed it) and their stand-ins. */
export async function approversOf(tx: Tx, role: ApprovalRole, now: Date, filedBy: readonly (number | null)[] = []): Promise<PersonRow[]> {
  const filed = new Set(filedBy.filter((x): x is number => x !== null));
  const out = new Map<number, PersonRow>();
  for (const p of await peopleWithRole(tx, role)) if (!filed.has(p.id)) out.set(p.id, p);
  for (const p of await standInPeople(tx, role, now, filedBy)) out.set(p.id, p);
  return [...out.values()];
}

/** "Wang" or "Wang on behalf of Li" (mentions), for cards, notices and the audit trail. */
export function deciderText(locale: Locale, decider: { platform: string; userId: string; displayName: string | null }, onBehalfOf?: { platform: string; userId: string; displayName: string | null } | null): Markup {
  if (!onBehalfOf) return mention(decider);
  return markup(t(locale, 'dlg.on_behalf', { who: mention(decider), for: mention(onBehalfOf) }));
}

/** Who else may decide a step needing `role` on a record `filedBy` filed (holders and stand-ins), as one phrase. */
export async function otherApprovers(tx: Tx, ctx: Ctx, role: ApprovalRole, filedBy: readonly (number | null)[]): Promise<string> {
  const others = await approversOf(tx, role, ctx.now, filedBy);
  return others.length > 0 ? names(ctx.locale, others) : plainText(t(ctx.locale, 'adj.error.self_decision.nobody', { code: role }));
}
