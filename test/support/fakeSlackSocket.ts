// The Slack side of a Socket Mode connection, on loopback: the WebSocket server whose URL the fake Web API answers
// to apps.connections.open (fakeSlack.ts, `socketModeUrl`). Like Slack it says `hello` as soon as a client connects,
// then the test pushes envelopes { envelope_id, type, payload, accepts_response_payload, retry_attempt,
// retry_reason } and waits for the app's ack { envelope_id, payload }.
// Payload builders make slash commands and button clicks shaped like the HTTP ones (test/support/slackClient.ts).
import { randomUUID } from 'node:crypto';
import { buttonsOf, type FakeMessage } from './fakeSlack.js';
import type { SlackUser } from './slackClient.js';
import { waitFor } from './waitFor.js';
import { startWsServer, WS_OPEN, type WsSocket } from './wsServer.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface FakeSlackSocket {
  /** The URL apps.connections.open hands out: ws://127.0.0.1:<port>/link/?ticket=… */
  url: string;
  /** Connections the app opened (ticket URL included), oldest first. */
  connections(): { url: string; closed: boolean }[];
  /** Every JSON message the app sent, in order (acks). */
  received: any[];
  /** Acks for one envelope id, in order. */
  acks(envelopeId: string): Ack[];
  /** Sends an envelope on the newest open connection. */
  send(envelope: Envelope): void;
  /** Sends an envelope and waits for its next ack (a redelivery waits for the second ack of the same id). */
  deliver(envelope: Envelope): Promise<Ack>;
  close(): Promise<void>;
}

export async function startFakeSlackSocket(): Promise<FakeSlackSocket> {
  const received: any[] = [];
  const server = await startWsServer((socket) => {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return received.push({ binary: true });
      try {
        received.push(JSON.parse(data.toString('utf8')));
      } catch {
        received.push({ unparsable: data.toString('utf8') });
      }
    });
    // Slack greets every new connection; the client reports "connected" (and app.start() resolves) on hello.
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: 'A1' },
      }),
    );
  });
  const ticket = randomUUID();
  const current = (): WsSocket => {
    const open = server.connections.filter((c) => !c.closed && c.socket.readyState === WS_OPEN);
    const last = open[open.length - 1];
    if (!last) throw new Error('no open Socket Mode connection');
    return last.socket;
  };
  const acks = (id: string): Ack[] => received.filter((m) => m && m.envelope_id === id);
  const fake: FakeSlackSocket = {
    url: `${server.base}/link/?ticket=${ticket}&app_id=A1`,
    connections: () => server.connections.map(({ url, closed }) => ({ url, closed })),
    received,
    acks,
    send(envelope) {
      current().send(JSON.stringify(envelope));
    },
    async deliver(envelope) {
      const before = acks(envelope.envelope_id).length;
      fake.send(envelope);
      return waitFor(() => acks(envelope.envelope_id)[before], { what: `ack of ${envelope.type} envelope ${envelope.envelope_id}` });
    },
    close: () => server.close(),
  };
  return fake;
}

/** An envelope with a fresh id (or the given one, for a redelivery together with retry_attempt). */
export function envelope(
  type: EnvelopeType,
  payload: Record<string, unknown>,
  o: { envelopeId?: string; retryAttempt?: number; retryReason?: string } = {},
): Envelope {
  return {
    envelope_id: o.envelopeId ?? randomUUID(),
    type,
    payload,
    accepts_response_payload: type !== 'events_api',
    ...(o.retryAttempt !== undefined ? { retry_attempt: o.retryAttempt, retry_reason: o.retryReason ?? 'timeout' } : {}),
  };
}

/** A slash command's payload as Socket Mode carries it (the same fields as the HTTP form, as JSON). */
export function commandPayload(
  user: SlackUser,
  command: string,
  text: string,
  o: { channelId?: string; triggerId?: string; teamId?: string } = {},
): Record<string, string> {
  const triggerId = o.triggerId ?? `trg-${randomUUID()}`;
  return {
    token: 'deprecated-verification-token',
    team_id: o.teamId ?? 'T1',
    team_domain: 'fake',
    channel_id: o.channelId ?? 'CGENERAL',
    channel_name: 'general',
    user_id: user.id,
    user_name: user.name,
    command,
    text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: `https://hooks.slack.invalid/commands/${triggerId}`,
    trigger_id: triggerId,
  };
}

/** A block_actions payload: `user` clicks the button of `message` whose value starts with `prefix`. */
export function clickPayload(
  user: SlackUser,
  message: FakeMessage,
  prefix: string,
  o: { triggerId?: string; teamId?: string } = {},
): Record<string, unknown> {
  const button = buttonsOf(message).find((b) => b.value.startsWith(prefix));
  if (!button) throw new Error(`no button "${prefix}…" on message ${message.ts}: ${buttonsOf(message).map((b) => b.value).join(', ')}`);
  const team = o.teamId ?? 'T1';
  const triggerId = o.triggerId ?? `trg-${randomUUID()}`;
  return {
    type: 'block_actions',
    team: { id: team, domain: 'fake' },
    user: { id: user.id, username: user.name, name: user.name, team_id: team },
    api_app_id: 'A1',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: triggerId,
    channel: { id: message.channel, name: 'channel' },
    message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks },
    response_url: `https://hooks.slack.invalid/actions/${triggerId}`,
    actions: [
      {
        type: 'button',
        action_id: button.actionId,
        block_id: button.blockId,
        value: button.value,
        text: { type: 'plain_text', text: button.label, emoji: true },
        action_ts: (Date.now() / 1000).toFixed(6),
      },
    ],
  };
}
