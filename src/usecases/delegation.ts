// `/mkt delegate` (out of office): a finance member or a leader names a stand-in for their approval role until a
// date or until revoked; admins may set one for someone else. Delegator and stand-in are told when it starts and
// when it ends (revoked: at once; reached its date: by the scheduler, exactly once — src/scheduler/escalation.ts).
import type { UserRef } from '../commands/intents.js';
import type { Tx } from '../db/client.js';
import { APPROVAL_ROLES, checkDelegation, delegationEndsAt, type ApprovalRole } from '../domain/delegation.js';
import type { LocalDate } from '../domain/types.js';
import { t } from '../i18n/index.js';
import { delegationListMessage, type DelegationLine } from '../messages/builders/approvals.js';
import type { Message } from '../messages/model.js';
import { activeDelegations } from './approvers.js';
import { holderNames } from './whoMay.js';
import { audit } from './audit.js';
import { refuse, reply, type Ctx } from './context.js';
import { directMessage } from './notify.js';
import { markup, plainText } from '../messages/markup.js';
import { actorIdentity, ensurePerson, findPerson, mention, nameOf, rolesOf, type Identity } from './people.js';
import type { Outcome } from './types.js';

type PersonRow = NonNullable<Awaited<ReturnType<Tx['person']['findUnique']>>>;
type DelegationRow = NonNullable<Awaited<ReturnType<Tx['delegation']['findUnique']>>>;

export const delegationKey = (id: number): string => `DLG-${id}`;

function info(text: string, tone: Message['tone'] = 'info'): Message {
  return { tone, text, summary: plainText(text) };
}

/** "until 2026-11-20 (end of day, Asia/Shanghai)" or "until revoked". */
export function untilText(ctx: { locale: Ctx['locale'] }, until: string | null, tz: string): string {
  return until ? t(ctx.locale, 'dlg.until_date', { date: until, tz }) : t(ctx.locale, 'dlg.until_revoked');
}

const roleName = (ctx: Ctx, role: string): string => t(ctx.locale, `role.${role}`);

function identityOf(ctx: Ctx, user: UserRef): Identity & { displayName?: string } {
  return { platform: ctx.actor.platform, workspaceId: ctx.actor.workspaceId, userId: user.userId, ...(user.name ? { displayName: user.name } : {}) };
}

async function grantedApprovalRoles(tx: Tx, personId: number | undefined): Promise<ApprovalRole[]> {
  if (personId === undefined) return [];
  const grants = await tx.roleGrant.findMany({ where: { personId, role: { in: [...APPROVAL_ROLES] } } });
  return APPROVAL_ROLES.filter((r) => grants.some((g) => g.role === r));
}

async function rolesDelegated(tx: Tx, personId: number | undefined, now: Date, side: 'delegatorId' | 'delegateId'): Promise<ApprovalRole[]> {
  if (personId === undefined) return [];
  const out: ApprovalRole[] = [];
  for (const role of APPROVAL_ROLES) if ((await activeDelegations(tx, role, now, { [side]: personId })).length > 0) out.push(role);
  return out;
}

/** The delegator: the actor, or (admins only) the person named after `for`. */
async function delegatorOf(tx: Tx, ctx: Ctx, forUser: UserRef | undefined): Promise<{ who: Identity & { displayName?: string }; existing: PersonRow | null; self: boolean }> {
  if (!forUser || forUser.userId === ctx.actor.userId) return { who: actorIdentity(ctx.actor), existing: await findPerson(tx, ctx.actor), self: true };
  const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
  if (!roles.has('admin')) refuse('dlg.error.for_admin_only', { names: await holderNames(tx, ctx.locale, ctx.deps.config, 'admin') });
  const who = identityOf(ctx, forUser);
  return { who, existing: await findPerson(tx, who), self: false };
}

export async function setDelegation(ctx: Ctx, intent: { for?: UserRef; to: UserRef; until?: LocalDate; role?: ApprovalRole }): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const tz = ctx.settings.timezone;
    const { who, existing, self } = await delegatorOf(tx, ctx, intent.for);
    const standInId = identityOf(ctx, intent.to);
    const standInExisting = await findPerson(tx, standInId);
    const check = checkDelegation({
      delegatorRoles: await grantedApprovalRoles(tx, existing?.id),
      role: intent.role,
      delegatorStandsInFor: await rolesDelegated(tx, existing?.id, ctx.now, 'delegateId'),
      samePerson: standInId.userId === who.userId,
      standInDelegated: await rolesDelegated(tx, standInExisting?.id, ctx.now, 'delegatorId'),
      until: intent.until ?? null,
      today: ctx.today,
    });
    // Refusals are plain text: people by name.
    const whoText = existing ? nameOf(existing) : (who.displayName ?? who.userId);
    if (!check.ok) {
      const standInText = standInExisting ? nameOf(standInExisting) : (intent.to.name ?? intent.to.userId);
      refuse(`dlg.error.${check.problem}${self ? '' : '_for'}`, {
        who: whoText,
        standIn: standInText,
        role: check.role ? roleName(ctx, check.role) : `${roleName(ctx, 'finance')} / ${roleName(ctx, 'leader')}`,
        date: intent.until ?? '',
        today: ctx.today,
      });
    }
    const by = await ensurePerson(tx, actorIdentity(ctx.actor));
    const delegator = existing ?? by;
    const standIn = await ensurePerson(tx, standInId);
    const until = intent.until ?? null;
    const endsAt = until ? delegationEndsAt(until, tz) : null;
    const untilShown = untilText(ctx, until, tz);
    const created: DelegationRow[] = [];
    for (const role of check.roles) {
      // A new delegation of the same role replaces the one in force.
      for (const old of await activeDelegations(tx, role, ctx.now, { delegatorId: delegator.id })) {
        await tx.delegation.updateMany({ where: { id: old.id, revokedAt: null }, data: { revokedAt: ctx.now, revokedById: by.id } });
        await audit(tx, { at: ctx.now, actorId: by.id, action: 'delegation.revoke', entity: 'Delegation', entityId: old.id, data: { role, delegatorId: old.delegatorId, delegateId: old.delegateId, replacedBy: standIn.id } });
        const oldStandIn = await tx.person.findUnique({ where: { id: old.delegateId } });
        if (oldStandIn && oldStandIn.id !== standIn.id) {
          await directMessage(tx, oldStandIn, info(t(ctx.locale, 'dlg.notice.ended_standin', { delegator: mention(delegator), role: roleName(ctx, role) })));
        }
      }
      const d = await tx.delegation.create({ data: { delegatorId: delegator.id, delegateId: standIn.id, role, until, endsAt, createdById: by.id, createdAt: ctx.now } });
      await audit(tx, { at: ctx.now, actorId: by.id, action: 'delegation.set', entity: 'Delegation', entityId: d.id, data: { role, delegatorId: delegator.id, delegateId: standIn.id, until, endsAt: endsAt?.toISOString() ?? null, tz } });
      created.push(d);
    }
    const roles = check.roles.map((r) => roleName(ctx, r)).join(t(ctx.locale, 'dlg.and'));
    const params = { delegator: mention(delegator), standIn: mention(standIn), roles, until: markup(untilShown), by: mention(by) };
    await directMessage(tx, standIn, info(t(ctx.locale, 'dlg.notice.start_standin', params)));
    if (!self) await directMessage(tx, delegator, info(t(ctx.locale, 'dlg.notice.start_delegator', params)));
    const text = t(ctx.locale, self ? 'dlg.reply.set' : 'dlg.reply.set_for', params);
    return reply(ctx, { tone: 'success', title: t(ctx.locale, 'core.ok.title'), text, summary: info(text).summary });
  });
}

export async function endDelegation(ctx: Ctx, intent: { for?: UserRef; role?: ApprovalRole }): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const { who, existing, self } = await delegatorOf(tx, ctx, intent.for);
    const roles = intent.role ? [intent.role] : [...APPROVAL_ROLES];
    const active = [];
    if (existing) for (const role of roles) active.push(...(await activeDelegations(tx, role, ctx.now, { delegatorId: existing.id })));
    const whoText = existing ? nameOf(existing) : (who.displayName ?? who.userId);
    if (active.length === 0) refuse(self ? 'dlg.error.none_active' : 'dlg.error.none_active_for', { who: whoText });
    const by = await ensurePerson(tx, actorIdentity(ctx.actor));
    const ended: string[] = [];
    for (const d of active) {
      const won = await tx.delegation.updateMany({ where: { id: d.id, revokedAt: null }, data: { revokedAt: ctx.now, revokedById: by.id } });
      if (won.count !== 1) continue;
      await audit(tx, { at: ctx.now, actorId: by.id, action: 'delegation.revoke', entity: 'Delegation', entityId: d.id, data: { role: d.role, delegatorId: d.delegatorId, delegateId: d.delegateId } });
      const standIn = await tx.person.findUniqueOrThrow({ where: { id: d.delegateId } });
      const params = { delegator: mention(existing!), standIn: mention(standIn), role: roleName(ctx, d.role), by: mention(by) };
      await directMessage(tx, standIn, info(t(ctx.locale, 'dlg.notice.ended_standin', params)));
      if (!self) await directMessage(tx, existing!, info(t(ctx.locale, 'dlg.notice.ended_delegator', params)));
      ended.push(t(ctx.locale, 'dlg.reply.ended_line', params));
    }
    const text = [t(ctx.locale, 'dlg.reply.ended'), ...ended].join('\n');
    return reply(ctx, { tone: 'success', title: t(ctx.locale, 'core.ok.title'), text, summary: info(text).summary });
  });
}

export async function listDelegations(ctx: Ctx): Promise<Outcome> {
  return ctx.deps.db.read(async (tx) => {
    const lines: DelegationLine[] = [];
    for (const role of APPROVAL_ROLES) {
      for (const d of await activeDelegations(tx, role, ctx.now)) {
        const [delegator, standIn] = await Promise.all([tx.person.findUnique({ where: { id: d.delegatorId } }), tx.person.findUnique({ where: { id: d.delegateId } })]);
        if (!delegator || !standIn) continue;
        lines.push({ delegator: mention(delegator), standIn: mention(standIn), role: roleName(ctx, role), until: markup(untilText(ctx, d.until, ctx.settings.timezone)) });
      }
    }
    return reply(ctx, delegationListMessage(ctx.locale, lines));
  });
}

/**
 * The end of a delegation that reached its date: tells delegator and stand-in and audits it. Runs inside the
 * scheduler's ledger claim for "delegation-end DLG-<id>", so it happens once.
 */
export async function announceDelegationEnd(tx: Tx, d: DelegationRow, locale: Ctx['locale']): Promise<number> {
  const [delegator, standIn] = await Promise.all([tx.person.findUnique({ where: { id: d.delegatorId } }), tx.person.findUnique({ where: { id: d.delegateId } })]);
  if (!delegator || !standIn) return 0;
  const params = { delegator: mention(delegator), standIn: mention(standIn), role: t(locale, `role.${d.role}`), date: d.until ?? '' };
  await audit(tx, { actorId: null, action: 'delegation.expire', entity: 'Delegation', entityId: d.id, data: { role: d.role, delegatorId: d.delegatorId, delegateId: d.delegateId, until: d.until } });
  await directMessage(tx, standIn, info(t(locale, 'dlg.notice.expired_standin', params)), { dedupeKey: `delegation-end:${d.id}:${standIn.id}` });
  await directMessage(tx, delegator, info(t(locale, 'dlg.notice.expired_delegator', params)), { dedupeKey: `delegation-end:${d.id}:${delegator.id}` });
  return 2;
}
