// The database of the process, behind one interface with two providers chosen by DATABASE_URL:
//  - `file:…` → SQLite (sqlite.ts): one connection, every access serialized through one queue;
//  - `postgresql://…` → PostgreSQL (postgres.ts): a connection pool, each write one short SERIALIZABLE transaction,
//    retried as a whole (with a bound) when PostgreSQL reports a serialization failure or a deadlock.
// Use-cases see the same `Tx` (the SQLite client's types; the PostgreSQL client is generated from the same datamodel).
// Where a hot path needs SQL of its own, it asks `db.provider` and keeps one function per provider next to it.
import { setFlagsFromString } from 'node:v8';
import type { Prisma } from '../generated/prisma/client.js';

export type Tx = Prisma.TransactionClient;
export type Provider = 'sqlite' | 'postgresql';

export interface Db {
  readonly provider: Provider;
  /** The URL it was opened with (tests reopen the same database with it). May hold a password: never log it. */
  readonly url: string;
  /** The SQLite file ('' on PostgreSQL). */
  readonly file: string;
  /**
   * Runs `work` in one atomic transaction. Retried as a whole when another process holds the lock (SQLite) or the
   * transaction lost a serialization conflict (PostgreSQL), so `work` must only touch the database (and be safe to run
   * again). Concurrent writes on PostgreSQL behave as if run one after another.
   */
  write<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs work without an interactive transaction, ahead of the work waiting in the queue: ONE statement that is atomic
   * by itself (e.g. a multi-row INSERT … RETURNING: the ack path's delivery records, src/delivery/ledger.ts), or
   * statements each safe on its own (the SQLite outbox claim: a read, then a compare-and-set; a batch of sent marks:
   * where the cards landed, then the rows marked sent).
   */
  writeStatement<T>(work: (client: Tx) => Promise<T>): Promise<T>;
  /**
   * Like write(), ahead of the work waiting in the queue: the ack path's grouped delivery records on PostgreSQL, and
   * the outbox worker's sent marks that queue a chart (each Slack answer waits for the mark of the
   * one before it, src/delivery/worker.ts).
   */
  writeFirst<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs read-only `work`; it never sees another unit's uncommitted changes. */
  read<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** true when the database answers within `timeoutMs` (for /healthz); never throws. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL: connections this process may hold for its work (DATABASE_POOL_SIZE; default 10). */
  poolSize?: number;
  /** PostgreSQL: shown in pg_stat_activity. */
  applicationName?: string;
  /** Sees every SQL statement Prisma runs (tests check their query plans). */
  onQuery?: (sql: string, params: string) => void;
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

/** Which provider a DATABASE_URL selects; throws on anything else. */
export function providerOf(url: string): Provider {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgresql';
  if (url.startsWith('file:')) return 'sqlite';
  throw new Error('DATABASE_URL must be a SQLite URL (file:…) or a PostgreSQL URL (postgresql://…)');
}

/** Opens the database (applying pending migrations first). Each provider's driver is loaded only when used. */
export async function openDatabase(url: string, opts: OpenOptions = {}): Promise<Db> {
  if (providerOf(url) === 'postgresql') {
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(url, opts);
  }
  const { openSqlite } = await import('./sqlite.js');
  return openSqlite(url, opts);
}

/** Subscribes `onQuery` to a Prisma client's query events (the client must log them: see queryLogging). */
export function listenToQueries(prisma: unknown, onQuery: ((sql: string, params: string) => void) | undefined): void {
  if (!onQuery) return;
  (prisma as { $on(e: 'query', cb: (e: { query: string; params: string }) => void): void }).$on('query', (e) => onQuery(e.query, e.params));
}

/** The Prisma client option that makes it emit query events, when someone listens. */
export function queryLogging(onQuery: unknown): { log?: { emit: 'event'; level: 'query' }[] } {
  return onQuery ? { log: [{ emit: 'event', level: 'query' }] } : {};
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

/** A URL fit for logs and messages: the password replaced by ***. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** Rejects with `message` when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message = 'timed out'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
      timer.unref();
    }),
  ]);
}
