// The lean caller of chat.postMessage / chat.postEphemeral / chat.update (src/platforms/slack/webApi.ts) against the
// loopback fake of the Slack Web API: what it sends, how every failure is judged, one kept-alive socket, no token in
// the log.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { log } from '../../src/log.js';
import type { Message } from '../../src/messages/model.js';
import { renderMessageParts } from '../../src/platforms/slack/render.js';
import { classifySlackError, createSlackClient, createSlackSender, OUTBOX_EVENT_TYPE } from '../../src/platforms/slack/sender.js';
import { classifyFault, createChatApi, RETRYABLE_PLATFORM_ERRORS, type ChatApi } from '../../src/platforms/slack/webApi.js';
import { startFakeSlack, type Failure as FakeFailure, type FakeSlack } from '../support/fakeSlack.js';

// Not shaped like a Slack token, so the log's redaction would not hide it: only the caller keeps it out.
const TOKEN = 'plain-bot-token-7f3a91';

const message: Message = {
  tone: 'info',
  title: 'Budget increase request ADJ-7',
  text: 'Requested by <@slack:UMKT|mkt> for **SEM**',
  fields: [{ label: 'Amount', value: '¥60,000.00' }],
  context: ['ADJ-7 requested at 2030-03-10 10:00'],
  buttons: [
    { label: 'Approve', action: 'adj.approve:7', style: 'primary' },
    { label: 'Reject', action: 'adj.reject:7', style: 'danger' },
  ],
  summary: 'ADJ-7 waits for finance',
};

let fake: FakeSlack;
let chat: ChatApi;

beforeAll(async () => {
  log.setLevel('error');
  fake = await startFakeSlack({ botToken: TOKEN });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  chat = createChatApi(TOKEN, fake.url);
});
afterEach(() => chat.close());

const post = (text = 'hello') => chat.postMessage({ channel: 'CTEAM', text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });

describe('what is sent', () => {
  it('the sender posts, answers privately and updates through it: a JSON body whose args are the message, with the bearer token', async () => {
    const sender = createSlackSender(createSlackClient(TOKEN, fake.url), { apiUrl: fake.url, chat });
    const { text, blocks } = renderMessageParts(message)[0]!;
    const row = { workspaceId: 'T1', cardKey: null, message };

    const posted = await sender.send({ ...row, id: 41, kind: 'post', target: 'CTEAM' });
    expect(posted).toMatchObject({ ok: true, channelId: 'CTEAM' });
    expect(await sender.send({ ...row, id: 42, kind: 'ephemeral', target: 'CTEAM/UFIN' })).toEqual({ ok: true });
    const messageId = (posted as { messageId: string }).messageId;
    expect(await sender.send({ ...row, id: 43, kind: 'update', target: 'CTEAM', messageIds: [{ channelId: 'CTEAM', messageId }] })).toEqual({ ok: true });

    expect(fake.calls.map((c) => [c.method, c.outcome])).toEqual([
      ['chat.postMessage', 'ok'],
      ['chat.postEphemeral', 'ok'],
      ['chat.update', 'ok'],
    ]);
    for (const call of fake.calls) {
      expect(call.contentType).toBe('application/json; charset=utf-8');
      expect(call.auth).toBe(`Bearer ${TOKEN}`);
      expect(Array.isArray(call.args.blocks)).toBe(true);
    }
    const [postCall, ephemeralCall, updateCall] = fake.calls;
    expect(postCall!.args).toEqual({
      channel: 'CTEAM',
      text,
      blocks,
      unfurl_links: false,
      unfurl_media: false,
      metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { outbox_id: '41', part: 0 } },
    });
    expect(ephemeralCall!.args).toEqual({ channel: 'CTEAM', user: 'UFIN', text, blocks });
    expect(updateCall!.args).toEqual({ channel: 'CTEAM', ts: messageId, text, blocks });
    expect(fake.messages('CTEAM')[0]).toMatchObject({ text, blocks, updates: 1, metadata: postCall!.args.metadata });
    expect(fake.ephemerals('UFIN')[0]).toMatchObject({ channel: 'CTEAM', text, blocks });
  });

  it('Slack answers ok with its fields (ts, channel)', async () => {
    const r = await post();
    expect(r.ok).toBe(true);
    const res = (r as { res: Record<string, unknown> }).res;
    expect(res).toMatchObject({ ok: true, channel: 'CTEAM', ts: fake.messages('CTEAM')[0]!.ts });
    expect(res).not.toHaveProperty('warning'); // Slack warns of JSON sent without a charset
  });

  it('a JSON body is refused without a bearer token (not_authed) and with another token (invalid_auth), for good', async () => {
    const none = createChatApi('', fake.url);
    const other = createChatApi('another-token', fake.url);
    try {
      expect(await none.postMessage({ channel: 'CTEAM', text: 'x' })).toEqual({ ok: false, retry: false, error: 'not_authed' });
      expect(await other.postMessage({ channel: 'CTEAM', text: 'x' })).toEqual({ ok: false, retry: false, error: 'invalid_auth' });
    } finally {
      none.close();
      other.close();
    }
    expect(fake.messages()).toHaveLength(0);
  });

  it('auth.test at start goes through it too: who the bot is, or a failure judged like the others', async () => {
    const r = await chat.authTest();
    expect(r.ok && r.res).toMatchObject({ user_id: 'UBOT', bot_id: 'BBOT' });
    expect(fake.calls.map((c) => [c.method, c.auth])).toEqual([['auth.test', `Bearer ${TOKEN}`]]);
    const other = createChatApi('another-token', fake.url);
    try {
      expect(await other.authTest()).toEqual({ ok: false, retry: false, error: 'invalid_auth' });
    } finally {
      other.close();
    }
  });
});

describe('every failure judged as the WebClient path judges it', () => {
  const cases: [string, FakeFailure, unknown][] = [
    ['429 with Retry-After: 7', { status: 429, retryAfter: 7 }, { ok: false, retry: true, error: 'rate_limited', retryAfterMs: 7000 }],
    ['429 with Retry-After: 0', { status: 429, retryAfter: 0 }, { ok: false, retry: true, error: 'rate_limited', retryAfterMs: 1000 }],
    ['429 without Retry-After', { status: 429, retryAfter: null }, { ok: false, retry: true, error: 'rate_limited', retryAfterMs: 1000 }],
    ['500', { status: 500 }, { ok: false, retry: true, error: 'http_500' }],
    ['503', { status: 503 }, { ok: false, retry: true, error: 'http_503' }],
    ['408', { status: 408 }, { ok: false, retry: true, error: 'http_408' }],
    ['404', { status: 404 }, { ok: false, retry: false, error: 'http_404' }],
    ['400', { status: 400 }, { ok: false, retry: false, error: 'http_400' }],
    ['ok: false, ratelimited', { error: 'ratelimited' }, { ok: false, retry: true, error: 'ratelimited' }],
    ['ok: false, channel_not_found', { error: 'channel_not_found' }, { ok: false, retry: false, error: 'channel_not_found' }],
    ['ok: false, message_not_found', { error: 'message_not_found' }, { ok: false, retry: false, error: 'message_not_found' }],
  ];
  it.each(cases)('%s', async (_name, failure, verdict) => {
    fake.failNext('chat.postMessage', failure);
    expect(await post()).toEqual(verdict);
    // The caller is not stuck: the next call goes through.
    expect((await post('after')).ok).toBe(true);
  });

  it('a connection dropped before the answer: network, retried', async () => {
    fake.failNext('chat.postMessage', { network: true });
    expect(await post()).toMatchObject({ ok: false, retry: true, error: expect.stringMatching(/^network: \S/) });
    expect(fake.messages()).toHaveLength(0);
    expect((await post('after')).ok).toBe(true);
  });

  it('a connection dropped after Slack posted it (the answer lost): network, retried', async () => {
    fake.failNext('chat.postMessage', { lost: true });
    expect(await post()).toMatchObject({ ok: false, retry: true, error: expect.stringMatching(/^network: \S/) });
    expect(fake.messages()).toHaveLength(1);
  });

  it('a connection destroyed half-way through the answer: network, retried', async () => {
    fake.failNext('chat.update', { cut: true });
    const r = await chat.update({ channel: 'CTEAM', ts: '1.000001', text: 'x' });
    expect(r).toEqual({ ok: false, retry: true, error: 'network: connection closed before the answer was complete' });
    expect(fake.calls.map((c) => c.outcome)).toEqual(['cut']);
    expect((await post('after')).ok).toBe(true);
  });

  it('an HTTP 200 answer that is not JSON (e.g. a proxy page) is retried', async () => {
    fake.failNext('chat.postEphemeral', { body: '<html><body>Bad gateway</body></html>' });
    const r = await chat.postEphemeral({ channel: 'CTEAM', user: 'UFIN', text: 'x' });
    expect(r).toEqual({ ok: false, retry: true, error: 'not JSON (HTTP 200): <html><body>Bad gateway</body></html>' });
  });

  it('no answer within the timeout: network, retried (the timeout is an option, 10 s by default)', async () => {
    const quick = createChatApi(TOKEN, fake.url, { timeoutMs: 200 });
    try {
      fake.failNext('chat.postMessage', { hang: true });
      const r = await quick.postMessage({ channel: 'CTEAM', text: 'x' });
      expect(r).toEqual({ ok: false, retry: true, error: 'network: no answer within 200 ms' });
      expect(fake.calls.map((c) => c.outcome)).toEqual(['hang']);
      expect((await quick.postMessage({ channel: 'CTEAM', text: 'after' })).ok).toBe(true);
    } finally {
      quick.close();
    }
  });

  it('the platform errors that mean "later" are one list, shared with the WebClient path', async () => {
    expect(RETRYABLE_PLATFORM_ERRORS.size).toBeGreaterThan(0);
    for (const code of [...RETRYABLE_PLATFORM_ERRORS, 'invalid_blocks', 'is_archived']) {
      fake.failNext('chat.update', { error: code });
      const viaChat = await chat.update({ channel: 'CTEAM', ts: '1.000001', text: 'x' });
      const viaWebClient = classifySlackError({ code: 'slack_webapi_platform_error', data: { error: code } });
      expect(viaChat).toEqual(viaWebClient);
      expect(viaChat).toEqual({ ok: false, retry: RETRYABLE_PLATFORM_ERRORS.has(code), error: code });
    }
  });

  it('classifyFault, the one judgement: statuses, network, platform codes, anything else', () => {
    expect(classifyFault({ kind: 'rate_limited', retryAfterSec: 3 })).toEqual({ ok: false, retry: true, error: 'rate_limited', retryAfterMs: 3000 });
    expect(classifyFault({ kind: 'rate_limited' })).toEqual({ ok: false, retry: true, error: 'rate_limited', retryAfterMs: 1000 });
    expect(classifyFault({ kind: 'http', status: 0 })).toEqual({ ok: false, retry: true, error: 'http_0' });
    expect(classifyFault({ kind: 'http', status: 502 })).toEqual({ ok: false, retry: true, error: 'http_502' });
    expect(classifyFault({ kind: 'http', status: 403 })).toEqual({ ok: false, retry: false, error: 'http_403' });
    expect(classifyFault({ kind: 'network', message: 'ECONNREFUSED' })).toEqual({ ok: false, retry: true, error: 'network: ECONNREFUSED' });
    expect(classifyFault({ kind: 'platform', error: 'service_unavailable' })).toEqual({ ok: false, retry: true, error: 'service_unavailable' });
    expect(classifyFault({ kind: 'platform', error: 'not_in_channel' })).toEqual({ ok: false, retry: false, error: 'not_in_channel' });
    expect(classifyFault({ kind: 'unknown', message: 'odd' })).toEqual({ ok: false, retry: true, error: 'odd' });
  });
});

describe('connections', () => {
  it('calls one after another reuse one kept-alive connection', async () => {
    const before = fake.connections;
    for (let i = 0; i < 3; i++) {
      expect((await post(`m${i}`)).ok).toBe(true);
      expect((await chat.postEphemeral({ channel: 'CTEAM', user: 'UFIN', text: `e${i}` })).ok).toBe(true);
      expect((await chat.update({ channel: 'CTEAM', ts: fake.messages('CTEAM')[i]!.ts, text: `u${i}` })).ok).toBe(true);
    }
    expect(fake.ok('chat.postMessage').length + fake.ok('chat.postEphemeral').length + fake.ok('chat.update').length).toBe(9);
    expect(fake.connections - before).toBe(1);
  });

  it('the URL picks the protocol: an https URL is dialled with TLS', async () => {
    // The fake speaks plain HTTP: a TLS client hello to it fails (a network failure), where http would succeed.
    const tls = createChatApi(TOKEN, fake.url.replace(/^http:/, 'https:'));
    try {
      expect(await tls.postMessage({ channel: 'CTEAM', text: 'x' })).toMatchObject({ ok: false, retry: true, error: expect.stringMatching(/^network: /) });
    } finally {
      tls.close();
    }
    expect(fake.messages()).toHaveLength(0);
  });
});

describe('the log', () => {
  it('failures are logged as structured lines that never carry the token', async () => {
    const lines: string[] = [];
    log.setLevel('debug');
    log.setSink((line) => lines.push(line));
    const quick = createChatApi(TOKEN, fake.url, { timeoutMs: 200 });
    const results: unknown[] = [];
    try {
      fake.failNext('chat.postMessage', { network: true }, { lost: true }, { cut: true }, { hang: true }, { body: 'oops' }, { status: 503 }, { status: 429 }, { error: 'invalid_auth' });
      for (let i = 0; i < 8; i++) results.push(await quick.postMessage({ channel: 'CTEAM', text: 'x' }));
      // Slack's reasons for refusing blocks come back in response_metadata and are logged.
      results.push(await quick.postMessage({ channel: 'CTEAM', text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }));
    } finally {
      quick.close();
      log.setSink((line, level) => (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n'));
      log.setLevel('error');
    }
    expect(results.every((r) => (r as { ok: boolean }).ok === false)).toBe(true);
    expect(results.map((r) => (r as { error: string }).error).at(-1)).toBe('invalid_blocks');
    const events = lines.map((l) => JSON.parse(l) as { event: string; method?: string });
    expect(events.filter((e) => e.event === 'slack.api_failed')).toHaveLength(5); // network, lost, cut, timeout, not JSON
    expect(events.some((e) => e.event === 'slack.api_messages' && e.method === 'chat.postMessage')).toBe(true);
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(JSON.stringify(results)).not.toContain(TOKEN);
  });
});
