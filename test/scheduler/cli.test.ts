// `npm run job -- <name>` through the fake Slack Web API: runs once per period, delivers through the
// configured sender, reports an already-done period, refuses unknown names with exit code 2; and the
// explain-variance flow with a report delivered to (fake) Slack and updated there in place.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runJobCommand } from '../../src/cli/runJob.js';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import { createSlackSender, createSlackClient } from '../../src/platforms/slack/sender.js';
import { createChatApi } from '../../src/platforms/slack/webApi.js';
import { createCore } from '../../src/usecases/core.js';
import { blockText, startFakeSlack, type FakeSlack } from '../support/fakeSlack.js';
import { tempDatabaseUrl } from '../support/tempDb.js';
import { bind, config, deliveryClock, FakeClock, openDb, person, seedLines } from './helpers.js';

let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack();
});
afterEach(async () => {
  await fake.close();
});

function env(url: string) {
  return {
    DATABASE_URL: url,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789',
    SLACK_API_URL: fake.url,
    BOT_TIMEZONE: 'Asia/Shanghai',
    BOT_LOCALE: 'en',
  };
}

describe('npm run job', () => {
  it('runs the monthly report once for the current period and delivers it to Slack', async () => {
    const file = await tempDatabaseUrl('mktops-cli-');
    const db = await openDb(file);
    const fin = await person(db, 'UFIN', ['finance'], 'Fay');
    await seedLines(db, [{ code: 'SEM', name: 'Search ads', month: '2026-10', plan: 1_000_000, spends: [1_500_000] }], fin.id);
    await bind(db, 'slack', 'T1', 'team', 'CTEAM');
    await db.close();
    const clock = new FakeClock('2026-11-05T04:00:00Z');
    const lines: string[] = [];
    const code = await runJobCommand(['monthly-report'], { env: env(file), clock, deliveryClock: deliveryClock(clock), out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(code).toBe(0);
    expect(lines[0]).toBe('monthly-report 2026-11: done — 1 message(s) queued (channels 1, dms 0, beyond 1).');
    // The report's text, then its chart shared in the report's thread.
    expect(lines, lines.join('\n')).toContain('slack: 2 message(s) delivered.');
    const posted = fake.messages('CTEAM');
    expect(posted).toHaveLength(1);
    expect(blockText(posted[0]!)).toContain('SEM Search ads: plan ¥10,000.00 · actual ¥15,000.00 · variance +¥5,000.00 (+50%)');
    expect(fake.files.shared('CTEAM')).toMatchObject([{ threadTs: posted[0]!.ts, filename: expect.stringMatching(/^chart-variance-.*\.png$/) }]);

    const again: string[] = [];
    expect(await runJobCommand(['monthly-report'], { env: env(file), clock, out: (l) => again.push(l) })).toBe(0);
    expect(again[0]).toMatch(/^monthly-report 2026-11: already done at .* by cli:\d+; nothing posted again\.$/);
    expect(fake.messages('CTEAM')).toHaveLength(1);
    expect(fake.files.shared('CTEAM')).toHaveLength(1);

    const errors: string[] = [];
    expect(await runJobCommand(['weekly-report'], { env: env(file), clock, err: (l) => errors.push(l) })).toBe(2);
    expect(errors.join('\n')).toBe('Unknown job "weekly-report".\nUsage: npm run job -- <name>\nJobs: weekly-agenda, monthly-budget, monthly-report, reminders');
    expect(await runJobCommand([], { env: env(file), clock, err: () => undefined })).toBe(2);
    expect(await runJobCommand(['reminders'], { env: { ...env(file), BOT_TIMEZONE: 'Mars/Base' }, clock, err: () => undefined })).toBe(1);
  });

  it('a fresh install: the week with no team chat is not consumed; once the admin binds one, the job posts it', async () => {
    const file = await tempDatabaseUrl('mktops-cli-');
    const db = await openDb(file);
    const clock = new FakeClock('2026-11-30T02:05:00Z'); // Monday 10:05 in Shanghai
    const lines: string[] = [];
    expect(await runJobCommand(['weekly-agenda'], { env: env(file), clock, out: (l) => lines.push(l) })).toBe(0);
    expect(lines[0]).toBe('weekly-agenda 2026-W49: nothing posted — no team chat is bound and nobody to message. Bind one with `/mkt channel team here`; the next run posts this period.');
    expect((await db.read((tx) => tx.jobRun.findMany())).map((r) => [r.period, r.status])).toEqual([['2026-W49', 'skipped']]);
    await bind(db, 'slack', 'T1', 'team', 'CTEAM');
    await db.close();
    const after: string[] = [];
    expect(await runJobCommand(['weekly-agenda'], { env: env(file), clock, deliveryClock: deliveryClock(clock), out: (l) => after.push(l) })).toBe(0);
    expect(after[0]).toMatch(/^weekly-agenda 2026-W49: done — 1 message\(s\) queued/);
    expect(fake.messages('CTEAM')).toHaveLength(1);
    const again: string[] = [];
    expect(await runJobCommand(['weekly-agenda'], { env: env(file), clock, out: (l) => again.push(l) })).toBe(0);
    expect(again[0]).toMatch(/already done/);
    expect(fake.messages('CTEAM')).toHaveLength(1);
  });

  it('a reason given through the Explain button updates the report already posted in Slack', async () => {
    const db = await openDb();
    const owner = await person(db, 'UOWNER', [], 'Olga');
    const ids = await seedLines(db, [{ code: 'SEM', name: 'Search ads', month: '2026-10', plan: 1_000_000, spends: [500_000], ownerId: owner.id }], owner.id);
    await bind(db, 'slack', 'T1', 'team', 'CTEAM');
    const clock = new FakeClock('2026-11-01T01:00:00Z');
    const { createScheduler } = await import('../../src/scheduler/index.js');
    await createScheduler({ db, config: config(), clock, timers: false }).start();
    const worker = createDeliveryWorker({ db, sender: createSlackSender(createSlackClient('xoxb-test', fake.url), { chat: createChatApi('xoxb-test', fake.url) }), clock: deliveryClock(clock) });
    await worker.drain();
    const report = fake.messages('CTEAM').find((m) => blockText(m).includes('Budget variance report'))!;
    expect(report, JSON.stringify(fake.messages().map((m) => m.text))).toBeDefined();
    expect(blockText(report)).toContain('Reason: not given yet.');
    expect(fake.messages().filter((m) => m.channel === 'DOWNER')).toHaveLength(1); // the owner's DM

    const core = createCore({ db, config: config(), clock });
    const who = { platform: 'slack' as const, workspaceId: 'T1', userId: 'UOWNER' };
    const o = await core.submit(who, `var.explain:${ids.SEM}:2026-10`, { reason: 'Campaign slipped to November.' });
    expect(o.ok).toBe(true);
    await worker.drain();
    expect(report.updates).toBe(1);
    expect(blockText(report)).toContain('Campaign slipped to November.');
    await db.close();
  });
});
