// SQLite specifics of the database layer: the Prisma driver adapter over better-sqlite3, with prepared statements
// reused. @prisma/adapter-better-sqlite3 (7.10) calls `db.prepare(sql)` for every query it runs — a parse and plan
// of the statement each time (measured: 21 % of SQLite's time in a backlog). Its driver keeps the connection in a
// public `client` field and only calls prepare / exec / close on it, so the adapter gets a facade whose prepare
// returns a cached statement (an LRU by SQL text; a statement is bound per call, never permanently). Prisma's plans
// are parameterized, so the hot statements are a few hundred distinct texts at most.
// PostgreSQL (issue 12) brings its own adapter; nothing outside src/db depends on this file.
import type { Database, Statement } from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';

/** Distinct statements kept prepared (IN lists and multi-row inserts vary in length; the least recently used go). */
const STATEMENT_CACHE = 500;

interface BoundStatement {
  reader: boolean;
  run(): unknown;
  columns(): ReturnType<Statement['columns']>;
  raw(): { all(): unknown[] };
}

/** The subset of a better-sqlite3 Database the adapter uses, with `prepare` served from a cache. */
function cachingClient(db: Database, max: number) {
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
  return {
    prepare(sql: string) {
      const stmt = statement(sql);
      return {
        // Used unbound for BEGIN.
        run: () => stmt.run(),
        bind(args: unknown[]): BoundStatement {
          return {
            reader: stmt.reader,
            run: () => stmt.run(args),
            columns: () => {
              let cols = columnsOf.get(stmt);
              if (!cols) columnsOf.set(stmt, (cols = stmt.columns()));
              return cols;
            },
            raw: () => ({ all: () => stmt.all(args) as unknown[] }),
          };
        },
      };
    },
    exec: (sql: string) => db.exec(sql),
    close: () => db.close(),
    /** The connection itself (same connection, so inside Prisma's open transaction when there is one). */
    raw: db,
  };
}

/** Prisma's better-sqlite3 adapter with prepared statements reused. */
export function sqliteAdapter(file: string, opts: { timeout: number }): SqlDriverAdapterFactory {
  const inner = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: opts.timeout });
  const wrap = async (connecting: Promise<SqlDriverAdapter>): Promise<SqlDriverAdapter> => {
    const adapter = await connecting;
    const holder = adapter as unknown as { client?: Database };
    if (holder.client && typeof holder.client.prepare === 'function') {
      holder.client = cachingClient(holder.client, STATEMENT_CACHE) as unknown as Database;
    }
    return adapter;
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () => wrap(inner.connect()),
  } as SqlDriverAdapterFactory;
}
