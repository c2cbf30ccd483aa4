import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI only. The bot applies migrations itself (src/db/migrate.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/mktops.db' },
});
