// "Who may act", named, for refusals: "Only the owner (Alice) or a leader (Leo, Lena) can close RSK-2." Plain text
// (a refusal is also a toast, and the phrase goes into it as a t() parameter, escaped there); role holders are listed
// from the role grants and ADMIN_USERS, at most a few names each.
import type { Tx } from '../db/client.js';
import { canAct, rolesFor, type Action } from '../domain/permissions.js';
import type { Locale, Role } from '../domain/types.js';
import { t } from '../i18n/index.js';
import { plainText } from '../messages/markup.js';
import { isBootstrapAdmin, nameOf, peopleWithRole } from './people.js';
import { refuse, type Ctx } from './context.js';
import type { CoreConfig } from './types.js';

/** How many names are listed for a role before "and N more". */
const SHOWN = 4;

type PersonLike = { platform: string; workspaceId: string; userId: string; displayName: string | null };

export interface WhoMaySpec {
  /** Particular people, by what makes them eligible (`who.as.<as>`: owner, reporter, requester, adder, …). */
  people?: { as: string; person: { userId: string; displayName: string | null } | null }[];
  /** Roles whose holders may act. */
  roles?: Role[];
}

/** Everyone holding `role`, bootstrap admins (ADMIN_USERS) included for `admin`, without duplicates. */
async function holders(tx: Tx, config: CoreConfig, role: Role): Promise<PersonLike[]> {
  const granted = await peopleWithRole(tx, role);
  if (role !== 'admin') return granted;
  const seen = new Set(granted.map((p) => p.id));
  const boot = (await tx.person.findMany()).filter((p) => !seen.has(p.id) && isBootstrapAdmin(config, p));
  const named: PersonLike[] = [...granted, ...boot];
  // ADMIN_USERS entries that never used the bot are shown by their id.
  for (const entry of config.adminUsers) {
    const parts = entry.split(':');
    const userId = parts[parts.length - 1]!;
    if (!named.some((p) => `${p.platform}:${p.userId}` === `${parts[0]}:${userId}`)) {
      named.push({ platform: parts[0]!, workspaceId: parts.length === 3 ? parts[1]! : '', userId, displayName: null });
    }
  }
  return named;
}

/** "Fay, Finn" (at most a few names, then "and N more"). */
export function names(locale: Locale, people: { userId: string; displayName: string | null }[]): string {
  const shown = people.slice(0, SHOWN).map(nameOf).join(plainText(t(locale, 'who.sep')));
  return people.length > SHOWN ? plainText(t(locale, 'who.more', { names: shown, n: people.length - SHOWN })) : shown;
}

/** The names of everyone holding `role` ("Fay, Finn"), or how to grant it when nobody does. */
export async function holderNames(tx: Tx, locale: Locale, config: CoreConfig, role: Role): Promise<string> {
  const list = await holders(tx, config, role);
  return list.length > 0 ? names(locale, list) : plainText(t(locale, 'who.nobody', { code: role }));
}

/** The people who may act, as one phrase in `locale`. */
export async function whoMay(tx: Tx, locale: Locale, config: CoreConfig, spec: WhoMaySpec): Promise<string> {
  const parts: string[] = [];
  for (const { as, person } of spec.people ?? []) {
    if (person) parts.push(plainText(t(locale, 'who.person', { as: plainText(t(locale, `who.as.${as}`)), name: nameOf(person) })));
  }
  for (const role of spec.roles ?? []) {
    const list = await holders(tx, config, role);
    const roleName = plainText(t(locale, `who.role.${role}`));
    parts.push(
      plainText(
        list.length > 0 ? t(locale, 'who.role', { role: roleName, names: names(locale, list) }) : t(locale, 'who.role_nobody', { role: roleName, code: role }),
      ),
    );
  }
  return parts.join(plainText(t(locale, 'who.or')));
}

/** Refuses with "Only {who} can do this" unless `roles` allow `action` (the roles that do are named, with holders). */
export async function requireCan(tx: Tx, ctx: Ctx, roles: Iterable<Role>, action: Action, opts: { isOwner?: boolean } = {}): Promise<void> {
  if (canAct(roles, action, opts)) return;
  const who = await whoMay(tx, ctx.locale, ctx.deps.config, { roles: rolesFor(action).filter((r) => r !== 'marketer') });
  refuse('error.forbidden', { who });
}

