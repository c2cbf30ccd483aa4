// The scheduler: node-schedule fires each job on its cron (read from settings, in the configured time zone);
// every run goes through the JobRun ledger so it happens exactly once per period across restarts, replicas
// and `npm run job`. A minute tick re-reads the settings (rescheduling when a cron or the time zone changed)
// and runs whatever is due but not done — which also catches up missed runs at start (never from before the
// scheduler first ran on this database), takes over runs whose owner crashed once their lease ran out, and posts a
// period skipped earlier for want of a chat once one is bound.
import { countingOutboxWrites } from './outboxWrites.js';
import { hostname } from 'node:os';
import schedule from 'node-schedule';
import type { Db, Tx } from '../db/client.js';
import { isValidTimeZone } from '../domain/time.js';
import { log } from '../log.js';
import { DEFAULT_SCHEDULES, JOB_NAMES, loadSettings, type JobName, type Settings } from '../usecases/settings.js';
import { systemClock, type Clock, type CoreConfig } from '../usecases/types.js';
import { nextOccurrence, parseCron, type CronSpec } from '../domain/cron.js';
import { currentPeriod, latestDue } from './periods.js';
import { claimRun, completeRun, failRun, LostClaimError, skipRun } from './ledger.js';
import { JOBS, NoDestination, type JobBody, type JobContext } from './jobs.js';
import { runEvents, type EventReport } from './escalation.js';
import type { EventJob } from './ledger.js';

export { JOB_NAMES, type JobName } from '../usecases/settings.js';

/** Setting key holding the instant the scheduler first ran on this database. */
export const FIRST_START_KEY = 'scheduler.first_start';

export interface SchedulerOptions {
  db: Db;
  config: CoreConfig;
  clock?: Clock;
  /** Identifies this process in the ledger; default host:pid:random. */
  owner?: string;
  /** A claim older than this whose run is not done may be taken over (its owner crashed). Default 10 min. */
  leaseMs?: number;
  /** A run started more than this after its scheduled instant is marked late. Default 2 min. */
  lateAfterMs?: number;
  /** How often settings are re-read and due runs checked. Default 60 s. */
  tickMs?: number;
  /** false: no node-schedule timers nor interval (tests drive tick() with a fake clock). Default true. */
  timers?: boolean;
  /** Called after a run committed outbox rows (wake the delivery workers). */
  onPosted?: () => void;
  /** Replace job bodies (tests). */
  jobs?: Partial<Record<JobName, JobBody>>;
  /** Test hook: runs between the claim and the work; throwing there simulates a crash after claiming. */
  afterClaim?: (job: JobName, period: string) => void | Promise<void>;
  /** Test hook for escalations and delegation ends, like afterClaim. */
  afterEventClaim?: (job: EventJob, key: string) => void | Promise<void>;
}

/** skipped: nowhere to post (no chat bound, nobody to message); the period stays open for a later run. */
export type RunStatus = 'done' | 'already-done' | 'busy' | 'failed' | 'lost' | 'skipped';

export interface RunReport {
  job: JobName;
  period: string;
  status: RunStatus;
  late: boolean;
  /** Outbox rows written by this run. */
  posts: number;
  details?: Record<string, number>;
  error?: string;
  /** For skipped: the purpose of the chat that is missing (team, leaders). */
  missing?: string;
  /** For already-done / busy: the ledger row that holds the period. */
  heldBy?: { owner: string; status: string; claimedAt: Date; finishedAt: Date | null; late: boolean };
}

export interface EffectiveSchedule {
  job: JobName;
  cron: string;
  spec: CronSpec;
  /** The configured expression when it was invalid (the default is used instead). */
  invalid?: { cron: string; error: string };
}

export interface Scheduler {
  /** Catches up missed runs (latest period only, marked late), then starts timers. */
  start(): Promise<RunReport[]>;
  stop(): Promise<void>;
  /** Re-reads settings, reschedules on change, runs due-but-not-done jobs, then the events (escalations, …). */
  tick(): Promise<RunReport[]>;
  /** Escalates overdue decisions and announces ended delegations, each once (src/scheduler/escalation.ts). */
  events(): Promise<EventReport[]>;
  /** Runs `job` for the period containing now (what `npm run job` does), honouring the ledger. */
  runNow(job: JobName): Promise<RunReport>;
  /** The schedules in force (after falling back from invalid expressions). */
  schedules(): Promise<{ timezone: string; list: EffectiveSchedule[] }>;
  /** Next fire instants (for logs and the CLI). */
  nextRuns(): Promise<{ job: JobName; at: Date | null }[]>;
}

/** Resolves the schedule of each job from settings; an invalid cron is logged and replaced by the default. */
export function effectiveSchedules(settings: Settings, config: CoreConfig, warned?: Set<string>): { timezone: string; list: EffectiveSchedule[] } {
  let timezone = settings.timezone;
  if (!isValidTimeZone(timezone)) {
    const key = `tz:${timezone}`;
    if (!warned?.has(key)) log.warn('scheduler.invalid_timezone', { timezone, using: config.timezone });
    warned?.add(key);
    timezone = isValidTimeZone(config.timezone) ? config.timezone : 'Asia/Shanghai';
  }
  const list = JOB_NAMES.map((job): EffectiveSchedule => {
    const configured = settings.schedules[job] ?? DEFAULT_SCHEDULES[job];
    const parsed = parseCron(configured);
    if (parsed.ok) return { job, cron: parsed.spec.source, spec: parsed.spec };
    const key = `${job}:${configured}`;
    if (!warned?.has(key)) log.warn('scheduler.invalid_cron', { job, cron: configured, error: parsed.error, using: DEFAULT_SCHEDULES[job] });
    warned?.add(key);
    const fallback = parseCron(DEFAULT_SCHEDULES[job]);
    if (!fallback.ok) throw new Error(`default schedule of ${job} is invalid`);
    return { job, cron: fallback.spec.source, spec: fallback.spec, invalid: { cron: configured, error: parsed.error } };
  });
  return { timezone, list };
}

export function createScheduler(opts: SchedulerOptions): Scheduler {
  const { db, config } = opts;
  const clock = opts.clock ?? systemClock;
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  const lateAfterMs = opts.lateAfterMs ?? 2 * 60_000;
  const tickMs = opts.tickMs ?? 60_000;
  const timers = opts.timers ?? true;
  const bodies: Record<JobName, JobBody> = { ...JOBS, ...opts.jobs };
  const warned = new Set<string>();
  const nodeJobs = new Map<JobName, { key: string; job: schedule.Job | null }>();
  let interval: NodeJS.Timeout | undefined;
  let stopped = true;
  let inFlight = new Set<Promise<unknown>>();

  const readSettings = () => db.read((tx) => loadSettings(tx, config));

  /**
   * When the scheduler first ran on this database (Setting `scheduler.first_start`, written once): catch-up never
   * runs a period scheduled before it — a fresh install does not post last week's agenda.
   */
  let firstStart: Date | undefined;
  async function firstStartAt(): Promise<Date> {
    if (firstStart) return firstStart;
    const now = clock.now();
    const row = await db.write(async (tx) => {
      const seen = await tx.setting.findUnique({ where: { key: FIRST_START_KEY } });
      return seen ?? tx.setting.create({ data: { key: FIRST_START_KEY, value: JSON.stringify(now.toISOString()) } });
    });
    const at = new Date(JSON.parse(row.value) as string);
    firstStart = Number.isNaN(at.getTime()) ? now : at;
    return firstStart;
  }

  function track<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  async function run(job: JobName, period: string, scheduledAt: Date | null, settings: Settings, timezone: string): Promise<RunReport> {
    const startedAt = clock.now();
    const late = scheduledAt !== null && startedAt.getTime() - scheduledAt.getTime() > lateAfterMs;
    const claim = await claimRun(db, { job, period, owner, now: startedAt, leaseMs, late });
    if (!claim.claimed) {
      return { job, period, status: claim.reason === 'done' ? 'already-done' : 'busy', late, posts: 0, heldBy: claim.row };
    }
    if (claim.takenOver) log.warn('scheduler.run_taken_over', { job, period, owner });
    try {
      await opts.afterClaim?.(job, period);
      const result = await db.write(async (outer: Tx) => {
        const now = clock.now();
        const ctx: JobContext = { job, period, now, late, scheduledAt, settings: { ...settings, timezone }, config };
        const { tx, written } = countingOutboxWrites(outer);
        const summary = await bodies[job](tx, ctx);
        await completeRun(outer, { id: claim.id, job, period, owner, claimedAt: claim.claimedAt, now });
        return { summary, posts: written() };
      });
      log.info('scheduler.run_done', { job, period, late, posts: result.posts, ...result.summary });
      if (result.posts > 0) opts.onPosted?.();
      return { job, period, status: 'done', late, posts: result.posts, details: result.summary };
    } catch (error) {
      if (error instanceof NoDestination) {
        // Logged once per period (a later tick finds it skipped again until a chat is bound).
        if (claim.previous !== 'skipped') log.warn('scheduler.run_skipped', { job, period, missing: error.purpose });
        await skipRun(db, { id: claim.id, owner, claimedAt: claim.claimedAt, now: clock.now(), reason: error.message });
        return { job, period, status: 'skipped', late, posts: 0, missing: error.purpose };
      }
      if (error instanceof LostClaimError) {
        log.warn('scheduler.run_lost', { job, period, owner });
        return { job, period, status: 'lost', late, posts: 0 };
      }
      const message = String((error as Error)?.stack ?? error);
      log.error('scheduler.run_failed', { job, period, error });
      await failRun(db, { id: claim.id, owner, claimedAt: claim.claimedAt, error: message }).catch((e: unknown) =>
        log.error('scheduler.fail_record_failed', { job, period, error: e }),
      );
      return { job, period, status: 'failed', late, posts: 0, error: String((error as Error)?.message ?? error) };
    }
  }

  async function runDue(only?: JobName, firedAt?: Date): Promise<RunReport[]> {
    const settings = await readSettings();
    const effective = effectiveSchedules(settings, config, warned);
    const since = await firstStartAt();
    const now = clock.now();
    const reports: RunReport[] = [];
    for (const s of effective.list) {
      if (only && s.job !== only) continue;
      // node-schedule may fire a hair before the instant it stands for: look from whichever is later.
      const at = firedAt && firedAt.getTime() > now.getTime() ? firedAt : now;
      const due = latestDue(s.job, s.spec, at, effective.timezone);
      // Never a catch-up of a period from before the first start (a run due moments before it is on time, not one).
      if (!due || due.scheduledAt.getTime() < since.getTime() - lateAfterMs) continue;
      reports.push(await run(s.job, due.period, due.scheduledAt, settings, effective.timezone));
    }
    return reports;
  }

  function reschedule(effective: { timezone: string; list: EffectiveSchedule[] }) {
    if (!timers || stopped) return;
    for (const s of effective.list) {
      const key = `${s.cron}@${effective.timezone}`;
      const current = nodeJobs.get(s.job);
      if (current?.key === key) continue;
      current?.job?.cancel();
      const job = schedule.scheduleJob({ rule: s.cron, tz: effective.timezone }, (fireDate: Date) => {
        void track(runDue(s.job, fireDate)).catch((error: unknown) => log.error('scheduler.fire_failed', { job: s.job, error }));
      });
      if (!job) log.error('scheduler.schedule_refused', { job: s.job, cron: s.cron, timezone: effective.timezone });
      nodeJobs.set(s.job, { key, job });
      log.info('scheduler.scheduled', { job: s.job, cron: s.cron, timezone: effective.timezone, next: job?.nextInvocation()?.toISOString?.() });
    }
  }

  async function events(): Promise<EventReport[]> {
    const reports = await runEvents({ db, config, clock, owner, leaseMs, afterClaim: opts.afterEventClaim });
    if (reports.some((r) => r.posts > 0)) opts.onPosted?.();
    return reports;
  }

  async function tick(): Promise<RunReport[]> {
    const settings = await readSettings();
    reschedule(effectiveSchedules(settings, config, warned));
    const reports = await runDue();
    await events().catch((error: unknown) => log.error('scheduler.events_failed', { error }));
    return reports;
  }

  return {
    async start() {
      stopped = false;
      const reports = await track(tick());
      const caughtUp = reports.filter((r) => r.status === 'done' && r.late);
      if (caughtUp.length > 0) log.info('scheduler.caught_up', { runs: caughtUp.map((r) => `${r.job} ${r.period}`) });
      if (timers && !stopped) {
        let ticking = false;
        interval = setInterval(() => {
          // Never two ticks at once: a tick with many events (escalations) may outlast the interval, and overlapping
          // ticks would only compete for the same claims and the database's connections.
          if (ticking) return;
          ticking = true;
          void track(tick())
            .catch((error: unknown) => log.error('scheduler.tick_failed', { error }))
            .finally(() => {
              ticking = false;
            });
        }, tickMs);
        interval.unref?.();
      }
      return reports;
    },
    async stop() {
      stopped = true;
      clearInterval(interval);
      for (const { job } of nodeJobs.values()) job?.cancel();
      nodeJobs.clear();
      const pending = [...inFlight];
      inFlight = new Set();
      await Promise.allSettled(pending);
    },
    tick: () => track(tick()),
    events: () => track(events()),
    async runNow(job) {
      const settings = await readSettings();
      const effective = effectiveSchedules(settings, config, warned);
      const now = clock.now();
      return track(run(job, currentPeriod(job, now, effective.timezone), null, settings, effective.timezone));
    },
    async schedules() {
      return effectiveSchedules(await readSettings(), config, warned);
    },
    async nextRuns() {
      const effective = effectiveSchedules(await readSettings(), config, warned);
      const now = clock.now();
      return effective.list.map((s) => ({ job: s.job, at: nextOccurrence(s.spec, now, effective.timezone) }));
    },
  };
}
