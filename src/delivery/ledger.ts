// The ack path's one write: recording the delivery ids of requests a platform sent (table ProcessedDelivery, the
// durable inbox of src/delivery/inbox.ts) with the work each accepts. Claims arriving together — every request read
// in the same turn of the event loop — are written in one statement: INSERT … ON CONFLICT DO NOTHING RETURNING id
// yields the ids that were new, so a duplicate (a platform's retry, or a replica that recorded it first) needs no
// second round trip, and the ack costs a share of one insert however many requests are in flight.
//
// A claim may name several ids (a Feishu message is known by its event id and by its message id): it is fresh only
// when all are new, and a claim with an id seen before records nothing — no row is left that a restart would replay.
// The payload goes on the claim's first id. Within a batch, a claim naming an id an earlier claim of the batch names
// is a duplicate. On SQLite the whole batch is still one statement (each row is inserted only when none of its
// claim's ids exists yet; SQLite evaluates the SELECT before inserting, and one statement holds the write lock
// alone), so a Feishu ack costs no interactive transaction; on PostgreSQL, where replicas insert concurrently, the
// insert and the removal of a lost claim's new ids share one SERIALIZABLE transaction.
import type { Db, Tx } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Clock } from '../usecases/types.js';
import { encodePayload, type InboxPayload } from './inbox.js';
import { sqlRows } from '../db/raw.js';

/** Rows per INSERT (four bound variables each; SQLite allows 32766, PostgreSQL 65535). */
const MAX_BATCH = 500;

export interface DeliveryLedger {
  /** true the first time (all of) `ids` are seen — they are now recorded with `payload` — false for a duplicate. */
  claim(ids: string | string[], payload?: InboxPayload): Promise<boolean>;
}

interface Waiter {
  ids: string[];
  payload: string | null;
  resolve: (fresh: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * One statement for the whole batch. The same SQL runs on SQLite and PostgreSQL: Prisma.sql writes each provider's
 * placeholders and stores the Date as Prisma does.
 */
async function insertRows(client: Tx, rows: { id: string; payload: string | null }[], receivedAt: Date, owner: string | null): Promise<Set<string>> {
  const values = Prisma.join(rows.map((r) => Prisma.sql`(${r.id}, ${receivedAt}, ${r.payload}, ${owner})`));
  const inserted = await sqlRows<{ id: string }[]>(
    client,
    Prisma.sql`INSERT INTO "ProcessedDelivery" ("id", "receivedAt", "payload", "owner") VALUES ${values} ON CONFLICT ("id") DO NOTHING RETURNING "id"`,
  );
  return new Set(inserted.map((r) => r.id));
}

/**
 * SQLite: claims of several ids in one statement. A row is inserted only when no id of its claim exists yet, so a
 * claim is recorded whole or not at all (the batch has no two claims sharing an id, see flushBatch).
 */
async function insertClaims(client: Tx, claims: Waiter[], receivedAt: Date, owner: string | null): Promise<Set<string>> {
  const values = Prisma.join(claims.flatMap((w, c) => w.ids.map((id, i) => Prisma.sql`(${id}, ${i === 0 ? w.payload : null}, ${c})`)));
  const inserted = await sqlRows<{ id: string }[]>(client, Prisma.sql`
    WITH claim(id, payload, n) AS (VALUES ${values})
    INSERT INTO "ProcessedDelivery" ("id", "receivedAt", "payload", "owner")
    SELECT claim.id, ${receivedAt}, claim.payload, ${owner} FROM claim
    WHERE NOT EXISTS (SELECT 1 FROM claim AS other JOIN "ProcessedDelivery" AS seen ON seen."id" = other.id WHERE other.n = claim.n)
    ON CONFLICT ("id") DO NOTHING RETURNING "id"`);
  return new Set(inserted.map((r) => r.id));
}

export function createLedger(db: Db, clock: Clock, owner?: string): DeliveryLedger {
  const waiting: Waiter[] = [];
  let flushing = false;

  async function flushBatch(batch: Waiter[]): Promise<void> {
    // Within one batch the first claim of an id wins (and its payload is the one recorded); a later claim sharing
    // any of its ids is a duplicate and inserts nothing.
    const named = new Set<string>();
    const entered = batch.map((w) => {
      if (w.ids.some((id) => named.has(id))) return false;
      w.ids.forEach((id) => named.add(id));
      return true;
    });
    const claims = batch.filter((_, i) => entered[i]);
    const receivedAt = clock.now();
    const grouped = claims.some((w) => w.ids.length > 1);
    let fresh: Set<string>;
    if (!grouped) {
      fresh = await db.writeStatement((client) => insertRows(client, claims.map((w) => ({ id: w.ids[0]!, payload: w.payload })), receivedAt, owner ?? null));
    } else if (db.provider === 'sqlite') {
      fresh = await db.writeStatement((client) => insertClaims(client, claims, receivedAt, owner ?? null));
    } else {
      fresh = await db.writeFirst(async (tx) => {
        const rows = claims.flatMap((w) => w.ids.map((id, i) => ({ id, payload: i === 0 ? w.payload : null })));
        const inserted = await insertRows(tx, rows, receivedAt, owner ?? null);
        // A claim with an id seen before records nothing: forget the ids it made new (same transaction).
        const orphans = claims.flatMap((w) => (w.ids.every((id) => inserted.has(id)) ? [] : w.ids.filter((id) => inserted.has(id))));
        if (orphans.length > 0) await tx.processedDelivery.deleteMany({ where: { id: { in: orphans } } });
        return inserted;
      });
    }
    batch.forEach((w, i) => w.resolve(entered[i]! && w.ids.every((id) => fresh.has(id))));
  }

  async function flush(): Promise<void> {
    try {
      while (waiting.length > 0) {
        const batch: Waiter[] = [];
        let rows = 0;
        while (waiting.length > 0 && rows + waiting[0]!.ids.length <= MAX_BATCH) {
          rows += waiting[0]!.ids.length;
          batch.push(waiting.shift()!);
        }
        if (batch.length === 0) batch.push(waiting.shift()!);
        try {
          await flushBatch(batch);
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      flushing = false;
    }
  }

  return {
    claim(ids, payload) {
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({ ids: typeof ids === 'string' ? [ids] : ids, payload: encodePayload(payload), resolve, reject });
        if (!flushing) {
          // Let the requests already read in this turn of the event loop join the batch.
          flushing = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
