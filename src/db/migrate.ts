// Applies the migrations of the database's provider at start-up — prisma/migrations/*/migration.sql on SQLite,
// prisma/postgres/migrations/*/migration.sql on PostgreSQL — recording each in Prisma's own `_prisma_migrations`
// table (same columns, checksum = sha256 hex of the file; on SQLite times in Unix ms), so `prisma migrate
// status/deploy` on a machine with the native engine agree with us. The native schema engine cannot be downloaded
// here, which is why we apply migrations ourselves. Several processes starting at once apply each migration once:
// SQLite's write lock (BEGIN IMMEDIATE) or, on PostgreSQL, the advisory lock Prisma Migrate itself takes.
import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config/paths.js';

export const migrationsDir = path.join(projectRoot, 'prisma/migrations');
export const postgresMigrationsDir = path.join(projectRoot, 'prisma/postgres/migrations');

const LEDGER_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = migrationsDir): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** An applied migration whose file changed since: refuse to start (the database may not match the files). */
export function checkUnchanged(migration: MigrationFile, appliedChecksum: string): void {
  if (appliedChecksum !== migration.checksum) {
    throw new Error(`migration ${migration.name} was changed after it was applied; restore the file or add a new migration`);
  }
}

/** Applies pending migrations to the SQLite file; returns the names it applied. Safe to run from several processes at once. */
export function applyMigrations(dbFile: string, dir = migrationsDir): string[] {
  if (dbFile !== ':memory:') mkdirSync(path.dirname(path.resolve(dbFile)), { recursive: true });
  const db = new Database(dbFile, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec(LEDGER_DDL);
    const applied: string[] = [];
    for (const migration of listMigrations(dir)) {
      // IMMEDIATE takes the write lock first, so two processes starting together apply each migration once.
      const applyOne = db.transaction(() => {
        const rows = db
          .prepare(
            'SELECT checksum, finished_at FROM _prisma_migrations WHERE migration_name = ? AND rolled_back_at IS NULL',
          )
          .all(migration.name) as { checksum: string; finished_at: unknown }[];
        const done = rows.find((r) => r.finished_at !== null);
        if (done) {
          checkUnchanged(migration, done.checksum);
          return false;
        }
        const startedAt = Date.now();
        db.exec(migration.sql);
        db.prepare(
          `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
        ).run(randomUUID(), migration.checksum, Date.now(), migration.name, startedAt);
        return true;
      });
      if (applyOne.immediate()) applied.push(migration.name);
    }
    return applied;
  } finally {
    db.close();
  }
}
