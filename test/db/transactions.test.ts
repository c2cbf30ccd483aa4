// A unit of work (Db.write) is one transaction, all or nothing — including the writes Prisma runs in a transaction of
// its own (a nested create), which on SQLite become a savepoint inside the unit's transaction (src/db/sqlite.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/client.js';
import { tempDatabaseUrl } from '../support/tempDb.js';

let db: Db;
const heard: string[] = [];

beforeAll(async () => {
  db = await openDatabase(await tempDatabaseUrl(), { onQuery: (sql) => heard.push(sql.trim()) });
});
afterAll(async () => db?.close());

const yearWithLines = (year: number, codes: string[]) => ({
  data: { year, lines: { create: codes.map((code) => ({ code, name: `Line ${code}`, annualAmount: 100 })) } },
});
const years = () => db.read((tx) => tx.fiscalYear.findMany({ orderBy: { year: 'asc' }, select: { year: true, lines: { select: { code: true } } } }));

describe('a unit of work is one transaction', () => {
  it('keeps a nested write and everything else of the unit when it succeeds, and sees its own writes meanwhile', async () => {
    const seen = await db.write(async (tx) => {
      await tx.fiscalYear.create(yearWithLines(2031, ['A', 'B']));
      await tx.auditLog.create({ data: { action: 'test.kept', entity: 'Test', entityId: '1', data: '{}' } });
      return tx.budgetLine.count({ where: { fiscalYear: { year: 2031 } } });
    });
    expect(seen).toBe(2);
    expect(await years()).toEqual([{ year: 2031, lines: [{ code: 'A' }, { code: 'B' }] }]);
  });

  it('rolls back every write of a unit that fails, nested writes included', async () => {
    const before = await db.read((tx) => tx.auditLog.count());
    await expect(
      db.write(async (tx) => {
        await tx.auditLog.create({ data: { action: 'test.lost', entity: 'Test', entityId: '2', data: '{}' } });
        await tx.fiscalYear.create(yearWithLines(2032, ['A']));
        throw new Error('the unit fails after its writes');
      }),
    ).rejects.toThrow('the unit fails');
    expect((await years()).map((y) => y.year)).toEqual([2031]);
    expect(await db.read((tx) => tx.auditLog.count())).toBe(before);
  });

  it('a nested write that fails is undone; on SQLite alone (a savepoint), on PostgreSQL with its unit', async () => {
    const unit = db.write(async (tx) => {
      await tx.auditLog.create({ data: { action: 'test.before', entity: 'Test', entityId: '3', data: '{}' } });
      // Two lines with one code: the second breaks the (year, code) key after the year and the first line were written.
      await expect(tx.fiscalYear.create(yearWithLines(2033, ['X', 'X']))).rejects.toThrow();
      await tx.fiscalYear.create(yearWithLines(2034, ['Y']));
    });
    if (db.provider === 'sqlite') {
      // The unit caught the error and went on: what it wrote before and after is kept.
      await unit;
      expect(await years()).toEqual([
        { year: 2031, lines: [{ code: 'A' }, { code: 'B' }] },
        { year: 2034, lines: [{ code: 'Y' }] },
      ]);
      expect(await db.read((tx) => tx.auditLog.count({ where: { action: 'test.before' } }))).toBe(1);
    } else {
      // PostgreSQL aborts the transaction at the failed statement: the whole unit fails and nothing of it is kept.
      await expect(unit).rejects.toThrow();
      expect(await years()).toEqual([{ year: 2031, lines: [{ code: 'A' }, { code: 'B' }] }]);
      expect(await db.read((tx) => tx.auditLog.count({ where: { action: 'test.before' } }))).toBe(0);
    }
  });

  it('leaves the connection ready for the next unit, and reports how each unit ended to whoever listens to the queries', async () => {
    heard.length = 0;
    await db.write((tx) => tx.auditLog.create({ data: { action: 'test.one', entity: 'Test', entityId: '4', data: '{}' } }));
    await expect(db.write(async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await db.write((tx) => tx.auditLog.create({ data: { action: 'test.two', entity: 'Test', entityId: '4', data: '{}' } }));
    expect(heard.filter((s) => /^(COMMIT|ROLLBACK)$/i.test(s)).map((s) => s.toUpperCase())).toEqual(['COMMIT', 'ROLLBACK', 'COMMIT']);
    expect(await db.read((tx) => tx.auditLog.count({ where: { entityId: '4' } }))).toBe(2);
  });
});
