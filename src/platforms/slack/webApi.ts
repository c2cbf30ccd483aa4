// The three hot delivery calls (chat.postMessage, chat.postEphemeral, chat.update), and auth.test at start, made
// straight over node:http / node:https: one POST of a JSON body on a kept-alive socket, the answer read as JSON.
// Under load the WebClient spent most of a delivery's CPU in its queue, retry wrapper, fetch and web streams, none of
// which these calls need (the outbox retries, one row at a time); at start, its first call loaded Node's fetch
// (~25 ms). Every other Web API call keeps the WebClient (sender.ts, files.ts, Bolt).
// classifyFault judges a failure of either path: retry later, or permanent.
import http from 'node:http';
import https from 'node:https';
import type { SendResult } from '../../delivery/types.js';
import { log } from '../../log.js';

export const SLACK_API_URL = 'https://slack.com/api/';
export const DEFAULT_TIMEOUT_MS = 10_000;

export type Failure = Extract<SendResult, { ok: false }>;

/** Platform error codes that mean "try again later"; every other platform error is permanent. */
export const RETRYABLE_PLATFORM_ERRORS: ReadonlySet<string> = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** What went wrong with a Web API call, whichever client made it. */
export type Fault =
  /** HTTP 429; the Retry-After header in seconds when it had a number. */
  | { kind: 'rate_limited'; retryAfterSec?: number }
  /** Any other status than 200 (0: none known). */
  | { kind: 'http'; status: number }
  /** No complete answer: refused, reset, cut short, timed out. */
  | { kind: 'network'; message: string }
  /** HTTP 200 with `ok: false`. */
  | { kind: 'platform'; error: string }
  /** Anything else (e.g. an answer that is not JSON). */
  | { kind: 'unknown'; message: string };

/** A failure → the outbox's verdict. */
export function classifyFault(fault: Fault): Failure {
  switch (fault.kind) {
    case 'rate_limited':
      return { ok: false, retry: true, error: 'rate_limited', retryAfterMs: Math.max(1, fault.retryAfterSec ?? 1) * 1000 };
    case 'http': {
      // 5xx, 408 and other transient statuses are retried; 4xx other than those mean the request is wrong.
      const { status } = fault;
      const retry = status >= 500 || status === 408 || status === 429 || status === 0;
      return retry ? { ok: false, retry: true, error: `http_${status}` } : { ok: false, retry: false, error: `http_${status}` };
    }
    case 'network':
      return { ok: false, retry: true, error: `network: ${fault.message}` };
    case 'platform':
      return RETRYABLE_PLATFORM_ERRORS.has(fault.error)
        ? { ok: false, retry: true, error: fault.error }
        : { ok: false, retry: false, error: fault.error };
    default:
      // Unknown failures are retried; the worker caps the attempts.
      return { ok: false, retry: true, error: fault.message };
  }
}

export type ChatAnswer = { ok: true; res: Record<string, unknown> } | Failure;

interface Blocks {
  text: string;
  blocks?: unknown[];
}

export interface ChatApi {
  postMessage(args: Blocks & { channel: string; unfurl_links?: boolean; unfurl_media?: boolean; metadata?: { event_type: string; event_payload: Record<string, unknown> } }): Promise<ChatAnswer>;
  postEphemeral(args: Blocks & { channel: string; user: string }): Promise<ChatAnswer>;
  update(args: Blocks & { channel: string; ts: string }): Promise<ChatAnswer>;
  /** auth.test: who the bot is (asked once at start; through here, a start loads no fetch stack for it). */
  authTest(): Promise<ChatAnswer>;
  /** Closes the sockets kept alive (the caller stays usable: a later call opens a new one). */
  close(): void;
}

/** Retry-After in seconds, as the WebClient reads it (an integer; anything else is no value). */
function retryAfterSec(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const n = Number.parseInt(header, 10);
  return Number.isNaN(n) ? undefined : n;
}

/**
 * The chat.* caller for one bot token. `apiUrl` is the Web API's base (https://slack.com/api/ unless configured
 * elsewhere, e.g. a test's fake); its protocol picks node:https or node:http. One keep-alive agent per caller.
 */
export function createChatApi(token: string, apiUrl: string = SLACK_API_URL, opts: { timeoutMs?: number } = {}): ChatApi {
  const base = new URL(apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error(`Slack API URL must be http(s): ${base.protocol}`);
  const transport = base.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true });
  const authorization = `Bearer ${token}`;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const target = { protocol: base.protocol, hostname: base.hostname, port: base.port || undefined, agent, method: 'POST' };

  function call(method: string, args: object): Promise<ChatAnswer> {
    const body = JSON.stringify(args);
    return new Promise<ChatAnswer>((resolve) => {
      let settled = false;
      let timedOut: string | undefined;
      const finish = (answer: ChatAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(answer);
      };
      const fail = (fault: Fault) => {
        if (settled) return;
        const failure = classifyFault(fault);
        // The WebClient logged these too; a platform error or a status is in the worker's own log line.
        if (fault.kind === 'network' || fault.kind === 'unknown') log.warn('slack.api_failed', { method, error: failure.error });
        finish(failure);
      };
      const broken = (error: Error) => fail({ kind: 'network', message: timedOut ?? error.message });

      const req = transport.request(
        {
          ...target,
          path: `${base.pathname}${method}`,
          headers: {
            authorization,
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          // An answer cut short ends in 'aborted' (or just a close): named so in the error.
          const cut = () => broken(new Error('connection closed before the answer was complete'));
          res.on('error', (error) => (res.complete ? broken(error) : cut()));
          const status = res.statusCode ?? 0;
          if (status !== 200) {
            res.resume(); // drained, so the socket is reused
            const retryAfter = res.headers['retry-after'];
            return fail(status === 429 ? { kind: 'rate_limited', retryAfterSec: retryAfterSec(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) } : { kind: 'http', status });
          }
          res.setEncoding('utf8');
          let text = '';
          res.on('data', (chunk: string) => (text += chunk));
          res.on('close', () => {
            if (!res.complete) cut();
          });
          res.on('end', () => {
            let data: { ok?: unknown; error?: unknown; response_metadata?: { warnings?: unknown; messages?: unknown } } | null;
            try {
              data = JSON.parse(text);
            } catch {
              return fail({ kind: 'unknown', message: `not JSON (HTTP 200): ${text.slice(0, 80).replace(/\s+/g, ' ')}` });
            }
            const meta = data?.response_metadata;
            // Slack's reasons for a refusal (e.g. invalid_blocks) and its warnings, as the WebClient logged them.
            if (meta && (meta.warnings || meta.messages)) log.warn('slack.api_messages', { method, warnings: meta.warnings, messages: meta.messages });
            if (data?.ok === true) return finish({ ok: true, res: data as Record<string, unknown> });
            fail({ kind: 'platform', error: typeof data?.error === 'string' ? data.error : 'unknown_error' });
          });
        },
      );
      req.on('error', broken);
      const timer = setTimeout(() => {
        timedOut = `no answer within ${timeoutMs} ms`;
        req.destroy(new Error(timedOut));
      }, timeoutMs);
      req.end(body);
    });
  }

  return {
    postMessage: (args) => call('chat.postMessage', args),
    postEphemeral: (args) => call('chat.postEphemeral', args),
    update: (args) => call('chat.update', args),
    authTest: () => call('auth.test', {}),
    close: () => agent.destroy(),
  };
}
