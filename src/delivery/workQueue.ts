// Work accepted (and acknowledged) but not done yet: the core calls behind Slack commands, clicks and mentions and
// Feishu messages and menu clicks. One queue per process, shared by every platform, because the process has one CPU
// to share between three kinds of work: acknowledging requests, doing the work they asked for, and delivering the
// answers. What makes accepted work durable is its record in the inbox (src/delivery/inbox.ts), not this queue: jobs
// lost with the process are replayed at the next start.
//
// How the CPU is shared, so that a person gets an answer under load, not only an ack:
//   - Jobs run `concurrency` at a time, oldest first (they wait on the database, which runs one unit at a time).
//   - Delivery is never starved: while the outbox workers are behind (`backlog()` at `maxBacklog` or more), one job
//     runs at a time and at most one starts every `sliceMs` (the time slice), so delivery gets the CPU it needs to
//     catch up, core work still moves, and waiting jobs hold new requests back (admission, below).
//   - Acks are admitted, not starved and not starving: a request waits in `admit()` (before it is recorded and
//     acknowledged) while `maxQueued` jobs are already waiting, at most `maxWaitMs` — Slack's 1 s, well within its
//     3 s. A sender that waits for its ack (Slack's retries, a busy workspace's clients) then sends at the speed the
//     work is done, and the time from a command to its answer stays bounded; past the budget a request is admitted
//     anyway (never refused, never past 3 s). Feishu's events are not held (its acks are to stay well under 100 ms).
//   - Between two jobs the event loop turns (setImmediate), so requests read meanwhile are acknowledged.
import { log } from '../log.js';

export interface WorkQueue {
  /** Resolves when a new job may be queued: at once while fewer than `maxQueued` wait, else at most `maxWaitMs` later. */
  admit(maxWaitMs: number): Promise<void>;
  /** Queues a job; false (and nothing queued) once the queue was drained at stop. */
  push(name: string, job: () => Promise<void>): boolean;
  /** Jobs waiting or running. */
  size(): number;
  /** Stop taking new jobs and wait (at most `timeoutMs`) for the accepted ones; false when some were left. */
  drain(timeoutMs: number): Promise<boolean>;
}

export interface WorkQueueOptions {
  /** Jobs running at once (default 4). */
  concurrency?: number;
  /** Jobs waiting before admit() holds new requests back (default 64). */
  maxQueued?: number;
  /** How far delivery is behind (rows), see DeliveryWorker.backlog(). */
  backlog?: () => number;
  /** From this backlog on, jobs run one at a time, one every `sliceMs` (default 16). */
  maxBacklog?: number;
  /** While delivery is behind, the least time between two job starts (default 10 ms). */
  sliceMs?: number;
}

export function createWorkQueue(opts: WorkQueueOptions = {}): WorkQueue {
  const concurrency = opts.concurrency ?? 4;
  const maxQueued = opts.maxQueued ?? 64;
  const backlog = opts.backlog ?? (() => 0);
  const maxBacklog = opts.maxBacklog ?? 16;
  const sliceMs = opts.sliceMs ?? 10;
  let lastStart = 0;
  let sliceTimer: NodeJS.Timeout | undefined;
  const jobs: { name: string; job: () => Promise<void> }[] = [];
  const admitting: { resolve: () => void; timer: NodeJS.Timeout }[] = [];
  let running = 0;
  let closed = false;
  let scheduled = false;
  let idle: (() => void) | undefined;

  /** Lets waiting requests in while there is room (oldest first). */
  function admitWaiting(): void {
    while (admitting.length > 0 && jobs.length < maxQueued) {
      const w = admitting.shift()!;
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  function next(): void {
    scheduled = false;
    while (jobs.length > 0) {
      if (backlog() >= maxBacklog && !closed) {
        // Delivery is behind: one job at a time, one per time slice.
        if (running > 0) break;
        const wait = lastStart + sliceMs - Date.now();
        if (wait > 0) {
          sliceTimer ??= setTimeout(() => {
            sliceTimer = undefined;
            soon();
          }, wait);
          break;
        }
      } else if (running >= concurrency) break;
      const { name, job } = jobs.shift()!;
      running++;
      lastStart = Date.now();
      job()
        .catch((error) => log.error('work.job_failed', { job: name, error }))
        .finally(() => {
          running--;
          if (running === 0 && jobs.length === 0) idle?.();
          soon();
        });
    }
    admitWaiting();
  }

  /** Next turn of the event loop: acks of the requests read meanwhile go first. */
  function soon(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(next);
  }

  return {
    admit(maxWaitMs) {
      if (closed || (admitting.length === 0 && jobs.length < maxQueued)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const entry = {
          resolve,
          timer: setTimeout(() => {
            const i = admitting.indexOf(entry);
            if (i >= 0) admitting.splice(i, 1);
            resolve();
          }, maxWaitMs),
        };
        admitting.push(entry);
      });
    },
    push(name, job) {
      if (closed) {
        log.error('work.refused_after_stop', { job: name });
        return false;
      }
      jobs.push({ name, job });
      // Started on the next turn of the event loop: the ack of this request is written first.
      soon();
      return true;
    },
    size: () => jobs.length + running,
    async drain(timeoutMs) {
      closed = true;
      admitWaiting();
      for (const w of admitting.splice(0)) {
        clearTimeout(w.timer);
        w.resolve();
      }
      next();
      if (running === 0 && jobs.length === 0) return true;
      let t: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (idle = resolve)),
        new Promise<void>((resolve) => (t = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(t);
      const left = jobs.length + running;
      if (left > 0) {
        log.error('work.unfinished_at_stop', { waiting: jobs.length, running });
        jobs.length = 0;
      }
      return left === 0;
    },
  };
}
