// The start-up applier for PostgreSQL (see migrate.ts for SQLite and the shared rules). Several replicas may start
// at once against an empty database: each takes Prisma Migrate's own advisory lock first, so migrations are applied
// one replica at a time and each exactly once (`prisma migrate deploy` run by hand waits for the same lock). Each
// migration runs in one transaction with its `_prisma_migrations` row: it is applied entirely or not at all.
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { checkUnchanged, listMigrations, postgresMigrationsDir } from './migrate.js';

/** The key Prisma Migrate locks on PostgreSQL (schema-engine: `pg_advisory_lock(72707369)`). */
export const MIGRATION_LOCK_KEY = 72707369;

// Prisma's own DDL for the table on PostgreSQL.
const LEDGER_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Connection settings every connection of the bot uses: UTC session (timestamps are stored as UTC instants). */
export function pgConnectionConfig(url: string, applicationName: string): pg.ClientConfig {
  const hasOptions = /[?&]options=/.test(url);
  return {
    connectionString: url,
    application_name: applicationName,
    ...(hasOptions ? {} : { options: '-c TimeZone=UTC' }),
  };
}

/** Applies pending migrations; returns the names this call applied. */
export async function applyPostgresMigrations(url: string, dir = postgresMigrationsDir): Promise<string[]> {
  const migrations = listMigrations(dir);
  const client = new pg.Client({ ...pgConnectionConfig(url, 'mktops-migrate'), connectionTimeoutMillis: 30_000 });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(LEDGER_DDL);
      for (const migration of migrations) {
        const { rows } = await client.query<{ checksum: string; finished_at: Date | null }>(
          'SELECT checksum, finished_at FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL',
          [migration.name],
        );
        const done = rows.find((r) => r.finished_at !== null);
        if (done) {
          checkUnchanged(migration, done.checksum);
          continue;
        }
        const startedAt = new Date();
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
             VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
            [randomUUID(), migration.checksum, migration.name, startedAt],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(migration.name);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return applied;
}
