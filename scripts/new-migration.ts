// Writes a migration for BOTH providers after prisma/schema.prisma changed: the SQL that brings a database migrated
// with the existing migrations up to schema.prisma, as prisma/migrations/<timestamp>_<name>/migration.sql (SQLite)
// and prisma/postgres/migrations/<timestamp>_<name>/migration.sql (PostgreSQL), and the new
// prisma/postgres/schema.prisma. Usage: npm run db:migration -- <name>
// SQLite: diffed from a scratch database migrated with the existing migrations. PostgreSQL: diffed from the committed
// prisma/postgres/schema.prisma (the shape its migrations produce, checked by the drift test) to the one derived from
// schema.prisma, without a database. SQL the schema engine does not write (triggers, data changes) is added by hand to
// both files; see docs/ARCHITECTURE.md "Adding a migration".
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations, migrationsDir, postgresMigrationsDir } from '../src/db/migrate.js';
import { diffPostgresDatamodels, diffToSchema, expectedPostgresSchema, postgresSchemaPath } from './schema-diff.js';

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]+/gi, '_').toLowerCase();
if (!name) {
  console.error('usage: npm run db:migration -- <name>');
  process.exit(2);
}
const scratch = mkdtempSync(path.join(tmpdir(), 'mktops-migration-'));
const current = path.join(scratch, 'current.db');
applyMigrations(current);
const sqlite = await diffToSchema(current, path.join(scratch, 'scratch.db'));
const pgBefore = existsSync(postgresSchemaPath) ? readFileSync(postgresSchemaPath, 'utf8') : null;
const pgAfter = expectedPostgresSchema();
const postgres = await diffPostgresDatamodels(pgBefore, pgAfter);
if (!sqlite && !postgres) {
  console.log('schema.prisma and the migrations agree: nothing to write');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
for (const [dir, sql] of [[migrationsDir, sqlite], [postgresMigrationsDir, postgres]] as const) {
  const target = path.join(dir, `${stamp}_${name}`);
  mkdirSync(target, { recursive: true });
  // An empty file keeps the two histories in step (a change only one provider sees, e.g. a native type).
  writeFileSync(path.join(target, 'migration.sql'), (sql || '-- Nothing to change for this provider.') + '\n');
  console.log(`wrote ${path.relative(process.cwd(), target)}/migration.sql`);
}
writeFileSync(postgresSchemaPath, pgAfter);
console.log(`wrote ${path.relative(process.cwd(), postgresSchemaPath)}`);
console.log('Next: node scripts/prisma-generate.mjs (both clients), then the tests (README: "Tests on PostgreSQL").');
