// Slack Socket Mode end to end (SLACK_APP_TOKEN set): the real app dials out — apps.connections.open on the fake Web
// API (SLACK_API_URL), then a WebSocket to the loopback fake of Slack's socket server — and receives slash commands
// and button clicks as envelopes. Each envelope is acked ({ envelope_id }) and acts exactly as the same request over
// HTTP does; a redelivered envelope (same envelope_id and trigger_id, retry_attempt 1) is acked again and acts once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import type { AppConfig } from '../../src/config/env.js';
import { log } from '../../src/log.js';
import { blockText, buttonsOf, startFakeSlack, type FakeMessage, type FakeSlack } from '../support/fakeSlack.js';
import { clickPayload, commandPayload, envelope, startFakeSlackSocket, type FakeSlackSocket } from '../support/fakeSlackSocket.js';
import type { SlackUser } from '../support/slackClient.js';
import { tempDatabaseUrl } from '../support/tempDb.js';
import { waitFor } from '../support/waitFor.js';

const ADMIN: SlackUser = { id: 'UADMIN', name: 'admin' };
const FIN: SlackUser = { id: 'UFIN', name: 'fin' };
const MKT: SlackUser = { id: 'UMKT', name: 'mkt' };
const APPROVALS = 'CAPPROVALS';
const APP_TOKEN = 'xapp-1-A1-socket-test';

let fake: FakeSlack;
let socket: FakeSlackSocket;
let app: App;

/** Private answers to a person: ephemeral messages, or DMs. */
const answers = (user: SlackUser): FakeMessage[] =>
  [...fake.ephemerals(user.id), ...fake.messages(`D${user.id.slice(1)}`)].sort((a, b) => a.ts.localeCompare(b.ts));

const counts = () =>
  app.db.read(async (tx) => ({
    processed: await tx.processedDelivery.count(),
    adjustments: await tx.budgetAdjustment.count(),
    bindings: await tx.channelBinding.count(),
    roles: await tx.roleGrant.count(),
    audit: await tx.auditLog.count(),
    outbox: await tx.outboxMessage.count(),
  }));

/** Waits until nothing is pending in the outbox and every accepted delivery's work is done. */
async function idle(): Promise<void> {
  await waitFor(
    async () =>
      app.db.read(
        async (tx) =>
          (await tx.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } })) === 0 &&
          (await tx.processedDelivery.count({ where: { doneAt: null, payload: { not: null } } })) === 0,
      ),
    { what: 'outbox drained and work done' },
  );
}

/** Sends a slash command envelope, checks the empty ack, and waits for the private answer. */
async function command(user: SlackUser, cmd: string, text: string, o: { channelId?: string } = {}): Promise<FakeMessage> {
  const before = answers(user).length;
  const env = envelope('slash_commands', commandPayload(user, cmd, text, o));
  const ack = await socket.deliver(env);
  expect(ack).toEqual({ envelope_id: env.envelope_id, payload: {} });
  return waitFor(() => answers(user)[before], { what: `answer to ${cmd} ${text}` });
}

beforeAll(async () => {
  log.setLevel('error');
  socket = await startFakeSlackSocket();
  fake = await startFakeSlack({ socketModeUrl: socket.url });
  const config: AppConfig = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: await tempDatabaseUrl('mktops-slack-socket-'),
    timezone: 'Asia/Shanghai',
    locale: 'en',
    adminUsers: ['slack:UADMIN'],
    logLevel: 'error',
    slack: { botToken: 'xoxb-test', signingSecret: 'unused-in-socket-mode', appToken: APP_TOKEN, apiUrl: fake.url },
  };
  app = await startApp(config, { delivery: { baseDelayMs: 20, pollMs: 20 }, scheduler: false });
});

afterAll(async () => {
  await app?.close();
  // Stopping the app closes its connection (a close frame, answered by the fake) instead of leaving it to die.
  if (socket) await waitFor(() => socket.connections().every((c) => c.closed), { what: 'Socket Mode connection closed' });
  await socket?.close();
  await fake?.close();
});

describe('Slack Socket Mode', () => {
  it('dials out: apps.connections.open with the app-level token on SLACK_API_URL, then the WebSocket it returned', async () => {
    const opens = fake.ok('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]!.auth).toBe(`Bearer ${APP_TOKEN}`);
    expect(socket.connections()).toEqual([{ url: expect.stringMatching(/^\/link\/\?ticket=/), closed: false }]);
    // No HTTP endpoint for Slack in Socket Mode.
    const res = await fetch(`http://127.0.0.1:${app.port}/slack/events`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });

  it('a slash_commands envelope is acked and binds the channel; its redelivery is acked and acts once', async () => {
    const before = answers(ADMIN).length;
    const env = envelope('slash_commands', commandPayload(ADMIN, '/mkt', 'channel approvals here', { channelId: APPROVALS }));
    expect(await socket.deliver(env)).toEqual({ envelope_id: env.envelope_id, payload: {} });
    const answer = await waitFor(() => answers(ADMIN)[before], { what: 'answer to the binding' });
    expect(blockText(answer)).toContain('Approvals cards now go to this chat');
    expect(answer).toMatchObject({ channel: APPROVALS, user: 'UADMIN' }); // ephemeral where the command came from
    expect(await app.db.read((tx) => tx.channelBinding.findMany())).toEqual([
      expect.objectContaining({ purpose: 'approvals', platform: 'slack', workspaceId: 'T1', channelId: APPROVALS }),
    ]);
    await idle();

    // Slack redelivers when it did not see the ack in time: same envelope, retry_attempt 1.
    const counted = await counts();
    const retry = { ...env, retry_attempt: 1, retry_reason: 'timeout' };
    expect(await socket.deliver(retry)).toEqual({ envelope_id: env.envelope_id, payload: {} });
    // A duplicate is recognised before the ack (the delivery id is claimed first): nothing can follow it.
    await idle();
    expect(await counts()).toEqual(counted);
    expect(answers(ADMIN)).toHaveLength(before + 1);
  });

  it('a budget request posts its card through the Web API; an interactive envelope (Approve) updates it; a redelivered click acts once', async () => {
    expect(blockText(await command(ADMIN, '/mkt', 'role <@UFIN|fin> finance'))).toMatch(/<@UFIN>.*Finance/);
    expect(blockText(await command(FIN, '/budget', 'line add SEM 1200000 Search ads'))).toContain('SEM');

    const cards = fake.messages(APPROVALS).length;
    const answer = blockText(await command(MKT, '/budget', 'request 5000 SEM socket mode test'));
    const id = /ADJ-\d+/.exec(answer)?.[0];
    expect(id, answer).toBeTruthy();
    const card = await waitFor(() => fake.messages(APPROVALS)[cards], { what: 'approval card' });
    expect(blockText(card)).toContain(id);
    expect(blockText(card)).toContain('¥5,000.00');
    expect(buttonsOf(card).map((b) => b.value)).toEqual([`adj.approve:${id!.slice(4)}`, `adj.reject:${id!.slice(4)}`]);
    const post = fake.ok('chat.postMessage').find((c) => c.args.channel === APPROVALS);
    expect(post?.auth).toBe('Bearer xoxb-test'); // the bot token, not the app-level token

    // Finance clicks Approve: the card is updated in place (a request raises the yearly total, so a leader is next).
    const finAnswers = answers(FIN).length;
    const click = envelope('interactive', clickPayload(FIN, structuredClone(card), 'adj.approve'));
    expect(await socket.deliver(click)).toEqual({ envelope_id: click.envelope_id, payload: {} });
    expect(blockText(await waitFor(() => answers(FIN)[finAnswers], { what: 'answer to the click' }))).toMatch(/You approved ADJ-\d+\. It now waits for a leader/);
    await waitFor(() => card.updates === 1, { what: 'card updated after the approval' });
    expect(blockText(card)).toMatch(/waiting for a leader/i);
    expect(blockText(card)).toContain('<@UFIN>');
    expect(fake.ok('chat.update').filter((c) => c.args.channel === APPROVALS && c.args.ts === card.ts)).toHaveLength(1);
    expect(await app.db.read((tx) => tx.budgetAdjustment.findFirst())).toMatchObject({ status: 'pending_leader' });
    await idle();

    // The same click redelivered: acked, and nothing more (no second answer such as "already decided", no update).
    const counted = await counts();
    const retry = { ...click, retry_attempt: 1, retry_reason: 'timeout' };
    expect(await socket.deliver(retry)).toEqual({ envelope_id: click.envelope_id, payload: {} });
    await idle();
    expect(await counts()).toEqual(counted);
    expect(answers(FIN)).toHaveLength(finAnswers + 1);
    expect(card.updates).toBe(1);
  });

  it('an events_api envelope (app_mention) is acked and answered like "/mkt help"', async () => {
    const before = answers(MKT).length;
    const env = envelope('events_api', {
      token: 'deprecated-verification-token',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'Ev0SOCKET1',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_mention', user: 'UMKT', text: '<@UBOT> mkt help', ts: '1700000000.000100', channel: 'CTEAM', event_ts: '1700000000.000100' },
    });
    const ack = await socket.deliver(env);
    expect(ack.envelope_id).toBe(env.envelope_id);
    const answer = await waitFor(() => answers(MKT)[before], { what: 'answer to the mention' });
    expect(answer).toMatchObject({ channel: 'CTEAM', user: 'UMKT' });
    expect(blockText(answer)).toMatch(/\/budget/);
  });
});
