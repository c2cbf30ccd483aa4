// PostgreSQL: a connection pool per process (DATABASE_POOL_SIZE, see docs/operations.md for sizing replicas) and no
// process-wide queue. Each `write` is one interactive transaction at SERIALIZABLE, so concurrent use-cases on any
// replica behave as if they ran one after another — the guarantee SQLite's single writer gives — and a transaction
// that loses a conflict (40001 serialization failure, 40P01 deadlock) is rolled back by PostgreSQL and run again
// whole, a bounded number of times with jittered back-off. Decisions stay compare-and-set on top of that: the loser
// of a race re-runs, sees the new status and is told who decided first.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma-pg/client.js';
import { log } from '../log.js';
import { listenToQueries, queryLogging, SerialQueue, withTimeout, type Db, type OpenOptions, type Tx } from './client.js';
import { applyPostgresMigrations, pgConnectionConfig } from './migratePostgres.js';

export const DEFAULT_POOL_SIZE = 10;
/** Attempts of one write before a serialization failure is given up (and reported as an error). */
export const MAX_WRITE_ATTEMPTS = 30;
/** Conflicts after which a write waits for the process's slow lane (one such write at a time). */
export const SLOW_LANE_AFTER = 2;

/** A serialization failure or deadlock: the transaction was rolled back and may simply be run again. */
export function isRetryableConflict(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 8; depth++) {
    const code = String((e as { code?: unknown }).code ?? '');
    const originalCode = String((e as { originalCode?: unknown }).originalCode ?? '');
    const text = `${code} ${originalCode} ${(e as { message?: unknown }).message ?? ''}`;
    if (code === 'P2034' || code === '40001' || code === '40P01' || originalCode === '40001' || originalCode === '40P01') return true;
    if (/could not serialize access|deadlock detected|TransactionWriteConflict/i.test(text)) return true;
    const meta = (e as { meta?: { driverAdapterError?: unknown } }).meta;
    e = meta?.driverAdapterError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs `attempt` again after a retryable conflict, at most `tries` times in all, with jittered back-off. Writes that
 * keep colliding (many people acting on one budget line at once) would otherwise abort each other round after
 * round: after SLOW_LANE_AFTER conflicts a write waits for `slowLane` and retries there, one at a time per process,
 * so a hot spot degrades to SQLite's one-at-a-time instead of a storm of aborts. Writes that do not collide never
 * wait for it.
 */
export async function retryConflicts<T>(attempt: () => Promise<T>, slowLane?: SerialQueue, tries = MAX_WRITE_ATTEMPTS): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await (slowLane && i > SLOW_LANE_AFTER ? slowLane.run(attempt) : attempt());
    } catch (error) {
      if (i >= tries || !isRetryableConflict(error)) throw error;
      // Exponential with full jitter: contenders spread out instead of colliding again in step.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 4 * 2 ** i)));
    }
  }
}

export async function openPostgres(url: string, opts: OpenOptions = {}): Promise<Db> {
  await applyPostgresMigrations(url);
  const applicationName = opts.applicationName ?? 'mktops';
  const pool = new pg.Pool({
    ...pgConnectionConfig(url, applicationName),
    max: opts.poolSize ?? DEFAULT_POOL_SIZE,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection dropped by the server (restart, failover, network) must not crash the process: the pool
  // discards it and opens a new one when needed.
  pool.on('error', (error) => log.warn('db.connection_lost', { error: error.message }));
  // /healthz has a connection of its own, so a pool busy with work does not read as a lost database.
  const health = new pg.Pool({ ...pgConnectionConfig(url, `${applicationName}-health`), max: 1, idleTimeoutMillis: 60_000, connectionTimeoutMillis: 2000 });
  health.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), ...queryLogging(opts.onQuery) });
  listenToQueries(prisma, opts.onQuery);
  const client = prisma as unknown as Tx;
  const slowLane = new SerialQueue();
  const write = <T>(work: (tx: Tx) => Promise<T>): Promise<T> =>
    retryConflicts(() =>
      prisma.$transaction((tx) => work(tx as unknown as Tx), { isolationLevel: 'Serializable', maxWait: 10_000, timeout: 20_000 }),
      slowLane,
    );
  return {
    provider: 'postgresql',
    url,
    file: '',
    write,
    // No process-wide queue to jump: the pool serves the ack path's delivery records as soon as a connection is free.
    writeFirst: write,
    writeStatement: (work) => retryConflicts(() => work(client)),
    read: (work) => work(client),
    ping: (timeoutMs = 2000) =>
      withTimeout(health.query('SELECT 1'), timeoutMs).then(
        () => true,
        () => false,
      ),
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
      await health.end().catch(() => undefined);
    },
  };
}
