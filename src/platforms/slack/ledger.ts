// The record of Slack deliveries already handled (table ProcessedDelivery): a retried or replayed request with the
// same delivery id is acknowledged and dropped. Claims arriving together are written in one statement, so the
// ack path costs one batched insert however many requests are in flight. Each claim carries the payload of the
// work it accepts (the durable inbox, src/delivery/inbox.ts): work not marked done is replayed at start.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { pruneDeliveries } from '../../delivery/inbox.js';
import { encodePayload, type InboxPayload } from '../../delivery/inbox.js';
import type { Clock } from '../../usecases/types.js';

export const PREFIX = 'slack:';
/** Ids per INSERT (four bound variables each; SQLite allows 32766). */
const MAX_BATCH = 500;

/** A stable delivery id from the parts that identify one invocation (e.g. team, user, trigger_id). */
export function deliveryId(kind: string, ...parts: (string | undefined)[]): string {
  const hash = createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('base64url').slice(0, 32);
  return `${PREFIX}${kind}:${hash}`;
}

export interface DeliveryLedger {
  /** true the first time `id` is seen (it is now recorded with `payload`), false for a duplicate. */
  claim(id: string, payload?: InboxPayload): Promise<boolean>;
  /** Forget records older than `maxAgeMs` (Slack retries within minutes; older replays fail the timestamp check). */
  prune(maxAgeMs: number): Promise<number>;
}

interface Waiter {
  id: string;
  payload: string | null;
  resolve: (fresh: boolean) => void;
  reject: (error: unknown) => void;
}

export function createDeliveryLedger(db: Db, clock: Clock, owner?: string): DeliveryLedger {
  const waiting: Waiter[] = [];
  let flushing = false;

  /**
   * One statement for the whole batch: INSERT … ON CONFLICT DO NOTHING RETURNING id yields the ids that were new,
   * so duplicates (also from another replica) need no second round trip. Prisma's createMany costs ~6x more per
   * batch and cannot skip duplicates on SQLite. receivedAt is ISO-8601 text, as Prisma stores DateTime on SQLite.
   */
  async function insertBatch(claims: { id: string; payload: string | null }[]): Promise<Set<string>> {
    const receivedAt = clock.now().toISOString();
    const placeholders = claims.map(() => '(?, ?, ?, ?)').join(', ');
    const rows = await db.writeStatement((client) =>
      client.$queryRawUnsafe<{ id: string }[]>(
        `INSERT INTO "ProcessedDelivery" ("id", "receivedAt", "payload", "owner") VALUES ${placeholders} ON CONFLICT ("id") DO NOTHING RETURNING "id"`,
        ...claims.flatMap((c) => [c.id, receivedAt, c.payload, owner ?? null]),
      ),
    );
    return new Set(rows.map((r) => r.id));
  }

  async function flush(): Promise<void> {
    flushing = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.splice(0, MAX_BATCH);
        let fresh: Set<string>;
        try {
          // Within one batch the first request for an id wins (and its payload is the one recorded).
          const first = new Map<string, string | null>();
          for (const w of batch) if (!first.has(w.id)) first.set(w.id, w.payload);
          fresh = await insertBatch([...first].map(([id, payload]) => ({ id, payload })));
        } catch (error) {
          for (const w of batch) w.reject(error);
          continue;
        }
        // Within one batch the first request for an id wins; its twins are duplicates.
        for (const w of batch) w.resolve(fresh.delete(w.id));
      }
    } finally {
      flushing = false;
    }
  }

  return {
    claim(id, payload) {
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({ id, payload: encodePayload(payload), resolve, reject });
        if (!flushing) {
          // Let the requests already read in this turn of the event loop join the batch.
          flushing = true;
          setImmediate(() => void flush());
        }
      });
    },
    prune: (maxAgeMs) => pruneDeliveries(db, clock, PREFIX, maxAgeMs),
  };
}
