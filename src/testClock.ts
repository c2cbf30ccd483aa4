// Test-only simulated time for the real bot process. With MKTOPS_TEST_CLOCK unset (always, in production) the bot
// runs on the system clock and this module does nothing. The replicas test (test/postgres/replicas.test.ts) runs
// several bot processes and walks their schedulers through a simulated week and month: it writes an ISO-8601
// instant to the file MKTOPS_TEST_CLOCK names, and the clock of every process reads that instant (the system time
// while the file is missing or empty); MKTOPS_TEST_TICK_MS shortens the scheduler's tick (default 60 s) so each
// step of simulated time is seen at once. Documented in docs/operations.md; nothing else reads the variables.
import { readFileSync } from 'node:fs';
import type { StartOptions } from './app.js';
import type { Clock } from './usecases/types.js';

/** The file is read again at most this often (ms of real time). */
const REREAD_MS = 10;

export function testStartOptions(env: NodeJS.ProcessEnv = process.env): StartOptions {
  const opts: StartOptions = {};
  if (env.MKTOPS_TEST_CLOCK) opts.clock = fileClock(env.MKTOPS_TEST_CLOCK);
  const tick = Number(env.MKTOPS_TEST_TICK_MS);
  if (Number.isInteger(tick) && tick > 0) opts.schedulerTickMs = tick;
  return opts;
}

function fileClock(file: string): Clock {
  let readAt = 0;
  let instant: number | undefined;
  return {
    now() {
      const real = Date.now();
      if (real - readAt >= REREAD_MS) {
        readAt = real;
        let text = '';
        try {
          text = readFileSync(file, 'utf8').trim();
        } catch {
          text = '';
        }
        const parsed = text ? Date.parse(text) : NaN;
        instant = Number.isFinite(parsed) ? parsed : undefined;
      }
      return new Date(instant ?? real);
    },
  };
}
