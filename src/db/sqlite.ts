// SQLite specifics of the database layer: the Prisma driver adapter over better-sqlite3, with prepared statements
// reused. @prisma/adapter-better-sqlite3 (7.10) calls `db.prepare(sql)` for every query it runs — a parse and plan
// of the statement each time (measured: 21 % of SQLite's time in a backlog). Its driver keeps the connection in a
// public `client` field and only calls prepare / exec / close on it, so the adapter gets a facade whose prepare
// returns a cached statement (an LRU by SQL text; a statement is bound per call, never permanently). Prisma's plans
// are parameterized, so the hot statements are a few hundred distinct texts at most.
// Also the SQLite side of the `Db` interface (client.ts): one connection, every access through one serialized queue,
// a unit of work in a transaction of ours (see NESTED).
// PostgreSQL has its own (postgres.ts); nothing outside src/db depends on this file.
import type { Database, Statement } from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import path from 'node:path';
import { PrismaClient } from '../generated/prisma/client.js';
import { listenToQueries, queryLogging, SerialQueue, withTimeout, type Db, type OpenOptions, type Tx } from './client.js';
import { applyMigrations } from './migrate.js';
import { runDirectly, type DirectSql } from './raw.js';

/** Distinct statements kept prepared (IN lists and multi-row inserts vary in length; the least recently used go). */
const STATEMENT_CACHE = 500;

interface BoundStatement {
  reader: boolean;
  run(): unknown;
  columns(): ReturnType<Statement['columns']>;
  raw(): { all(): unknown[] };
}

/**
 * The transaction of a unit (Db.write) is ours: BEGIN and COMMIT on the connection, the unit's queries sent through
 * the plain client (on the one connection, so inside it; the serialized queue keeps every other unit out). Prisma's
 * interactive transaction costs ~0.2 ms of CPU a unit more (its manager, timers and extra turns). A query of the unit
 * that Prisma runs in a transaction of its own (a nested write) becomes a savepoint inside ours.
 */
const NESTED = 'prisma_nested';

/** The subset of a better-sqlite3 Database the adapter uses, with `prepare` served from a cache. */
function cachingClient(db: Database, max: number) {
  /** Our transaction is open; and inside it, a transaction Prisma started itself (a savepoint). */
  let open = false;
  let nested = false;
  const unbound = (run: () => unknown) => ({ run, bind: () => ({ reader: false, run, columns: () => [], raw: () => ({ all: () => [] }) }) });
  /** Prisma's own transaction statements, while ours is open. */
  function inside(sql: string) {
    if (sql === 'BEGIN') {
      if (nested) throw new Error('nested transactions are one level deep');
      nested = true;
      return unbound(() => db.exec(`SAVEPOINT ${NESTED}`));
    }
    if (nested && sql === 'COMMIT') {
      nested = false;
      return unbound(() => db.exec(`RELEASE ${NESTED}`));
    }
    if (nested && sql === 'ROLLBACK') {
      nested = false;
      return unbound(() => db.exec(`ROLLBACK TO ${NESTED}; RELEASE ${NESTED}`));
    }
    return undefined;
  }
  const cache = new Map<string, Statement>();
  /** A statement's result columns never change: asked once (they cost as much as a small query). */
  const columnsOf = new WeakMap<Statement, ReturnType<Statement['columns']>>();
  function statement(sql: string): Statement {
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql); // most recently used goes last
    } else {
      stmt = db.prepare(sql);
      if (stmt.reader) stmt.raw(true);
    }
    cache.set(sql, stmt);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
    return stmt;
  }
  const columns = (stmt: Statement) => {
    let cols = columnsOf.get(stmt);
    if (!cols) columnsOf.set(stmt, (cols = stmt.columns()));
    return cols;
  };
  /** The hot paths' raw SQL (src/db/raw.ts), run directly; `said` hears each statement as Prisma's query events do. */
  function direct(said?: (sql: string, params: string) => void): DirectSql {
    const bind = (sql: string, values: unknown[]) => {
      const args = values.map(toSqlite);
      said?.(sql, JSON.stringify(args, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
      return args;
    };
    return {
      rows(sql, values) {
        const stmt = statement(sql);
        const args = bind(sql, values);
        if (!stmt.reader) {
          stmt.run(args);
          return [];
        }
        const cols = columns(stmt);
        return (stmt.all(args) as unknown[][]).map((row) => {
          const out: Record<string, unknown> = {};
          cols.forEach((c, i) => (out[c.name] = fromSqlite(row[i], c.type)));
          return out;
        });
      },
      run(sql, values) {
        return statement(sql).run(bind(sql, values)).changes;
      },
    };
  }
  return {
    direct,
    prepare(sql: string) {
      const own = open ? inside(sql) : undefined;
      if (own) return own;
      const stmt = statement(sql);
      return {
        // Used unbound for BEGIN.
        run: () => stmt.run(),
        bind(args: unknown[]): BoundStatement {
          return {
            reader: stmt.reader,
            run: () => stmt.run(args),
            columns: () => columns(stmt),
            raw: () => ({ all: () => stmt.all(args) as unknown[] }),
          };
        },
      };
    },
    exec: (sql: string) => db.exec(sql),
    close: () => db.close(),
    /** The connection itself (same connection, so inside the open transaction when there is one). */
    raw: db,
    /** Runs `work` in a transaction of ours (see NESTED); one at a time (the serialized queue's job). */
    async transaction<T>(work: () => Promise<T>, said?: (sql: string) => void): Promise<T> {
      if (open) throw new Error('a transaction is already open on this connection');
      db.exec('BEGIN');
      open = true;
      nested = false;
      try {
        const result = await work();
        db.exec('COMMIT');
        said?.('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) {
          db.exec('ROLLBACK');
          said?.('ROLLBACK');
        }
        throw error;
      } finally {
        open = false;
        nested = false;
      }
    },
  };
}

type CachingClient = ReturnType<typeof cachingClient>;

/**
 * A value read as Prisma's adapter reads it: integers arrive as bigint (the adapter's connection reads safe integers)
 * and become numbers; a DATETIME — ISO 8601 text (ours), SQLite's CURRENT_TIMESTAMP text (UTC, no zone) or epoch
 * ms — becomes a Date.
 */
function fromSqlite(value: unknown, declared: string | null): unknown {
  if (typeof value === 'bigint') value = Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value === null || declared !== 'DATETIME') return value;
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(value)) return new Date(`${value.replace(' ', 'T')}Z`);
  return new Date(value as string | number);
}

/** A value bound as Prisma's better-sqlite3 adapter binds it (its default timestamp format: ISO 8601, "+00:00"). */
function toSqlite(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value === undefined ? null : value;
}

/** Prisma's better-sqlite3 adapter with prepared statements reused. */
export function sqliteAdapter(file: string, opts: { timeout: number; connected?: (client: CachingClient) => void }): SqlDriverAdapterFactory {
  const inner = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: opts.timeout });
  const wrap = async (connecting: Promise<SqlDriverAdapter>): Promise<SqlDriverAdapter> => {
    const adapter = await connecting;
    const holder = adapter as unknown as { client?: Database };
    if (holder.client && typeof holder.client.prepare === 'function') {
      const client = cachingClient(holder.client, STATEMENT_CACHE);
      holder.client = client as unknown as Database;
      opts.connected?.(client);
    }
    return adapter;
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () => wrap(inner.connect()),
  } as SqlDriverAdapterFactory;
}

/** `file:./data/x.db` or a plain path → absolute file path. */
export function sqliteFileFromUrl(url: string): string {
  const raw = url.startsWith('file:') ? url.slice('file:'.length) : url;
  return raw === ':memory:' ? raw : path.resolve(raw.split('?')[0] ?? raw);
}

/**
 * One Prisma client per process over one SQLite connection, with every database access serialized through a single
 * queue. Why: while a transaction is open, any other query of the process runs inside it (one connection) and could
 * be rolled back with it. Several processes on one file take turns through SQLite's lock
 * (SQLITE_BUSY is retried).
 */
export async function openSqlite(url: string, opts: OpenOptions = {}): Promise<Db> {
  const file = sqliteFileFromUrl(url);
  applyMigrations(file);
  let connection: CachingClient | undefined;
  const prisma = new PrismaClient({ adapter: sqliteAdapter(file, { timeout: 5000, connected: (c) => (connection = c) }), ...queryLogging(opts.onQuery) });
  listenToQueries(prisma, opts.onQuery);
  await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await prisma.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await prisma.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  if (!connection) throw new Error('the SQLite driver adapter did not expose its connection');
  const conn = connection;
  /** Our BEGIN/COMMIT are not Prisma's queries: whoever listens to the queries hears of them too. */
  const said = opts.onQuery ? (sql: string) => opts.onQuery!(sql, '[]') : undefined;
  // The hot paths' raw SQL runs straight on the connection (src/db/raw.ts).
  runDirectly(prisma, conn.direct(opts.onQuery));
  const queue = new SerialQueue();
  const transaction = <T>(work: (tx: Tx) => Promise<T>) => retryWhileBusy(() => conn.transaction(() => work(prisma as unknown as Tx), said));
  return {
    provider: 'sqlite',
    url: `file:${file}`,
    file,
    write: (work) => queue.run(() => transaction(work)),
    writeFirst: (work) => queue.run(() => transaction(work), { first: true }),
    // Safe without a transaction: the queue guarantees none is open on this connection.
    writeStatement: (work) => queue.run(() => retryWhileBusy(() => work(prisma as unknown as Tx)), { first: true }),
    read: (work) => queue.run(() => retryWhileBusy(() => work(prisma as unknown as Tx))),
    // Outside the queue: a SELECT 1 that lands inside another unit's open transaction is harmless, and a long queue
    // is not a lost database.
    ping: (timeoutMs = 2000) =>
      withTimeout(prisma.$queryRawUnsafe('SELECT 1'), timeoutMs).then(
        () => true,
        () => false,
      ),
    close: () => queue.run(() => prisma.$disconnect()),
  };
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
