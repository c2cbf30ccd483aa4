// The outbox statements the delivery worker runs on every row: claim a batch of due rows, mark a batch sent. Kept
// in one place because they are the hot path of delivery, and a database provider may run them its own way
// (PostgreSQL can claim with FOR UPDATE SKIP LOCKED); they are portable Prisma calls today.
//
// Claim order and index: due rows are read per status, ordered by (nextAttemptAt, id), with
// `@@index([platform, status, nextAttemptAt, id])` serving the filter and the order — no sort, however many rows wait
// (test/delivery/outboxPlan.test.ts checks the plan). A retried row thus waits its turn behind rows that became due
// before it; rows written together (one transaction, one timestamp) keep their id order.
import type { Tx } from '../db/client.js';

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

const select = { id: true, workspaceId: true, kind: true, target: true, cardKey: true, payload: true, attempts: true, createdAt: true, nextAttemptAt: true } as const;

/**
 * Claims up to `limit` rows of `platform` that are due at `now` (pending, or sending with an expired lease):
 * compare-and-set in one statement, so two workers (or replicas) never claim the same row.
 */
export async function claimDue(
  tx: Tx,
  opts: { platform: string; now: Date; limit: number; leaseUntil: Date; claimedBy: string | null },
): Promise<ClaimedRow[]> {
  const { platform, now, limit } = opts;
  const due = (status: string) =>
    tx.outboxMessage.findMany({
      where: { platform, status, nextAttemptAt: { lte: now } },
      orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }],
      take: limit,
      select,
    });
  const pending = await due('pending');
  // Lease expired (or released at start): rare, and read the same way.
  const stale = pending.length < limit ? await due('sending') : [];
  const candidates = [...pending.map((r) => ({ ...r, uncertain: false })), ...stale.map((r) => ({ ...r, uncertain: true }))]
    .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.id - b.id)
    .slice(0, limit);
  if (candidates.length === 0) return [];
  const won = await tx.outboxMessage.updateManyAndReturn({
    where: { id: { in: candidates.map((c) => c.id) }, status: { in: ['pending', 'sending'] }, nextAttemptAt: { lte: now } },
    data: { status: 'sending', attempts: { increment: 1 }, nextAttemptAt: opts.leaseUntil, claimedBy: opts.claimedBy },
    select: { id: true, attempts: true },
  });
  const attempts = new Map(won.map((w) => [w.id, w.attempts]));
  return candidates
    .filter((c) => attempts.has(c.id))
    .map(({ nextAttemptAt: _due, ...c }) => ({ ...c, attempts: attempts.get(c.id)! }));
}

/** What a successful send left to remember: the row is sent; a posted card is remembered for later updates. */
export interface SentRow {
  id: number;
  card?: { cardKey: string; workspaceId: string; channelId: string; messageId: string };
}

/** Marks rows sent (one statement) and remembers where their cards landed. */
export async function markSent(tx: Tx, platform: string, rows: SentRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await tx.outboxMessage.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { status: 'sent', sentAt: now, lastError: null } });
  for (const { card } of rows) {
    if (!card) continue;
    const key = { cardKey: card.cardKey, platform, workspaceId: card.workspaceId, channelId: card.channelId };
    await tx.cardRef.upsert({
      where: { cardKey_platform_workspaceId_channelId: key },
      create: { ...key, messageId: card.messageId },
      update: { messageId: card.messageId },
    });
  }
}
