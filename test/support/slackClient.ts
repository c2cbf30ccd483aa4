// Sends requests to our /slack/events exactly as Slack does: form-encoded, signed with the signing secret
// (x-slack-signature: v0=HMAC-SHA256("v0:<ts>:<body>"), x-slack-request-timestamp). Slash commands are form fields;
// interactivity (block_actions, view_submission) is payload=<json>.
import { createHmac, randomUUID } from 'node:crypto';
import { optionsAnswerProblems, viewProblems } from './blockKit.js';
import { buttonsOf, type FakeMessage } from './fakeSlack.js';

export interface SlackUser {
  id: string;
  name: string;
}

export interface SendOptions {
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Override the signature (forgeries). */
  signature?: string;
  /** x-slack-retry-num header. */
  retryNum?: number;
  contentType?: string;
}

export interface SlackResponse {
  status: number;
  text: string;
  json?: any;
  /** The answer's headers (a load balancer in front of replicas names the one that answered). */
  headers?: Headers;
}

export function signSlack(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function commandBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export interface SlackTestClient {
  baseUrl: string;
  post(body: string, opts?: SendOptions): Promise<SlackResponse>;
  /** A slash command, e.g. command(alice, '/budget', 'request 5万 SEM 加投'). */
  command(user: SlackUser, command: string, text: string, opts?: SendOptions & { channelId?: string; triggerId?: string }): Promise<SlackResponse & { triggerId: string; body: string }>;
  /** A click on the button of `message` whose value (action ref) starts with `prefix`. */
  click(user: SlackUser, message: FakeMessage, prefix: string, opts?: SendOptions & { triggerId?: string }): Promise<SlackResponse & { triggerId: string }>;
  /** Submits a modal (as views.open received it) with values by field name. */
  submitView(user: SlackUser, view: any, values: Record<string, string | string[] | undefined>, opts?: SendOptions): Promise<SlackResponse>;
  /**
   * What Slack sends while a person types in an external select of `view` (block_suggestion), and the options
   * the bot answered (checked against Block Kit's limits).
   */
  suggest(user: SlackUser, view: any, actionId: string, query: string, opts?: SendOptions): Promise<SlackResponse & { options: { text: { text: string }; value: string }[] }>;
}

export function createSlackTestClient(opts: { port: number; signingSecret: string; teamId?: string }): SlackTestClient {
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const team = opts.teamId ?? 'T1';

  async function post(body: string, o: SendOptions = {}): Promise<SlackResponse> {
    const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': o.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': o.signature ?? signSlack(opts.signingSecret, timestamp, body),
    };
    if (o.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(o.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    const res = await fetch(`${baseUrl}/slack/events`, { method: 'POST', headers, body });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    // What Slack does with an ack that carries a view: it refuses one past Block Kit's limits.
    if (json?.response_action === 'update' || json?.response_action === 'push') {
      const problems = viewProblems(json.view);
      if (problems.length) throw new Error(`Slack would refuse the view in the ack: ${problems.join('; ')}`);
    }
    // Headers ride along unenumerated, so responses still compare equal to { status, text, json }.
    return Object.defineProperty({ status: res.status, text, json }, 'headers', { value: res.headers, enumerable: false }) as SlackResponse;
  }

  const interactive = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

  return {
    baseUrl,
    post,
    async command(user, command, text, o = {}) {
      const triggerId = o.triggerId ?? `trg-${randomUUID()}`;
      const body = commandBody({
        token: 'deprecated-verification-token',
        team_id: team,
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
      });
      return { ...(await post(body, o)), triggerId, body };
    },
    async click(user, message, prefix, o = {}) {
      const button = buttonsOf(message).find((b) => b.value.startsWith(prefix));
      if (!button) throw new Error(`no button "${prefix}…" on message ${message.ts}: ${buttonsOf(message).map((b) => b.value).join(', ')}`);
      const triggerId = o.triggerId ?? `trg-${randomUUID()}`;
      const actionTs = (Date.now() / 1000).toFixed(6);
      const payload = {
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
            action_ts: actionTs,
          },
        ],
      };
      return { ...(await post(interactive(payload), o)), triggerId };
    },
    async submitView(user, view, values, o = {}) {
      const state: Record<string, Record<string, unknown>> = {};
      for (const block of view.blocks ?? []) {
        if (block.type !== 'input') continue;
        const el = block.element;
        const v = values[block.block_id];
        let entry: Record<string, unknown>;
        switch (el.type) {
          case 'external_select':
            entry = { type: el.type, selected_option: v === undefined ? null : { value: v, text: { type: 'plain_text', text: String(v) } } };
            break;
          case 'multi_external_select': {
            const list = v === undefined ? [] : Array.isArray(v) ? v : String(v).split(',');
            entry = { type: el.type, selected_options: list.map((x) => ({ value: x, text: { type: 'plain_text', text: x } })) };
            break;
          }
          case 'static_select':
            entry = { type: el.type, selected_option: v === undefined ? null : (el.options ?? []).find((x: any) => x.value === v) ?? { value: v, text: { type: 'plain_text', text: String(v) } } };
            break;
          case 'multi_static_select': {
            const list = v === undefined ? [] : Array.isArray(v) ? v : String(v).split(',');
            entry = { type: el.type, selected_options: list.map((x) => (el.options ?? []).find((o2: any) => o2.value === x) ?? { value: x }) };
            break;
          }
          case 'datepicker':
            entry = { type: el.type, selected_date: v ?? null };
            break;
          case 'file_input':
            // The test passes the file object Slack would put in the payload, as JSON.
            entry = { type: el.type, files: v === undefined ? [] : [JSON.parse(String(v))] };
            break;
          default:
            entry = { type: el.type, value: v === undefined ? null : Array.isArray(v) ? v.join(',') : v };
        }
        state[block.block_id] = { [el.action_id]: entry };
      }
      const payload = {
        type: 'view_submission',
        team: { id: team, domain: 'fake' },
        user: { id: user.id, username: user.name, name: user.name, team_id: team },
        api_app_id: 'A1',
        token: 'deprecated-verification-token',
        trigger_id: `trg-${randomUUID()}`,
        view: {
          id: view.id ?? 'V1',
          team_id: team,
          type: 'modal',
          blocks: view.blocks,
          private_metadata: view.private_metadata,
          callback_id: view.callback_id,
          state: { values: state },
          hash: view.hash ?? 'h',
          title: view.title,
          app_id: 'A1',
          bot_id: 'BBOT',
        },
        response_urls: [],
      };
      return post(interactive(payload), o);
    },
    async suggest(user, view, actionId, query, o = {}) {
      const block = (view.blocks ?? []).find((b: any) => b.element?.action_id === actionId);
      const payload = {
        type: 'block_suggestion',
        user: { id: user.id, username: user.name, name: user.name, team_id: team },
        container: { type: 'view', view_id: view.id ?? 'V1' },
        api_app_id: 'A1',
        token: 'deprecated-verification-token',
        action_id: actionId,
        block_id: block?.block_id ?? actionId,
        value: query,
        team: { id: team, domain: 'fake' },
        view: { id: view.id ?? 'V1', type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata, blocks: view.blocks, hash: view.hash ?? 'h' },
      };
      const res = await post(interactive(payload), o);
      const problems = optionsAnswerProblems(res.json);
      if (res.status === 200 && problems.length) throw new Error(`Slack would refuse the options: ${problems.join('; ')}`);
      return { ...res, options: res.json?.options ?? [] };
    },
  };
}
