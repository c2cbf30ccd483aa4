// Offline-safe `prisma generate`: points Prisma at a stub schema engine (never run by generate).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execFileSync('npx', ['prisma', 'generate'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'scripts', 'schema-engine-unavailable.sh'),
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
