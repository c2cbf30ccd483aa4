// Use-cases of the admin area: help, roles, channel bindings, settings and the bot's language.
// Every change is admin-only, audited, and refused (writing nothing) when the input is wrong.
import { isDirectChatId } from '../domain/chats.js';
import { chatRef } from '../messages/markup.js';
import { parseCron } from '../domain/cron.js';
import { formatMoney, parseMoney } from '../domain/money.js';
import { isValidTimeZone } from '../domain/time.js';
import { formatWorkHours, parseWorkHours } from '../domain/workHours.js';
import type { Locale, Role } from '../domain/types.js';
import type { Tx } from '../db/client.js';
import { t } from '../i18n/index.js';
import { doneMessage, helpMessage, infoMessage, rolesMessage } from '../messages/builders/admin.js';
import { audit } from './audit.js';
import { refuse, reply, type Area, type Ctx } from './context.js';
import { directMessage } from './notify.js';
import { actorIdentity, ensurePerson, findPerson, isBootstrapAdmin, mention, rolesOf, type Identity } from './people.js';
import { whoMay } from './whoMay.js';
import { SETTING_KEYS, saveSetting, type SettingKey } from './settings.js';
import type { Outcome } from './types.js';

async function requireAdmin(tx: Tx, ctx: Ctx): Promise<void> {
  const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
  if (!roles.has('admin')) refuse('admin.error.not_admin', { who: await whoMay(tx, ctx.locale, ctx.deps.config, { roles: ['admin'] }) });
}

// ---------------------------------------------------------------------------------------------------------
// Cron expressions (5 fields), validated field by field so the refusal can say which part is wrong.

interface CronField {
  key: string;
  min: number;
  max: number;
  names?: string[];
}

const CRON_FIELDS: CronField[] = [
  { key: 'minute', min: 0, max: 59 },
  { key: 'hour', min: 0, max: 23 },
  { key: 'day', min: 1, max: 31 },
  { key: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { key: 'weekday', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

export interface CronProblem {
  key: string;
  params: Record<string, string | number>;
}

function cronValue(field: CronField, token: string): number | null {
  if (/^\d{1,2}$/.test(token)) {
    const n = Number(token);
    return n >= field.min && n <= field.max ? n : null;
  }
  const i = field.names?.indexOf(token.toUpperCase()) ?? -1;
  if (i < 0) return null;
  return field.key === 'month' ? i + 1 : i;
}

/** Null when `expr` is a valid 5-field cron expression; otherwise what is wrong (an i18n key + params). */
export function cronProblem(expr: string): CronProblem | null {
  const parts = expr.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 5) return { key: 'admin.cron.count', params: { n: parts.length } };
  for (let i = 0; i < 5; i++) {
    const field = CRON_FIELDS[i]!;
    const part = parts[i]!;
    for (const item of part.split(',')) {
      const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
      const bad = { field: field.key, token: item || part, min: field.min, max: field.max };
      if (!m) return { key: 'admin.cron.syntax', params: bad };
      const [, range, step] = m;
      if (step !== undefined && (Number(step) < 1 || Number(step) > field.max)) return { key: 'admin.cron.step', params: { ...bad, step } };
      if (range === '*') continue;
      const [a, b] = range!.split('-');
      const lo = cronValue(field, a!);
      const hi = b === undefined ? lo : cronValue(field, b);
      if (lo === null || hi === null) return { key: 'admin.cron.range', params: bad };
      if (lo > hi) return { key: 'admin.cron.order', params: bad };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Roles

async function setRole(ctx: Ctx, user: { userId: string; name?: string }, role: Role, revoke: boolean): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    await requireAdmin(tx, ctx);
    const roleName = t(ctx.locale, `role.${role}`);
    const target: Identity = { platform: ctx.actor.platform, workspaceId: ctx.actor.workspaceId, userId: user.userId };
    const existing = await findPerson(tx, target);
    const who = existing ? mention(existing) : mention({ platform: target.platform, userId: target.userId, displayName: user.name ?? null });
    if (role === 'marketer') return reply(ctx, infoMessage(t(ctx.locale, 'admin.role.marketer')), { ok: false });
    const grant = existing ? await tx.roleGrant.findUnique({ where: { personId_role: { personId: existing.id, role } } }) : null;
    const isSelf = target.userId === ctx.actor.userId;

    if (revoke) {
      if (!existing || !grant) return reply(ctx, infoMessage(t(ctx.locale, 'admin.role.not_held', { who, role: roleName })), { ok: false });
      if (role === 'admin' && isSelf && !isBootstrapAdmin(ctx.deps.config, target)) {
        const others = await tx.roleGrant.count({ where: { role: 'admin', personId: { not: existing.id } } });
        if (others === 0 && ctx.deps.config.adminUsers.length === 0) refuse('admin.error.last_admin');
      }
      const by = await ensurePerson(tx, actorIdentity(ctx.actor));
      await tx.roleGrant.delete({ where: { id: grant.id } });
      await audit(tx, { actorId: by.id, action: 'role.revoke', entity: 'Person', entityId: existing.id, data: { role } });
      if (!isSelf) await directMessage(tx, existing, infoMessage(t(ctx.locale, 'admin.role.dm_revoked', { by: mention(by), role: roleName })));
      return reply(ctx, doneMessage(ctx.locale, t(ctx.locale, 'admin.role.revoked', { who, role: roleName })));
    }

    if (grant) return reply(ctx, infoMessage(t(ctx.locale, 'admin.role.already', { who, role: roleName })), { ok: false });
    const by = await ensurePerson(tx, actorIdentity(ctx.actor));
    const person = existing ?? (await ensurePerson(tx, { ...target, displayName: user.name }));
    await tx.roleGrant.create({ data: { personId: person.id, role, grantedById: by.id } });
    await audit(tx, { actorId: by.id, action: 'role.grant', entity: 'Person', entityId: person.id, data: { role } });
    if (!isSelf) await directMessage(tx, person, infoMessage(t(ctx.locale, 'admin.role.dm_granted', { by: mention(by), role: roleName })));
    return reply(ctx, doneMessage(ctx.locale, t(ctx.locale, 'admin.role.granted', { who: mention(person), role: roleName })));
  });
}

async function listRoles(ctx: Ctx): Promise<Outcome> {
  return ctx.deps.db.read(async (tx) => {
    const byRole: Record<'admin' | 'leader' | 'finance', string[]> = { admin: [], leader: [], finance: [] };
    const grants = await tx.roleGrant.findMany({ include: { person: true }, orderBy: { id: 'asc' } });
    const adminKeys = new Set<string>();
    for (const g of grants) {
      if (g.role === 'admin' || g.role === 'leader' || g.role === 'finance') byRole[g.role].push(mention(g.person).markup);
      if (g.role === 'admin') adminKeys.add(`${g.person.platform}:${g.person.userId}`);
    }
    for (const entry of ctx.deps.config.adminUsers) {
      const parts = entry.split(':');
      const platform = parts[0] ?? '';
      const userId = parts[parts.length - 1] ?? '';
      if (adminKeys.has(`${platform}:${userId}`)) continue;
      adminKeys.add(`${platform}:${userId}`);
      const person = await tx.person.findFirst({ where: { platform, userId, ...(parts.length === 3 ? { workspaceId: parts[1] } : {}) } });
      const who = mention(person ?? { platform, userId, displayName: null });
      byRole.admin.push(t(ctx.locale, 'admin.roles.bootstrap', { who }));
    }
    return reply(ctx, rolesMessage(ctx.locale, byRole));
  });
}

// ---------------------------------------------------------------------------------------------------------
// Channels and settings

async function bindChannel(ctx: Ctx, purpose: 'approvals' | 'team' | 'leaders', channel: { here: true } | { here: false; channelId: string; name?: string }): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    await requireAdmin(tx, ctx);
    const channelId = channel.here ? ctx.actor.channelId : channel.channelId;
    if (!channelId) refuse('admin.error.no_here');
    // Team cards carry buttons for everyone in the role: never into a one-to-one chat.
    if ((channel.here && ctx.actor.directChat) || isDirectChatId(ctx.actor.platform, channelId)) {
      refuse('admin.error.direct_chat', { purpose: t(ctx.locale, `channel.purpose.${purpose}`), code: purpose });
    }
    const by = await ensurePerson(tx, actorIdentity(ctx.actor));
    const { platform, workspaceId } = ctx.actor;
    await tx.channelBinding.upsert({
      where: { platform_workspaceId_purpose: { platform, workspaceId, purpose } },
      create: { platform, workspaceId, purpose, channelId, updatedById: by.id },
      update: { channelId, updatedById: by.id },
    });
    await audit(tx, { actorId: by.id, action: 'channel.bind', entity: 'ChannelBinding', entityId: `${platform}:${workspaceId}:${purpose}`, data: { channelId } });
    const purposeName = t(ctx.locale, `channel.purpose.${purpose}`);
    const text = channel.here
      ? t(ctx.locale, 'admin.channel.bound_here', { purpose: purposeName })
      : t(ctx.locale, 'admin.channel.bound', { purpose: purposeName, channel: chatRef(platform, channelId, channel.name ?? channelId) });
    return reply(ctx, doneMessage(ctx.locale, text));
  });
}

/** Validates a setting value; returns what to store and how to show it, or refuses quoting the value. */
export function parseSettingValue(key: SettingKey, raw: string, locale: Locale): { value: unknown; shown: string } {
  const value = raw.trim();
  switch (key) {
    case 'leader_threshold': {
      const parsed = parseMoney(value);
      if (!parsed.ok) refuse(parsed.error.key, parsed.error.params);
      return { value: parsed.value, shown: formatMoney(parsed.value, locale) };
    }
    case 'reminder_hours': {
      const n = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
      if (!(n >= 1 && n <= 720)) refuse('admin.set.bad_hours', { value });
      return { value: n, shown: String(n) };
    }
    case 'escalate_hours':
    case 'escalate_hours.finance':
    case 'escalate_hours.leader': {
      if (/^(off|never|关闭|不升级)$/i.test(value)) return { value: 0, shown: t(locale, 'admin.set.escalate_off') };
      const n = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
      if (!(n >= 1 && n <= 720)) refuse('admin.set.bad_escalate_hours', { value });
      return { value: n, shown: String(n) };
    }
    case 'work_hours': {
      if (/^(off|always|none|关闭|全天)$/i.test(value)) return { value: null, shown: t(locale, 'admin.set.work_hours_off') };
      const parsed = parseWorkHours(value);
      if (!parsed.ok) refuse('admin.set.bad_work_hours', { value, problem: t(locale, `admin.work_hours.${parsed.problem.key}`, { token: parsed.problem.token }) });
      const shown = formatWorkHours(parsed.hours);
      return { value: parsed.hours, shown };
    }
    case 'timezone': {
      if (!isValidTimeZone(value)) refuse('admin.set.bad_timezone', { value });
      const canonical = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
      return { value: canonical, shown: canonical };
    }
    case 'locale': {
      const v = value.toLowerCase();
      const loc: Locale | null = v === 'en' || v === 'english' ? 'en' : v === 'zh' || v === 'zh-cn' || v === '中文' ? 'zh-CN' : null;
      if (!loc) refuse('admin.set.bad_locale', { value });
      return { value: loc, shown: loc };
    }
    default: {
      const problem = cronProblem(value);
      if (problem) {
        refuse('admin.set.bad_cron', {
          value,
          problem: t(locale, problem.key, {
            ...problem.params,
            ...(problem.params.field ? { field: t(locale, `admin.cron.field.${problem.params.field}`) } : {}),
          }),
        });
      }
      const normalized = value.split(/\s+/).join(' ');
      // The scheduler's own parser has the last word, so what is saved always runs.
      if (!parseCron(normalized).ok) refuse('admin.set.bad_cron', { value, problem: t(locale, 'admin.cron.unsupported') });
      return { value: normalized, shown: normalized };
    }
  }
}

async function setSetting(ctx: Ctx, rawKey: string, raw: string): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    await requireAdmin(tx, ctx);
    const key = SETTING_KEYS.find((k) => k === rawKey.toLowerCase());
    if (!key) refuse('admin.set.unknown_key', { token: rawKey, keys: SETTING_KEYS.join(', ') });
    const { value, shown } = parseSettingValue(key, raw, ctx.locale);
    const by = await ensurePerson(tx, actorIdentity(ctx.actor));
    await saveSetting(tx, key, value, by.id);
    await audit(tx, { actorId: by.id, action: 'setting.set', entity: 'Setting', entityId: key, data: { value } });
    const locale = key === 'locale' ? (value as Locale) : ctx.locale;
    return { ...reply(ctx, doneMessage(locale, t(locale, 'admin.set.done', { key, value: shown }))), locale };
  });
}

async function setLanguage(ctx: Ctx, locale: Locale): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    await requireAdmin(tx, ctx);
    const by = await ensurePerson(tx, actorIdentity(ctx.actor));
    await saveSetting(tx, 'locale', locale, by.id);
    await audit(tx, { actorId: by.id, action: 'setting.set', entity: 'Setting', entityId: 'locale', data: { value: locale } });
    return { ok: true, reply: doneMessage(locale, t(locale, 'admin.lang.done')), locale };
  });
}

export const adminArea: Area = {
  commands: {
    'mkt.help': async (ctx, intent) => reply(ctx, helpMessage(ctx.locale, intent.topic ?? 'overview')),
    'mkt.role': (ctx, intent) => setRole(ctx, intent.user, intent.role, intent.revoke),
    'mkt.roles': (ctx) => listRoles(ctx),
    'mkt.channel': (ctx, intent) => bindChannel(ctx, intent.purpose, intent.channel),
    'mkt.set': (ctx, intent) => setSetting(ctx, intent.key, intent.value),
    'mkt.lang': (ctx, intent) => setLanguage(ctx, intent.locale),
  },
};
