// One Prisma client per process over one SQLite connection, with every database access
// serialized through a single queue. Why: while an interactive transaction is open, any other
// query of the process runs inside it (one connection) and could be rolled back with it.
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { applyMigrations } from './migrate.js';
import { sqliteAdapter } from './sqlite.js';

export type Tx = Prisma.TransactionClient;

export interface Db {
  /** Runs `work` in one atomic transaction; retried as a whole when another process holds the lock. */
  write<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs ONE statement that is atomic by itself (e.g. a multi-row INSERT … RETURNING) without an interactive
   * transaction, ahead of the work waiting in the queue: the ack path's delivery records (src/delivery/ledger.ts).
   */
  writeStatement<T>(work: (client: Tx) => Promise<T>): Promise<T>;
  /** Like write(), ahead of the work waiting in the queue (the ack path's grouped delivery records). */
  writeFirst<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs read-only `work` between writes, so it never sees another unit's uncommitted changes. */
  read<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly file: string;
}

/**
 * Prisma's query compiler is a 3 MB WebAssembly module. V8 compiles it twice by default (a quick baseline, then an
 * optimized tier in the background), and the optimized code costs ~40 MiB of memory for a process that spends
 * little time in it: Prisma caches the plans it compiles. Production processes (npm start, npm run job) keep the
 * baseline tier only; call before the first database is opened.
 */
export function leanWasm(): void {
  setFlagsFromString('--liftoff-only');
}

/** `file:./data/x.db` or a plain path → absolute file path. */
export function sqliteFileFromUrl(url: string): string {
  const raw = url.startsWith('file:') ? url.slice('file:'.length) : url;
  return raw === ':memory:' ? raw : path.resolve(raw.split('?')[0] ?? raw);
}

export interface OpenOptions {
  /** Sees every SQL statement Prisma runs (tests check their query plans). */
  onQuery?: (sql: string, params: string) => void;
}

export async function openDatabase(url: string, opts: OpenOptions = {}): Promise<Db> {
  const file = sqliteFileFromUrl(url);
  applyMigrations(file);
  const adapter = sqliteAdapter(file, { timeout: 5000 });
  const prisma = opts.onQuery
    ? new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] })
    : new PrismaClient({ adapter });
  if (opts.onQuery) {
    const onQuery = opts.onQuery;
    (prisma as unknown as { $on(e: 'query', cb: (e: { query: string; params: string }) => void): void }).$on('query', (e) => onQuery(e.query, e.params));
  }
  await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await prisma.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await prisma.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  const queue = new SerialQueue();
  return {
    file,
    write: (work) =>
      queue.run(() => retryWhileBusy(() => prisma.$transaction((tx) => work(tx), { maxWait: 10_000, timeout: 20_000 }))),
    writeFirst: (work) =>
      queue.run(() => retryWhileBusy(() => prisma.$transaction((tx) => work(tx), { maxWait: 10_000, timeout: 20_000 })), { first: true }),
    // Safe without a transaction: the queue guarantees none is open on this connection.
    writeStatement: (work) => queue.run(() => retryWhileBusy(() => work(prisma as unknown as Tx)), { first: true }),
    read: (work) => queue.run(() => retryWhileBusy(() => work(prisma as unknown as Tx))),
    close: () => queue.run(() => prisma.$disconnect()),
  };
}

/**
 * Runs tasks one at a time, in arrival order — except that `first` tasks (the ack path's delivery records) go ahead of
 * every task still waiting, so an ack never waits behind a backlog of work, only behind the unit that is running.
 */
export class SerialQueue {
  private readonly waiting: (() => void)[] = [];
  private readonly urgent: (() => void)[] = [];
  private busy = false;

  run<T>(task: () => Promise<T>, opts: { first?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        let result: Promise<T>;
        try {
          result = task();
        } catch (error) {
          result = Promise.reject(error);
        }
        result.then(resolve, reject).finally(() => this.next());
      };
      (opts.first ? this.urgent : this.waiting).push(start);
      if (!this.busy) this.next();
    });
  }

  private next(): void {
    const start = this.urgent.shift() ?? this.waiting.shift();
    this.busy = start !== undefined;
    start?.();
  }
}

/** SQLite answers SQLITE_BUSY when another process writes; the whole unit is then retried. */
export function isBusyError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    const text = `${(e as { code?: unknown }).code ?? ''} ${(e as { message?: unknown }).message ?? ''}`;
    if (/SQLITE_BUSY|database is locked|SocketTimeout|P1008|Socket timeout/i.test(text)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

async function retryWhileBusy<T>(attempt: () => Promise<T>, tries = 50): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= tries || !isBusyError(error)) throw error;
      await new Promise((r) => setTimeout(r, Math.min(100, 2 * i) + Math.random() * 10));
    }
  }
}
