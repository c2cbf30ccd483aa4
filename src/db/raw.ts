// Raw SQL of the hot paths (the statements nearly every command runs), one text for both providers: `Prisma.sql`
// writes each provider's placeholders. On PostgreSQL it runs through Prisma ($queryRaw / $executeRaw). On SQLite it
// runs straight on the process's one connection (better-sqlite3, the statement prepared once, src/db/sqlite.ts):
// Prisma's raw-query path costs ~60–90 µs of CPU a statement, the statement itself ~5–30 µs. Same connection, so the
// same transaction as the unit's other queries; values are bound as Prisma's adapter binds them (a Date as ISO 8601
// text), and DATETIME columns come back as Dates, as from $queryRaw.
import type { Prisma } from '../generated/prisma/client.js';
import type { Tx } from './client.js';

/** Runs SQL (`?` placeholders) directly on a connection. */
export interface DirectSql {
  /** Rows as objects. */
  rows(sql: string, values: unknown[]): Record<string, unknown>[];
  /** Rows changed. */
  run(sql: string, values: unknown[]): number;
}

const direct = new WeakMap<object, DirectSql>();

/** The SQLite Db registers its client: statements given that client run directly. */
export function runDirectly(client: object, sql: DirectSql): void {
  direct.set(client, sql);
}

/** The rows a statement returns (SELECT, or a write with RETURNING). PostgreSQL returns BIGINT columns as bigint. */
export async function sqlRows<T extends unknown[]>(tx: Tx, sql: Prisma.Sql): Promise<T> {
  const on = direct.get(tx);
  return on ? (on.rows(sql.sql, sql.values) as T) : tx.$queryRaw<T>(sql);
}

/** How many rows a write changed. */
export async function sqlRun(tx: Tx, sql: Prisma.Sql): Promise<number> {
  const on = direct.get(tx);
  return on ? on.run(sql.sql, sql.values) : tx.$executeRaw(sql);
}
