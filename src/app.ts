// Wires the process together: database → core → platform surfaces + their delivery workers → HTTP server
// → scheduler. main.ts calls startApp with the validated environment; end-to-end tests call it directly.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppConfig } from './config/env.js';
import { openDatabase, type Db } from './db/client.js';
import { stopDrawing } from './charts/drawer.js';
import { createDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from './delivery/worker.js';
import { createWorkQueue, type WorkQueue } from './delivery/workQueue.js';
import { log } from './log.js';
import { withPlaygroundAdmin } from './platforms/local/cast.js';
import { loadSurface, preloadSurface } from './platforms/load.js';
import { createScheduler, type Scheduler } from './scheduler/index.js';
import type { Surface } from './platforms/surface.js';
import { createHttpServer, listen } from './server/http.js';
import { createCore } from './usecases/core.js';
import { systemClock, type Clock, type Core } from './usecases/types.js';

export interface App {
  port: number;
  db: Db;
  core: Core;
  surfaces: Surface[];
  workers: Map<string, DeliveryWorker>;
  /** The work accepted by every surface, sharing the CPU with delivery (src/delivery/workQueue.ts). */
  work: WorkQueue;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Overrides for the delivery workers (tests use short back-off). */
  delivery?: Partial<Omit<DeliveryWorkerOptions, 'db' | 'sender'>>;
  /** Run the scheduled posts (default: when a chat platform is configured; the playground runs them from its page). */
  scheduler?: boolean;
  /** When long work says it is under way (default 1,000 ms; tests use 0 to see the note every time). */
  progressAfterMs?: number;
  /** How often the scheduler re-reads settings and runs due jobs (default 60 s; the replicas test walks time faster). */
  schedulerTickMs?: number;
  /** Sees every SQL statement the process runs (tests count the statements a command costs). */
  onQuery?: (sql: string, params: string) => void;
}

/** AppConfig.instanceId, or host name and port (two replicas on one host listen on different ports). */
export function instanceIdOf(config: AppConfig): string {
  return config.instanceId ?? `${hostname()}:${config.port}`;
}

export async function startApp(config: AppConfig, opts: StartOptions = {}): Promise<App> {
  const clock = opts.clock ?? systemClock;
  // Stable across restarts of this instance: what its previous run left unfinished is taken up at once.
  const instanceId = instanceIdOf(config);
  // The platforms' code loads while the database opens (its query compiler compiles in the background meanwhile).
  if (config.slack) preloadSurface('slack');
  if (config.feishu) preloadSurface('feishu');
  const db = await openDatabase(config.databaseUrl, { poolSize: config.databasePoolSize, applicationName: `mktops ${instanceId}`.slice(0, 63), onQuery: opts.onQuery });
  // With no chat platform, the local playground runs (its cast's Ada, local:ada, is the bootstrap admin).
  const playground = !config.slack && !config.feishu;
  const adminUsers = playground ? withPlaygroundAdmin(config.adminUsers) : config.adminUsers;
  const core = createCore({
    db,
    clock,
    config: { timezone: config.timezone, locale: config.locale, adminUsers },
    ...(opts.progressAfterMs !== undefined ? { progressAfterMs: opts.progressAfterMs } : {}),
  });
  const workers = new Map<string, DeliveryWorker>();
  const surfaces: Surface[] = [];
  const kick = (platform: string) => () => workers.get(platform)?.kick();
  const run = `${instanceId}/${randomBytes(4).toString('hex')}`;

  // One queue for the work of every platform: it holds core work back while delivery is behind.
  const work = createWorkQueue({ backlog: () => [...workers.values()].reduce((n, w) => n + w.backlog(), 0) });
  const base = { config, core, db, clock, instanceId, work };
  if (config.slack) surfaces.push(await loadSurface('slack', { ...base, kickDelivery: kick('slack') }));
  if (config.feishu) surfaces.push(await loadSurface('feishu', { ...base, kickDelivery: kick('feishu') }));
  if (playground) surfaces.push(await loadSurface('local', { ...base, kickDelivery: kick('local') }));
  for (const surface of surfaces) {
    workers.set(surface.platform, createDeliveryWorker({ db, sender: surface.sender, clock, owner: { instance: instanceId, run }, ...opts.delivery }));
  }

  const server = createHttpServer({
    routes: Object.assign({}, ...surfaces.map((s) => s.routes)),
    // A replica that cannot reach its database answers 503 (the load balancer stops sending it work) and 200 again
    // once the database is back: the pool reconnects by itself.
    health: async () => {
      const database = (await db.ping()) ? 'ok' : 'unreachable';
      if (database !== 'ok') log.warn('health.database_unreachable', { provider: db.provider });
      return { ok: database === 'ok', database, platforms: surfaces.map((s) => s.platform) };
    },
  });
  const port = await listen(server, config.port, config.host);
  for (const surface of surfaces) await surface.start();
  for (const worker of workers.values()) await worker.start();
  log.info('app.started', { port, platforms: surfaces.map((s) => s.platform), timezone: config.timezone });
  let scheduler: Scheduler | undefined;
  if (opts.scheduler ?? !playground) {
    const kickAll = () => workers.forEach((w) => w.kick());
    scheduler = createScheduler({ db, clock, config: { timezone: config.timezone, locale: config.locale, adminUsers }, onPosted: kickAll, tickMs: opts.schedulerTickMs });
    await scheduler.start(); // catches up missed runs (latest period only), then fires on the configured crons
  }

  return {
    port,
    db,
    core,
    surfaces,
    workers,
    work,
    async close() {
      await scheduler?.stop();
      // Accepted work left after this wait stays unfinished in the inbox and is replayed at the next start.
      await work.drain(5000);
      for (const worker of workers.values()) await worker.stop();
      await stopDrawing();
      for (const surface of surfaces) await surface.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.close();
    },
  };
}
