// The record of Slack deliveries already handled (table ProcessedDelivery): a retried or replayed request with the
// same delivery id is acknowledged and dropped. Claims arriving together are written in one statement
// (src/delivery/ledger.ts). Each claim carries the payload of the work it accepts (the durable inbox,
// src/delivery/inbox.ts): work not marked done is replayed at start.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { pruneDeliveries, type InboxPayload } from '../../delivery/inbox.js';
import { createLedger } from '../../delivery/ledger.js';
import type { Clock } from '../../usecases/types.js';

export const PREFIX = 'slack:';

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

export function createDeliveryLedger(db: Db, clock: Clock, owner?: string): DeliveryLedger {
  const ledger = createLedger(db, clock, owner);
  return {
    claim: (id, payload) => ledger.claim(id, payload),
    prune: (maxAgeMs) => pruneDeliveries(db, clock, PREFIX, maxAgeMs),
  };
}
