// The hot paths' raw SQL (src/db/raw.ts): one text for both providers; on SQLite it runs straight on the connection.
// What it reads and writes must be what Prisma reads and writes: Dates stored in Prisma's format (so the query API
// reads them back and compares them), integers as numbers, DATETIME columns as Dates — and it is part of the unit's
// transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/client.js';
import { insertRow, sqlRows, sqlRun } from '../../src/db/raw.js';
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
    const later = await db.read((tx) => sqlRows<{ n: number }[]>(tx, Prisma.sql`SELECT COUNT(*) AS "n" FROM "AuditLog" WHERE "at" <= ${at}`));
    // Integers are numbers on both providers (PostgreSQL's driver gives COUNT(*) and BIGINT columns as bigint).
    expect(later[0]!.n).toBe(1);
    expect(typeof person!.id).toBe('number');
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

  it('inserts a row the query API reads back as written, and returns its id', async () => {
    const at = new Date('2026-11-29T08:09:10.111Z');
    const person = await db.write((tx) => tx.person.create({ data: { platform: 'slack', workspaceId: 'T1', userId: 'U-insert', createdAt: at } }));
    const row = { category: 'market', likelihood: 3, impact: 4, score: 12, grade: 'medium', title: 'Launch slips', description: null, campaignId: null, dueDate: '2026-12-01', reporterId: person.id, status: 'open', createdAt: at, updatedAt: at };
    const id = await db.write((tx) => insertRow(tx, 'Risk', row));
    expect(typeof id).toBe('number');
    const back = await db.read((tx) => tx.risk.findUnique({ where: { id } }));
    expect(back).toEqual({ id, ...row, ownerId: null, strategy: null, closeNote: null, closedAt: null, escalatedAt: null });
    const second = await db.write((tx) => insertRow(tx, 'AgendaTopic', { text: 'x', addedById: person.id, status: 'open', createdAt: at, closedAt: null }));
    expect(second).toBeGreaterThan(0);
    expect((await db.read((tx) => tx.agendaTopic.findUnique({ where: { id: second } })))?.createdAt.toISOString()).toBe(at.toISOString());
  });

  it('refuses a table or column name that is not a plain identifier, and writes nothing', async () => {
    const before = await db.read((tx) => tx.agendaTopic.count());
    await expect(db.write((tx) => insertRow(tx, 'AgendaTopic"; DROP TABLE "Person', { text: 'x' }))).rejects.toThrow(/bad identifier/);
    await expect(db.write((tx) => insertRow(tx, 'AgendaTopic', { 'text" , "status': 'x' }))).rejects.toThrow(/bad identifier/);
    expect(await db.read((tx) => tx.agendaTopic.count())).toBe(before);
  });
});
