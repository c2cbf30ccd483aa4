// The hot paths' raw SQL (src/db/raw.ts): one text for both providers; on SQLite it runs straight on the connection.
// What it reads and writes must be what Prisma reads and writes: Dates stored in Prisma's format (so the query API
// reads them back and compares them), integers as numbers, DATETIME columns as Dates — and it is part of the unit's
// transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/client.js';
import { sqlRows, sqlRun } from '../../src/db/raw.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { tempDatabaseUrl } from '../support/tempDb.js';

let db: Db;
const heard: string[] = [];
beforeAll(async () => {
  db = await openDatabase(await tempDatabaseUrl(), { onQuery: (sql) => heard.push(sql) });
});
afterAll(async () => db?.close());

describe('raw SQL of the hot paths', () => {
  it('writes what the query API reads back, and reads what it wrote, types included', async () => {
    const at = new Date('2026-11-29T10:11:12.345Z');
    const changed = await db.write((tx) =>
      sqlRun(tx, Prisma.sql`INSERT INTO "AuditLog" ("at", "actorId", "action", "entity", "entityId", "data") VALUES (${at}, ${null}, ${'test.raw'}, ${'Test'}, ${'1'}, ${'{}'})`),
    );
    expect(changed).toBe(1);
    const viaApi = await db.read((tx) => tx.auditLog.findFirst({ where: { action: 'test.raw', at: { gte: at, lte: at } } }));
    expect(viaApi?.at.toISOString()).toBe(at.toISOString());

    await db.write((tx) => tx.person.create({ data: { platform: 'slack', workspaceId: 'T1', userId: 'U1', displayName: 'Ann', createdAt: at } }));
    const [person] = await db.read((tx) =>
      sqlRows<{ id: number; displayName: string; createdAt: Date }[]>(tx, Prisma.sql`SELECT "id", "displayName", "createdAt" FROM "Person" WHERE "userId" = ${'U1'}`),
    );
    expect(Number(person!.id)).toBeGreaterThan(0);
    expect(person!.displayName).toBe('Ann');
    expect(person!.createdAt).toBeInstanceOf(Date);
    expect(person!.createdAt.toISOString()).toBe(at.toISOString());
    // A Date bound in a comparison matches the stored format.
    const later = await db.read((tx) => sqlRows<{ n: number | bigint }[]>(tx, Prisma.sql`SELECT COUNT(*) AS "n" FROM "AuditLog" WHERE "at" <= ${at}`));
    expect(Number(later[0]!.n)).toBe(1);
  });

  it('is part of the unit: undone when the unit fails, heard by whoever listens to the queries', async () => {
    heard.length = 0;
    await expect(
      db.write(async (tx) => {
        await sqlRun(tx, Prisma.sql`INSERT INTO "AuditLog" ("at", "actorId", "action", "entity", "entityId", "data") VALUES (${new Date()}, ${null}, ${'test.undone'}, ${'Test'}, ${'2'}, ${'{}'})`);
        throw new Error('the unit fails');
      }),
    ).rejects.toThrow('the unit fails');
    expect(await db.read((tx) => tx.auditLog.count({ where: { action: 'test.undone' } }))).toBe(0);
    expect(heard.some((sql) => sql.includes('INSERT INTO "AuditLog"'))).toBe(true);
  });
});
