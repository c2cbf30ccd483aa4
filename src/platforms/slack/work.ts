// Work accepted (and acknowledged to Slack) but not done yet: runs the core after the ack. The queue itself lives in
// memory; what makes accepted work durable is its record in the inbox (src/delivery/inbox.ts): jobs lost with the
// process, or dropped by a stop that could not wait for them, are replayed at the next start.
// Acks come first: while requests are being acknowledged (`busy()`), queued jobs wait, so a burst of commands is
// acknowledged at full speed and worked off right after. Under a sustained flood one job still starts every
// `maxDeferMs`, so the work is never starved completely.
import { log } from '../../log.js';

export interface WorkQueue {
  push(name: string, job: () => Promise<void>): void;
  /** Jobs waiting or running. */
  size(): number;
  /** Stop taking new jobs and wait (at most `timeoutMs`) for the accepted ones to finish. */
  drain(timeoutMs: number): Promise<void>;
}

export interface WorkQueueOptions {
  concurrency: number;
  /** True while the ack path has requests in flight. */
  busy?: () => boolean;
  /** The longest a job is held back by `busy()`. */
  maxDeferMs?: number;
}

export function createWorkQueue(opts: WorkQueueOptions): WorkQueue {
  const { concurrency } = opts;
  const busy = opts.busy ?? (() => false);
  const maxDeferMs = opts.maxDeferMs ?? 250;
  const jobs: { name: string; job: () => Promise<void>; at: number }[] = [];
  let running = 0;
  let closed = false;
  let idle: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastForced = 0;

  function later(ms: number): void {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      next();
    }, ms);
  }

  function next(): void {
    while (running < concurrency && jobs.length > 0) {
      if (busy() && !closed) {
        const now = Date.now();
        if (now - jobs[0]!.at < maxDeferMs || now - lastForced < maxDeferMs) {
          later(2);
          return;
        }
        lastForced = now;
      }
      const { name, job } = jobs.shift()!;
      running++;
      job()
        .catch((error) => log.error('slack.job_failed', { job: name, error }))
        .finally(() => {
          running--;
          if (running === 0 && jobs.length === 0) idle?.();
          setImmediate(next);
        });
    }
  }

  return {
    push(name, job) {
      if (closed) {
        log.error('slack.job_refused_after_stop', { job: name });
        return;
      }
      jobs.push({ name, job, at: Date.now() });
      // Start on the next turn of the event loop: the ack of this request is written first.
      setImmediate(next);
    },
    size: () => jobs.length + running,
    async drain(timeoutMs) {
      closed = true;
      next();
      if (running === 0 && jobs.length === 0) return;
      let t: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (idle = resolve)),
        new Promise<void>((resolve) => (t = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(t);
      clearTimeout(timer);
      if (jobs.length > 0 || running > 0) {
        log.error('slack.jobs_unfinished_at_stop', { waiting: jobs.length, running });
        jobs.length = 0;
      }
    },
  };
}
