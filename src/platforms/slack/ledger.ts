// The record of Slack deliveries already handled (table ProcessedDelivery): a retried or replayed request with the
// same delivery id is acknowledged and dropped. Claims arriving together are written in one transaction, so the
// ack path costs one batched insert however many requests are in flight.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { log } from '../../log.js';
import type { Clock } from '../../usecases/types.js';

const PREFIX = 'slack:';

/** A stable delivery id from the parts that identify one invocation (e.g. team, user, trigger_id). */
export function deliveryId(kind: string, ...parts: (string | undefined)[]): string {
  const hash = createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('base64url').slice(0, 32);
  return `${PREFIX}${kind}:${hash}`;
}

export interface DeliveryLedger {
  /** true the first time `id` is seen (it is now recorded), false for a duplicate. */
  claim(id: string): Promise<boolean>;
  /** Forget records older than `maxAgeMs` (Slack retries within minutes; replays older than a day are refused by the timestamp check). */
  prune(maxAgeMs: number): Promise<number>;
}

interface Waiter {
  id: string;
  resolve: (fresh: boolean) => void;
  reject: (error: unknown) => void;
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    const text = `${(e as { code?: unknown }).code ?? ''} ${(e as { message?: unknown }).message ?? ''}`;
    if (/P2002|UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(text)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export function createDeliveryLedger(db: Db, clock: Clock): DeliveryLedger {
  let waiting: Waiter[] = [];
  let flushing = false;

  async function insertBatch(ids: string[]): Promise<Set<string>> {
    return db.write(async (tx) => {
      const seen = await tx.processedDelivery.findMany({ where: { id: { in: ids } }, select: { id: true } });
      const known = new Set(seen.map((s) => s.id));
      const fresh = ids.filter((id) => !known.has(id));
      if (fresh.length > 0) {
        const receivedAt = clock.now();
        await tx.processedDelivery.createMany({ data: fresh.map((id) => ({ id, receivedAt })) });
      }
      return new Set(fresh);
    });
  }

  /** One id at a time: used when a batch collided with another process's insert. */
  async function insertOne(id: string): Promise<boolean> {
    try {
      await db.write((tx) => tx.processedDelivery.create({ data: { id, receivedAt: clock.now() } }));
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async function flush(): Promise<void> {
    flushing = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      const ids = [...new Set(batch.map((w) => w.id))];
      let fresh: Set<string>;
      try {
        fresh = await insertBatch(ids);
      } catch (error) {
        if (!isUniqueViolation(error)) {
          for (const w of batch) w.reject(error);
          continue;
        }
        fresh = new Set();
        for (const id of ids) {
          try {
            if (await insertOne(id)) fresh.add(id);
          } catch (e) {
            log.error('slack.ledger_failed', { error: e });
          }
        }
      }
      // Within one batch the first request for an id wins; its twins are duplicates.
      for (const w of batch) {
        const won = fresh.delete(w.id);
        w.resolve(won);
      }
    }
    flushing = false;
  }

  return {
    claim(id) {
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({ id, resolve, reject });
        if (!flushing) void flush();
      });
    },
    async prune(maxAgeMs) {
      const before = new Date(clock.now().getTime() - maxAgeMs);
      const r = await db.write((tx) =>
        tx.processedDelivery.deleteMany({ where: { id: { startsWith: PREFIX }, receivedAt: { lt: before } } }),
      );
      return r.count;
    },
  };
}
