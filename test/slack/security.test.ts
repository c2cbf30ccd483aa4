// Signed requests only, no double processing of retries/replays, and delivery that survives Slack failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockText, buttonsOf } from '../support/fakeSlack.js';
import { signSlack } from '../support/slackClient.js';
import { settle } from '../support/waitFor.js';
import { ADMIN, APPROVALS, FIN, MKT, SIGNING_SECRET, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.ask(ADMIN, '/mkt', 'role <@UFIN|fin> finance');
  await h.ask(ADMIN, '/mkt', 'channel approvals here', { channelId: APPROVALS });
  await h.ask(FIN, '/budget', 'line add SEM 1200000 Search ads');
  await h.idle();
});
afterAll(async () => h?.close());

const now = () => Math.floor(Date.now() / 1000);

describe('request authenticity', () => {
  const body = new URLSearchParams({
    team_id: 'T1', user_id: 'UADMIN', user_name: 'admin', channel_id: 'CGENERAL', command: '/mkt',
    text: 'role <@UMKT|mkt> admin', trigger_id: 'trg-forged', response_url: 'https://hooks.slack.invalid/x',
  }).toString();

  async function expectRefused(opts: Parameters<Harness['slack']['post']>[1]) {
    const before = await h.counts();
    const calls = h.fake.calls.length;
    const res = await h.slack.post(body, opts);
    expect(res.status).toBe(401);
    await settle();
    expect(await h.counts()).toEqual(before); // not even a ProcessedDelivery row
    expect(h.fake.calls.length).toBe(calls);
  }

  it('a forged signature → 401, nothing written, nothing sent', async () => {
    await expectRefused({ signature: signSlack('not-the-secret', now(), body) });
    await expectRefused({ signature: 'v0=' + '0'.repeat(64) });
    await expectRefused({ signature: 'garbage' });
  });

  it('a stale (or far-future) timestamp → 401 even when correctly signed', async () => {
    const stale = now() - 6 * 60;
    await expectRefused({ timestamp: stale, signature: signSlack(SIGNING_SECRET, stale, body) });
    const future = now() + 10 * 60;
    await expectRefused({ timestamp: future, signature: signSlack(SIGNING_SECRET, future, body) });
  });

  it('a signature of another body → 401', async () => {
    const ts = now();
    await expectRefused({ timestamp: ts, signature: signSlack(SIGNING_SECRET, ts, body.replace('admin', 'leader')) });
  });

  it('missing headers → 401', async () => {
    const res = await fetch(`${h.slack.baseUrl}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(401);
  });

  it('answers url_verification (signed) with the challenge, and ssl_check', async () => {
    const res = await h.slack.post(JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' }), { contentType: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: 'abc123' });
    const ssl = await fetch(`${h.slack.baseUrl}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ssl_check=1&token=x' });
    expect(ssl.status).toBe(200);
  });

  it('GET /healthz names the platform', async () => {
    const res = await fetch(`${h.slack.baseUrl}/healthz`);
    expect(await res.json()).toMatchObject({ ok: true, database: 'ok', platforms: expect.arrayContaining(['slack']) });
  });
});

describe('retries and replays', () => {
  it('a retried slash command (same trigger_id, x-slack-retry-num: 1) creates one record and one answer', async () => {
    const before = await h.counts();
    const answers = h.answers(MKT).length;
    const first = await h.slack.command(MKT, '/budget', 'request 2000 SEM retried command', { triggerId: 'trg-retry-1' });
    const retry = await h.slack.command(MKT, '/budget', 'request 2000 SEM retried command', { triggerId: 'trg-retry-1', retryNum: 1 });
    const replay = await h.slack.command(MKT, '/budget', 'request 2000 SEM retried command', { triggerId: 'trg-retry-1' });
    expect([first.status, retry.status, replay.status]).toEqual([200, 200, 200]);
    await h.nextAnswer(MKT, answers);
    await h.idle();
    await settle(200);
    const after = await h.counts();
    expect(after.adjustments).toBe(before.adjustments + 1);
    expect(after.processed).toBe(before.processed + 1);
    expect(h.answers(MKT).length).toBe(answers + 1);
  });

  it('a replayed click (same trigger_id) acts once', async () => {
    const card = await waitFor(() => h.fake.messages(APPROVALS).find((m) => blockText(m).includes('retried command')));
    const original = structuredClone(card);
    const before = h.answers(FIN).length;
    await h.slack.click(FIN, original, 'adj.approve', { triggerId: 'trg-click-1' });
    await h.slack.click(FIN, original, 'adj.approve', { triggerId: 'trg-click-1', retryNum: 1 });
    await h.nextAnswer(FIN, before);
    await h.idle();
    await settle(200);
    expect(h.answers(FIN).length).toBe(before + 1);
    expect(card.updates).toBe(1);
  });

  it('a bot restart does not forget processed deliveries (they are in the database)', async () => {
    const row = await h.app.db.read((tx) => tx.processedDelivery.findFirst({ where: { id: { startsWith: 'slack:cmd:' } } }));
    expect(row).toBeTruthy();
  });
});

describe('delivery that loses nothing', () => {
  it('Web API answers 429 (Retry-After: 1), then 500, then ok → the card is delivered exactly once', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, { status: 500 });
    const before = h.fake.messages(APPROVALS).length;
    const started = Date.now();
    await h.ask(MKT, '/budget', 'request 3000 SEM survives an outage');
    const card = await waitFor(() => h.fake.messages(APPROVALS)[before], { timeoutMs: 8000, what: 'card after retries' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // Retry-After was honoured
    expect(blockText(card)).toContain('survives an outage');
    expect(buttonsOf(card).length).toBe(2);
    await h.idle();
    await settle(200);
    const attempts = h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === APPROVALS && JSON.stringify(c.args.blocks).includes('survives an outage'));
    expect(attempts.map((c) => c.outcome)).toEqual(['http_429', 'http_500', 'ok']);
    expect(h.fake.messages(APPROVALS).filter((m) => blockText(m).includes('survives an outage'))).toHaveLength(1);
    const row = await h.app.db.read((tx) => tx.outboxMessage.findFirstOrThrow({ where: { kind: 'post', target: APPROVALS }, orderBy: { id: 'desc' } }));
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(3);
    const ref = await h.app.db.read((tx) => tx.cardRef.findFirst({ where: { cardKey: row.cardKey!, platform: 'slack' } }));
    expect(ref).toMatchObject({ channelId: APPROVALS, messageId: card.ts });
  });

  it('a dropped connection and a ratelimited error are retried too', async () => {
    h.fake.failNext('chat.postMessage', { network: true }, { error: 'ratelimited' });
    const before = h.fake.messages(APPROVALS).length;
    await h.ask(MKT, '/budget', 'request 4000 SEM flaky network');
    await waitFor(() => h.fake.messages(APPROVALS)[before], { timeoutMs: 8000 });
    await h.idle();
    expect(h.fake.messages(APPROVALS).filter((m) => blockText(m).includes('flaky network'))).toHaveLength(1);
  });

  it('a permanent error (channel_not_found) is not retried: the row is marked dead', async () => {
    h.fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await h.ask(MKT, '/budget', 'request 5000 SEM into the void');
    await h.idle();
    const row = await h.app.db.read((tx) => tx.outboxMessage.findFirstOrThrow({ where: { kind: 'post', target: APPROVALS }, orderBy: { id: 'desc' } }));
    expect(row).toMatchObject({ status: 'dead', lastError: 'channel_not_found', attempts: 1 });
  });

  it('an ephemeral answer where the bot is not a member falls back to a DM', async () => {
    h.fake.failNext('chat.postEphemeral', { error: 'channel_not_found' });
    const dms = h.fake.messages('DMKT').length;
    await h.slack.command(MKT, '/budget', '', { channelId: 'DSOMEONEELSE' });
    const dm = await waitFor(() => h.fake.messages('DMKT')[dms]);
    expect(blockText(dm)).toMatch(/Budget/);
  });

  it('a card update that is rate-limited is retried and lands once', async () => {
    const card = h.fake.messages(APPROVALS).find((m) => blockText(m).includes('flaky network'))!;
    h.fake.failNext('chat.update', { status: 429, retryAfter: 1 });
    const before = h.answers(FIN).length;
    await h.slack.click(FIN, structuredClone(card), 'adj.approve');
    await h.nextAnswer(FIN, before);
    await waitFor(() => card.updates === 1, { timeoutMs: 8000 });
    await h.idle();
    const updates = h.fake.calls.filter((c) => c.method === 'chat.update' && c.args.ts === card.ts);
    expect(updates.map((c) => c.outcome)).toEqual(['http_429', 'ok']);
  });

  it('the Web API client sends the bot token and no retries of its own', async () => {
    expect(h.fake.calls.every((c) => c.auth === 'Bearer xoxb-test')).toBe(true);
  });
});

describe('content type', () => {
  it('accepts a form with a charset parameter', async () => {
    const before = h.answers(MKT).length;
    const res = await h.slack.command(MKT, '/budget', 'lines', { contentType: 'application/x-www-form-urlencoded; charset=utf-8' });
    expect(res.status).toBe(200);
    expect(blockText(await h.nextAnswer(MKT, before))).toContain('SEM');
  });
});
