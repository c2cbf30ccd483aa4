// The JobRun ledger: one row per (job, period). A run is claimed with compare-and-set (insert under the
// unique key, take over a stale claim whose owner crashed, or retry a period skipped for want of a destination),
// and marked done in the same transaction that writes its outbox rows — so "posted" means "its outbox rows
// committed", exactly once. Status: claimed | done | failed | skipped.
import type { Db, Tx } from '../db/client.js';
import type { JobName } from '../usecases/settings.js';

/** Ledger jobs that are not on a schedule: one row per event (period = the event's key, e.g. "ADJ-12:finance"). */
export type EventJob = 'escalation' | 'delegation-end';

export type ClaimResult =
  /** `previous`: the status the period had ('skipped' when an earlier run found nowhere to post). */
  | { claimed: true; id: number; claimedAt: Date; takenOver: boolean; previous?: string }
  | { claimed: false; reason: 'done' | 'busy'; row: { status: string; owner: string; claimedAt: Date; finishedAt: Date | null; late: boolean } };

/** Raised inside the completing write when our claim was taken over meanwhile: rolls the posts back. */
export class LostClaimError extends Error {
  constructor(job: string, period: string) {
    super(`claim of ${job} ${period} was taken over by another instance`);
    this.name = 'LostClaimError';
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    const text = `${(e as { code?: unknown }).code ?? ''} ${(e as { message?: unknown }).message ?? ''}`;
    if (/P2002|UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(text)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export async function claimRun(
  db: Db,
  /** A scheduled job, or an event the bot handles once ("escalation", "delegation-end"). */
  args: { job: JobName | EventJob; period: string; owner: string; now: Date; leaseMs: number; late: boolean },
): Promise<ClaimResult> {
  const { job, period, owner, now, leaseMs, late } = args;
  // Fast path without a write lock: the minute tick asks about periods that are usually done already.
  const seen = await db.read((tx) => tx.jobRun.findUnique({ where: { job_period: { job, period } } }));
  if (seen?.status === 'done') {
    return { claimed: false, reason: 'done', row: { status: seen.status, owner: seen.owner, claimedAt: seen.claimedAt, finishedAt: seen.finishedAt, late: seen.late } };
  }
  try {
    return await db.write(async (tx) => {
      const existing = await tx.jobRun.findUnique({ where: { job_period: { job, period } } });
      if (!existing) {
        const row = await tx.jobRun.create({ data: { job, period, owner, status: 'claimed', claimedAt: now, late } });
        return { claimed: true as const, id: row.id, claimedAt: row.claimedAt, takenOver: false };
      }
      const info = { status: existing.status, owner: existing.owner, claimedAt: existing.claimedAt, finishedAt: existing.finishedAt, late: existing.late };
      if (existing.status === 'done') return { claimed: false as const, reason: 'done' as const, row: info };
      // skipped (nowhere to post last time): anyone may run it again now. claimed (owner crashed?) or failed: take
      // over once the lease has run out. Compare-and-set on claimedAt either way.
      if (existing.status !== 'skipped' && existing.claimedAt.getTime() > now.getTime() - leaseMs) {
        return { claimed: false as const, reason: 'busy' as const, row: info };
      }
      const won = await tx.jobRun.updateMany({
        where: { id: existing.id, status: existing.status, claimedAt: existing.claimedAt },
        data: { status: 'claimed', owner, claimedAt: now, late: existing.late || late, error: null, finishedAt: null },
      });
      if (won.count !== 1) return { claimed: false as const, reason: 'busy' as const, row: info };
      return { claimed: true as const, id: existing.id, claimedAt: now, takenOver: existing.status !== 'skipped', previous: existing.status };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another process inserted the same (job, period) between our read and our insert.
    const row = await db.read((tx) => tx.jobRun.findUnique({ where: { job_period: { job, period } } }));
    const info = row
      ? { status: row.status, owner: row.owner, claimedAt: row.claimedAt, finishedAt: row.finishedAt, late: row.late }
      : { status: 'claimed', owner: '?', claimedAt: now, finishedAt: null, late };
    return { claimed: false, reason: row?.status === 'done' ? 'done' : 'busy', row: info };
  }
}

/** Inside the write that enqueues the run's posts: marks it done, or throws LostClaimError (rolling back). */
export async function completeRun(
  tx: Tx,
  args: { id: number; job: string; period: string; owner: string; claimedAt: Date; now: Date },
): Promise<void> {
  const done = await tx.jobRun.updateMany({
    where: { id: args.id, owner: args.owner, status: 'claimed', claimedAt: args.claimedAt },
    data: { status: 'done', finishedAt: args.now },
  });
  if (done.count !== 1) throw new LostClaimError(args.job, args.period);
}

/**
 * Records a run that had nowhere to post (no chat bound, nobody to message): the period is not consumed, a later run
 * (the next tick, `npm run job`) posts it once a destination exists. Ignores a claim we no longer hold.
 */
export async function skipRun(db: Db, args: { id: number; owner: string; claimedAt: Date; now: Date; reason: string }): Promise<void> {
  await db.write((tx) =>
    tx.jobRun.updateMany({
      where: { id: args.id, owner: args.owner, status: 'claimed', claimedAt: args.claimedAt },
      data: { status: 'skipped', finishedAt: args.now, error: args.reason },
    }),
  );
}

/** Records a failure (the claim stays re-claimable after the lease). Ignores a claim we no longer hold. */
export async function failRun(db: Db, args: { id: number; owner: string; claimedAt: Date; error: string }): Promise<void> {
  await db.write((tx) =>
    tx.jobRun.updateMany({
      where: { id: args.id, owner: args.owner, status: 'claimed', claimedAt: args.claimedAt },
      data: { status: 'failed', error: args.error.slice(0, 2000) },
    }),
  );
}
