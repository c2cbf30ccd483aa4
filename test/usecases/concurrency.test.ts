// Decisions under contention: many clicks in one process, two processes on one database file, and decisions
// interleaved with unrelated writes (some decisions roll back) — exactly one transition, nothing else lost.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/usecases/types.js';
import { testProvider } from '../support/tempDb.js';
import { adjustment, plan, slackUser, text, world, type World } from './budgetSetup.js';

const LEADERS = Array.from({ length: 10 }, (_, i) => `ULEAD${String(i + 1).padStart(3, '0')}`);

/** ADJ-1: ¥60,000 more for SEM 2026-11, approved by finance, now pending_leader; 10 leaders in all. */
async function pendingLeader(): Promise<World> {
  const w = await world();
  for (const id of LEADERS.slice(2)) {
    expect((await w.core.command(w.admin, `/mkt role <@${id}|${id}> leader`)).ok).toBe(true);
  }
  expect((await w.core.command(w.alice, '/budget request 6万 SEM 2026-11 Double 11')).ok).toBe(true);
  expect((await w.core.action(w.fin, 'adj.approve:1')).ok).toBe(true);
  expect((await adjustment(w.db, 1)).status).toBe('pending_leader');
  return w;
}

async function expectOneLeaderTransition(w: World): Promise<void> {
  const adj = await adjustment(w.db, 1);
  expect(adj.status).toBe('approved');
  expect(adj.steps.filter((s) => s.step === 'leader')).toHaveLength(1);
  expect(adj.steps).toHaveLength(2);
  expect(await plan(w.db, 'SEM', '2026-11')).toBe(7_000_000); // ¥10,000 + ¥60,000, once
  const decisions = await w.db.read((tx) =>
    tx.auditLog.findMany({ where: { entity: 'BudgetAdjustment', entityId: '1', action: 'adjustment.approve' } }),
  );
  expect(decisions.filter((a) => JSON.parse(a.data).step === 'leader')).toHaveLength(1);
  const updates = await w.db.read((tx) => tx.outboxMessage.count({ where: { kind: 'update', target: 'ADJ-1' } }));
  expect(updates).toBe(2); // finance step + leader step
}

describe('concurrent decisions', () => {
  it('100 simultaneous approve clicks on one pending_leader request: exactly one wins', async () => {
    const w = await pendingLeader();
    const clickers = Array.from({ length: 100 }, (_, i) => {
      if (i % 10 < 7) return slackUser(LEADERS[i % LEADERS.length]!, `Leader ${i}`);
      if (i % 10 < 8) return i % 20 < 10 ? w.fin : w.fin2;
      return i % 2 ? w.alice : w.bob;
    });
    // Shuffle deterministically so the roles are mixed in the queue.
    for (let i = clickers.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [clickers[i], clickers[j]] = [clickers[j]!, clickers[i]!];
    }
    const outcomes: Outcome[] = await Promise.all(clickers.map((a) => w.core.action(a, 'adj.approve:1')));
    const winners = outcomes.filter((o) => o.ok);
    expect(winners).toHaveLength(1);
    await expectOneLeaderTransition(w);

    const leaderLosers = outcomes.filter((o, i) => !o.ok && LEADERS.includes(clickers[i]!.userId));
    expect(leaderLosers).toHaveLength(69);
    for (const o of leaderLosers) expect(text(o)).toMatch(/ADJ-1 was already approved by <@slack:ULEAD\d+\|[^>]+> at 2026-11-10 10:00/);
    // Finance members and marketers were refused (wrong role, or already approved), never a transition.
    for (const [i, o] of outcomes.entries()) {
      if (!LEADERS.includes(clickers[i]!.userId)) expect(text(o)).toMatch(/already approved|do not hold that role/);
    }
  });

  it('two processes on one database file, 50 approvals each: exactly one transition', async () => {
    const w = await pendingLeader();
    const root = path.resolve(import.meta.dirname, '../..');
    const script = path.join(root, 'test/support/concurrencyApprove.ts');
    const startAt = Date.now() + 4000;
    const run = (users: string[]) =>
      new Promise<{ ok: boolean; text: string }[]>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, w.db.url, '1', String(startAt), '50', ...users], {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('error', reject);
        child.on('close', (code) => {
          if (code !== 0) return reject(new Error(`child exited ${code}: ${err}`));
          try {
            resolve(JSON.parse(out));
          } catch (e) {
            reject(new Error(`bad child output: ${out} ${err} ${String(e)}`));
          }
        });
      });
    const [a, b] = await Promise.all([run(LEADERS.slice(0, 5)), run(LEADERS.slice(5))]);
    const all = [...a, ...b];
    expect(all).toHaveLength(100);
    expect(all.filter((o) => o.ok)).toHaveLength(1);
    for (const o of all.filter((x) => !x.ok)) expect(o.text).toMatch(/already approved by/);
    await expectOneLeaderTransition(w);
  }, 60_000);

  it('decisions (some rolled back) interleaved with unrelated writes: no unrelated write is lost', async () => {
    const w = await world();
    // 10 small transfers WEIBO → SEM in November (finance alone approves them).
    for (let i = 0; i < 10; i++) expect((await w.core.command(w.alice, `/budget transfer 100 WEIBO SEM 2026-11 good ${i}`)).ok).toBe(true);
    // 5 transfers out of SEM's December that will fail at execution: spend eats the source after the request.
    for (let i = 0; i < 5; i++) expect((await w.core.command(w.bob, `/budget transfer 6000 SEM WEIBO 2026-12 doomed ${i}`)).ok).toBe(true);
    w.clock.set('2026-12-01T02:00:00Z');
    const pre = await w.core.command(w.fin, '/budget spend 5000 SEM 2026-12-01 December prepayment');
    expect(pre.ok, text(pre)).toBe(true);
    w.clock.set('2026-11-10T02:00:00Z');
    // 5 requests by finance member Fay, which she will try to approve herself.
    for (let i = 0; i < 5; i++) expect((await w.core.command(w.fin, `/budget request 100 WEIBO 2026-11 own ${i}`)).ok).toBe(true);

    const before = await w.db.read(async (tx) => ({
      expenses: await tx.expense.count(),
      audits: await tx.auditLog.count(),
      steps: await tx.approvalStep.count(),
    }));
    const work: Promise<Outcome>[] = [];
    for (let i = 0; i < 50; i++) {
      work.push(w.core.command(i % 2 ? w.alice : w.bob, `/budget spend 10 WEIBO 2026-11-0${(i % 9) + 1} unrelated ${i}`));
      if (i < 10) work.push(w.core.action(w.fin2, `adj.approve:${i + 1}`)); // good
      if (i < 5) work.push(w.core.action(w.fin2, `adj.approve:${i + 11}`)); // rolled back at execution
      if (i < 5) work.push(w.core.action(w.fin, `adj.approve:${i + 16}`)); // own request: refused
      if (i < 10) work.push(w.core.command(w.admin, `/mkt set reminder_hours ${i + 1}`));
    }
    const outcomes = await Promise.all(work);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(50 + 10 + 10);
    expect(outcomes.filter((o) => !o.ok)).toHaveLength(10);

    const after = await w.db.read(async (tx) => ({
      expenses: await tx.expense.count(),
      audits: await tx.auditLog.count(),
      steps: await tx.approvalStep.count(),
      unrelated: await tx.expense.count({ where: { note: { startsWith: 'unrelated' } } }),
      setting: await tx.setting.findUnique({ where: { key: 'reminder_hours' } }),
      statuses: (await tx.budgetAdjustment.findMany({ orderBy: { id: 'asc' } })).map((a) => a.status),
    }));
    expect(after.expenses).toBe(before.expenses + 50);
    expect(after.unrelated).toBe(50);
    expect(after.steps).toBe(before.steps + 10);
    expect(after.audits).toBe(before.audits + 50 + 10 + 10);
    // SQLite commits one process's writes in arrival order, so the last setting wins; on PostgreSQL the ten commands
    // run concurrently and any one of them may commit last (each is audited above).
    if (testProvider === 'sqlite') expect(after.setting?.value).toBe('10');
    else expect(Array.from({ length: 10 }, (_, i) => String(i + 1))).toContain(after.setting?.value);
    expect(after.statuses).toEqual([...Array(10).fill('approved'), ...Array(10).fill('pending_finance')]);
    expect(await plan(w.db, 'SEM', '2026-11')).toBe(1_000_000 + 10 * 10_000);
    expect(await plan(w.db, 'WEIBO', '2026-11')).toBe(500_000 - 10 * 10_000);
    expect(await plan(w.db, 'SEM', '2026-12')).toBe(1_000_000);
  });
});
