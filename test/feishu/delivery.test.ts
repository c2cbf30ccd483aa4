// Delivery that loses nothing: rate limits (99991400 / HTTP 429) and 5xx are retried with back-off, an
// invalid tenant token clears the token cache and is retried at once, a permanent refusal is not retried
// forever, and a network error is reported as retryable.
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeishuSender, TokenCache } from '../../src/platforms/feishu/sender.js';
import { textOf } from '../support/fakeFeishu.js';
import { settle, waitFor } from '../support/waitFor.js';
import { startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const sends = () => h.fake.calls.filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages');

describe('Feishu delivery', () => {
  it('retries rate limits (code 99991400, HTTP 429) and 5xx until the message is accepted, once', async () => {
    h.fake.failNext({ status: 400, code: 99991400, msg: 'request trigger frequency limit' });
    h.fake.failNext({ status: 429, code: 99991400 });
    h.fake.failNext({ status: 503, code: 1, msg: 'unavailable' });
    await h.say(USERS.marketer, '/mkt help');
    const m = await h.nextCard(USERS.marketer);
    expect(textOf(m.card).length).toBeGreaterThan(0);
    await h.delivered();
    expect(sends().map((c) => c.status)).toEqual([400, 429, 503, 200]);
    expect(h.fake.sentTo(USERS.marketer)).toHaveLength(1);
    const row = await h.app.db.read((tx) => tx.outboxMessage.findFirstOrThrow({ where: { kind: 'dm' } }));
    expect([row.status, row.attempts]).toEqual(['sent', 4]);
  });

  it('an invalid tenant token clears the token cache and retries with a fresh token', async () => {
    await h.say(USERS.marketer, '/mkt help');
    await h.nextCard(USERS.marketer);
    expect(h.fake.tokenRequests).toBe(1);
    h.fake.invalidateTokens();
    await h.say(USERS.marketer, '/budget');
    await h.nextCard(USERS.marketer, () => true, 1);
    expect(h.fake.tokenRequests).toBe(2);
    const codes = sends().map((c) => c.code);
    expect(codes).toEqual([0, 99991663, 0]);
  });

  it('a permanent refusal (bot not in the chat) marks the row dead instead of retrying forever', async () => {
    h.fake.failNext({ status: 400, code: 230002, msg: 'Bot/User can NOT be out of the chat.' });
    await h.say(USERS.marketer, '/mkt help');
    await waitFor(() => h.app.db.read((tx) => tx.outboxMessage.findFirst({ where: { status: 'dead' } })), { what: 'dead row' });
    await settle(100);
    expect(sends()).toHaveLength(1);
  });

  it('a network error is retryable', async () => {
    const cache = new TokenCache();
    const client = new lark.Client({ appId: 'cli_unreachable1', appSecret: 's', domain: 'http://127.0.0.1:9', cache, logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} } });
    const sender = createFeishuSender(client, cache);
    const r = await sender.send({ id: 1, workspaceId: 't', kind: 'dm', target: 'ou_x', cardKey: null, message: { summary: 'hi' } });
    expect(r).toMatchObject({ ok: false, retry: true });
  });
});
