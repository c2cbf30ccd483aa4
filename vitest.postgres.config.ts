// The database-touching suites again, on PostgreSQL (`npm run test:postgres`, part of `npm test`): a throwaway
// cluster started for the run (test/support/postgresGlobalSetup.ts; TEST_POSTGRES_URL to use another), a fresh
// database per test copied from a migrated template, and the PostgreSQL-only tests in test/postgres/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/postgres/**/*.test.ts',
      'test/db/**/*.test.ts',
      'test/usecases/**/*.test.ts',
      'test/delivery/**/*.test.ts',
      'test/scheduler/**/*.test.ts',
      'test/slack/**/*.test.ts',
      'test/feishu/**/*.test.ts',
      'test/crash/**/*.test.ts',
      'test/local/surface.test.ts',
    ],
    // SQLite's own applier and pragmas (PostgreSQL's are in test/postgres/migrations.test.ts), SQLite's query plans, and
    // SQLite's one database queue (delivery ahead of waiting work).
    exclude: ['test/db/migrations.test.ts', 'test/db/queryPlans.test.ts', 'test/delivery/sqliteQueue.test.ts'],
    env: { TEST_DATABASE: 'postgres' },
    globalSetup: ['test/support/postgresGlobalSetup.ts'],
    setupFiles: ['test/support/postgresSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
