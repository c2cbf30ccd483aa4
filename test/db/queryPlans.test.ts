// The hot queries are served by indexes: on a seeded database, every statement the outbox worker, the inbox and the
// weekly agenda / monthly reports run is planned (EXPLAIN QUERY PLAN, with the very SQL and parameters Prisma sent)
// without a full scan or a sort of a table that grows with use. The timings at 1M expenses are in `npm run bench`.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed, SIZES } from '../../bench/reports.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { openDatabase, type Db } from '../../src/db/client.js';
import { createInbox } from '../../src/delivery/inbox.js';
import type { PlatformSender } from '../../src/delivery/types.js';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import { createDeliveryLedger } from '../../src/platforms/slack/ledger.js';
import { agendaMessage, collectAgenda } from '../../src/usecases/agenda.js';
import { monthlyBudgetMessageFor, varianceReportMessageFor } from '../../src/usecases/reports.js';
import { defaultSettings } from '../../src/usecases/settings.js';

/** Tables whose rows grow with use: a statement on one that is large here must use an index. */
const GROWING = ['OutboxMessage', 'ProcessedDelivery', 'Expense', 'AuditLog', 'Risk', 'Campaign', 'BudgetAdjustment', 'AgendaTopic', 'CardRef'];
/** Growing tables with 1,000 rows or more in the seeded database (SQLite rightly scans a table of a dozen rows). */
let large: string[] = [];

const dir = mkdtempSync(path.join(tmpdir(), 'mktops-plans-'));
const file = path.join(dir, 'plans.db');
let db: Db;
let statements: { sql: string; params: unknown[] }[] = [];

function seedOutbox(): void {
  const raw = new Database(file);
  const now = new Date('2026-11-30T02:00:00.000Z').getTime();
  raw.transaction(() => {
    const row = raw.prepare(
      'INSERT INTO OutboxMessage (platform, workspaceId, kind, target, cardKey, payload, status, attempts, nextAttemptAt, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)',
    );
    const payload = JSON.stringify({ message: { text: 'seeded', summary: 'seeded' } });
    for (let i = 0; i < 20_000; i++) {
      const platform = i % 3 === 0 ? 'feishu' : 'slack';
      const status = i % 10 === 0 ? 'pending' : 'sent';
      // Pending rows are due later (back-off), so a claim that walked them would be caught in the plan, not here.
      const due = new Date(now + (status === 'pending' ? 3600_000 : -i * 1000)).toISOString();
      row.run(platform, 'T1', i % 5 === 0 ? 'post' : 'ephemeral', `C${i % 50}`, i % 5 === 0 ? `ADJ-${i}` : null, payload, status, due, due);
    }
    const delivery = raw.prepare('INSERT INTO ProcessedDelivery (id, receivedAt, payload, doneAt) VALUES (?, ?, NULL, ?)');
    for (let i = 0; i < 20_000; i++) {
      const at = new Date(now - i * 1000).toISOString();
      delivery.run(`slack:cmd:seed${i}`, at, at);
    }
  })();
  raw.close();
}

function plan(sql: string, params: unknown[]): string[] {
  const raw = new Database(file, { readonly: true });
  try {
    return (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
  } finally {
    raw.close();
  }
}

/** Plan lines that read a growing table without an index, or sort it. */
function problems(lines: string[]): string[] {
  return lines.filter((line) => large.some((t) => new RegExp(`^SCAN main\\.${t}\\b`).test(line)) && !/USING (COVERING )?INDEX/.test(line));
}

/** Statements captured while `work` ran, each with its plan. */
async function plansOf(work: () => Promise<unknown>): Promise<{ sql: string; lines: string[] }[]> {
  statements = [];
  await work();
  return statements
    .filter((s) => /^\s*(SELECT|UPDATE|DELETE|INSERT)/i.test(s.sql))
    .map((s) => ({ sql: s.sql, lines: plan(s.sql, s.params) }));
}

function expectIndexed(plans: { sql: string; lines: string[] }[]): void {
  const bad = plans.filter((p) => problems(p.lines).length > 0).map((p) => `${p.sql}\n  → ${p.lines.join(' | ')}`);
  expect(bad).toEqual([]);
}

beforeAll(async () => {
  applyMigrations(file);
  seed(file, SIZES[0]!);
  seedOutbox();
  const raw = new Database(file, { readonly: true });
  large = GROWING.filter((t) => (raw.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n >= 1000);
  raw.close();
  expect(large).toEqual(expect.arrayContaining(['OutboxMessage', 'ProcessedDelivery', 'Expense']));
  db = await openDatabase(`file:${file}`, {
    onQuery: (sql, params) => {
      let values: unknown[] = [];
      try {
        values = JSON.parse(params) as unknown[];
      } catch {
        /* no parameters */
      }
      statements.push({ sql, params: values.map((v) => (typeof v === 'boolean' ? Number(v) : v)) });
    },
  });
}, 120_000);
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('query plans on a seeded database', () => {
  it('the outbox claim reads due rows in order from the index: no scan, no sort', async () => {
    const sender: PlatformSender = { platform: 'slack', send: async (row) => ({ ok: true, messageId: `m${row.id}`, channelId: row.target }) };
    const worker = createDeliveryWorker({ db, sender, clock: { now: () => new Date('2026-11-30T02:00:00.000Z') } });
    await db.write((tx) =>
      tx.outboxMessage.createMany({
        data: [
          { platform: 'slack', workspaceId: 'T1', kind: 'post', target: 'C1', cardKey: 'ADJ-999999', payload: JSON.stringify({ message: { text: 'a' } }), status: 'pending', nextAttemptAt: new Date('2026-11-30T01:00:00.000Z') },
          { platform: 'slack', workspaceId: 'T1', kind: 'update', target: 'ADJ-999999', cardKey: 'ADJ-999999', payload: JSON.stringify({ message: { text: 'b' } }), status: 'pending', nextAttemptAt: new Date('2026-11-30T01:00:00.000Z') },
        ],
      }),
    );
    const plans = await plansOf(async () => expect(await worker.drain()).toBe(2));
    const claim = plans.find((p) => /FROM "OutboxMessage" WHERE .*"status" = \?.*ORDER BY/.test(p.sql.replace(/\s+/g, ' ')));
    expect(claim, 'the claim query ran').toBeDefined();
    expect(claim!.lines.join(' | ')).toMatch(/USING INDEX OutboxMessage_platform_status_nextAttemptAt_id_idx/);
    for (const p of plans) expect(p.lines.join(' | '), p.sql).not.toMatch(/USE TEMP B-TREE/);
    expectIndexed(plans);
  });

  it('recording deliveries and marking them done are index lookups', async () => {
    const ledger = createDeliveryLedger(db, { now: () => new Date() }, 'plans');
    const inbox = createInbox(db, { now: () => new Date() }, 'plans');
    const plans = await plansOf(async () => {
      expect(await ledger.claim('slack:cmd:plans-1', { kind: 'command' })).toBe(true);
      await db.write((tx) => inbox.commitDone(tx, 'slack:cmd:plans-1'));
    });
    expect(plans.length).toBeGreaterThan(0);
    expectIndexed(plans);
  });

  it('the weekly agenda and the monthly reports read through indexes', async () => {
    const settings = defaultSettings({ timezone: 'Asia/Shanghai', locale: 'zh-CN', adminUsers: [] });
    const now = new Date('2026-11-30T02:00:00Z');
    const plans = await plansOf(async () => {
      await db.read(async (tx) => agendaMessage('zh-CN', await collectAgenda(tx, { today: '2026-11-30', month: '2026-11', now, settings })));
      await db.read((tx) => varianceReportMessageFor(tx, 'zh-CN', '2026-10'));
      await db.read((tx) => monthlyBudgetMessageFor(tx, 'zh-CN', '2026-11'));
    });
    expect(plans.length).toBeGreaterThan(3);
    expectIndexed(plans);
  });
});
