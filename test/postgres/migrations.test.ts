// PostgreSQL's start-up applier and drift check, on the throwaway cluster: migrations recorded like Prisma's own,
// applied once even by replicas starting together, all-or-nothing, and the migrated database exactly as
// prisma/postgres/schema.prisma describes.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { listMigrations, postgresMigrationsDir } from '../../src/db/migrate.js';
import { applyPostgresMigrations } from '../../src/db/migratePostgres.js';
import { diffPostgresDatabase } from '../../scripts/schema-diff.js';
import { emptyPostgresDatabase } from '../support/tempDb.js';

const clients: pg.Client[] = [];
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
}
afterEach(async () => {
  for (const c of clients.splice(0)) await c.end().catch(() => undefined);
});

describe('PostgreSQL migrations', () => {
  it('apply once, record Prisma-compatible rows, and are not applied twice', async () => {
    const url = await emptyPostgresDatabase('mig');
    const names = listMigrations(postgresMigrationsDir).map((m) => m.name);
    expect(await applyPostgresMigrations(url)).toEqual(names);
    expect(await applyPostgresMigrations(url)).toEqual([]);
    const db = await openDatabase(url); // start-up on a migrated database
    await db.close();
    const client = await connect(url);
    const { rows } = await client.query('SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    const first = listMigrations(postgresMigrationsDir)[0]!;
    expect(rows[0].checksum).toBe(createHash('sha256').update(first.sql).digest('hex'));
    expect(rows[0].finished_at).toBeInstanceOf(Date);
    expect(rows[0].applied_steps_count).toBe(1);
  });

  it('three replicas starting at once on an empty database apply each migration exactly once', async () => {
    const url = await emptyPostgresDatabase('mig3');
    const results = await Promise.all([applyPostgresMigrations(url), applyPostgresMigrations(url), applyPostgresMigrations(url)]);
    const names = listMigrations(postgresMigrationsDir).map((m) => m.name);
    expect(results.flat().sort()).toEqual(names);
    const client = await connect(url);
    const { rows } = await client.query('SELECT migration_name, COUNT(*)::int AS n FROM "_prisma_migrations" GROUP BY migration_name');
    expect(rows).toHaveLength(names.length);
    for (const row of rows) expect(row.n).toBe(1);
  });

  it('refuses to start when an applied migration was edited', async () => {
    const url = await emptyPostgresDatabase('migedit');
    await applyPostgresMigrations(url);
    const client = await connect(url);
    await client.query(`UPDATE "_prisma_migrations" SET checksum = 'x'`);
    await expect(applyPostgresMigrations(url)).rejects.toThrow(/was changed after it was applied/);
  });

  it('a failing migration changes nothing and names itself; the next start applies it once fixed', async () => {
    const url = await emptyPostgresDatabase('migfail');
    const dir = mkdtempSync(path.join(tmpdir(), 'mktops-pgmig-'));
    const write = (name: string, sql: string) => {
      mkdirSync(path.join(dir, name), { recursive: true });
      writeFileSync(path.join(dir, name, 'migration.sql'), sql);
    };
    write('20300101000000_a', 'CREATE TABLE "A" ("id" BIGSERIAL PRIMARY KEY);');
    write('20300102000000_b', 'CREATE TABLE "B" ("id" BIGSERIAL PRIMARY KEY);\nSELECT no_such_function();');
    await expect(applyPostgresMigrations(url, dir)).rejects.toThrow(/migration 20300102000000_b failed: .*no_such_function/);
    const client = await connect(url);
    const tables = async () => (await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.tablename);
    expect(await tables()).toEqual(['A', '_prisma_migrations']);
    write('20300102000000_b', 'CREATE TABLE "B" ("id" BIGSERIAL PRIMARY KEY);');
    expect(await applyPostgresMigrations(url, dir)).toEqual(['20300102000000_b']);
    expect(await tables()).toEqual(['A', 'B', '_prisma_migrations']);
  });

  it('leave the database exactly as prisma/postgres/schema.prisma describes (no drift)', async () => {
    const url = await emptyPostgresDatabase('migdrift');
    await applyPostgresMigrations(url);
    expect(await diffPostgresDatabase(url)).toBe('');
  });

  it('the drift check notices a difference', async () => {
    const url = await emptyPostgresDatabase('migdrift2');
    await applyPostgresMigrations(url);
    const client = await connect(url);
    await client.query('DROP INDEX "Expense_lineId_month_idx"');
    expect(await diffPostgresDatabase(url)).toMatch(/Expense_lineId_month_idx/);
  });

  it('store amounts beyond 32 bits and UTC instants whatever the server time zone', async () => {
    const url = await emptyPostgresDatabase('migtypes');
    const admin = await connect(url);
    await admin.query(`ALTER DATABASE "${new URL(url).pathname.slice(1)}" SET timezone TO 'Asia/Shanghai'`);
    const db = await openDatabase(url);
    try {
      const before = Date.now();
      const fy = await db.write((tx) => tx.fiscalYear.create({ data: { year: 2030 } }));
      const line = await db.write((tx) => tx.budgetLine.create({ data: { fiscalYearId: fy.id, code: 'BIG', name: 'big', annualAmount: 9_999_999_999 } }));
      expect(line.annualAmount).toBe(9_999_999_999);
      expect(typeof line.id).toBe('number');
      // createdAt comes from the column default (CURRENT_TIMESTAMP), read in the bot's UTC session.
      await db.write((tx) => tx.$executeRawUnsafe(`INSERT INTO "ThresholdAlert" ("lineId", "month", "threshold") VALUES (1, '2030-01', 80)`));
      const alert = await db.read((tx) => tx.thresholdAlert.findFirstOrThrow());
      expect(Math.abs(alert.createdAt.getTime() - before)).toBeLessThan(60_000);
      expect(Math.abs(line.createdAt.getTime() - before)).toBeLessThan(60_000);
    } finally {
      await db.close();
    }
  });
});
