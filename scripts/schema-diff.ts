// The real Prisma schema engine, compiled to WebAssembly, driven through our driver adapters.
// It replaces `prisma migrate diff`, whose native engine cannot be downloaded on our machines.
// Used to write new migrations for both providers (scripts/new-migration.ts) and by the drift tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import { postgresSchema } from './postgres-schema.mjs';

export const schemaPath = fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url));
/** The PostgreSQL database shape, derived from schemaPath (see postgres-schema.mjs). */
export const postgresSchemaPath = fileURLToPath(new URL('../prisma/postgres/schema.prisma', import.meta.url));

/** What prisma/postgres/schema.prisma must contain for the current prisma/schema.prisma. */
export function expectedPostgresSchema(): string {
  return postgresSchema(readFileSync(schemaPath, 'utf8'));
}

interface WasmApi {
  instantiate(bytes: Buffer, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

let loaded = false;
async function loadEngine(): Promise<void> {
  if (loaded) return;
  const wasmUrl = new URL('schema_engine_bg.wasm', import.meta.resolve('@prisma/schema-engine-wasm'));
  // @types/node does not declare the WebAssembly global.
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const { instance } = await wasm.instantiate(readFileSync(wasmUrl), { './schema_engine_bg.js': engineBindings });
  engineBindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  loaded = true;
}

type Target = { tag: 'empty' } | { tag: 'schemaDatasource'; files: { path: string; content: string }[]; configDir: string } | { tag: 'schemaDatamodel'; files: { path: string; content: string }[] };

async function diff(content: string, adapter: object, from: Target, to: Target): Promise<string> {
  await loadEngine();
  const engine = await engineBindings.SchemaEngine.new({ datamodels: [['schema.prisma', content]] }, () => {}, adapter);
  try {
    const result = await engine.diff({ from, to, script: true, exitCode: null, filters: { externalTables: [], externalEnums: [] } });
    const sql = (result.stdout ?? '').trim();
    return sql === '-- This is an empty migration.' ? '' : sql;
  } finally {
    engine.free();
  }
}

const datamodel = (content: string): Target => ({ tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content }] });
const datasource = (content: string): Target => ({ tag: 'schemaDatasource', files: [{ path: 'schema.prisma', content }], configDir: '.' });

/**
 * SQL that turns `fromDbFile` (or an empty database when null) into what schema.prisma describes.
 * An empty string means: no difference.
 */
export async function diffToSchema(fromDbFile: string | null, scratchDbFile: string): Promise<string> {
  const content = readFileSync(schemaPath, 'utf8');
  // `schemaDatasource` reads the live database through the adapter.
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaBetterSqlite3({ url: `file:${fromDbFile ?? scratchDbFile}` }));
  return diff(content, adapter, fromDbFile ? datasource(content) : { tag: 'empty' }, datamodel(content));
}

/**
 * The engine's introspection reads catalog columns of PostgreSQL's internal type "char" (OID 18: relkind, contype…),
 * which @prisma/adapter-pg does not map; they are one-byte text, so this client reports them as text (OID 25).
 */
class IntrospectionClient extends pg.Client {
  override query(...args: unknown[]): never {
    const fix = (r: pg.QueryResult | undefined) => {
      for (const field of r?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
      return r;
    };
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') args[last] = (error: unknown, r: pg.QueryResult) => callback(error, fix(r));
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return (result instanceof Promise ? result.then(fix) : result) as never;
  }
}

/** SQL that turns the live PostgreSQL database at `url` into `schema` (default: prisma/postgres/schema.prisma). */
export async function diffPostgresDatabase(url: string, schema = readFileSync(postgresSchemaPath, 'utf8')): Promise<string> {
  const pool = new pg.Pool({ connectionString: url, max: 2, Client: IntrospectionClient });
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
    return await diff(schema, adapter, datasource(schema), datamodel(schema));
  } finally {
    await pool.end();
  }
}

/**
 * SQL that turns a PostgreSQL database shaped like `from` (null: empty) into `to`, computed from the two datamodels
 * alone: no database is needed. The engine only asks the server's version; a stand-in adapter answers it (any other
 * query fails loudly).
 */
export async function diffPostgresDatamodels(from: string | null, to: string): Promise<string> {
  const refuse = async (query: { sql?: string }): Promise<never> => {
    throw new Error(`offline PostgreSQL diff: unexpected query ${query?.sql ?? ''}`);
  };
  const connection = {
    provider: 'postgres' as const,
    adapterName: 'mktops-offline',
    async queryRaw(query: { sql: string }) {
      if (/version\(\)/.test(query.sql)) {
        return {
          columnNames: ['exists', 'version', 'numeric_version'],
          columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
          rows: [[true, 'PostgreSQL 15.0', 150000]],
        };
      }
      return refuse(query);
    },
    executeRaw: refuse,
    executeScript: refuse,
    startTransaction: refuse,
    dispose: async () => {},
  };
  const factory = { provider: 'postgres' as const, adapterName: 'mktops-offline', connect: async () => connection, connectToShadowDb: async () => connection };
  const adapter = bindMigrationAwareSqlAdapterFactory(factory as unknown as Parameters<typeof bindMigrationAwareSqlAdapterFactory>[0]);
  return diff(to, adapter, from === null ? { tag: 'empty' } : datamodel(from), datamodel(to));
}
