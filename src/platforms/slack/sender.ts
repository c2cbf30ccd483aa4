// Sends outbox rows through the Slack Web API and classifies every failure as "retry later" or "permanent".
// Messages are posted and updated by our own lean caller (`chat`, webApi.ts); the lookups (conversations.*) and
// files go through the WebClient, built with retries off (see createSlackClient). Neither retries: the outbox keeps
// the row and retries it, so a 429 or an outage loses nothing, even across restarts.
import { webApi } from '@slack/bolt';
import type { PlatformSender, SendResult } from '../../delivery/types.js';
import type { Message } from '../../messages/model.js';
import { log } from '../../log.js';
import { shareFile } from './files.js';
import { renderMessage, renderMessageParts, toMrkdwn, type RenderedMessage } from './render.js';
import { esc } from '../../messages/markup.js';
import { classifyFault, type ChatApi, type Failure } from './webApi.js';

// @slack/web-api through Bolt's re-export: it is Bolt's dependency, not ours.
type WebClient = webApi.WebClient;
type WebAPICallResult = webApi.WebAPICallResult;
const { WebClient, ErrorCode } = webApi;

export function createSlackClient(token: string, apiUrl?: string): WebClient {
  return new WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: quietLogger,
  });
}

/** Bolt/WebClient log through this; our structured log keeps only warnings and errors. */
export const quietLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (...msg: unknown[]) => log.warn('slack.sdk', { msg: msg.map(String).join(' ') }),
  error: (...msg: unknown[]) => log.error('slack.sdk', { msg: msg.map(String).join(' ') }),
  setLevel: () => undefined,
  getLevel: () => 'warn' as never,
  setName: () => undefined,
};

export type { Failure } from './webApi.js';

/** WebClient error → outbox verdict (the same judgement as the chat.* calls that bypass it, webApi.ts). */
export function classifySlackError(error: unknown): Failure {
  const e = error as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number; message?: string };
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return classifyFault({ kind: 'rate_limited', retryAfterSec: e.retryAfter });
    case ErrorCode.HTTPError:
      return classifyFault({ kind: 'http', status: e.statusCode ?? 0 });
    case ErrorCode.RequestError:
      return classifyFault({ kind: 'network', message: e.message ?? 'request failed' });
    case ErrorCode.PlatformError:
      return classifyFault({ kind: 'platform', error: e.data?.error ?? 'unknown_error' });
    default:
      // e.g. a 429 without a usable Retry-After (the WebClient throws a plain Error for it).
      return classifyFault({ kind: 'unknown', message: String(e?.message ?? error) });
  }
}

/** The metadata event type that carries an outbox row id on every message the bot posts. */
export const OUTBOX_EVENT_TYPE = 'mktops_outbox';

/** A message part found posted already: its conversation and ts. */
interface Found {
  channelId: string;
  ts: string;
}

/** Errors after which an ephemeral answer is sent as a DM instead (the bot cannot post in that chat). */
const EPHEMERAL_FALLBACK = new Set(['channel_not_found', 'not_in_channel', 'user_not_in_channel', 'is_archived', 'restricted_action']);

/** `chat` makes chat.postMessage / postEphemeral / update (createChatApi, with the client's token and URL). */
export function createSlackSender(client: WebClient, opts: { apiUrl?: string; chat: ChatApi }): PlatformSender {
  const { chat } = opts;
  async function call(fn: () => Promise<WebAPICallResult>): Promise<{ ok: true; res: WebAPICallResult } | Failure> {
    try {
      return { ok: true, res: await fn() };
    } catch (error) {
      return classifySlackError(error);
    }
  }

  /**
   * Posts every part of a message (one, unless it needs more than 50 blocks). A retry after a failure part-way
   * re-posts the whole message; the first part is the one remembered for in-place updates. The outbox id (and the
   * part) ride along as message metadata, so parts whose answer was lost in a crash can be found again; parts in
   * `posted` were found so and are not posted again.
   */
  async function postMessage(channel: string, message: Message, outboxId?: number, posted: Map<number, Found> = new Map()): Promise<SendResult> {
    let first: SendResult | undefined;
    for (const [part, { text, blocks }] of renderMessageParts(message).entries()) {
      const found = posted.get(part);
      if (found) {
        first ??= { ok: true, messageId: found.ts, channelId: found.channelId };
        continue;
      }
      const metadata = outboxId === undefined ? undefined : { event_type: OUTBOX_EVENT_TYPE, event_payload: { outbox_id: String(outboxId), part } };
      const r = await chat.postMessage({ channel, text, blocks, unfurl_links: false, unfurl_media: false, ...(metadata ? { metadata } : {}) });
      if (!r.ok) return r;
      const res = r.res as { ts?: string; channel?: string };
      first ??= { ok: true, messageId: res.ts, channelId: res.channel ?? channel };
    }
    return first ?? { ok: true };
  }

  /** One Block Kit message for an in-place update (cards updated in place are short; a longer one is logged). */
  function single(row: { id: number }, message: Message): RenderedMessage {
    const parts = renderMessageParts(message);
    if (parts.length > 1) log.error('slack.update_too_long', { outboxId: row.id, parts: parts.length });
    return parts[0]!;
  }

  let reconcileUnavailable = false;
  /**
   * Looks for the copy of outbox row `id` that an earlier attempt may have posted (its process died before recording
   * Slack's answer): the bot's recent messages in that conversation carrying the row id as metadata. Needs the
   * optional history scopes (docs/slack.md); without them — or when the lookup fails — null, and the row is posted
   * again (the window is documented in docs/operations.md).
   */
  async function findPosted(target: string, id: number, since: Date | undefined): Promise<Map<number, Found> | null> {
    if (reconcileUnavailable) return null;
    try {
      let channel = target;
      if (/^[UW]/.test(target)) {
        const open = (await client.conversations.open({ users: target })) as { channel?: { id?: string } };
        channel = open.channel?.id ?? '';
        if (!channel) return null;
      }
      const oldest = since ? String(Math.floor(since.getTime() / 1000) - 60) : undefined;
      let cursor: string | undefined;
      const found = new Map<number, Found>();
      for (let page = 0; page < 5; page++) {
        const res = (await client.conversations.history({ channel, include_all_metadata: true, limit: 200, ...(oldest ? { oldest } : {}), ...(cursor ? { cursor } : {}) })) as {
          messages?: { ts?: string; metadata?: { event_type?: string; event_payload?: { outbox_id?: unknown; part?: unknown } } }[];
          response_metadata?: { next_cursor?: string };
        };
        for (const m of res.messages ?? []) {
          if (m.ts && m.metadata?.event_type === OUTBOX_EVENT_TYPE && String(m.metadata.event_payload?.outbox_id) === String(id)) {
            found.set(Number(m.metadata.event_payload?.part ?? 0) || 0, { channelId: channel, ts: m.ts });
          }
        }
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      return found;
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code === 'missing_scope') {
        reconcileUnavailable = true;
        log.warn('slack.reconcile_unavailable', { outboxId: id, reason: 'missing_scope', hint: 'grant channels:history, groups:history, im:history (docs/slack.md)' });
      } else {
        log.warn('slack.reconcile_failed', { outboxId: id, error: code ?? (error as Error).message });
      }
      return null;
    }
  }

  /** A post or DM: when an earlier attempt may have landed, the copy found is confirmed instead of posting again. */
  async function postOnce(row: { id: number; target: string; message: Message; createdAt?: Date; uncertain?: boolean }): Promise<SendResult> {
    let posted: Map<number, Found> | null = null;
    if (row.uncertain) {
      posted = await findPosted(row.target, row.id, row.createdAt);
      if (posted === null) log.warn('slack.post_repeated', { outboxId: row.id, reason: 'an earlier attempt may have posted it; it cannot be looked up' });
      else if (posted.size > 0) log.info('slack.post_reconciled', { outboxId: row.id, parts: posted.size });
    }
    return postMessage(row.target, row.message, row.id, posted ?? undefined);
  }

  return {
    platform: 'slack',
    async send(row) {
      if (row.file && row.kind !== 'update') {
        // A file row: shared in the channel (post), or in the person's DM (dm, and ephemeral: no private files).
        const toPerson = row.kind !== 'post';
        const target = row.kind === 'ephemeral' ? row.target.slice(row.target.indexOf('/') + 1) : row.target;
        const chart = row.file.mode === 'image' ? row.message.chart : undefined;
        // A chart goes into the thread of the message it belongs to (an ephemeral answer has none: the person's DM).
        const of = row.chartOf;
        const thread = chart && of?.channelId && of.messageId && row.kind !== 'ephemeral' ? { channel: of.channelId, ts: of.messageId } : undefined;
        const comment = chart ? toMrkdwn(`**${esc(chart.title)}**`) : renderMessage(row.message).text;
        return shareFile(
          { client, apiUrl: opts.apiUrl, call },
          { id: row.id, target, file: row.file, uploads: row.uploads },
          { toPerson, comment, thread, ...(chart ? { altText: chart.alt } : {}) },
        );
      }
      switch (row.kind) {
        case 'post':
          return postOnce(row);
        case 'dm':
          // chat.postMessage to a user id opens (or reuses) the bot's DM with that person; the answer names the
          // D… channel, which is what a later chat.update needs.
          return postOnce(row);
        case 'ephemeral': {
          const slash = row.target.indexOf('/');
          const channel = slash > 0 ? row.target.slice(0, slash) : '';
          const user = slash > 0 ? row.target.slice(slash + 1) : row.target;
          if (!channel) return postMessage(user, row.message);
          let r: { ok: true } | Failure = { ok: true };
          for (const { text, blocks } of renderMessageParts(row.message)) {
            r = await chat.postEphemeral({ channel, user, text, blocks });
            if (!r.ok) break;
          }
          if (r.ok) return { ok: true };
          if (!r.retry && EPHEMERAL_FALLBACK.has(r.error)) {
            // e.g. a command typed in a DM between two people, or a channel the bot was never invited to.
            log.info('slack.ephemeral_as_dm', { outboxId: row.id, error: r.error });
            const dm = await postMessage(user, row.message);
            return dm.ok ? { ok: true } : dm;
          }
          return r;
        }
        case 'update': {
          const copies = row.messageIds ?? [];
          const { text, blocks } = single(row, row.message);
          let retry: Failure | undefined;
          for (const copy of copies) {
            const r = await chat.update({ channel: copy.channelId, ts: copy.messageId, text, blocks });
            if (r.ok) continue;
            if (r.retry) retry ??= r;
            // A deleted message or a channel the bot left cannot be updated ever: skip that copy.
            else log.warn('slack.update_skipped', { outboxId: row.id, channelId: copy.channelId, error: r.error });
          }
          // Updates are idempotent, so retrying the whole row (all copies) is safe.
          return retry ?? { ok: true };
        }
        default:
          return { ok: false, retry: false, error: `unknown outbox kind ${String(row.kind)}` };
      }
    },
  };
}
