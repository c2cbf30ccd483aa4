// Set-up shared by the campaigns / risks / agenda use-case tests: a real SQLite file, a Core driven like an
// adapter, people whose roles are granted with `/mkt role`, budget lines added with `/budget line add`.
import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createCore } from '../../src/usecases/core.js';
import type { Actor, Core, Outcome } from '../../src/usecases/types.js';
import type { Message } from '../../src/messages/model.js';
import { listTables, openTempDb } from '../support/tempDb.js';

export interface World {
  db: Db;
  core: Core;
  clock: { now: () => Date; set: (iso: string) => void };
  admin: Actor;
  fin: Actor;
  lead: Actor;
  lead2: Actor;
  alice: Actor;
  bob: Actor;
}

export function user(userId: string, name: string, channelId = 'CCMD0001'): Actor {
  return { platform: 'slack', workspaceId: 'T1', userId, displayName: name, channelId };
}

export function messageText(m: Message | undefined): string {
  if (!m) return '';
  return [
    m.title,
    m.text,
    ...(m.fields ?? []).map((f) => `${f.label}: ${f.value}`),
    ...(m.sections ?? []).flatMap((s) => [s.heading, s.text]),
    ...(m.context ?? []),
    m.summary,
  ]
    .filter(Boolean)
    .join('\n');
}

export const text = (o: Outcome): string => messageText(o.reply);

/** Tuesday 2026-11-10 10:00 in Shanghai. SEM: ¥10,000 a month; WEIBO: ¥5,000 a month. */
export async function world(opts: { now?: string; channels?: ('leaders' | 'team' | 'approvals')[] } = {}): Promise<World> {
  const db = await openTempDb();
  let now = new Date(opts.now ?? '2026-11-10T02:00:00Z');
  const clock = { now: () => now, set: (iso: string) => void (now = new Date(iso)) };
  const core = createCore({ db, config: { timezone: 'Asia/Shanghai', locale: 'en', adminUsers: ['slack:UADMIN'] }, clock });
  const w: World = {
    db,
    core,
    clock,
    admin: user('UADMIN', 'Ada'),
    fin: user('UFIN0001', 'Fay'),
    lead: user('ULEAD001', 'Leo'),
    lead2: user('ULEAD002', 'Lena'),
    alice: user('UALICE01', 'Alice'),
    bob: user('UBOB0001', 'Bob'),
  };
  for (const [a, role] of [
    [w.fin, 'finance'],
    [w.lead, 'leader'],
    [w.lead2, 'leader'],
  ] as const) {
    const o = await core.command(w.admin, `/mkt role <@${a.userId}|${a.displayName}> ${role}`);
    expect(o.ok, text(o)).toBe(true);
  }
  for (const purpose of opts.channels ?? ['leaders', 'team']) {
    const ch = { leaders: 'CLEADERS1', team: 'CTEAM0001', approvals: 'CAPPROVE1' }[purpose];
    const o = await core.command({ ...w.admin, channelId: ch }, `/mkt channel ${purpose} here`);
    expect(o.ok, text(o)).toBe(true);
  }
  expect((await core.command(w.fin, '/budget line add SEM 120000 Search engine marketing')).ok).toBe(true);
  expect((await core.command(w.fin, '/budget line add WEIBO 60000 Weibo operations')).ok).toBe(true);
  return w;
}

/** Row count of every table of the schema. */
export async function counts(db: Db): Promise<Record<string, number>> {
  const tables = await listTables(db);
  return db.read(async (tx) => {
    const out: Record<string, number> = {};
    for (const name of tables) {
      const [row] = await tx.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT COUNT(*) AS n FROM "${name}"`);
      out[name] = Number(row!.n);
    }
    return out;
  });
}

/** Runs `act`, expects a refusal, and that no table gained or lost a row. Returns the outcome. */
export async function refusedNothingWritten(w: World, act: () => Promise<Outcome>, pattern?: RegExp): Promise<Outcome> {
  const before = await counts(w.db);
  const o = await act();
  expect(o.ok, text(o)).toBe(false);
  if (pattern) expect(text(o) + JSON.stringify(o.formErrors ?? {})).toMatch(pattern);
  expect(await counts(w.db)).toEqual(before);
  return o;
}

export async function outbox(db: Db) {
  return db.read((tx) => tx.outboxMessage.findMany({ orderBy: { id: 'asc' } }));
}

export const payload = (row: { payload: string }): Message => (JSON.parse(row.payload) as { message: Message }).message;

/** A valid proposal (override any field). Nov 25 – Dec 5: 6 days in November, 5 in December. */
export function proposal(over: Record<string, string | string[] | undefined> = {}): Record<string, string | string[] | undefined> {
  return {
    name: 'Double 11 live push',
    goal: 'sales',
    theme: 'Singles day',
    format: 'live_selling',
    channels: ['douyin', 'wechat'],
    start: '2026-11-25',
    end: '2026-12-05',
    line: 'SEM',
    amount: '11000',
    kpi_participants: '5000',
    kpi_conversion_rate: '3.5',
    ...over,
  };
}
