// The real Prisma schema engine, compiled to WebAssembly, driven through our SQLite adapter.
// It replaces `prisma migrate diff`, whose native engine cannot be downloaded on our machines.
// Used to write new migrations (scripts/new-migration.ts) and by the drift test.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

export const schemaPath = fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url));

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

/**
 * SQL that turns `fromDbFile` (or an empty database when null) into what schema.prisma describes.
 * An empty string means: no difference.
 */
export async function diffToSchema(fromDbFile: string | null, scratchDbFile: string): Promise<string> {
  await loadEngine();
  const content = readFileSync(schemaPath, 'utf8');
  const adapter = bindMigrationAwareSqlAdapterFactory(
    new PrismaBetterSqlite3({ url: `file:${fromDbFile ?? scratchDbFile}` }),
  );
  const engine = await engineBindings.SchemaEngine.new(
    { datamodels: [['schema.prisma', content]] },
    () => {},
    adapter,
  );
  try {
    const result = await engine.diff({
      // `schemaDatasource` reads the live database through the adapter above.
      from: fromDbFile ? { tag: 'schemaDatasource', files: [{ path: 'schema.prisma', content }], configDir: '.' } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = (result.stdout ?? '').trim();
    return sql === '-- This is an empty migration.' ? '' : sql;
  } finally {
    engine.free();
  }
}
