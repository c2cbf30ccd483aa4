// Work accepted (and acknowledged to Slack) but not done yet: runs the core after the ack, a few jobs at a time,
// so a burst of commands never delays the acknowledgements of the next ones behind the core's database work.
import { log } from '../../log.js';

export interface WorkQueue {
  push(name: string, job: () => Promise<void>): void;
  /** Jobs waiting or running. */
  size(): number;
  /** Stop taking new jobs and wait (at most `timeoutMs`) for the accepted ones to finish. */
  drain(timeoutMs: number): Promise<void>;
}

export function createWorkQueue(concurrency: number): WorkQueue {
  const jobs: { name: string; job: () => Promise<void> }[] = [];
  let running = 0;
  let closed = false;
  let idle: (() => void) | undefined;

  function next(): void {
    while (running < concurrency && jobs.length > 0) {
      const { name, job } = jobs.shift()!;
      running++;
      job()
        .catch((error) => log.error('slack.job_failed', { job: name, error }))
        .finally(() => {
          running--;
          if (running === 0 && jobs.length === 0) idle?.();
          // Yield to the event loop between jobs so incoming requests are acknowledged promptly.
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
      jobs.push({ name, job });
      next();
    },
    size: () => jobs.length + running,
    async drain(timeoutMs) {
      closed = true;
      if (running === 0 && jobs.length === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (idle = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
      if (jobs.length > 0 || running > 0) {
        log.error('slack.jobs_unfinished_at_stop', { waiting: jobs.length, running });
        jobs.length = 0;
      }
    },
  };
}
