// The Feishu long connection end to end (FEISHU_MODE=ws): the real app's Lark SDK WSClient asks the fake Open API
// for an endpoint (POST /callback/ws/endpoint), dials the loopback WebSocket it returned, and receives events as
// protobuf frames. Each event frame is acked by the SDK (same frame back, payload { code: 200 }) and acts exactly as
// the same callback over HTTP does: replies are queued and sent through the fake's im/v1/messages, card clicks are
// answered (toast + card) in the ack, and a re-pushed event (same event_id, new frame) acts once.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import type { AppConfig } from '../../src/config/env.js';
import { log } from '../../src/log.js';
import { startFakeFeishu, textOf, type FakeFeishu } from '../support/fakeFeishu.js';
import { FeishuWsTestClient, header, METHOD_CONTROL, SERVICE_ID, startFakeFeishuWs, type FakeFeishuWs } from '../support/fakeFeishuWs.js';
import { tempDatabaseUrl } from '../support/tempDb.js';
import { waitFor } from '../support/waitFor.js';

const USERS = { admin: 'ou_admin0001', finance: 'ou_fin0002', marketer: 'ou_mkt0004' } as const;
const APPROVALS = 'oc_approvals01';
const TENANT = 'tenant_abc';
// The SDK's WSClient only starts for an app id shaped like Feishu's: cli_ and 16 hex digits.
const APP_ID = `cli_${randomBytes(8).toString('hex')}`;
const APP_SECRET = `secret-${APP_ID}`;

let fake: FakeFeishu;
let ws: FakeFeishuWs;
let app: App;
let client: FeishuWsTestClient;

const counts = () =>
  app.db.read(async (tx) => ({
    processed: await tx.processedDelivery.count(),
    adjustments: await tx.budgetAdjustment.count(),
    bindings: await tx.channelBinding.count(),
    roles: await tx.roleGrant.count(),
    audit: await tx.auditLog.count(),
    outbox: await tx.outboxMessage.count(),
  }));

/** Waits until nothing is pending in the outbox and every accepted event's work is done. */
async function idle(): Promise<void> {
  await waitFor(
    async () =>
      app.db.read(
        async (tx) =>
          (await tx.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } })) === 0 &&
          (await tx.processedDelivery.count({ where: { doneAt: null, payload: { not: null } } })) === 0,
      ),
    { what: 'outbox drained and work done', timeoutMs: 8000 },
  );
}

/** Says something to the bot directly; expects the ack, waits for the private reply card. */
async function say(user: string, text: string): Promise<string> {
  const before = fake.sentTo(user).length;
  const r = await client.text(user, text);
  expect(r.status).toBe(200);
  return textOf((await waitFor(() => fake.sentTo(user)[before], { what: `reply to ${text}`, timeoutMs: 8000 })).card);
}

beforeAll(async () => {
  log.setLevel('error');
  ws = await startFakeFeishuWs();
  fake = await startFakeFeishu({ appId: APP_ID, appSecret: APP_SECRET, wsUrl: ws.url });
  const config: AppConfig = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: await tempDatabaseUrl('mktops-feishu-ws-'),
    timezone: 'Asia/Shanghai',
    locale: 'en',
    adminUsers: [`feishu:${USERS.admin}`],
    logLevel: 'error',
    feishu: {
      appId: APP_ID,
      appSecret: APP_SECRET,
      verificationToken: `vtok-${APP_ID}`,
      encryptKey: `ekey-${APP_ID}`,
      mode: 'ws',
      domain: fake.url,
    },
  };
  app = await startApp(config, { delivery: { baseDelayMs: 20, pollMs: 20 }, scheduler: false });
  client = new FeishuWsTestClient(
    { url: 'unused-over-the-long-connection', appId: APP_ID, verificationToken: config.feishu!.verificationToken, encryptKey: config.feishu!.encryptKey!, tenantKey: TENANT },
    ws,
  );
  // WSClient.start() does not wait for the connection: the first event can only be pushed once it is open.
  await waitFor(() => ws.connections().length === 1, { what: 'long connection opened', timeoutMs: 8000 });
});

afterAll(async () => {
  await app?.close();
  // Stopping the app drops the connection (the SDK terminates it on close({ force: true })).
  if (ws) await waitFor(() => ws.connections().every((c) => c.closed), { what: 'long connection closed' });
  await ws?.close();
  await fake?.close();
});

describe('Feishu long connection', () => {
  it('dials out: the endpoint with the app credentials on FEISHU_DOMAIN, then the WebSocket it returned; pings are answered', async () => {
    const endpoint = fake.calls.filter((c) => c.path === '/callback/ws/endpoint');
    expect(endpoint).toHaveLength(1);
    expect(endpoint[0]).toMatchObject({ method: 'POST', status: 200, code: 0, body: { AppID: APP_ID, AppSecret: APP_SECRET } });
    expect(ws.connections()).toEqual([{ url: expect.stringMatching(/^\/ws\/v2\?.*device_id=.*service_id=33554678/), closed: false }]);
    // The SDK pings as soon as it is connected, on the service id from the URL.
    const ping = await waitFor(() => ws.received.find((f) => f.method === METHOD_CONTROL && header(f, 'type') === 'ping'), { what: 'ping' });
    expect(ping.service).toBe(SERVICE_ID);
    // No HTTP endpoint for Feishu events in this mode.
    const res = await fetch(`http://127.0.0.1:${app.port}/feishu/events`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });

  it('an im.message.receive_v1 frame is acked and acts: channel bound, reply sent through im/v1/messages; a re-push acts once', async () => {
    const before = fake.sentTo(USERS.admin).length;
    const r = await client.text(USERS.admin, '@bot /mkt channel approvals here', { chatId: APPROVALS, group: true, botOpenId: fake.botOpenId });
    expect(r.status).toBe(200);
    // The ack is the pushed frame itself (same SeqID, LogID, service, headers) plus biz_rt, with { code: 200 }.
    const ack = client.lastAck!.frame;
    expect(ack.method).toBe(1);
    expect(ack.service).toBe(SERVICE_ID);
    expect(ack.headers.map((h) => h.key)).toEqual(['type', 'message_id', 'sum', 'seq', 'trace_id', 'biz_rt']);
    expect(client.lastAck!.code).toBe(200);

    await waitFor(() => app.db.read(async (tx) => (await tx.channelBinding.count()) === 1), { what: 'binding', timeoutMs: 8000 });
    const binding = await app.db.read((tx) => tx.channelBinding.findFirstOrThrow());
    expect([binding.platform, binding.workspaceId, binding.channelId, binding.purpose]).toEqual(['feishu', TENANT, APPROVALS, 'approvals']);
    // The answer goes to the admin privately, as a card sent with the tenant token.
    const reply = await waitFor(() => fake.sentTo(USERS.admin)[before], { what: 'reply', timeoutMs: 8000 });
    expect(reply.receive_id_type).toBe('open_id');
    expect(textOf(reply.card)).toMatch(/Approvals cards now go to/);
    const send = fake.calls.find((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages' && c.body?.receive_id === USERS.admin);
    expect(send).toMatchObject({ status: 200, code: 0, authorization: expect.stringMatching(/^Bearer t-fake/) });
    await idle();

    // Feishu re-pushes an event it thinks was not acked: a new frame, the same event (event_id).
    const counted = await counts();
    const again = await ws.push(client.lastEvent);
    expect(again.code).toBe(200);
    await idle(); // the duplicate is recognised before the ack; had it been accepted, its work would show here
    expect(await counts()).toEqual(counted);
    expect(fake.sentTo(USERS.admin)).toHaveLength(before + 1);
    expect(fake.sentTo(APPROVALS)).toHaveLength(0);
  });

  it('a request card lands in the approvals group; a card.action.trigger frame (Approve) is answered in the ack and updates it', async () => {
    expect(await say(USERS.admin, `/mkt role ${USERS.finance} finance`)).toMatch(/Finance/);
    expect(await say(USERS.finance, '/budget line add SEM 1200000 Search ads')).toContain('SEM');
    expect(await say(USERS.marketer, '/budget request 5000 SEM long connection test')).toMatch(/ADJ-1/);
    const card = await waitFor(() => fake.sentTo(APPROVALS).find((m) => textOf(m.card).includes('ADJ-1')), { what: 'approval card', timeoutMs: 8000 });
    await idle();

    const r = await client.click(USERS.finance, card, 'adj.approve:1');
    expect(r.status).toBe(200);
    expect(r.body.toast.type).toBe('success');
    expect(textOf(r.body.card.data)).toMatch(/waiting for a leader/i); // the clicked card, as it is now
    expect(await app.db.read((tx) => tx.budgetAdjustment.findUniqueOrThrow({ where: { id: 1 } }).then((a) => a.status))).toBe('pending_leader');
    await idle();

    // The same click re-pushed (same event_id): acked again, decided once.
    const audit = (await counts()).audit;
    const again = await ws.push(client.lastEvent);
    expect(again.code).toBe(200);
    await idle();
    expect((await counts()).audit).toBe(audit);
    expect(await app.db.read((tx) => tx.budgetAdjustment.findUniqueOrThrow({ where: { id: 1 } }).then((a) => a.status))).toBe('pending_leader');
  });
});
