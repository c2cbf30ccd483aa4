// The outbox statements on the hot path: queue a row once (every use-case's message), claim a batch of due rows and
// mark a batch sent (the delivery worker). Kept in one place because they run for every message. The claim is one function per provider behind one
// signature (claimDue):
//  - SQLite: read the due rows, then compare-and-set them in one statement; the process's writes are serialized,
//    and another process's claim of a row makes ours skip it cleanly.
//  - PostgreSQL: one statement with `FOR UPDATE SKIP LOCKED`: the workers of every replica each take different rows
//    instead of queueing on (or retrying for) the same ones.
// Either way a claim is a lease: `nextAttemptAt` moves to the lease's end, so a row whose worker died is due again.
//
// Claim order and index: due rows are read per status, ordered by (nextAttemptAt, id), with
// `@@index([platform, status, nextAttemptAt, id])` serving the filter and the order — no sort, however many rows wait
// (test/delivery/outboxPlan.test.ts checks the plan). A retried row thus waits its turn behind rows that became due
// before it; rows written together (one transaction, one timestamp) keep their id order.
import type { Db, Tx } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { OutboxKind, OutboxPayload } from './types.js';
import { sqlRows, sqlRun } from '../db/raw.js';

/** Where a queued row goes, and the key that makes queueing it twice a no-op. */
export interface QueuedRow {
  platform: string;
  workspaceId: string;
  kind: OutboxKind;
  target: string;
  cardKey?: string | null;
  /** A row with this key queued before (say by the first run of a replayed job): nothing is queued. */
  dedupeKey?: string | null;
}

/**
 * Where a transaction wrapped to count the outbox rows written (src/scheduler/outboxWrites.ts counts Prisma's
 * create calls) is told about rows queueOnce inserted with its own SQL.
 */
export const OUTBOX_ROWS_INSERTED = Symbol('outboxRowsInserted');

/**
 * Queues a row inside the caller's transaction, due at once whatever clock the worker runs on; false (and nothing
 * written) when a row with the same `dedupeKey` exists. A `payload` given as a value is inserted by one statement
 * that skips a duplicate key (INSERT … ON CONFLICT DO NOTHING, the same SQL on both providers; rows without a key
 * too). A `payload` given as
 * a function is built only when the row is new — a form card's session is created with it — so its key is looked up
 * first.
 */
export async function queueOnce(tx: Tx, row: QueuedRow, payload: OutboxPayload | (() => OutboxPayload | Promise<OutboxPayload>)): Promise<boolean> {
  const data = {
    platform: row.platform,
    workspaceId: row.workspaceId,
    kind: row.kind,
    target: row.target,
    cardKey: row.cardKey ?? null,
    status: 'pending',
    nextAttemptAt: new Date(0),
    dedupeKey: row.dedupeKey ?? null,
  };
  if (typeof payload !== 'function') {
    const json = JSON.stringify(payload);
    // Raw SQL for keyed and unkeyed rows alike (a NULL key never conflicts): half the CPU of the query API's create.
    const inserted = await sqlRun(tx, Prisma.sql`
      INSERT INTO "OutboxMessage" ("platform", "workspaceId", "kind", "target", "cardKey", "payload", "status", "attempts", "nextAttemptAt", "dedupeKey", "createdAt")
      VALUES (${data.platform}, ${data.workspaceId}, ${data.kind}, ${data.target}, ${data.cardKey}, ${json}, ${data.status}, 0, ${data.nextAttemptAt}, ${data.dedupeKey}, ${new Date()})
      ON CONFLICT ("dedupeKey") DO NOTHING`);
    (tx as { [OUTBOX_ROWS_INSERTED]?: (n: number) => void })[OUTBOX_ROWS_INSERTED]?.(inserted);
    return inserted === 1;
  }
  if (data.dedupeKey && (await tx.outboxMessage.findUnique({ where: { dedupeKey: data.dedupeKey }, select: { id: true } }))) return false;
  await tx.outboxMessage.create({ data: { ...data, payload: JSON.stringify(await payload()) } });
  return true;
}

export interface ClaimedRow {
  id: number;
  workspaceId: string;
  kind: string;
  target: string;
  cardKey: string | null;
  payload: string;
  /** Attempts including this one. */
  attempts: number;
  createdAt: Date;
  /** The row was `sending` (its previous claim died with the outcome unknown). */
  uncertain: boolean;
}

export interface ClaimArgs {
  platform: string;
  now: Date;
  limit: number;
  leaseUntil: Date;
  claimedBy: string | null;
  /**
   * SQLite: also look for `sending` rows whose lease expired (or was released at start). False on the claims a kick
   * asks for — new rows are pending — which saves a read per claim; the worker asks for them on every poll, at start
   * and in drain(), so such a row waits at most one poll longer than its lease. PostgreSQL always reads both.
   */
  stale?: boolean;
}

/**
 * Claims up to `limit` rows of `platform` that are due at `now` (pending, or sending with an expired lease), oldest
 * due first; two workers (or replicas) never claim the same row. Ahead of the work waiting in the database queue
 * (src/delivery/worker.ts says why).
 */
export function claimDue(db: Db, args: ClaimArgs): Promise<ClaimedRow[]> {
  // SQLite: no interactive transaction needed — the UPDATE re-checks what the read saw (compare-and-set), and the
  // process's queue runs nothing else of ours between the two statements.
  return db.provider === 'postgresql' ? claimDuePostgres(db, args) : db.writeStatement((client) => claimDueSqlite(client, args));
}

type DueRow = Omit<ClaimedRow, 'uncertain'> & { nextAttemptAt: Date };

/** SQLite: read, then compare-and-set in one statement (raw SQL: the worker's own statements are on every answer's path). */
async function claimDueSqlite(tx: Tx, opts: ClaimArgs): Promise<ClaimedRow[]> {
  const { platform, now, limit } = opts;
  const due = (status: string) =>
    sqlRows<DueRow[]>(tx, Prisma.sql`
      SELECT "id", "workspaceId", "kind", "target", "cardKey", "payload", "attempts", "createdAt", "nextAttemptAt" FROM "OutboxMessage"
       WHERE "platform" = ${platform} AND "status" = ${status} AND "nextAttemptAt" <= ${now}
       ORDER BY "nextAttemptAt", "id" LIMIT ${limit}`);
  const pending = await due('pending');
  // Lease expired (or released at start): rare, read the same way, and only when the worker asks (ClaimArgs.stale).
  const stale = pending.length < limit && opts.stale !== false ? await due('sending') : [];
  const candidates = [...pending.map((r) => ({ ...r, uncertain: false })), ...stale.map((r) => ({ ...r, uncertain: true }))]
    .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.id - b.id)
    .slice(0, limit);
  if (candidates.length === 0) return [];
  const won = await sqlRows<{ id: number; attempts: number }[]>(tx, Prisma.sql`
    UPDATE "OutboxMessage" SET "status" = 'sending', "attempts" = "attempts" + 1, "nextAttemptAt" = ${opts.leaseUntil}, "claimedBy" = ${opts.claimedBy}
     WHERE "id" IN (${Prisma.join(candidates.map((c) => c.id))}) AND "status" IN ('pending', 'sending') AND "nextAttemptAt" <= ${now}
     RETURNING "id", "attempts"`);
  const attempts = new Map(won.map((w) => [w.id, w.attempts]));
  return candidates
    .filter((c) => attempts.has(c.id))
    .map(({ nextAttemptAt: _due, ...c }) => ({ ...c, attempts: attempts.get(c.id)! }));
}

interface PgClaimed {
  id: bigint | number;
  workspaceId: string;
  kind: string;
  target: string;
  cardKey: string | null;
  payload: string;
  attempts: bigint | number;
  createdAt: Date;
  due: Date;
  previous: string;
}

/**
 * PostgreSQL: one statement. The due rows are locked as they are picked, rows another replica's claim holds are
 * skipped, and the rows picked are leased in the same statement — no retry, no waiting behind another claim.
 */
async function claimDuePostgres(db: Db, { platform, now, limit, leaseUntil, claimedBy }: ClaimArgs): Promise<ClaimedRow[]> {
  const rows = await db.writeStatement((client) =>
    sqlRows<PgClaimed[]>(client, Prisma.sql`
      WITH picked AS (
        SELECT "id", "status", "nextAttemptAt" FROM "OutboxMessage"
         WHERE "platform" = ${platform} AND "status" IN ('pending', 'sending') AND "nextAttemptAt" <= ${now}
         ORDER BY "nextAttemptAt", "id" LIMIT ${limit}
         FOR UPDATE SKIP LOCKED)
      UPDATE "OutboxMessage" o
         SET "status" = 'sending', "attempts" = o."attempts" + 1, "nextAttemptAt" = ${leaseUntil}, "claimedBy" = ${claimedBy}
        FROM picked
       WHERE o."id" = picked."id"
      RETURNING o."id", o."workspaceId", o."kind", o."target", o."cardKey", o."payload", o."attempts", o."createdAt",
                picked."nextAttemptAt" AS "due", picked."status" AS "previous"`),
  );
  // RETURNING has no order: oldest due first, as on SQLite.
  return rows
    .map((r) => ({ ...r, id: Number(r.id), due: new Date(r.due).getTime() }))
    .sort((a, b) => a.due - b.due || a.id - b.id)
    .map((r) => ({
      id: r.id,
      workspaceId: r.workspaceId,
      kind: r.kind,
      target: r.target,
      cardKey: r.cardKey,
      payload: r.payload,
      attempts: Number(r.attempts),
      createdAt: new Date(r.createdAt),
      uncertain: r.previous === 'sending',
    }));
}

/** What a successful send left to remember: the row is sent; a posted card is remembered for later updates. */
export interface SentRow {
  id: number;
  card?: { cardKey: string; workspaceId: string; channelId: string; messageId: string };
}

/**
 * Marks rows sent (one statement) and remembers where their cards landed. Each statement is safe on its own, so it
 * needs no transaction of its own: the cards are remembered first, then the rows marked; a crash in between leaves
 * the row `sending`, and its retry (uncertain: the sender looks before posting again) remembers the card again.
 */
export async function markSent(tx: Tx, platform: string, rows: SentRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  // Raw SQL, the same text on both providers: a Slack row is sent only once the one before it is marked, so these
  // statements are on the path of every answer (the query API's upsert and updateMany cost 2–3× the CPU).
  for (const { card } of rows) {
    if (!card) continue;
    await sqlRun(tx, Prisma.sql`
      INSERT INTO "CardRef" ("cardKey", "platform", "workspaceId", "channelId", "messageId", "updatedAt")
      VALUES (${card.cardKey}, ${platform}, ${card.workspaceId}, ${card.channelId}, ${card.messageId}, ${now})
      ON CONFLICT ("cardKey", "platform", "workspaceId", "channelId")
      DO UPDATE SET "messageId" = excluded."messageId", "updatedAt" = excluded."updatedAt"`);
  }
  const ids = Prisma.join(rows.map((r) => r.id));
  await sqlRun(tx, Prisma.sql`UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = ${now}, "lastError" = NULL WHERE "id" IN (${ids})`);
}
