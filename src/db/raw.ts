// Raw SQL of the hot paths (the statements nearly every command runs), one text for both providers: `Prisma.sql`
// writes each provider's placeholders. On PostgreSQL it runs through Prisma ($queryRaw / $executeRaw). On SQLite it
// runs straight on the process's one connection (better-sqlite3, the statement prepared once, src/db/sqlite.ts):
// Prisma's raw-query path costs ~60–90 µs of CPU a statement, the statement itself ~5–30 µs. Same connection, so the
// same transaction as the unit's other queries; values are bound as Prisma's adapter binds them (a Date as ISO 8601
// text), and DATETIME columns come back as Dates, as from $queryRaw.
import { Prisma } from '../generated/prisma/client.js';
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

/**
 * The rows a statement returns (SELECT, or a write with RETURNING). Integers are numbers on both providers, as the
 * query API reads them (PostgreSQL's BIGINT ids, money and COUNT(*) come from its driver as bigint).
 */
export async function sqlRows<T extends unknown[]>(tx: Tx, sql: Prisma.Sql): Promise<T> {
  const on = direct.get(tx);
  if (on) return on.rows(sql.sql, sql.values) as T;
  const rows = await tx.$queryRaw<Record<string, unknown>[]>(sql);
  for (const row of rows) for (const k in row) if (typeof row[k] === 'bigint') row[k] = Number(row[k]);
  return rows as T;
}

/** How many rows a write changed. */
export async function sqlRun(tx: Tx, sql: Prisma.Sql): Promise<number> {
  const on = direct.get(tx);
  return on ? on.run(sql.sql, sql.values) : tx.$executeRaw(sql);
}

/** A value of a column as the use-cases write it. */
export type Column = string | number | boolean | Date | null;
const IDENT = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * Inserts one row into `table` and returns its id: the query API's `create` for the hot paths, without reading the
 * row back (the caller has it). `table` and the keys of `row` are our own identifiers (checked); values are bound.
 * Every column is given (no database defaults: Prisma's `@default(now())` and `@updatedAt` are the caller's to set).
 */
export async function insertRow(tx: Tx, table: string, row: Record<string, Column>): Promise<number> {
  const cols = Object.keys(row);
  for (const name of [table, ...cols]) if (!IDENT.test(name)) throw new Error(`insertRow: bad identifier ${JSON.stringify(name)}`);
  const sql = Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} (${Prisma.raw(cols.map((c) => `"${c}"`).join(', '))}) VALUES (${Prisma.join(cols.map((c) => row[c]))}) RETURNING "id"`;
  const [inserted] = await sqlRows<{ id: number }[]>(tx, sql);
  return inserted!.id;
}
