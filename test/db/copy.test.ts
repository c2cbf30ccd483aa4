// npm run db:copy -- <from> <to>: an existing SQLite database, filled through the use-cases (budget lines, requests
// approved by finance, risks, agenda topics, the audit trail, the outbox), is copied into an empty database of the
// provider under test (PostgreSQL in `npm run test:postgres`) and verified row for row; the copy works as the bot's
// database afterwards (new ids continue after the copied ones); a target that holds data is refused.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { copyDatabase, tablesInCopyOrder } from '../../scripts/db-copy.js';
import { openDatabase, type Db } from '../../src/db/client.js';
import { createCore } from '../../src/usecases/core.js';
import { systemClock } from '../../src/usecases/types.js';
import { tempDatabaseUrl, tempDbFile } from '../support/tempDb.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const config = { timezone: 'Asia/Shanghai', locale: 'en' as const, adminUsers: ['slack:UADMIN'] };
const ADMIN = { platform: 'slack' as const, workspaceId: 'T1', userId: 'UADMIN', displayName: 'admin' };
const FIN = { platform: 'slack' as const, workspaceId: 'T1', userId: 'UFIN', displayName: 'fin' };
const MKT = { platform: 'slack' as const, workspaceId: 'T1', userId: 'UMKT', displayName: 'mkt' };

const open: Db[] = [];
afterAll(async () => {
  for (const db of open) await db.close().catch(() => undefined);
});

async function filledSqlite(): Promise<string> {
  const url = `file:${tempDbFile('mktops-copy-')}`;
  const db = await openDatabase(url);
  const core = createCore({ db, clock: systemClock, config });
  const run = async (actor: typeof ADMIN, text: string, opts = {}) => {
    const o = await core.command(actor, text, opts);
    expect(o.ok, `${text}: ${JSON.stringify(o.reply)}`).toBe(true);
  };
  await run({ ...ADMIN, channelId: 'CAPPROVALS' } as typeof ADMIN, '/mkt channel approvals here');
  await run(ADMIN, '/mkt role <@UFIN|fin> finance');
  await run(ADMIN, '/budget line add SEM 1200000 Search engine marketing');
  await run(ADMIN, '/budget line add EVT 600000 Events');
  for (let i = 0; i < 7; i++) await run(MKT, `/budget request ${100 + i} SEM copy "quoted" 中文 #${i}`);
  for (const id of [1, 2, 3]) {
    const o = await core.action(FIN, `adj.approve:${id}`);
    expect(o.ok, JSON.stringify(o.reply)).toBe(true);
  }
  await run(MKT, '/risk report market 3 3 supplier may slip');
  await run(MKT, '/agenda add copy the database');
  await db.close();
  return url;
}

const counts = (db: Db) =>
  db.read(async (tx) => ({
    people: await tx.person.count(),
    adjustments: await tx.budgetAdjustment.count(),
    steps: await tx.approvalStep.count(),
    risks: await tx.risk.count(),
    audit: await tx.auditLog.count(),
    outbox: await tx.outboxMessage.count(),
  }));

describe('db:copy', () => {
  it('orders the tables parents first', () => {
    const order = tablesInCopyOrder(`model A {\n  id Int @id\n  b B @relation(fields: [bId], references: [id])\n  bId Int\n}\nmodel B {\n  key String @id\n}\n`);
    expect(order.map((t) => [t.model, t.id])).toEqual([['B', 'key'], ['A', 'id']]);
  });

  it('copies a SQLite database into an empty one, verified row for row, and the copy carries on', async () => {
    const from = await filledSqlite();
    const to = await tempDatabaseUrl('mktops-copy-to-');
    const report = await copyDatabase(from, to);
    const source = await openDatabase(from);
    const target = await openDatabase(to);
    open.push(source, target);
    const before = await counts(source);
    expect(before).toMatchObject({ adjustments: 7, steps: 3, risks: 1 });
    expect(before.audit).toBeGreaterThan(10);
    expect(await counts(target)).toEqual(before);
    expect(report.rows).toBeGreaterThan(40);
    expect(report.tables.find((t) => t.model === 'AuditLog')?.rows).toBe(before.audit);

    // The copy is the bot's database now: new ids follow the copied ones, decisions still work.
    const core = createCore({ db: target, clock: systemClock, config });
    const answer = await core.command(MKT, '/budget request 500 SEM after the move');
    expect(answer.reply?.text).toMatch(/ADJ-8\b/);
    expect((await core.action(FIN, 'adj.approve:4')).ok).toBe(true);
    expect((await core.action(FIN, 'adj.approve:1')).reply?.text).toMatch(/waiting for a decision by Leader.*Nothing was changed/);

    // A target with data is refused, and nothing is written to it.
    const audit = await target.read((tx) => tx.auditLog.count());
    await expect(copyDatabase(from, to)).rejects.toThrow(/already holds data/);
    expect(await target.read((tx) => tx.auditLog.count())).toBe(audit);
  }, 120_000);

  it('is one command: npm run db:copy -- <from> <to>', async () => {
    const from = await filledSqlite();
    const to = await tempDatabaseUrl('mktops-copy-cli-');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/db-copy.ts', from, to], { cwd: ROOT });
    expect(stdout).toMatch(/verified: \d+ rows in \d+ tables/);
    const target = await openDatabase(to);
    open.push(target);
    expect((await counts(target)).adjustments).toBe(7);
    const usage = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/db-copy.ts'], { cwd: ROOT }).catch((e: { code: number; stderr: string }) => e);
    expect(usage).toMatchObject({ code: 2 });
    expect((usage as { stderr: string }).stderr).toMatch(/usage: npm run db:copy -- <from> <to>/);
  }, 120_000);
});
