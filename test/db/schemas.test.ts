// One definition, two providers: prisma/postgres/schema.prisma is derived from prisma/schema.prisma and the two
// migration histories move in step (npm run db:migration writes both).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listMigrations, migrationsDir, postgresMigrationsDir } from '../../src/db/migrate.js';
import { diffPostgresDatamodels, expectedPostgresSchema, postgresSchemaPath } from '../../scripts/schema-diff.js';
import { postgresSchema } from '../../scripts/postgres-schema.mjs';

describe('the PostgreSQL schema', () => {
  it('is the one derived from prisma/schema.prisma (run `npm run db:migration -- <name>` when this fails)', () => {
    expect(readFileSync(postgresSchemaPath, 'utf8')).toBe(expectedPostgresSchema());
  });

  it('stores every Int as BIGINT and keeps the client on Int (numbers, like SQLite)', () => {
    const source = 'datasource db {\n  provider = "sqlite"\n}\n\nmodel A {\n  id     Int     @id @default(autoincrement())\n  amount Int\n  maybe  Int? // c\n  name   String\n}\n';
    const db = postgresSchema(source);
    expect(db).toContain('provider = "postgresql"');
    expect(db).toMatch(/id\s+BigInt\s+@id @default\(autoincrement\(\)\)/);
    expect(db).toMatch(/amount BigInt\n/);
    expect(db).toMatch(/maybe\s+BigInt\? \/\/ c/);
    expect(db).toMatch(/name\s+String/);
    const client = postgresSchema(`generator client {\n  output = "x"\n}\n\n${source}`, { forClient: true, output: './pg' });
    expect(client).toContain('output = "./pg"');
    expect(client).toMatch(/amount Int\n/);
    expect(() => postgresSchema(source.replace('String', 'String @db.VarChar(3)'))).toThrow(/native type/);
  });

  it('a datamodel change becomes PostgreSQL SQL without a database', async () => {
    const before = expectedPostgresSchema();
    const after = before.replace(/(model AgendaTopic \{[^}]*?)(\n\s*@@index)/, '$1\n  pinned Boolean @default(false)$2');
    expect(after).not.toBe(before);
    const sql = await diffPostgresDatamodels(before, after);
    expect(sql).toMatch(/ALTER TABLE "AgendaTopic" ADD COLUMN\s+"pinned" BOOLEAN NOT NULL DEFAULT false/);
    expect(await diffPostgresDatamodels(before, before)).toBe('');
  });
});

describe('migration histories', () => {
  it('every SQLite migration after the PostgreSQL baseline has a PostgreSQL twin of the same name, and back', () => {
    const sqlite = listMigrations(migrationsDir).map((m) => m.name);
    const postgres = listMigrations(postgresMigrationsDir).map((m) => m.name);
    const baseline = postgres[0]!;
    expect(baseline).toMatch(/_postgres_init$/);
    expect(sqlite.filter((n) => n > baseline)).toEqual(postgres.slice(1));
  });
});
