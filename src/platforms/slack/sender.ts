// Sends outbox rows through the Slack Web API and classifies every failure as "retry later" or "permanent".
// The WebClient is built with retries off (see createSlackClient): the outbox keeps the row and retries it, so a
// 429 or an outage loses nothing, even across restarts.
import { webApi } from '@slack/bolt';
import type { PlatformSender, SendResult } from '../../delivery/types.js';
import type { Message } from '../../messages/model.js';
import { log } from '../../log.js';
import { shareFile } from './files.js';
import { renderMessage, renderMessageParts, type RenderedMessage } from './render.js';

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

/** Platform error codes that mean "try again later"; every other platform error is permanent. */
const RETRYABLE_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

export type Failure = Extract<SendResult, { ok: false }>;

/** WebClient error → outbox verdict. */
export function classifySlackError(error: unknown): Failure {
  const e = error as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number; message?: string };
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return { ok: false, retry: true, error: 'rate_limited', retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000 };
    case ErrorCode.HTTPError: {
      const status = e.statusCode ?? 0;
      // 5xx, 408 and other transient statuses are retried; 4xx other than those mean the request is wrong.
      const retry = status >= 500 || status === 408 || status === 429 || status === 0;
      return retry ? { ok: false, retry: true, error: `http_${status}` } : { ok: false, retry: false, error: `http_${status}` };
    }
    case ErrorCode.RequestError:
      return { ok: false, retry: true, error: `network: ${e.message ?? 'request failed'}` };
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      return RETRYABLE_PLATFORM_ERRORS.has(code) ? { ok: false, retry: true, error: code } : { ok: false, retry: false, error: code };
    }
    default:
      // Unknown failures (e.g. a 429 without a usable Retry-After) are retried; the worker caps the attempts.
      return { ok: false, retry: true, error: String(e?.message ?? error) };
  }
}

/** Errors after which an ephemeral answer is sent as a DM instead (the bot cannot post in that chat). */
const EPHEMERAL_FALLBACK = new Set(['channel_not_found', 'not_in_channel', 'user_not_in_channel', 'is_archived', 'restricted_action']);

export function createSlackSender(client: WebClient, opts: { apiUrl?: string } = {}): PlatformSender {
  async function call(fn: () => Promise<WebAPICallResult>): Promise<{ ok: true; res: WebAPICallResult } | Failure> {
    try {
      return { ok: true, res: await fn() };
    } catch (error) {
      return classifySlackError(error);
    }
  }

  /**
   * Posts every part of a message (one, unless it needs more than 50 blocks). A retry after a failure part-way
   * re-posts the whole message; the first part is the one remembered for in-place updates.
   */
  async function postMessage(channel: string, message: Message): Promise<SendResult> {
    let first: SendResult | undefined;
    for (const { text, blocks } of renderMessageParts(message)) {
      const r = await call(() => client.chat.postMessage({ channel, text, blocks, unfurl_links: false, unfurl_media: false }));
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

  return {
    platform: 'slack',
    async send(row) {
      if (row.file && row.kind !== 'update') {
        // A file row: shared in the channel (post), or in the person's DM (dm, and ephemeral: no private files).
        const toPerson = row.kind !== 'post';
        const target = row.kind === 'ephemeral' ? row.target.slice(row.target.indexOf('/') + 1) : row.target;
        const comment = renderMessage(row.message).text;
        return shareFile({ client, apiUrl: opts.apiUrl, call }, { id: row.id, target, file: row.file, uploads: row.uploads }, { toPerson, comment });
      }
      switch (row.kind) {
        case 'post':
          return postMessage(row.target, row.message);
        case 'dm':
          // chat.postMessage to a user id opens (or reuses) the bot's DM with that person; the answer names the
          // D… channel, which is what a later chat.update needs.
          return postMessage(row.target, row.message);
        case 'ephemeral': {
          const slash = row.target.indexOf('/');
          const channel = slash > 0 ? row.target.slice(0, slash) : '';
          const user = slash > 0 ? row.target.slice(slash + 1) : row.target;
          if (!channel) return postMessage(user, row.message);
          let r: { ok: true } | Failure = { ok: true };
          for (const { text, blocks } of renderMessageParts(row.message)) {
            r = await call(() => client.chat.postEphemeral({ channel, user, text, blocks }));
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
            const r = await call(() => client.chat.update({ channel: copy.channelId, ts: copy.messageId, text, blocks }));
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
