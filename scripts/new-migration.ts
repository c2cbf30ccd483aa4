// Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that brings a database
// migrated with the existing migrations up to schema.prisma. Usage: npm run db:migration -- <name>
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations } from '../src/db/migrate.js';
import { diffToSchema } from './schema-diff.js';

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]+/gi, '_').toLowerCase();
if (!name) {
  console.error('usage: npm run db:migration -- <name>');
  process.exit(2);
}
const scratch = mkdtempSync(path.join(tmpdir(), 'mktops-migration-'));
const current = path.join(scratch, 'current.db');
applyMigrations(current);
const sql = await diffToSchema(current, path.join(scratch, 'scratch.db'));
if (!sql) {
  console.log('schema.prisma and the migrations agree: nothing to write');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = fileURLToPath(new URL(`../prisma/migrations/${stamp}_${name}/`, import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'migration.sql'), sql + '\n');
console.log(`wrote ${dir}migration.sql`);
