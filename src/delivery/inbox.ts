// The durable inbox (table ProcessedDelivery): requests a surface acknowledged to its platform, and whether the work
// they asked for is done.
//
// A surface acknowledges a request first (platforms allow ~3 s) and runs the core afterwards. The delivery id is
// recorded at the ack (so the platform's retries are dropped as duplicates), with a `payload` describing the accepted
// work and the `owner` instance that accepted it. The core call gets the delivery (usecases/types.ts `Delivery`):
// the first transaction that commits the use-case's change also sets `doneAt` (compare-and-set on `doneAt IS NULL`,
// `commitDone`) and queues the answer; a call that changes nothing marks it done with its answer in a transaction
// of its own. Should the process die before that commit, nothing of the work happened, and the platform will not
// send the request again: on start the surface replays every unfinished row (`replayPending`).
//
// Semantics: exactly once. A replay finds the change committed together with the done mark, or neither. Two runs of
// the same delivery (a replay on one replica while another still runs it) race on the done mark: the loser's
// compare-and-set fails, its transaction — change, answer and all — rolls back, and it is dropped
// (DeliveryAlreadyDone). Only effects outside the database are not covered: a modal opened with a trigger id, the
// platform's own answer to a callback. Rows the starting instance accepted itself are replayed at once; rows of
// other instances only after `graceMs` (that replica may still be running them). Replays are claimed with
// compare-and-set and given up after `maxReplays` (a job that crashes the process must not crash every restart).
// A form refused with field errors releases its delivery id (`release`): the same form instance may be corrected
// and submitted again. The payload is cleared when the work is done (it may hold what people wrote).
import type { Db, Tx } from '../db/client.js';
import { log } from '../log.js';
import { DeliveryAlreadyDone, type Clock } from '../usecases/types.js';
import { sqlRun } from '../db/raw.js';
import { Prisma } from '../generated/prisma/client.js';

/** JSON describing accepted work. `kind` says which job; the rest is the job's input. */
export interface InboxPayload {
  kind: string;
  /** How often this work was replayed already (set by the replay claim). */
  replays?: number;
  /** When the last replay claim was made (ISO): another replica leaves the work alone for the grace period. */
  replayedAt?: string;
  [key: string]: unknown;
}

export interface PendingWork {
  id: string;
  receivedAt: Date;
  /** The raw JSON as stored (the replay claim compares it). */
  raw: string;
  payload: InboxPayload;
  /** The instance that accepted it. */
  owner: string | null;
}

export interface ReplayOptions {
  /** This instance (default: the inbox's owner): rows it accepted before this start are replayed at once. */
  owner?: string;
  /** Unfinished work older than this is not replayed (the moment has passed; it is marked done and logged). */
  maxAgeMs?: number;
  /** Another instance's work younger than this at start may still be running there: it is looked at again later. */
  graceMs?: number;
  /** After this many replays the work is given up (marked done and logged). */
  maxReplays?: number;
}

export interface ReplayHandle {
  /** Rows replayed by the first pass. */
  replayed: number;
  /** Cancels the later pass for rows that were too young. */
  cancel(): void;
  /** Resolves when the later pass (if any) has run; for tests. */
  settled: Promise<void>;
}

export const REPLAY_MAX_AGE_MS = 3600_000;
export const REPLAY_GRACE_MS = 10_000;
export const MAX_REPLAYS = 3;

export function encodePayload(payload: InboxPayload | undefined): string | null {
  return payload ? JSON.stringify(payload) : null;
}

function decodePayload(raw: string): InboxPayload | null {
  try {
    const p = JSON.parse(raw) as unknown;
    return p && typeof p === 'object' && typeof (p as { kind?: unknown }).kind === 'string' ? (p as InboxPayload) : null;
  } catch {
    return null;
  }
}

export interface Inbox {
  /**
   * Records delivery ids in one transaction; the payload goes on the first. false (and nothing recorded) when any
   * id was seen before. (Slack records its claims with its own batched INSERT, see platforms/slack/ledger.ts.)
   */
  accept(ids: string[], payload?: InboxPayload): Promise<boolean>;
  /** Marks work done inside the caller's transaction (e.g. the one that queues its answer); no-op when done already. */
  markDone(tx: Tx, id: string): Promise<void>;
  /**
   * The done mark of a core call, inside the transaction of its change: compare-and-set, throws DeliveryAlreadyDone
   * (rolling the change back) when another run finished the delivery first.
   */
  commitDone(tx: Tx, id: string): Promise<void>;
  /** Forgets an unfinished delivery id (a form refused with field errors: the same form may be submitted again). */
  release(tx: Tx, id: string): Promise<void>;
  /** Marks work done on its own (one small UPDATE). */
  done(id: string): Promise<void>;
  /** Unfinished work whose id starts with `prefix`, received within `maxAgeMs` (and not after `receivedBefore`), oldest first. */
  pendingWork(prefix: string, maxAgeMs: number, receivedBefore?: Date): Promise<PendingWork[]>;
  /** Replays unfinished work at start; `run` starts one job (it should mark the work done when it has finished). */
  replayPending(prefix: string, run: (work: PendingWork) => void | Promise<void>, opts?: ReplayOptions): Promise<ReplayHandle>;
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    const text = `${(e as { code?: unknown }).code ?? ''} ${(e as { message?: unknown }).message ?? ''}`;
    if (/P2002|UNIQUE constraint|Unique constraint/i.test(text)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** How long delivery ids are kept: platforms retry within minutes, and older replays fail the timestamp check. */
export const DELIVERY_RECORD_MAX_AGE_MS = 3 * 24 * 3600_000;

/** Forgets delivery records (ids starting with `prefix`) older than `maxAgeMs`; returns how many. */
export async function pruneDeliveries(db: Db, clock: Clock, prefix: string, maxAgeMs = DELIVERY_RECORD_MAX_AGE_MS): Promise<number> {
  const before = new Date(clock.now().getTime() - maxAgeMs);
  const r = await db.write((tx) =>
    tx.processedDelivery.deleteMany({ where: { id: { startsWith: prefix }, receivedAt: { lt: before } } }),
  );
  return r.count;
}

export function createInbox(db: Db, clock: Clock, owner?: string): Inbox {
  // The payload is cleared once done: it may hold what people wrote, and only unfinished work needs it.
  // Once per command: one raw statement (same SQL on both providers; Prisma.sql binds the Date as the query API
  // would) costs half the CPU of updateMany. Compare-and-set on doneAt IS NULL: how many rows it changed.
  const done = (tx: Tx, id: string) => sqlRun(tx, Prisma.sql`UPDATE "ProcessedDelivery" SET "doneAt" = ${clock.now()}, "payload" = NULL WHERE "id" = ${id} AND "doneAt" IS NULL`);

  async function markDone(tx: Tx, id: string): Promise<void> {
    await done(tx, id);
  }

  async function commitDone(tx: Tx, id: string): Promise<void> {
    if ((await done(tx, id)) !== 1) throw new DeliveryAlreadyDone(id);
  }

  async function pendingWork(prefix: string, maxAgeMs: number, receivedBefore?: Date): Promise<PendingWork[]> {
    const now = clock.now();
    const rows = await db.read((tx) =>
      tx.processedDelivery.findMany({
        where: {
          doneAt: null,
          receivedAt: { gte: new Date(now.getTime() - maxAgeMs), ...(receivedBefore ? { lte: receivedBefore } : {}) },
          payload: { not: null },
          id: { startsWith: prefix },
        },
        orderBy: { receivedAt: 'asc' },
      }),
    );
    const out: PendingWork[] = [];
    for (const row of rows) {
      const payload = decodePayload(row.payload!);
      if (!payload) {
        log.error('inbox.bad_payload', { id: row.id });
        await db.write((tx) => markDone(tx, row.id));
        continue;
      }
      out.push({ id: row.id, receivedAt: row.receivedAt, raw: row.payload!, payload, owner: row.owner });
    }
    return out;
  }

  /** Compare-and-set on the stored payload: exactly one replica replays a row. */
  async function claimReplay(work: PendingWork): Promise<PendingWork | null> {
    const payload = { ...work.payload, replays: (work.payload.replays ?? 0) + 1, replayedAt: clock.now().toISOString() };
    const raw = JSON.stringify(payload);
    const won = await db.write((tx) =>
      tx.processedDelivery.updateMany({ where: { id: work.id, doneAt: null, payload: work.raw }, data: { payload: raw } }),
    );
    return won.count === 1 ? { ...work, raw, payload } : null;
  }

  async function giveUp(work: PendingWork, reason: string): Promise<void> {
    log.error('inbox.work_given_up', { id: work.id, kind: work.payload.kind, replays: work.payload.replays ?? 0, reason });
    await db.write((tx) => markDone(tx, work.id));
  }

  return {
    async accept(ids, payload) {
      const receivedAt = clock.now();
      try {
        await db.write(async (tx) => {
          for (const [i, id] of ids.entries()) {
            await tx.processedDelivery.create({ data: { id, receivedAt, owner: owner ?? null, payload: i === 0 ? encodePayload(payload) : null } });
          }
        });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    markDone,
    commitDone,
    async release(tx, id) {
      await tx.processedDelivery.deleteMany({ where: { id, doneAt: null } });
    },
    async done(id) {
      await db.write((tx) => markDone(tx, id));
    },
    pendingWork,
    async replayPending(prefix, run, opts = {}) {
      const maxAgeMs = opts.maxAgeMs ?? REPLAY_MAX_AGE_MS;
      const graceMs = opts.graceMs ?? REPLAY_GRACE_MS;
      const maxReplays = opts.maxReplays ?? MAX_REPLAYS;
      const startedAt = clock.now();

      // Work older than maxAgeMs is not replayed: say so once and close it.
      const stale = await db.read((tx) =>
        tx.processedDelivery.findMany({
          where: { doneAt: null, receivedAt: { lt: new Date(startedAt.getTime() - maxAgeMs) }, payload: { not: null }, id: { startsWith: prefix } },
          select: { id: true },
        }),
      );
      if (stale.length > 0) {
        log.warn('inbox.stale_work_dropped', { prefix, count: stale.length });
        await db.write((tx) =>
          tx.processedDelivery.updateMany({ where: { id: { in: stale.map((s) => s.id) }, doneAt: null }, data: { doneAt: startedAt, payload: null } }),
        );
      }

      /** One pass: replays rows old enough, returns how many and whether younger ones are left. */
      async function pass(): Promise<{ replayed: number; waiting: number }> {
        const now = clock.now();
        let replayed = 0;
        let waiting = 0;
        for (const work of await pendingWork(prefix, maxAgeMs, startedAt)) {
          const me = opts.owner ?? owner;
          const ours = me !== undefined && work.owner === me;
          // Young: just accepted, or just claimed for a replay by another replica (which may be running it now: on
          // PostgreSQL replicas list and claim concurrently, so a claim made a moment ago is not yet a lost one).
          const since = Math.max(work.receivedAt.getTime(), Date.parse(work.payload.replayedAt ?? '') || 0);
          if (!ours && now.getTime() - since < graceMs) {
            waiting++;
            continue;
          }
          if ((work.payload.replays ?? 0) >= maxReplays) {
            await giveUp(work, 'too many replays');
            continue;
          }
          const claimed = await claimReplay(work);
          if (!claimed) continue; // another replica took it, or it finished meanwhile
          log.warn('inbox.replay', { id: work.id, kind: work.payload.kind, replays: claimed.payload.replays });
          replayed++;
          try {
            await run(claimed);
          } catch (error) {
            log.error('inbox.replay_failed', { id: work.id, kind: work.payload.kind, error });
          }
        }
        return { replayed, waiting };
      }

      const first = await pass();
      let timer: NodeJS.Timeout | undefined;
      let finish = () => {};
      let settled: Promise<void> = Promise.resolve();
      if (first.waiting > 0) {
        settled = new Promise<void>((resolve) => {
          finish = resolve;
          timer = setTimeout(() => {
            timer = undefined;
            pass()
              .catch((error) => log.error('inbox.replay_pass_failed', { prefix, error }))
              .finally(resolve);
          }, graceMs);
          timer.unref();
        });
      }
      return {
        replayed: first.replayed,
        cancel: () => {
          if (timer) {
            clearTimeout(timer);
            timer = undefined;
            finish();
          }
        },
        settled,
      };
    },
  };
}
