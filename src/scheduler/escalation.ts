// Event work the scheduler does once per event, through the same JobRun ledger as its periodic jobs (claim with
// compare-and-set, the work and the `done` mark in one transaction, leases taken over after a crash):
//   escalation      period = "ADJ-12:finance", "CMP-7:leader:r0", "PLAN-2027:v2:leader" — a decision that waited
//                   longer than escalate_hours at its step (src/usecases/escalation.ts);
//   delegation-end  period = "DLG-5" — a delegation that reached its date: delegator and stand-in are told.
// Runs on every tick (each minute) and at start, so a restart or a second instance neither repeats nor misses one.
import { countingOutboxWrites } from './outboxWrites.js';
import type { Db } from '../db/client.js';
import { isValidTimeZone } from '../domain/time.js';
import { log } from '../log.js';
import { atUseCaseTime } from '../usecases/audit.js';
import { systemCtx } from '../usecases/context.js';
import { announceDelegationEnd, delegationKey } from '../usecases/delegation.js';
import { escalate, overdue, pendingDecisions } from '../usecases/escalation.js';
import { loadSettings, type Settings } from '../usecases/settings.js';
import type { Clock, CoreConfig } from '../usecases/types.js';
import { claimRun, completeRun, failRun, LostClaimError, type EventJob } from './ledger.js';

/** A delegation that ended while the bot was down longer than this gets no end notice (it is long over). */
const END_NOTICE_WINDOW_MS = 30 * 24 * 3_600_000;

export interface EventReport {
  job: EventJob;
  key: string;
  status: 'done' | 'already-done' | 'busy' | 'failed' | 'lost' | 'moved-on';
  posts: number;
}

export interface EventOptions {
  db: Db;
  config: CoreConfig;
  clock: Clock;
  owner: string;
  leaseMs: number;
  /** Test hook: runs between the claim and the work (throwing there simulates a crash after claiming). */
  afterClaim?: (job: EventJob, key: string) => void | Promise<void>;
}

async function once(
  o: EventOptions,
  job: EventJob,
  key: string,
  work: (tx: Parameters<Parameters<Db['write']>[0]>[0], settings: Settings) => Promise<boolean>,
  settings: Settings,
): Promise<EventReport> {
  const now = o.clock.now();
  const claim = await claimRun(o.db, { job, period: key, owner: o.owner, now, leaseMs: o.leaseMs, late: false });
  if (!claim.claimed) return { job, key, status: claim.reason === 'done' ? 'already-done' : 'busy', posts: 0 };
  try {
    await o.afterClaim?.(job, key);
    const result = await atUseCaseTime(now, () => o.db.write(async (outer) => {
      const { tx, written } = countingOutboxWrites(outer);
      const did = await work(tx, settings);
      const posts = written();
      await completeRun(outer, { id: claim.id, job, period: key, owner: o.owner, claimedAt: claim.claimedAt, now: o.clock.now() });
      return { did, posts };
    }));
    log.info('scheduler.event_done', { job, key, posts: result.posts });
    return { job, key, status: result.did ? 'done' : 'moved-on', posts: result.posts };
  } catch (error) {
    if (error instanceof LostClaimError) return { job, key, status: 'lost', posts: 0 };
    log.error('scheduler.event_failed', { job, key, error });
    await failRun(o.db, { id: claim.id, owner: o.owner, claimedAt: claim.claimedAt, error: String((error as Error)?.stack ?? error) }).catch(() => undefined);
    return { job, key, status: 'failed', posts: 0 };
  }
}

/** Escalates what is overdue and announces delegations that ended; each event once, whoever runs it. */
export async function runEvents(o: EventOptions): Promise<EventReport[]> {
  const settings = await o.db.read((tx) => loadSettings(tx, o.config));
  if (!isValidTimeZone(settings.timezone)) settings.timezone = isValidTimeZone(o.config.timezone) ? o.config.timezone : 'Asia/Shanghai';
  const now = o.clock.now();
  const reports: EventReport[] = [];
  const deps = { db: o.db, config: o.config, clock: o.clock };

  const due = await o.db.read(async (tx) => overdue(await pendingDecisions(tx), settings, now));
  const expired = await o.db.read((tx) =>
    tx.delegation.findMany({ where: { revokedAt: null, endsAt: { lte: now, gt: new Date(now.getTime() - END_NOTICE_WINDOW_MS) } }, orderBy: { id: 'asc' } }),
  );
  const keys = [...due.map((p) => p.key), ...expired.map((d) => delegationKey(d.id))];
  const done = new Set(
    keys.length === 0
      ? []
      : (await o.db.read((tx) => tx.jobRun.findMany({ where: { job: { in: ['escalation', 'delegation-end'] }, period: { in: keys }, status: 'done' }, select: { job: true, period: true } }))).map(
          (r) => `${r.job} ${r.period}`,
        ),
  );

  for (const p of due) {
    if (done.has(`escalation ${p.key}`)) continue;
    reports.push(await once(o, 'escalation', p.key, async (tx, s) => (await escalate(tx, systemCtx(deps, s), p)) !== null, settings));
  }
  for (const d of expired) {
    const key = delegationKey(d.id);
    if (done.has(`delegation-end ${key}`)) continue;
    reports.push(
      await once(o, 'delegation-end', key, async (tx, s) => {
        const fresh = await tx.delegation.findUnique({ where: { id: d.id } });
        if (!fresh || fresh.revokedAt) return false; // revoked meanwhile: its end was announced then
        return (await announceDelegationEnd(tx, fresh, s.locale)) > 0;
      }, settings),
    );
  }
  return reports;
}
