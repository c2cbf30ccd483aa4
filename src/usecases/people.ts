// People and their roles. Everyone is a marketer; other roles are granted by admins in chat, and
// ADMIN_USERS bootstraps the first admins ("slack:U012ABC" for any workspace, or "slack:T1:U012ABC").
import { personRef, type Markup } from '../messages/markup.js';
import type { Tx } from '../db/client.js';
import { Prisma, type Person } from '../generated/prisma/client.js';
import type { Platform, Role } from '../domain/types.js';
import type { Actor, CoreConfig } from './types.js';
import { sqlRows } from '../db/raw.js';

export interface Identity {
  platform: Platform | string;
  workspaceId: string;
  userId: string;
}

export function isBootstrapAdmin(config: CoreConfig, who: Identity): boolean {
  return config.adminUsers.some(
    (entry) => entry === `${who.platform}:${who.userId}` || entry === `${who.platform}:${who.workspaceId}:${who.userId}`,
  );
}

/**
 * The Person row of someone, or null when they never acted (looking up writes nothing). Nearly every command asks:
 * one raw statement (the same SQL on both providers; the unique key serves it) costs a third of the query API's CPU.
 */
export async function findPerson(tx: Tx, who: Identity): Promise<Person | null> {
  const rows = await sqlRows<Person[]>(tx, Prisma.sql`SELECT "id", "platform", "workspaceId", "userId", "displayName", "createdAt" FROM "Person" WHERE "platform" = ${who.platform} AND "workspaceId" = ${who.workspaceId} AND "userId" = ${who.userId}`);
  const row = rows[0];
  // PostgreSQL returns its BIGINT ids as bigint.
  return row ? { ...row, id: Number(row.id) } : null;
}

/** The Person row of someone, created on first use. Call only inside a write that is going to succeed. */
export async function ensurePerson(tx: Tx, who: Identity & { displayName?: string }): Promise<Person> {
  const key = { platform: who.platform, workspaceId: who.workspaceId, userId: who.userId };
  const existing = await findPerson(tx, key);
  if (existing) {
    if (who.displayName && existing.displayName !== who.displayName) {
      return tx.person.update({ where: { id: existing.id }, data: { displayName: who.displayName } });
    }
    return existing;
  }
  return tx.person.create({ data: { ...key, displayName: who.displayName ?? null } });
}

/** Roles held, always including the implicit `marketer`. */
export async function rolesOf(tx: Tx, config: CoreConfig, who: Identity): Promise<Set<Role>> {
  const roles = new Set<Role>(['marketer']);
  if (isBootstrapAdmin(config, who)) roles.add('admin');
  // One raw statement (as findPerson): the grants of the person with this identity (none before their first change).
  const grants = await sqlRows<{ role: string }[]>(tx, Prisma.sql`SELECT g."role" FROM "RoleGrant" g JOIN "Person" p ON p."id" = g."personId" WHERE p."platform" = ${who.platform} AND p."workspaceId" = ${who.workspaceId} AND p."userId" = ${who.userId}`);
  for (const g of grants) roles.add(g.role as Role);
  return roles;
}

/** Everyone holding `role` (grants only; bootstrap admins are added when they first act). */
export async function peopleWithRole(tx: Tx, role: Role) {
  const grants = await tx.roleGrant.findMany({ where: { role }, include: { person: true } });
  return grants.map((g) => g.person);
}

/** How to show a person in a message: a mention the renderer turns into a platform mention. */
export function mention(person: { platform: string; userId: string; displayName: string | null }): Markup {
  return personRef(person);
}

/** A person's name as plain text (refusals, toasts). */
export function nameOf(person: { userId: string; displayName: string | null }): string {
  return person.displayName || person.userId;
}

export function actorIdentity(actor: Actor): Identity & { displayName?: string } {
  return { platform: actor.platform, workspaceId: actor.workspaceId, userId: actor.userId, displayName: actor.displayName };
}
