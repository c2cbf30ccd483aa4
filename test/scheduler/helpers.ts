// Shared set-up of the scheduler tests: a real SQLite file (optionally opened twice, like two replicas), a
// controllable clock, channel bindings and people, and a fake PlatformSender that records what it was asked to send.
import { openDatabase, type Db } from '../../src/db/client.js';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import type { PlatformSender } from '../../src/delivery/types.js';
import type { Platform } from '../../src/domain/types.js';
import type { Message } from '../../src/messages/model.js';
import { createScheduler, FIRST_START_KEY, type SchedulerOptions } from '../../src/scheduler/index.js';
import type { CoreConfig } from '../../src/usecases/types.js';
import { tempDatabaseUrl } from '../support/tempDb.js';

export const SH = 'Asia/Shanghai';

export class FakeClock {
  private t: number;
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  now = (): Date => new Date(this.t);
  set(iso: string | Date): void {
    this.t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export function config(locale: 'en' | 'zh-CN' = 'en', timezone = SH): CoreConfig {
  return { timezone, locale, adminUsers: ['slack:UADMIN'] };
}

/** A fresh database, or a second connection to an existing one (`url`: another replica). */
export async function openDb(url?: string): Promise<Db> {
  return openDatabase(url ?? (await tempDatabaseUrl('mktops-sched-')));
}

export function schedulerOn(db: Db, clock: FakeClock, extra: Partial<SchedulerOptions> = {}) {
  return createScheduler({ db, config: config(), clock, timers: false, ...extra });
}

/**
 * An install that has been running since `iso`: catch-up runs periods scheduled after it (a fresh database never
 * catches up a period from before its first start).
 */
export async function installedSince(db: Db, iso: string): Promise<void> {
  await db.write((tx) => tx.setting.create({ data: { key: FIRST_START_KEY, value: JSON.stringify(new Date(iso).toISOString()) } }));
}

export async function bind(db: Db, platform: Platform, workspaceId: string, purpose: 'team' | 'leaders' | 'approvals', channelId: string) {
  await db.write((tx) => tx.channelBinding.create({ data: { platform, workspaceId, purpose, channelId } }));
}

export async function person(db: Db, userId: string, roles: string[] = [], name = userId, platform: Platform = 'slack', workspaceId = 'T1') {
  return db.write(async (tx) => {
    const p = await tx.person.create({ data: { platform, workspaceId, userId, displayName: name } });
    for (const role of roles) await tx.roleGrant.create({ data: { personId: p.id, role } });
    return p;
  });
}

export interface Sent {
  platform: Platform;
  workspaceId: string;
  kind: string;
  target: string;
  cardKey: string | null;
  message: Message;
}

export function fakeSender(platform: Platform, log: Sent[], opts: { down?: () => boolean } = {}): PlatformSender {
  let n = 0;
  return {
    platform,
    async send(row) {
      if (opts.down?.()) return { ok: false, retry: true, error: 'platform down (503)' };
      log.push({ platform, workspaceId: row.workspaceId, kind: row.kind, target: row.target, cardKey: row.cardKey, message: row.message });
      n++;
      return { ok: true, messageId: `${platform}-m${n}`, channelId: row.kind === 'post' ? row.target : undefined };
    },
  };
}

/**
 * The delivery workers' view of the fake clock, shifted far ahead: outbox rows get nextAttemptAt from the
 * database's real now() when written, so a fake "now" in the past would never find them due. Back-off still
 * follows the fake clock's steps.
 */
export function deliveryClock(clock: FakeClock) {
  return { now: () => new Date(clock.now().getTime() + 100 * 365 * 86_400_000) };
}

export function workerFor(db: Db, sender: PlatformSender, clock: FakeClock) {
  return createDeliveryWorker({ db, sender, clock: deliveryClock(clock), baseDelayMs: 1000, maxDelayMs: 60_000 });
}

export async function outboxRows(db: Db) {
  return db.read((tx) => tx.outboxMessage.findMany({ orderBy: { id: 'asc' } }));
}

export async function jobRuns(db: Db) {
  return db.read((tx) => tx.jobRun.findMany({ orderBy: [{ job: 'asc' }, { period: 'asc' }] }));
}

/** Seeds a fiscal year with lines, allocations and expenses directly. */
export async function seedLines(
  db: Db,
  lines: { code: string; name: string; month: string; plan: number; spends: number[]; ownerId?: number }[],
  recordedById: number,
) {
  return db.write(async (tx) => {
    const ids: Record<string, number> = {};
    for (const l of lines) {
      const year = Number(l.month.slice(0, 4));
      const fy = (await tx.fiscalYear.findUnique({ where: { year } })) ?? (await tx.fiscalYear.create({ data: { year } }));
      const line =
        (await tx.budgetLine.findFirst({ where: { fiscalYearId: fy.id, code: l.code } })) ??
        (await tx.budgetLine.create({ data: { fiscalYearId: fy.id, code: l.code, name: l.name, annualAmount: l.plan * 12, ownerId: l.ownerId ?? null } }));
      ids[l.code] = line.id;
      await tx.monthlyAllocation.create({ data: { lineId: line.id, month: l.month, planned: l.plan } });
      for (const [i, amount] of l.spends.entries()) {
        await tx.expense.create({ data: { lineId: line.id, month: l.month, date: `${l.month}-${String(i + 1).padStart(2, '0')}`, amount, note: `spend ${i + 1}`, recordedById } });
      }
    }
    return ids;
  });
}
