// `npm run job -- <name>`: runs one scheduled job now, through the JobRun ledger (the period containing now;
// a period already done is reported and left alone), then delivers the outbox through the configured
// platforms' senders, like the app would, without opening the HTTP port. Rows for the local playground stay
// in the outbox for the running playground to show.
import { ConfigError, loadConfig, type AppConfig } from '../config/env.js';
import { openDatabase } from '../db/client.js';
import { createDeliveryWorker } from '../delivery/worker.js';
import { log } from '../log.js';
import { loadSurface } from '../platforms/load.js';
import type { Surface } from '../platforms/surface.js';
import { createScheduler, type RunReport } from '../scheduler/index.js';
import { createCore } from '../usecases/core.js';
import { JOB_NAMES, type JobName } from '../usecases/settings.js';
import { systemClock, type Clock } from '../usecases/types.js';

export interface JobCliOptions {
  env?: Record<string, string | undefined>;
  clock?: Clock;
  /** Clock of the delivery workers (tests: outbox rows are due from the database's real now()). */
  deliveryClock?: Clock;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

export const USAGE = `Usage: npm run job -- <name>\nJobs: ${JOB_NAMES.join(', ')}`;

function describe(r: RunReport): string {
  switch (r.status) {
    case 'done':
      return `${r.job} ${r.period}: done — ${r.posts} message(s) queued${r.details ? ` (${Object.entries(r.details).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}.`;
    case 'already-done':
      return `${r.job} ${r.period}: already done${r.heldBy?.finishedAt ? ` at ${r.heldBy.finishedAt.toISOString()}` : ''}${r.heldBy ? ` by ${r.heldBy.owner}` : ''}${r.heldBy?.late ? ' (late run)' : ''}; nothing posted again.`;
    case 'busy':
      return `${r.job} ${r.period}: being run by ${r.heldBy?.owner ?? 'another instance'} since ${r.heldBy?.claimedAt.toISOString() ?? '?'}; nothing done. Try again later.`;
    case 'lost':
      return `${r.job} ${r.period}: another instance took the run over; nothing posted by this one.`;
    case 'skipped':
      return `${r.job} ${r.period}: nothing posted — no ${r.missing ?? 'team'} chat is bound and nobody to message. Bind one with \`/mkt channel ${r.missing ?? 'team'} here\`; the next run posts this period.`;
    case 'failed':
      return `${r.job} ${r.period}: FAILED — ${r.error ?? 'unknown error'}. Nothing was posted; it will be retried.`;
  }
}

/** Returns the process exit code: 0 done / already done / skipped, 1 failed or busy or bad configuration, 2 bad usage. */
export async function runJobCommand(args: string[], opts: JobCliOptions = {}): Promise<number> {
  const out = opts.out ?? ((l: string) => console.log(l));
  const err = opts.err ?? ((l: string) => console.error(l));
  const name = args.find((a) => !a.startsWith('-'));
  if (!name || !(JOB_NAMES as readonly string[]).includes(name)) {
    err(name ? `Unknown job "${name}".` : 'Which job?');
    err(USAGE);
    return 2;
  }
  const job = name as JobName;

  let config: AppConfig;
  try {
    config = loadConfig(opts.env ?? process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      err(`Configuration error: ${error.message}`);
      return 1;
    }
    throw error;
  }
  if (!(opts.env ?? process.env).LOG_LEVEL) log.setLevel('warn'); // keep the output to what the job did
  else log.setLevel(config.logLevel);

  const clock = opts.clock ?? systemClock;
  // A job run needs few connections (PostgreSQL): it runs one job and drains the outbox, one row at a time.
  const db = await openDatabase(config.databaseUrl, { poolSize: 2, applicationName: `mktops job ${job}` });
  try {
    const coreConfig = { timezone: config.timezone, locale: config.locale, adminUsers: config.adminUsers };
    const core = createCore({ db, clock, config: coreConfig });
    // Surfaces are built for their senders only: never started, no HTTP port, no socket connection.
    const surfaces: Surface[] = [];
    const noop = () => undefined;
    if (config.slack) surfaces.push(await loadSurface('slack', { config, core, db, clock, kickDelivery: noop }));
    if (config.feishu) surfaces.push(await loadSurface('feishu', { config, core, db, clock, kickDelivery: noop }));

    const scheduler = createScheduler({ db, config: coreConfig, clock, timers: false, owner: `cli:${process.pid}` });
    const report = await scheduler.runNow(job);
    out(describe(report));

    for (const surface of surfaces) {
      const worker = createDeliveryWorker({ db, sender: surface.sender, clock: opts.deliveryClock ?? clock });
      const sent = await worker.drain();
      out(`${surface.platform}: ${sent} message(s) delivered.`);
    }
    const left = await db.read((tx) =>
      tx.outboxMessage.groupBy({ by: ['platform'], where: { status: { in: ['pending', 'sending'] } }, _count: { _all: true } }),
    );
    for (const row of left) {
      const why = row.platform === 'local' ? 'for the local playground' : surfaces.some((s) => s.platform === row.platform) ? 'to be retried by the bot' : 'platform not configured here';
      out(`${row.platform}: ${row._count._all} message(s) waiting in the outbox (${why}).`);
    }
    if (surfaces.length === 0) out('No chat platform configured: messages stay in the outbox for the running bot / local playground.');
    return report.status === 'done' || report.status === 'already-done' || report.status === 'skipped' ? 0 : 1;
  } finally {
    await db.close();
  }
}
