// Shared set-up of the budget/admin use-case tests: a real SQLite file, a Core like the adapters use, people
// with roles granted through `/mkt role`, and helpers to count every table's rows.
import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createCore } from '../../src/usecases/core.js';
import type { Actor, Core, Outcome } from '../../src/usecases/types.js';
import { listTables, openTempDb } from '../support/tempDb.js';

export interface World {
  db: Db;
  core: Core;
  clock: { now: () => Date; set: (iso: string) => void };
  admin: Actor;
  fin: Actor;
  fin2: Actor;
  lead: Actor;
  lead2: Actor;
  alice: Actor;
  bob: Actor;
}

export function slackUser(userId: string, name: string, channelId = 'CCMD0001'): Actor {
  return { platform: 'slack', workspaceId: 'T1', userId, displayName: name, channelId };
}

export function text(o: Outcome): string {
  const m = o.reply;
  if (!m) return '';
  return [m.title, m.text, ...(m.fields ?? []).map((f) => `${f.label}: ${f.value}`), ...(m.sections ?? []).flatMap((s) => [s.heading, s.text]), ...(m.context ?? []), m.summary]
    .filter(Boolean)
    .join('\n');
}

/** Opens a fresh database and grants roles: 2 finance, 2 leaders; alice and bob are plain marketers. */
export async function world(opts: { lines?: boolean; now?: string } = {}): Promise<World> {
  const db = await openTempDb();
  let now = new Date(opts.now ?? '2026-11-10T02:00:00Z'); // 10:00 in Shanghai
  const clock = { now: () => now, set: (iso: string) => void (now = new Date(iso)) };
  const core = createCore({ db, config: { timezone: 'Asia/Shanghai', locale: 'en', adminUsers: ['slack:UADMIN'] }, clock });
  const w: World = {
    db,
    core,
    clock,
    admin: slackUser('UADMIN', 'Ada'),
    fin: slackUser('UFIN0001', 'Fay'),
    fin2: slackUser('UFIN0002', 'Finn'),
    lead: slackUser('ULEAD001', 'Leo'),
    lead2: slackUser('ULEAD002', 'Lena'),
    alice: slackUser('UALICE01', 'Alice'),
    bob: slackUser('UBOB0001', 'Bob'),
  };
  // Everyone says hello once so their display names are known.
  for (const [a, role] of [
    [w.fin, 'finance'],
    [w.fin2, 'finance'],
    [w.lead, 'leader'],
    [w.lead2, 'leader'],
  ] as const) {
    const o = await core.command(w.admin, `/mkt role <@${a.userId}|${a.displayName}> ${role}`);
    expect(o.ok, JSON.stringify(o.reply)).toBe(true);
  }
  if (opts.lines !== false) {
    // ¥120,000 a year → ¥10,000 a month; ¥60,000 a year → ¥5,000 a month.
    expect((await core.command(w.fin, '/budget line add SEM 120000 Search engine marketing')).ok).toBe(true);
    expect((await core.command(w.fin, '/budget line add WEIBO 60000 Weibo operations')).ok).toBe(true);
  }
  return w;
}

export async function tables(db: Db): Promise<string[]> {
  return listTables(db);
}

/** Row count of every table of the schema. */
export async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of await tables(db)) {
    const [row] = await db.read((tx) => tx.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT COUNT(*) AS n FROM "${name}"`));
    out[name] = Number(row!.n);
  }
  return out;
}

/** Runs `work` and asserts it was refused and that no table gained or lost a row. */
export async function expectRefusedNothingWritten(w: World, work: () => Promise<Outcome>, pattern?: RegExp): Promise<Outcome> {
  const before = await counts(w.db);
  const o = await work();
  expect(o.ok, text(o)).toBe(false);
  if (pattern) expect(text(o) + (o.formErrors ? JSON.stringify(o.formErrors) : '')).toMatch(pattern);
  expect(await counts(w.db)).toEqual(before);
  return o;
}

export async function plan(db: Db, code: string, month: string): Promise<number> {
  const a = await db.read((tx) => tx.monthlyAllocation.findFirst({ where: { month, line: { code } } }));
  return a?.planned ?? 0;
}

export async function adjustment(db: Db, id: number) {
  return db.read((tx) => tx.budgetAdjustment.findUniqueOrThrow({ where: { id }, include: { steps: true } }));
}

export async function outbox(db: Db) {
  return db.read((tx) => tx.outboxMessage.findMany({ orderBy: { id: 'asc' } }));
}
