// Global setup of the PostgreSQL run (vitest.postgres.config.ts): a throwaway cluster for the whole run (or the one
// named by TEST_POSTGRES_URL), and a template database migrated once, which every test copies (tempDb.ts).
import pg from 'pg';
import { applyPostgresMigrations } from '../../src/db/migratePostgres.js';
import { startCluster, type Cluster } from '../../scripts/pg-cluster.js';
import { TEMPLATE_DB } from './tempDb.js';

let cluster: Cluster | undefined;

export async function setup(): Promise<() => void> {
  let admin = process.env.TEST_POSTGRES_URL;
  if (!admin) {
    cluster = await startCluster();
    admin = cluster.url;
    process.env.TEST_POSTGRES_URL = admin;
  }
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${TEMPLATE_DB}`;
  await applyPostgresMigrations(url.toString());
  return () => cluster?.stop();
}
