// Offline-safe `prisma generate` of both clients: SQLite (src/generated/prisma, from prisma/schema.prisma) and
// PostgreSQL (src/generated/prisma-pg, from the same schema with the provider swapped, see postgres-schema.mjs).
// Prisma is pointed at a stub schema engine (generate never runs it; it cannot be downloaded here).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { postgresSchema } from './postgres-schema.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'scripts', 'schema-engine-unavailable.sh'),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
const generate = (schema) => execFileSync('npx', ['prisma', 'generate', '--schema', schema], { cwd: root, stdio: 'inherit', env });

generate('prisma/schema.prisma');
const generated = path.join(root, 'src', 'generated');
mkdirSync(generated, { recursive: true });
const pgSchema = path.join(generated, 'postgres.prisma');
writeFileSync(pgSchema, postgresSchema(readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8'), { forClient: true, output: './prisma-pg' }));
generate(path.relative(root, pgSchema));
