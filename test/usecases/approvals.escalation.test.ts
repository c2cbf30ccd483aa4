// Escalation on timeout, on a real SQLite file: working hours over a weekend, exactly once per record and step
// across two scheduler instances and a restart, finance step → finance DMs + leaders' chat, leader step → leaders,
// the card says "escalated after … h" on every later update; bad settings are refused.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { createScheduler } from '../../src/scheduler/index.js';
import { expectRefusedNothingWritten, outbox, text, world, type World } from './budgetSetup.js';

const config = { timezone: 'Asia/Shanghai', locale: 'en' as const, adminUsers: ['slack:UADMIN'] };

async function setUp(): Promise<World> {
  // Friday 2026-11-13 17:00 in Shanghai.
  const w = await world({ now: '2026-11-13T09:00:00Z' });
  expect((await w.core.command({ ...w.admin, channelId: 'CAPPROVE' }, '/mkt channel approvals here')).ok).toBe(true);
  expect((await w.core.command({ ...w.admin, channelId: 'CLEADERS' }, '/mkt channel leaders here')).ok).toBe(true);
  expect((await w.core.command(w.admin, '/mkt set work_hours 09:00-18:00 Mon-Fri')).ok).toBe(true);
  expect((await w.core.command(w.admin, '/mkt set escalate_hours 4')).ok).toBe(true);
  const o = await w.core.command(w.alice, '/budget request 6万 SEM 2026-11 Double 11 extra push');
  expect(o.ok, text(o)).toBe(true);
  return w;
}

const rows = async (w: World, prefix: string) => (await outbox(w.db)).filter((r) => r.dedupeKey?.startsWith(prefix));

describe('escalation of a waiting decision', () => {
  it('counts working hours only: Friday 17:00 + 4 h = Monday 12:00, not Friday night', async () => {
    const w = await setUp();
    const s = createScheduler({ db: w.db, config, clock: w.clock, timers: false });
    w.clock.set('2026-11-15T09:00:00Z'); // Sunday 17:00: 48 calendar hours, 1 working hour
    expect(await s.events()).toEqual([]);
    w.clock.set('2026-11-16T03:59:00Z'); // Monday 11:59: 3 h 59 min
    expect(await s.events()).toEqual([]);
    w.clock.set('2026-11-16T04:00:00Z'); // Monday 12:00
    const reports = await s.events();
    expect(reports.map((r) => [r.key, r.status])).toEqual([['ADJ-1:finance', 'done']]);

    // Every finance member by DM (with the card and an "escalated" note) and one post in the leaders' chat.
    const sent = await rows(w, 'escalation:ADJ-1:finance');
    expect(sent.map((r) => `${r.kind}:${r.target}`).sort()).toEqual(['dm:UFIN0001', 'dm:UFIN0002', 'post:CLEADERS']);
    for (const r of sent) {
      expect(r.cardKey).toBe('ADJ-1'); // a copy later decisions update in place
      const m = JSON.parse(r.payload).message;
      expect(m.text).toContain('**Escalated**: ADJ-1 has waited more than 4 h for finance review');
      expect(m.buttons.map((b: { action: string }) => b.action)).toEqual(['adj.approve:1', 'adj.reject:1']);
    }
    // The copy already in the approvals chat is updated to say so.
    const update = (await outbox(w.db)).filter((r) => r.kind === 'update' && r.target === 'ADJ-1').at(-1)!;
    expect(JSON.parse(update.payload).message.context.join('\n')).toContain('⏫ Escalated after 4 h waiting for finance review (2026-11-16 12:00 UTC+8)');

    // A decision afterwards still shows it, and updates the escalated copies too.
    const f = await w.core.action(w.fin, 'adj.approve:1');
    expect(f.ok, text(f)).toBe(true);
    expect(f.updatedCard?.message.context?.join('\n')).toContain('Escalated after 4 h');
  });

  it('escalates once per request and step across two instances and a restart; the leader step on its own clock', async () => {
    const w = await setUp();
    const other = await openDatabase(w.db.url);
    const a = createScheduler({ db: w.db, config, clock: w.clock, timers: false, owner: 'A' });
    const b = createScheduler({ db: other, config, clock: w.clock, timers: false, owner: 'B' });
    w.clock.set('2026-11-16T05:00:00Z'); // Monday 13:00
    const first = await Promise.all([a.events(), b.events(), a.tick(), b.tick()]);
    expect(first.flat().filter((r) => 'key' in r && r.status === 'done')).toHaveLength(1);
    // A restart (a new instance on the same file), later the same day and the next day: nothing again.
    const restarted = createScheduler({ db: other, config, clock: w.clock, timers: false, owner: 'C' });
    await restarted.start();
    w.clock.set('2026-11-17T05:00:00Z');
    expect((await restarted.events()).filter((r) => r.status === 'done')).toEqual([]);
    await restarted.stop();
    expect(await rows(w, 'escalation:ADJ-1:finance')).toHaveLength(3);
    expect(await w.db.read((tx) => tx.auditLog.count({ where: { action: 'approval.escalate' } }))).toBe(1);
    expect(await w.db.read((tx) => tx.jobRun.count({ where: { job: 'escalation' } }))).toBe(1);

    // Finance approves Tuesday 13:00; the leader step waits again: 4 working hours → Tuesday 17:00.
    expect((await w.core.action(w.fin, 'adj.approve:1')).ok).toBe(true);
    w.clock.set('2026-11-17T08:59:00Z');
    expect(await a.events()).toEqual([]);
    w.clock.set('2026-11-17T09:00:00Z');
    const leader = await Promise.all([a.events(), b.events()]);
    expect(leader.flat().filter((r) => r.status === 'done').map((r) => r.key)).toEqual(['ADJ-1:leader']);
    const sent = await rows(w, 'escalation:ADJ-1:leader');
    expect(sent.map((r) => `${r.kind}:${r.target}`).sort()).toEqual(['dm:ULEAD001', 'dm:ULEAD002']);
    await other.close();
  });

  it('a crash after the claim is taken over after the lease, still once', async () => {
    const w = await setUp();
    w.clock.set('2026-11-16T05:00:00Z');
    const crashing = createScheduler({ db: w.db, config, clock: w.clock, timers: false, owner: 'A', afterEventClaim: () => { throw new Error('killed'); } });
    expect((await crashing.events()).map((r) => r.status)).toEqual(['failed']);
    expect(await rows(w, 'escalation:')).toHaveLength(0);
    const healthy = createScheduler({ db: w.db, config, clock: w.clock, timers: false, owner: 'B' });
    expect((await healthy.events()).map((r) => r.status)).toEqual(['busy']);
    w.clock.set('2026-11-16T05:11:00Z'); // after the 10-minute lease
    expect((await healthy.events()).map((r) => r.status)).toEqual(['done']);
    expect(await rows(w, 'escalation:')).toHaveLength(3);
  });

  it('without working hours every hour counts; `off` never escalates', async () => {
    const w = await setUp();
    expect((await w.core.command(w.admin, '/mkt set work_hours off')).ok).toBe(true);
    const s = createScheduler({ db: w.db, config, clock: w.clock, timers: false });
    expect((await w.core.command(w.admin, '/mkt set escalate_hours.finance off')).ok).toBe(true);
    w.clock.set('2026-11-20T09:00:00Z');
    expect(await s.events()).toEqual([]);
    expect((await w.core.command(w.admin, '/mkt set escalate_hours.finance 48')).ok).toBe(true);
    expect((await s.events()).map((r) => r.key)).toEqual(['ADJ-1:finance']);
  });

  it('refuses bad settings with a clear answer and writes nothing', async () => {
    const w = await world();
    await expectRefusedNothingWritten(w, () => w.core.command(w.admin, '/mkt set work_hours 18:00-09:00 Mon-Fri'), /ends before it starts/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.admin, '/mkt set work_hours 09:00-18:00 Mon-Funday'), /`funday` is not a weekday/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.admin, '/mkt set work_hours 9-18'), /`9` is not a time of day/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.admin, '/mkt set escalate_hours soon'), /not a number of hours/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.admin, '/mkt set escalate_hours 0'), /not a number of hours/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.fin, '/mkt set escalate_hours 24'), /admin/i);
    const ok = await w.core.command(w.admin, '/mkt set work_hours 9:00-18:00 周一-周五');
    expect(text(ok)).toContain('09:00-18:00 Mon-Fri');
  });

  it('campaigns and plans escalate at their step too (leaders by DM)', async () => {
    const w = await world({ now: '2026-11-10T02:00:00Z' });
    const proposed = await w.core.submit(w.alice, 'campaign.new', {
      name: 'Push', goal: 'sales', theme: 'Singles day', format: 'live_selling', channels: ['douyin'],
      start: '2026-11-25', end: '2026-11-28', line: 'SEM', amount: '3000', kpi_participants: '5000',
    });
    expect(proposed.ok, text(proposed)).toBe(true);
    expect((await w.core.command(w.alice, '/budget plan new 2027')).ok).toBe(true);
    expect((await w.core.command(w.alice, '/budget plan line 2027 SEM activity 120000 Search')).ok).toBe(true);
    expect((await w.core.command(w.alice, '/budget plan submit 2027')).ok).toBe(true);
    const s = createScheduler({ db: w.db, config, clock: w.clock, timers: false });
    w.clock.set('2026-11-12T02:00:00Z'); // 48 h later
    expect((await s.events()).map((r) => r.key).sort()).toEqual(['CMP-1:leader:r0', 'PLAN-2027:v1:finance']);
    expect((await rows(w, 'escalation:CMP-1')).map((r) => r.target).sort()).toEqual(['ULEAD001', 'ULEAD002']);
    // No leaders' chat bound: the plan's finance escalation reaches the leaders by DM.
    expect((await rows(w, 'escalation:PLAN-2027')).map((r) => r.target).sort()).toEqual(['UFIN0001', 'UFIN0002', 'ULEAD001', 'ULEAD002']);
    const shown = await w.core.command(w.lead, '/campaign show CMP-1');
    expect(text(shown)).toContain('Escalated after 48 h waiting for leader approval');
  });
});
