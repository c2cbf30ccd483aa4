// The audit log is append-only in the database itself: triggers refuse UPDATE and DELETE, whoever asks — on SQLite
// and on PostgreSQL (where TRUNCATE is refused too).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { tempDatabaseUrl } from '../support/tempDb.js';

describe('AuditLog is append-only', () => {
  it('refuses UPDATE and DELETE through Prisma and through raw SQL, and still takes inserts', async () => {
    const url = await tempDatabaseUrl();
    const db = await openDatabase(url);
    try {
      await db.write((tx) => tx.auditLog.create({ data: { actorId: null, action: 'test.entry', entity: 'Test', entityId: '1', data: '{"a":1}' } }));
      const [row] = await db.read((tx) => tx.auditLog.findMany());

      // Prisma's SQLite adapter reports the trigger's abort as a constraint violation; the raw checks below read
      // the trigger's own message.
      await expect(db.write((tx) => tx.auditLog.update({ where: { id: row!.id }, data: { data: '{"a":2}' } }))).rejects.toThrow();
      await expect(db.write((tx) => tx.auditLog.updateMany({ data: { action: 'changed' } }))).rejects.toThrow();
      await expect(db.write((tx) => tx.auditLog.delete({ where: { id: row!.id } }))).rejects.toThrow();
      await expect(db.write((tx) => tx.auditLog.deleteMany({}))).rejects.toThrow();
      await expect(db.write((tx) => tx.$executeRawUnsafe('DELETE FROM "AuditLog"'))).rejects.toThrow();
      await expect(db.write((tx) => tx.$executeRawUnsafe('UPDATE "AuditLog" SET "entityId" = \'2\''))).rejects.toThrow();

      await db.write((tx) => tx.auditLog.create({ data: { actorId: null, action: 'test.second', entity: 'Test', entityId: '1', data: '{}' } }));
      const rows = await db.read((tx) => tx.auditLog.findMany({ orderBy: { id: 'asc' } }));
      expect(rows.map((r) => [r.action, r.data])).toEqual([
        ['test.entry', '{"a":1}'],
        ['test.second', '{}'],
      ]);
    } finally {
      await db.close();
    }
    // A second connection (another process, a console) is refused too.
    if (db.provider === 'sqlite') {
      const sqlite = new Database(db.file);
      expect(() => sqlite.prepare('UPDATE "AuditLog" SET "action" = ?').run('x')).toThrow(/UPDATE refused/);
      expect(() => sqlite.prepare('DELETE FROM "AuditLog" WHERE id = 1').run()).toThrow(/DELETE refused/);
      expect(sqlite.prepare('SELECT COUNT(*) AS n FROM "AuditLog"').get()).toEqual({ n: 2 });
      sqlite.close();
    } else {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await expect(client.query('UPDATE "AuditLog" SET "action" = $1', ['x'])).rejects.toThrow(/UPDATE refused/);
        await expect(client.query('DELETE FROM "AuditLog" WHERE id = 1')).rejects.toThrow(/DELETE refused/);
        await expect(client.query('TRUNCATE "AuditLog"')).rejects.toThrow(/TRUNCATE refused/);
        expect((await client.query('SELECT COUNT(*)::int AS n FROM "AuditLog"')).rows).toEqual([{ n: 2 }]);
      } finally {
        await client.end();
      }
    }
  });

  it('no code of ours updates or deletes audit rows (pruning, data migrations, test clean-up)', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (name === 'node_modules' || name === 'generated' || name.startsWith('.')) continue;
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|sql|mjs)$/.test(name) && p !== path.resolve(import.meta.filename)) {
          const text = readFileSync(p, 'utf8');
          if (/auditLog\s*\.\s*(update|updateMany|upsert|delete|deleteMany)\b/.test(text) || /(UPDATE|DELETE\s+FROM)\s+"?AuditLog"?/i.test(text.replace(/RAISE\(ABORT[^)]*\)/g, ''))) {
            offenders.push(path.relative(root, p));
          }
        }
      }
    };
    for (const dir of ['src', 'scripts', 'prisma', 'test', 'bench']) walk(path.join(root, dir));
    expect(offenders).toEqual([]);
  });
});
