// Delegation (out of office) through Core on a real SQLite file: stand-ins decide on behalf of the delegator for
// adjustments, campaigns and the annual plan; windows end at the end of their local day; self-approval and chains
// are refused; delegator and stand-in are told at start and end (the end through the scheduler, exactly once).
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/scheduler/index.js';
import { adjustment, expectRefusedNothingWritten, outbox, slackUser, text, world, type World } from './budgetSetup.js';

const BOB = '<@UBOB0001|Bob>';
const dmsTo = async (w: World, userId: string) =>
  (await outbox(w.db)).filter((r) => r.kind === 'dm' && r.target === userId).map((r) => (JSON.parse(r.payload) as { message: { text?: string } }).message.text ?? '');

async function request(w: World, who = w.alice, amount = '3000') {
  const o = await w.core.command(who, `/budget request ${amount} SEM 2026-11 Extra search push`);
  expect(o.ok, text(o)).toBe(true);
}

describe('delegation: a stand-in decides on behalf of the delegator', () => {
  it('Fay names Bob; Bob approves the finance step; card, step row and audit say "on behalf of Fay"', async () => {
    const w = await world();
    const set = await w.core.command(w.fin, `/mkt delegate ${BOB} until 2026-11-20`);
    expect(set.ok, text(set)).toBe(true);
    expect(text(set)).toContain('until 2026-11-20 (end of day, Asia/Shanghai)');
    expect((await dmsTo(w, 'UBOB0001')).join('\n')).toMatch(/named you as stand-in for their Finance approvals, until 2026-11-20/);

    await request(w);
    const o = await w.core.action(w.bob, 'adj.approve:1');
    expect(o.ok, text(o)).toBe(true);
    const card = o.updatedCard!.message;
    expect(card.context?.join('\n')).toContain('Finance review: approved by <@slack:UBOB0001|Bob> on behalf of <@slack:UFIN0001|Fay>');
    const adj = await adjustment(w.db, 1);
    expect(adj.status).toBe('pending_leader'); // an increase beyond the yearly envelope goes on to a leader
    const fay = await w.db.read((tx) => tx.person.findFirstOrThrow({ where: { userId: 'UFIN0001' } }));
    expect(adj.steps[0]).toMatchObject({ step: 'finance', onBehalfOfId: fay.id });
    const audit = await w.db.read((tx) => tx.auditLog.findFirstOrThrow({ where: { action: 'adjustment.approve' } }));
    expect(JSON.parse(audit.data)).toMatchObject({ onBehalfOfId: fay.id, delegationId: 1 });
    expect((await dmsTo(w, 'UALICE01')).join('\n')).toContain('approved by finance (<@slack:UBOB0001|Bob> on behalf of <@slack:UFIN0001|Fay>)');
  });

  it('ends at the end of its date in Asia/Shanghai: 23:59 yes, 00:00 no', async () => {
    const w = await world();
    expect((await w.core.command(w.fin, `/mkt delegate ${BOB} until 2026-11-10`)).ok).toBe(true);
    await request(w);
    await request(w);
    w.clock.set('2026-11-10T15:59:00Z'); // 23:59 on the 10th in Shanghai
    expect((await w.core.action(w.bob, 'adj.approve:1')).ok).toBe(true);
    w.clock.set('2026-11-10T16:00:00Z'); // 00:00 on the 11th
    await expectRefusedNothingWritten(w, () => w.core.action(w.bob, 'adj.approve:2'), /waiting for a decision by Finance/);
    expect((await w.core.command(w.bob, '/mkt delegates')).reply?.text).toContain('Nobody has a stand-in');
  });

  it('never their own request nor one the delegator filed; another approver still can', async () => {
    const w = await world();
    expect((await w.core.command(w.fin, `/mkt delegate ${BOB}`)).ok).toBe(true);
    await request(w, w.bob); // ADJ-1 filed by the stand-in
    await request(w, w.fin); // ADJ-2 filed by the delegator
    await expectRefusedNothingWritten(w, () => w.core.action(w.bob, 'adj.approve:1'), /cannot decide your own request/);
    await expectRefusedNothingWritten(w, () => w.core.action(w.bob, 'adj.approve:2'), /Fay.*filed this request, so their stand-in cannot decide it/);
    expect((await w.core.action(w.fin2, 'adj.approve:2')).ok).toBe(true);
    // The reject form is refused the same way, before it opens.
    await expectRefusedNothingWritten(w, () => w.core.action(w.bob, 'adj.reject:1'), /own request/);
  });

  it('refuses chains both ways, oneself, past dates and people without an approval role', async () => {
    const w = await world();
    expect((await w.core.command(w.fin, `/mkt delegate ${BOB} finance`)).ok).toBe(true);
    // Bob stands in for Fay and tries to pass it on.
    await expectRefusedNothingWritten(w, () => w.core.command(w.bob, '/mkt delegate <@UALICE01|Alice>'), /only stand in for someone else’s Finance approvals/);
    // Finn tries to delegate to Fay, who is away herself.
    await expectRefusedNothingWritten(w, () => w.core.command(w.fin2, '/mkt delegate <@UFIN0001|Fay>'), /Fay.*has delegated their own Finance approvals/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.fin2, '/mkt delegate <@UFIN0002|Finn>'), /cannot be your own stand-in/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.fin2, `/mkt delegate ${BOB} until 2026-11-09`), /in the past \(today is 2026-11-10\)/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, `/mkt delegate ${BOB}`), /Only finance members and leaders/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.fin2, `/mkt delegate ${BOB} leader`), /does not hold|Only finance members and leaders/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.fin2, `/mkt delegate ${BOB} until 2026-13-01`), /not a date/);
  });

  it('admins set and end one for someone else; others cannot; both people are told', async () => {
    const w = await world();
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, `/mkt delegate for <@ULEAD001|Leo> ${BOB}`), /Only admins/);
    const set = await w.core.command(w.admin, `/mkt delegate for <@ULEAD001|Leo> ${BOB} leader until 2026-12-01`);
    expect(set.ok, text(set)).toBe(true);
    expect((await dmsTo(w, 'ULEAD001')).join('\n')).toContain('set <@slack:UBOB0001|Bob> as your stand-in for Leader approvals');
    expect((await w.core.command(w.alice, '/mkt delegates')).reply?.text).toContain('<@slack:ULEAD001|Leo> → <@slack:UBOB0001|Bob> · Leader · until 2026-12-01');
    const off = await w.core.command(w.admin, '/mkt delegate for <@ULEAD001|Leo> off');
    expect(off.ok, text(off)).toBe(true);
    expect((await dmsTo(w, 'UBOB0001')).join('\n')).toContain('You no longer stand in for <@slack:ULEAD001|Leo>');
    expect((await dmsTo(w, 'ULEAD001')).join('\n')).toContain('ended the delegation of your Leader approvals');
    await expectRefusedNothingWritten(w, () => w.core.command(w.lead, '/mkt delegate off'), /no delegation in force/);
  });

  it('a leader’s stand-in approves a campaign and a plan’s leader step on their behalf', async () => {
    const w = await world();
    expect((await w.core.command(w.lead, `/mkt delegate ${BOB} leader`)).ok).toBe(true);
    const proposed = await w.core.submit(w.alice, 'campaign.new', {
      name: 'Double 11 live push', goal: 'sales', theme: 'Singles day', format: 'live_selling', channels: ['douyin'],
      start: '2026-11-25', end: '2026-11-28', line: 'SEM', amount: '3000', kpi_participants: '5000',
    });
    expect(proposed.ok, text(proposed)).toBe(true);
    const shown = await w.core.command(w.bob, '/campaign show CMP-1');
    expect(shown.reply?.buttons?.map((b) => b.action)).toContain('cmp.approve:1');
    const approved = await w.core.action(w.bob, 'cmp.approve:1');
    expect(approved.ok, text(approved)).toBe(true);
    expect(JSON.stringify(approved.updatedCard?.message)).toContain('<@slack:UBOB0001|Bob> on behalf of <@slack:ULEAD001|Leo>');

    // The annual plan: drafted and submitted by Alice, finance by Finn, the leader step by Bob for Leo.
    expect((await w.core.command(w.alice, '/budget plan new 2027')).ok).toBe(true);
    expect((await w.core.command(w.alice, '/budget plan line 2027 SEM activity 120000 Search')).ok).toBe(true);
    expect((await w.core.command(w.alice, '/budget plan submit 2027')).ok).toBe(true);
    const plan = await w.db.read((tx) => tx.budgetPlan.findUniqueOrThrow({ where: { year: 2027 } }));
    expect((await w.core.action(w.fin2, `plan.approve:${plan.id}:1:1`)).ok).toBe(true);
    const leader = await w.core.action(w.bob, `plan.approve:${plan.id}:1:2`);
    expect(leader.ok, text(leader)).toBe(true);
    expect(JSON.stringify(leader.updatedCard?.message)).toContain('on behalf of <@slack:ULEAD001|Leo>');
    const steps = await w.db.read((tx) => tx.planStep.findMany({ orderBy: { id: 'asc' } }));
    expect(steps.map((s) => s.onBehalfOfId !== null)).toEqual([false, true]);
  });

  it('reminders for that step go to the stand-in too', async () => {
    const w = await world();
    expect((await w.core.command(w.fin, `/mkt delegate ${BOB}`)).ok).toBe(true);
    await request(w);
    w.clock.set('2026-11-11T02:00:00Z'); // 24 h later, 10:00
    const scheduler = createScheduler({ db: w.db, config: { timezone: 'Asia/Shanghai', locale: 'en', adminUsers: [] }, clock: w.clock, timers: false });
    const report = await scheduler.runNow('reminders');
    expect(report.status).toBe('done');
    const reminded = (await outbox(w.db)).filter((r) => r.kind === 'dm' && r.dedupeKey?.startsWith('reminders:')).map((r) => r.target).sort();
    expect(reminded).toEqual(['UBOB0001', 'UFIN0001', 'UFIN0002']);
  });
});

describe('delegation end notice: through the scheduler, exactly once', () => {
  it('two instances and a restart announce the end once, to both people', async () => {
    const w = await world();
    expect((await w.core.command(w.fin, `/mkt delegate ${BOB} until 2026-11-12`)).ok).toBe(true);
    const config = { timezone: 'Asia/Shanghai', locale: 'en' as const, adminUsers: [] };
    const a = createScheduler({ db: w.db, config, clock: w.clock, timers: false, owner: 'A' });
    const other = await import('../../src/db/client.js').then((m) => m.openDatabase(w.db.url));
    const b = createScheduler({ db: other, config, clock: w.clock, timers: false, owner: 'B' });
    w.clock.set('2026-11-12T15:59:00Z'); // 23:59 on its last day: still on
    expect((await a.events()).filter((r) => r.job === 'delegation-end')).toEqual([]);
    w.clock.set('2026-11-12T16:01:00Z');
    const [ra, rb] = await Promise.all([a.events(), b.events()]);
    expect([...ra, ...rb].filter((r) => r.status === 'done').map((r) => r.key)).toEqual(['DLG-1']);
    const restarted = createScheduler({ db: other, config, clock: w.clock, timers: false, owner: 'C' });
    w.clock.set('2026-11-13T02:00:00Z');
    expect((await restarted.events()).filter((r) => r.status === 'done')).toEqual([]);
    const ends = (await outbox(w.db)).filter((r) => r.dedupeKey?.startsWith('delegation-end:'));
    expect(ends.map((r) => r.target).sort()).toEqual(['UBOB0001', 'UFIN0001']);
    expect(await w.db.read((tx) => tx.auditLog.count({ where: { action: 'delegation.expire' } }))).toBe(1);
    await other.close();
  });
});

void slackUser;
