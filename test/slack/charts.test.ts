// Charts on Slack, end to end through Bolt and the Web API client against the fake: the text first (numbers in the
// blocks, "Chart follows."), then the PNG uploaded with files.getUploadURLExternal + upload + completeUploadExternal
// and shared in the thread of that message (or the person's DM for a private answer), with its alt text; retried on
// 429/5xx with the same upload, shared once; a chart Slack refuses for good leaves a note, never holds back the text.
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/scheduler/index.js';
import { blockText } from '../support/fakeSlack.js';
import { ADMIN, FIN, MKT, startHarness, TEAM, waitFor, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.ask(ADMIN, '/budget', 'line add SEM 120000 Search ads');
  await h.ask(ADMIN, '/budget', 'line add BRAND 60000 品牌推广');
  await h.ask(ADMIN, '/mkt', `role <@${FIN.id}|${FIN.name}> finance`);
  await h.ask(FIN, '/budget', 'spend 9000 SEM March search push');
  await h.ask(ADMIN, '/mkt', 'channel team here', { channelId: TEAM });
  await h.idle();
});
afterAll(async () => h?.close());

const chartFiles = () => h.fake.files.all().filter((f) => /^chart-/.test(f.filename));

describe('charts on Slack', () => {
  it('/budget chart: the figures answer at once, the chart follows in the DM as a 2000×1200 PNG with alt text', async () => {
    const before = chartFiles().length;
    const answer = await h.ask(MKT, '/budget', 'chart');
    const text = blockText(answer);
    expect(text).toContain('Search ads');
    expect(text).toContain('Chart follows.');
    const file = await waitFor(() => h.fake.files.shared('DMKT').find((f) => /^chart-budget-use-/.test(f.filename)), { what: 'chart shared', timeoutMs: 30_000 });
    expect(chartFiles()).toHaveLength(before + 1);
    expect(file.comment).toBe('*Budget use — 2030-03*');
    expect(file.altText).toContain('Bar chart of budget use per line in 2030-03 (2 lines)');
    expect(file.shares).toBe(1);
    const png = PNG.sync.read(file.bytes!);
    expect([png.width, png.height]).toEqual([2000, 1200]);
  });

  it('the monthly budget summary: posted in the team chat, its chart shared in the summary’s thread, once', async () => {
    await h.ask(ADMIN, '/mkt', 'channel leaders here', { channelId: TEAM });
    // The April run of the scheduled job (the harness's own scheduler ran March's at start, before any line existed).
    const scheduler = createScheduler({
      db: h.app.db,
      clock: { now: () => new Date('2030-04-01T01:30:00Z') },
      config: { timezone: 'Asia/Shanghai', locale: 'en', adminUsers: ['slack:UADMIN'] },
      timers: false,
      onPosted: () => h.app.workers.forEach((w) => w.kick()),
    });
    expect((await scheduler.runNow('monthly-budget')).status).toBe('done');
    await h.idle();
    const report = await waitFor(() => h.fake.messages(TEAM).find((m) => blockText(m).includes('Monthly budget summary')), { what: 'summary' });
    expect(blockText(report)).toContain('Chart follows.');
    const shared = await waitFor(() => (h.fake.files.shared(TEAM).length > 0 ? h.fake.files.shared(TEAM) : undefined), { what: 'chart in thread', timeoutMs: 15_000 });
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatchObject({ threadTs: report.ts, comment: '*Budget use — 2030-04*' });
    // Run again: the ledger says done, nothing is posted or shared twice.
    expect((await scheduler.runNow('monthly-budget')).status).toBe('already-done');
    await h.idle();
    expect(h.fake.files.shared(TEAM)).toHaveLength(1);
    await scheduler.stop();
  });

  it('a 429 and a 5xx on the upload are retried with the same upload; the text is never held back', async () => {
    h.fake.reset();
    h.fake.failNext('files.getUploadURLExternal', { status: 429, retryAfter: 0 });
    h.fake.failNext('files.completeUploadExternal', { status: 503 });
    const answer = await h.ask(MKT, '/budget', 'chart 2030-03');
    expect(blockText(answer)).toContain('Chart follows.');
    const file = await waitFor(() => h.fake.files.shared('DMKT')[0], { what: 'chart shared after retries', timeoutMs: 15_000 });
    await h.idle();
    expect(h.fake.calls.filter((c) => c.method === 'files.getUploadURLExternal').map((c) => c.outcome)).toEqual(['http_429', 'ok']);
    expect(h.fake.calls.filter((c) => c.method === 'files.completeUploadExternal').map((c) => c.outcome)).toEqual(['http_503', 'ok']);
    expect(h.fake.files.all()).toHaveLength(1);
    expect(file.shares).toBe(1);
  });

  it('a chart Slack refuses for good: the text stands and a one-line note says the chart is missing', async () => {
    h.fake.reset();
    h.fake.failNext('files.getUploadURLExternal', { error: 'invalid_auth' });
    const answer = await h.ask(MKT, '/budget', 'chart');
    expect(blockText(answer)).toContain('Search ads');
    const note = await waitFor(() => h.answers(MKT).find((m) => blockText(m).includes('The chart could not be delivered')), { what: 'missing note', timeoutMs: 15_000 });
    expect(blockText(note)).toContain('Budget use — 2030-03');
    expect(h.fake.files.shared()).toHaveLength(0);
  });

  it('a month with nothing planned gets no chart, only a one-line note', async () => {
    const answer = await h.ask(MKT, '/budget', 'chart 2031-01');
    expect(blockText(answer)).toContain('There are no budget lines for 2031');
    expect(blockText(answer)).toContain('No chart: there are no budget lines.');
    expect(blockText(answer)).not.toContain('Chart follows.');
    await h.idle();
    expect(h.fake.files.all()).toHaveLength(0);
  });
});
