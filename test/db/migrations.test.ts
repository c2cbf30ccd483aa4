import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations, listMigrations, migrationsDir } from '../../src/db/migrate.js';
import { diffToSchema } from '../../scripts/schema-diff.js';
import { tempDbFile } from '../support/tempDb.js';

describe('migrations', () => {
  it('apply once, record Prisma-compatible rows, and are not applied twice', async () => {
    const file = tempDbFile();
    const first = applyMigrations(file);
    expect(first).toEqual(listMigrations().map((m) => m.name));
    expect(applyMigrations(file)).toEqual([]);
    const db1 = await openDatabase(`file:${file}`); // start-up twice on the same file
    await db1.close();
    const sqlite = new Database(file, { readonly: true });
    const rows = sqlite.prepare('SELECT * FROM _prisma_migrations').all() as Record<string, unknown>[];
    sqlite.close();
    expect(rows).toHaveLength(first.length);
    const init = rows[0]!;
    const sql = readFileSync(path.join(migrationsDir, String(init.migration_name), 'migration.sql'));
    expect(init.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
    expect(typeof init.finished_at).toBe('number'); // Unix ms, as Prisma writes it
    expect(init.applied_steps_count).toBe(1);
  });

  it('refuses to start when an applied migration was edited', () => {
    const file = tempDbFile();
    applyMigrations(file);
    const sqlite = new Database(file);
    sqlite.prepare("UPDATE _prisma_migrations SET checksum = 'x'").run();
    sqlite.close();
    expect(() => applyMigrations(file)).toThrow(/was changed after it was applied/);
  });

  it('leave the database exactly as schema.prisma describes (no drift)', async () => {
    const file = tempDbFile();
    applyMigrations(file);
    const drift = await diffToSchema(file, tempDbFile());
    expect(drift).toBe('');
  });

  it('the drift check notices a difference', async () => {
    const file = tempDbFile();
    applyMigrations(file);
    const sqlite = new Database(file);
    sqlite.exec('DROP INDEX "Expense_lineId_month_idx"');
    sqlite.close();
    expect(await diffToSchema(file, tempDbFile())).toMatch(/Expense_lineId_month_idx/);
  });

  it('turn on WAL mode', async () => {
    const file = tempDbFile();
    const db = await openDatabase(`file:${file}`);
    await db.close();
    const sqlite = new Database(file, { readonly: true });
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    sqlite.close();
  });
});
