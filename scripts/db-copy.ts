// npm run db:copy -- <from> <to>: copies every row of one bot database into another, e.g. an existing SQLite file
// into a new PostgreSQL database when a company moves to replicas (docs/operations.md). <from> and <to> are
// DATABASE_URLs (file:… or postgresql://…; a plain path is a SQLite file). The target is migrated first and must be
// empty (no rows in any table): nothing is ever merged or overwritten. Tables are copied parents first (the order
// comes from the relations in prisma/schema.prisma), ids kept, in pages; PostgreSQL's id sequences are moved past
// the copied ids. Then every table is read back from both sides, row for row in id order, and compared; any
// difference is reported and the command fails. Stop the bot before copying (a row written during the copy would be
// missing from the target).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, providerOf, redactUrl, type Db } from '../src/db/client.js';

const PAGE = 500;

export interface Table {
  model: string;
  /** The primary-key field. */
  id: string;
  /** Models this one refers to (copied before it). */
  parents: string[];
}

/** Models of schema.prisma, parents before children, with their primary key. */
export function tablesInCopyOrder(schema: string): Table[] {
  const tables: Table[] = [];
  for (const block of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const [, model, body] = block as unknown as [string, string, string];
    const id = /^\s+(\w+)\s+\w+\??\s.*@id\b/m.exec(body)?.[1];
    if (!id) throw new Error(`model ${model} has no single-field @id: db:copy does not know how to page it`);
    const parents = [...body.matchAll(/^\s+\w+\s+(\w+)\??\s+@relation\([^)]*fields:/gm)].map((m) => m[1]!).filter((p) => p !== model);
    tables.push({ model, id, parents });
  }
  const ordered: Table[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t.model) && t.parents.every((p) => placed.has(p)));
    if (ready.length === 0) throw new Error('schema.prisma has a cycle of relations: db:copy cannot order the tables');
    for (const t of ready) {
      ordered.push(t);
      placed.add(t.model);
    }
  }
  return ordered;
}

const delegate = (tx: unknown, model: string) => (tx as Record<string, any>)[model[0]!.toLowerCase() + model.slice(1)];

/** A row in a form both providers agree on (dates as ISO text, bytes as base64). */
function canonical(row: Record<string, unknown>): string {
  return JSON.stringify(row, (_k, v: unknown) => {
    if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('base64')}`;
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data))
      return `bytes:${Buffer.from((v as { data: number[] }).data).toString('base64')}`;
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
}

async function* pages(db: Db, table: Table): AsyncGenerator<Record<string, unknown>[]> {
  let after: unknown;
  for (;;) {
    const rows: Record<string, unknown>[] = await db.read((tx) =>
      delegate(tx, table.model).findMany({ where: after === undefined ? {} : { [table.id]: { gt: after } }, orderBy: { [table.id]: 'asc' }, take: PAGE }),
    );
    if (rows.length === 0) return;
    yield rows;
    after = rows.at(-1)![table.id];
  }
}

export interface CopyReport {
  tables: { model: string; rows: number }[];
  rows: number;
}

export async function copyDatabase(fromUrl: string, toUrl: string, opts: { schema?: string; log?: (line: string) => void } = {}): Promise<CopyReport> {
  const log = opts.log ?? (() => undefined);
  const schema = opts.schema ?? readFileSync(fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url)), 'utf8');
  const tables = tablesInCopyOrder(schema);
  const from = await openDatabase(fromUrl, { poolSize: 2, applicationName: 'mktops db:copy' });
  const to = await openDatabase(toUrl, { poolSize: 2, applicationName: 'mktops db:copy' });
  try {
    for (const t of tables) {
      const n: number = await to.read((tx) => delegate(tx, t.model).count());
      if (n > 0) throw new Error(`the target already holds data (${n} rows in ${t.model}): db:copy only fills an empty database`);
    }
    const report: CopyReport = { tables: [], rows: 0 };
    for (const t of tables) {
      let copied = 0;
      for await (const rows of pages(from, t)) {
        await to.write((tx) => delegate(tx, t.model).createMany({ data: rows }));
        copied += rows.length;
      }
      if (to.provider === 'postgresql' && copied > 0 && t.id === 'id') {
        // Ids were copied as they were: new rows continue after the highest one.
        // (pg_get_serial_sequence is NULL for a text id, and setval(NULL, …) does nothing.)
        await to.write((tx) => tx.$queryRawUnsafe(`SELECT setval(pg_get_serial_sequence('"${t.model}"', 'id'), (SELECT MAX("id") FROM "${t.model}"))`));
      }
      report.tables.push({ model: t.model, rows: copied });
      report.rows += copied;
      log(`${t.model}: ${copied} rows`);
    }
    // Row for row: every source row looked up by its id on the target and compared; then the counts (nothing extra).
    for (const t of tables) {
      for await (const rows of pages(from, t)) {
        const ids = rows.map((r) => r[t.id]);
        const found: Record<string, unknown>[] = await to.read((tx) => delegate(tx, t.model).findMany({ where: { [t.id]: { in: ids } } }));
        const byId = new Map(found.map((r) => [String(r[t.id]), canonical(r)]));
        for (const row of rows) {
          const copy = byId.get(String(row[t.id]));
          if (copy !== canonical(row)) throw new Error(`verification failed: ${t.model} ${t.id}=${String(row[t.id])} differs\n  from: ${canonical(row).slice(0, 500)}\n  to:   ${(copy ?? 'missing').slice(0, 500)}`);
        }
      }
      const [a, b] = (await Promise.all([from.read((tx) => delegate(tx, t.model).count()), to.read((tx) => delegate(tx, t.model).count())])) as number[];
      if (a !== b) throw new Error(`verification failed: ${t.model} has ${a} rows in the source and ${b} in the target`);
    }
    log(`verified: ${report.rows} rows in ${tables.length} tables are the same on both sides`);
    return report;
  } finally {
    await from.close();
    await to.close();
  }
}

function asUrl(arg: string): string {
  return /^(file:|postgres(ql)?:\/\/)/i.test(arg) ? arg : `file:${arg}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [fromArg, toArg] = process.argv.slice(2);
  if (!fromArg || !toArg) {
    console.error('usage: npm run db:copy -- <from> <to>   (DATABASE_URLs, e.g. file:./data/mktops.db postgresql://bot:…@db:5432/mktops)');
    process.exit(2);
  }
  const from = asUrl(fromArg);
  const to = asUrl(toArg);
  try {
    providerOf(from);
    providerOf(to);
    console.log(`Copying ${redactUrl(from)} → ${redactUrl(to)}`);
    await copyDatabase(from, to, { log: (line) => console.log(`  ${line}`) });
    console.log('Done. Point DATABASE_URL at the target and start the bot.');
  } catch (error) {
    console.error(`db:copy failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
