// A fresh database per test, migrated like production: a SQLite file, or — when the suite runs on PostgreSQL
// (TEST_DATABASE=postgres, see vitest.postgres.config.ts) — a new database on the throwaway cluster, copied from a
// template migrated once per run. Databases a test file created are dropped after it (test/support/postgresSetup.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/db/client.js';

export const onPostgres = process.env.TEST_DATABASE === 'postgres';
/** The provider the database-touching tests run on. */
export const testProvider = onPostgres ? 'postgresql' : 'sqlite';
export const TEMPLATE_DB = 'mktops_template';

export function tempDbFile(prefix = 'mktops-test-'): string {
  return path.join(mkdtempSync(path.join(tmpdir(), prefix)), 'test.db');
}

/** The cluster's admin URL (…/postgres), set by the PostgreSQL global setup. */
export function adminUrl(): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error('TEST_POSTGRES_URL is not set: run the PostgreSQL suite with `npm run test:postgres`');
  return url;
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export const createdDatabases: string[] = [];

/** Runs statements on the cluster's admin database. */
export async function adminQuery(...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty PostgreSQL database (no migrations applied); its URL. */
export async function emptyPostgresDatabase(prefix = 't'): Promise<string> {
  const name = `${prefix.replace(/\W/g, '_').toLowerCase()}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  createdDatabases.push(name);
  return databaseUrl(name);
}

/** The URL of a fresh, migrated database for the provider under test. */
export async function tempDatabaseUrl(prefix = 'mktops-test-'): Promise<string> {
  if (!onPostgres) return `file:${tempDbFile(prefix)}`;
  const name = `${prefix.replace(/\W/g, '_').replace(/_+$/, '').toLowerCase()}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DB}"`);
  createdDatabases.push(name);
  return databaseUrl(name);
}

export async function openTempDb(): Promise<Db> {
  return openDatabase(await tempDatabaseUrl());
}

/** The application's tables (not Prisma's migration ledger), by name. */
export async function listTables(db: Db): Promise<string[]> {
  const sql =
    db.provider === 'postgresql'
      ? "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE '\\_prisma%' ORDER BY tablename"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_prisma%' ESCAPE '\\' ORDER BY name";
  const rows = await db.read((tx) => tx.$queryRawUnsafe<{ name: string }[]>(sql));
  return rows.map((r) => r.name);
}
