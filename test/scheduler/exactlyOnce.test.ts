// Exactly once per period: two scheduler instances (two connections to one SQLite file, like two replicas)
// over a simulated month, a crash between claim and post, a claim lost to a take-over, catch-up at start, an
// outage of the chat platform, invalid cron settings.
import { describe, expect, it } from 'vitest';
import { claimRun } from '../../src/scheduler/ledger.js';
import { bind, fakeSender, FakeClock, installedSince, jobRuns, openDb, outboxRows, schedulerOn, workerFor, type Sent } from './helpers.js';

const HOUR = 3_600_000;

function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

describe('two scheduler instances over a simulated month', () => {
  it('posts each weekly agenda and monthly report exactly once per bound channel', async () => {
    const clock = new FakeClock('2026-10-31T16:00:00Z'); // Sunday 2026-11-01 00:00 in Shanghai
    const dbA = await openDb();
    const dbB = await openDb(dbA.url); // a second connection: a second replica
    await installedSince(dbA, '2026-10-01T00:00:00Z'); // a restart of an install: missed periods are caught up
    await bind(dbA, 'slack', 'T1', 'team', 'CTEAM');
    await bind(dbA, 'feishu', 'tenant1', 'team', 'oc_team');
    await bind(dbA, 'slack', 'T1', 'leaders', 'CLEAD');
    const a = schedulerOn(dbA, clock, { owner: 'A' });
    const b = schedulerOn(dbB, clock, { owner: 'B' });
    const sent: Sent[] = [];
    const slack = workerFor(dbA, fakeSender('slack', sent), clock);
    const feishu = workerFor(dbB, fakeSender('feishu', sent), clock);

    await Promise.all([a.start(), b.start()]); // both catch up the latest missed periods; only one wins each
    for (let i = 0; i < 32 * 12; i++) {
      clock.advance(2 * HOUR);
      const day = Math.floor(i / 12);
      await Promise.all(day % 2 === 0 ? [a.tick(), b.tick()] : [b.tick(), a.tick()]); // both race for every due run
      if (i % 12 === 0) await Promise.all([slack.drain(), feishu.drain()]);
    }
    await Promise.all([slack.drain(), feishu.drain()]);

    const runs = await jobRuns(dbA);
    const agendaPeriods = runs.filter((r) => r.job === 'weekly-agenda').map((r) => r.period);
    // Catch-up of the Monday before the start (W44), then every Monday of November and 30 November (W49).
    expect(agendaPeriods).toEqual(['2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48', '2026-W49']);
    expect(runs.filter((r) => r.job === 'monthly-report').map((r) => r.period)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(runs.filter((r) => r.job === 'reminders')).toHaveLength(32 + 1);
    expect(runs.every((r) => r.status === 'done')).toBe(true);
    expect(new Set(runs.map((r) => r.owner))).toEqual(new Set(['A', 'B'])); // both replicas did some of the work

    const rows = await outboxRows(dbA);
    const agendaRows = rows.filter((r) => r.dedupeKey?.startsWith('weekly-agenda:'));
    expect(agendaRows).toHaveLength(6 * 2);
    expect(Object.values(countBy(agendaRows, (r) => `${r.dedupeKey}`)).every((n) => n === 1)).toBe(true);
    const reportRows = rows.filter((r) => r.dedupeKey?.startsWith('monthly-report:'));
    expect(reportRows).toHaveLength(3 * 2);
    expect(rows.filter((r) => r.dedupeKey?.startsWith('monthly-budget:'))).toHaveLength(3); // leaders chat only

    // What the platforms received: one agenda per week per team chat, one report per month per team chat.
    const agendaCalls = countBy(sent.filter((s) => s.message.title?.includes('genda') || s.message.summary.includes('genda')), (s) => s.target);
    expect(agendaCalls).toEqual({ CTEAM: 6, oc_team: 6 });
    const reportCalls = countBy(sent.filter((s) => s.cardKey?.startsWith('VAR-')), (s) => `${s.target} ${s.cardKey}`);
    expect(reportCalls).toEqual({
      'CTEAM VAR-2026-09': 1,
      'CTEAM VAR-2026-10': 1,
      'CTEAM VAR-2026-11': 1,
      'oc_team VAR-2026-09': 1,
      'oc_team VAR-2026-10': 1,
      'oc_team VAR-2026-11': 1,
    });
    expect(sent).toHaveLength(rows.length);
    await dbA.close();
    await dbB.close();
  });
});

describe('crashes and take-overs', () => {
  it('a crash between claim and post: nothing posted until the lease expires, then posted once', async () => {
    const clock = new FakeClock('2026-11-30T02:00:00Z'); // Monday 10:00 Shanghai
    const db = await openDb();
    await bind(db, 'slack', 'T1', 'team', 'CTEAM');
    // The crashed process claimed the run and died before its write.
    const claim = await claimRun(db, { job: 'weekly-agenda', period: '2026-W49', owner: 'crashed', now: clock.now(), leaseMs: 600_000, late: false });
    expect(claim.claimed).toBe(true);

    const restarted = schedulerOn(db, clock, { owner: 'restarted', jobs: {} });
    const first = await restarted.start();
    expect(first.find((r) => r.job === 'weekly-agenda')).toMatchObject({ status: 'busy' });
    expect((await outboxRows(db)).filter((r) => r.dedupeKey?.startsWith('weekly-agenda'))).toHaveLength(0);

    clock.advance(9 * 60_000);
    expect((await restarted.tick()).find((r) => r.job === 'weekly-agenda')).toMatchObject({ status: 'busy' });
    clock.advance(2 * 60_000); // lease (10 min) expired
    expect((await restarted.tick()).find((r) => r.job === 'weekly-agenda')).toMatchObject({ status: 'done', late: true, posts: 1 });
    await restarted.tick();
    const again = schedulerOn(db, clock, { owner: 'third' });
    await again.start();
    expect((await outboxRows(db)).filter((r) => r.dedupeKey?.startsWith('weekly-agenda'))).toHaveLength(1);
    const run = (await jobRuns(db)).find((r) => r.job === 'weekly-agenda')!;
    expect(run).toMatchObject({ status: 'done', owner: 'restarted', period: '2026-W49' });
    await db.close();
  });

  it('a job that throws after claiming is recorded as failed and retried after the lease; posts once', async () => {
    const clock = new FakeClock('2026-11-30T02:00:00Z');
    const db = await openDb();
    await bind(db, 'slack', 'T1', 'team', 'CTEAM');
    let crash = true;
    const s = schedulerOn(db, clock, {
      owner: 'A',
      afterClaim: (job) => {
        if (job === 'weekly-agenda' && crash) throw new Error('boom after claim');
      },
    });
    const first = await s.start();
    expect(first.find((r) => r.job === 'weekly-agenda')).toMatchObject({ status: 'failed', error: 'boom after claim' });
    expect((await jobRuns(db)).find((r) => r.job === 'weekly-agenda')).toMatchObject({ status: 'failed' });
    crash = false;
    expect((await s.tick()).find((r) => r.job === 'weekly-agenda')?.status).toBe('busy');
    clock.advance(11 * 60_000);
    expect((await s.tick()).find((r) => r.job === 'weekly-agenda')).toMatchObject({ status: 'done', posts: 1 });
    expect((await outboxRows(db)).filter((r) => r.dedupeKey?.startsWith('weekly-agenda'))).toHaveLength(1);
    await db.close();
  });

  it('an instance that stalls past its lease loses the run to the one that took over: its posts roll back', async () => {
    const clock = new FakeClock('2026-11-30T02:00:00Z');
    const dbA = await openDb();
    const dbB = await openDb(dbA.url);
    await bind(dbA, 'slack', 'T1', 'team', 'CTEAM');
    const b = schedulerOn(dbB, clock, { owner: 'B' });
    const a = schedulerOn(dbA, clock, {
      owner: 'A',
      afterClaim: async (job) => {
        if (job !== 'weekly-agenda') return;
        clock.advance(11 * 60_000); // A stalls…
        await b.tick(); // …B takes the run over and posts it
      },
    });
    const reports = await a.start();
    expect(reports.find((r) => r.job === 'weekly-agenda')?.status).toBe('lost');
    expect((await outboxRows(dbA)).filter((r) => r.dedupeKey?.startsWith('weekly-agenda'))).toHaveLength(1);
    expect((await jobRuns(dbA)).find((r) => r.job === 'weekly-agenda')).toMatchObject({ owner: 'B', status: 'done' });
    await dbA.close();
    await dbB.close();
  });

  it('an outage of the chat platform neither drops nor duplicates a post', async () => {
    const clock = new FakeClock('2026-11-30T02:00:00Z');
    const db = await openDb();
    await installedSince(db, '2026-10-01T00:00:00Z');
    await bind(db, 'slack', 'T1', 'team', 'CTEAM');
    let down = true;
    const sent: Sent[] = [];
    const worker = workerFor(db, fakeSender('slack', sent, { down: () => down }), clock);
    const s = schedulerOn(db, clock);
    await s.start();
    await worker.drain();
    expect(sent).toHaveLength(0);
    for (let i = 0; i < 10; i++) {
      clock.advance(5 * 60_000);
      await s.tick();
      await worker.drain();
    }
    down = false;
    clock.advance(5 * 60_000);
    await s.tick();
    await worker.drain();
    expect(sent.filter((m) => m.target === 'CTEAM' && m.kind === 'post')).toHaveLength(1 + 1); // this week's agenda + the report of October
    expect(countBy(sent, (m) => m.message.summary)).toSatisfy((c: Record<string, number>) => Object.values(c).every((n) => n === 1));
    await db.close();
  });
});

describe('catch-up at start', () => {
  it('posts a missed Monday run once, marked late, for the latest period only', async () => {
    const db = await openDb();
    await bind(db, 'slack', 'T1', 'team', 'CTEAM');
    // The bot ran on Monday 9 November, then was down from 10 November to Wednesday 25 November.
    const clock = new FakeClock('2026-11-09T02:00:00Z');
    await schedulerOn(db, clock).start();
    clock.set('2026-11-25T03:00:00Z');
    const reports = await schedulerOn(db, clock).start();
    expect(reports.find((r) => r.job === 'weekly-agenda')).toMatchObject({ period: '2026-W48', status: 'done', late: true, posts: 1 });
    const runs = (await jobRuns(db)).filter((r) => r.job === 'weekly-agenda');
    expect(runs.map((r) => [r.period, r.late])).toEqual([
      ['2026-W46', false],
      ['2026-W48', true], // W47 (16 November) is not posted: only the latest missed period is caught up
    ]);
    const posts = (await outboxRows(db)).filter((r) => r.dedupeKey?.startsWith('weekly-agenda'));
    expect(posts.map((p) => p.dedupeKey)).toEqual(['weekly-agenda:2026-W46:slack:T1:CTEAM', 'weekly-agenda:2026-W48:slack:T1:CTEAM']);
    expect(JSON.parse(posts[1]!.payload).message.context.join(' ')).toContain('Posted late: the bot was offline at the scheduled time (2026-11-23 10:00 UTC+8)');
    // Starting again the same day changes nothing.
    await schedulerOn(db, clock).start();
    expect((await outboxRows(db)).filter((r) => r.dedupeKey?.startsWith('weekly-agenda'))).toHaveLength(2);
    await db.close();
  });

  it('runs due at start are not late when the bot was up on time', async () => {
    const db = await openDb();
    const clock = new FakeClock('2026-11-30T02:00:30Z');
    const reports = await schedulerOn(db, clock).start();
    expect(reports.find((r) => r.job === 'weekly-agenda')).toMatchObject({ period: '2026-W49', late: false });
    await db.close();
  });
});

describe('a fresh install and periods with nowhere to post', () => {
  it("the first start catches up nothing from before it (no last week's agenda on a new install)", async () => {
    const db = await openDb();
    await bind(db, 'slack', 'T1', 'team', 'CTEAM');
    const clock = new FakeClock('2026-12-02T03:00:00Z'); // Wednesday 11:00: Monday's agenda and today's reminders are past
    const reports = await schedulerOn(db, clock).start();
    expect(reports).toEqual([]);
    expect(await jobRuns(db)).toEqual([]);
    expect(await outboxRows(db)).toEqual([]);
    // The next Monday is posted on time, like on any install.
    clock.set('2026-12-07T02:00:00Z');
    const [agenda] = (await schedulerOn(db, clock).tick()).filter((r) => r.job === 'weekly-agenda');
    expect(agenda).toMatchObject({ period: '2026-W50', status: 'done', late: false, posts: 1 });
    await db.close();
  });

  it('a run with no chat bound is recorded as skipped, not done; the next tick after binding posts it once', async () => {
    const db = await openDb();
    await installedSince(db, '2026-11-01T00:00:00Z');
    const clock = new FakeClock('2026-11-30T02:00:00Z'); // Monday 10:00
    const s = schedulerOn(db, clock);
    const [skipped] = (await s.start()).filter((r) => r.job === 'weekly-agenda');
    expect(skipped).toMatchObject({ period: '2026-W49', status: 'skipped', posts: 0, missing: 'team' });
    clock.advance(60_000);
    expect((await s.tick()).find((r) => r.job === 'weekly-agenda')?.status).toBe('skipped'); // still nowhere to post
    expect((await jobRuns(db)).find((r) => r.job === 'weekly-agenda')).toMatchObject({ status: 'skipped' });
    expect(await outboxRows(db)).toEqual([]);

    await bind(db, 'slack', 'T1', 'team', 'CTEAM');
    clock.advance(60 * 60_000);
    const [posted] = (await s.tick()).filter((r) => r.job === 'weekly-agenda');
    expect(posted).toMatchObject({ period: '2026-W49', status: 'done', posts: 1, late: true });
    clock.advance(60_000);
    expect((await s.tick()).find((r) => r.job === 'weekly-agenda')?.status).toBe('already-done');
    expect((await outboxRows(db)).filter((r) => r.dedupeKey?.startsWith('weekly-agenda'))).toHaveLength(1);
    await db.close();
  });
});

describe('schedules from settings', () => {
  it('an invalid cron never crashes the scheduler: it is logged and the default is used', async () => {
    const db = await openDb();
    await db.write(async (tx) => {
      await tx.setting.create({ data: { key: 'schedule.weekly-agenda', value: JSON.stringify('every monday at ten') } });
      await tx.setting.create({ data: { key: 'schedule.reminders', value: JSON.stringify('0 25 * * *') } });
      await tx.setting.create({ data: { key: 'schedule.monthly-report', value: '{not json' } });
    });
    const clock = new FakeClock('2026-11-30T02:00:00Z');
    const s = schedulerOn(db, clock);
    const list = (await s.schedules()).list;
    expect(list.find((x) => x.job === 'weekly-agenda')).toMatchObject({ cron: '0 10 * * 1', invalid: { cron: 'every monday at ten' } });
    expect(list.find((x) => x.job === 'reminders')).toMatchObject({ cron: '0 9 * * *', invalid: { cron: '0 25 * * *' } });
    expect(list.find((x) => x.job === 'monthly-report')).toMatchObject({ cron: '0 9 1 * *' });
    const reports = await s.start();
    // Nothing crashed: each run is done, or skipped for want of a chat (none is bound here).
    expect(reports.map((r) => r.status).every((st) => st === 'done' || st === 'skipped')).toBe(true);
    // With real node-schedule timers too.
    const live = schedulerOn(db, clock, { timers: true });
    await live.start();
    await live.stop();
    await db.close();
  });

  it('a changed schedule is picked up on the next tick', async () => {
    const db = await openDb();
    await bind(db, 'slack', 'T1', 'team', 'CTEAM');
    const clock = new FakeClock('2026-11-30T02:00:00Z'); // Monday 10:00: W49 posted
    const s = schedulerOn(db, clock);
    await s.start();
    // Moved to Wednesday 15:00: W49 is done already, so Wednesday posts nothing new this week…
    await db.write((tx) => tx.setting.create({ data: { key: 'schedule.weekly-agenda', value: JSON.stringify('0 15 * * 3') } }));
    clock.set('2026-12-02T07:00:00Z');
    expect((await s.tick()).find((r) => r.job === 'weekly-agenda')).toMatchObject({ period: '2026-W49', status: 'already-done' });
    // …and next Monday 10:00 posts nothing (not scheduled), next Wednesday 15:00 posts W50.
    clock.set('2026-12-07T02:00:00Z');
    expect((await s.tick()).find((r) => r.job === 'weekly-agenda')).toMatchObject({ period: '2026-W49', status: 'already-done' });
    clock.set('2026-12-09T07:00:00Z');
    expect((await s.tick()).find((r) => r.job === 'weekly-agenda')).toMatchObject({ period: '2026-W50', status: 'done', late: false });
    expect((await s.nextRuns()).find((r) => r.job === 'weekly-agenda')?.at?.toISOString()).toBe('2026-12-16T07:00:00.000Z');
    await db.close();
  });
});
