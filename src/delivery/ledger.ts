// The ack path's one write: recording the delivery ids of requests a platform sent (table ProcessedDelivery, the
// durable inbox of src/delivery/inbox.ts) with the work each accepts. Claims arriving together — every request read
// in the same turn of the event loop — are written in one statement: INSERT … ON CONFLICT DO NOTHING RETURNING id
// yields the ids that were new, so a duplicate (a platform's retry, or a replica that recorded it first) needs no
// second round trip, and the ack costs a share of one insert however many requests are in flight.
//
// A claim may name several ids (a Feishu message is known by its event id and by its message id): it is fresh only
// when all are new, and a claim with an id seen before records nothing (its new ids are deleted again in the same
// transaction). The payload goes on the claim's first id.
import type { Db, Tx } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Clock } from '../usecases/types.js';
import { encodePayload, type InboxPayload } from './inbox.js';

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
  const inserted = await client.$queryRaw<{ id: string }[]>(
    Prisma.sql`INSERT INTO "ProcessedDelivery" ("id", "receivedAt", "payload", "owner") VALUES ${values} ON CONFLICT ("id") DO NOTHING RETURNING "id"`,
  );
  return new Set(inserted.map((r) => r.id));
}

export function createLedger(db: Db, clock: Clock, owner?: string): DeliveryLedger {
  const waiting: Waiter[] = [];
  let flushing = false;

  async function flushBatch(batch: Waiter[]): Promise<void> {
    // Within one batch the first claim of an id wins (and its payload is the one recorded).
    const rows = new Map<string, string | null>();
    for (const w of batch) w.ids.forEach((id, i) => rows.has(id) || rows.set(id, i === 0 ? w.payload : null));
    const receivedAt = clock.now();
    const grouped = batch.some((w) => w.ids.length > 1);
    const run = async (client: Tx): Promise<boolean[]> => {
      const fresh = await insertRows(client, [...rows].map(([id, payload]) => ({ id, payload })), receivedAt, owner ?? null);
      const taken = new Set<string>();
      const results = batch.map((w) => {
        const ok = w.ids.every((id) => fresh.has(id) && !taken.has(id));
        w.ids.forEach((id) => fresh.has(id) && taken.add(id));
        return ok;
      });
      // A claim with an id seen before records nothing: forget the ids it made new (same transaction).
      const orphans = batch.flatMap((w, i) => (results[i] ? [] : w.ids.filter((id) => fresh.has(id) && !batch.some((o, j) => results[j] && o.ids.includes(id)))));
      if (orphans.length > 0) await client.processedDelivery.deleteMany({ where: { id: { in: orphans } } });
      return results;
    };
    // Several ids per claim: insert and clean-up in one transaction; otherwise the single statement is atomic.
    const results = await (grouped ? db.writeFirst(run) : db.writeStatement(run));
    batch.forEach((w, i) => w.resolve(results[i]!));
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
