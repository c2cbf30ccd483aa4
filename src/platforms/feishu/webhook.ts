// POST /feishu/events: event subscription and card callbacks on one URL.
// The Lark SDK checks neither timestamps, replays nor the verification token (and answers a bad signature
// with HTTP 200), so every check happens here, before anything is dispatched:
//   1. signature  sha256(timestamp + nonce + encryptKey + rawBody) (when an encrypt key is configured)
//   2. timestamp  x-lark-request-timestamp within ±5 minutes
//   3. decryption of { encrypt } payloads
//   4. verification token  header.token (schema 2.0) or token (1.0)
// Failed checks answer 401/400 and nothing happens. url_verification is answered only after the token check.
// Deduplication on event_id happens in the handlers (src/platforms/feishu/events.ts), for both connection modes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FeishuConfig } from '../../config/env.js';
import { log } from '../../log.js';
import { readBody } from '../../server/body.js';
import type { Clock } from '../../usecases/types.js';
import { decrypt, safeEqual, signature } from './crypto.js';

export const MAX_BODY_BYTES = 1024 * 1024;
export const TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;

export interface WebhookDeps {
  config: FeishuConfig;
  clock: Clock;
  /** Hands a verified, decrypted payload to the EventDispatcher; resolves with the answer body. */
  dispatch(payload: Record<string, unknown>): Promise<unknown>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function createWebhookHandler(deps: WebhookDeps) {
  const { config, clock } = deps;
  const refuse = (res: ServerResponse, status: number, reason: string) => {
    log.warn('feishu.request_refused', { status, reason });
    send(res, status, { ok: false, error: reason });
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const read = await readBody(req, MAX_BODY_BYTES);
    if (!read.ok) return refuse(res, 413, 'body_too_large');
    const raw = read.body.toString('utf8');
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      return refuse(res, 400, 'bad_json');
    }

    let payload: Record<string, unknown> = body;
    if (typeof body.encrypt === 'string') {
      if (!config.encryptKey) return refuse(res, 400, 'encrypted_without_key');
      try {
        const inner: unknown = JSON.parse(decrypt(body.encrypt, config.encryptKey));
        if (!inner || typeof inner !== 'object' || Array.isArray(inner)) throw new Error('not an object');
        payload = inner as Record<string, unknown>;
      } catch {
        return refuse(res, 400, 'bad_encryption');
      }
    }
    const isChallenge = payload.type === 'url_verification';

    const timestamp = header(req, 'x-lark-request-timestamp');
    const nonce = header(req, 'x-lark-request-nonce');
    const sig = header(req, 'x-lark-signature');
    if (config.encryptKey) {
      // With an encrypt key Feishu signs every push; only the console's URL check may come unsigned,
      // and it is still bound by the verification token below.
      if (timestamp === undefined || nonce === undefined || sig === undefined) {
        if (!isChallenge) return refuse(res, 401, 'missing_signature');
      } else if (!safeEqual(signature(timestamp, nonce, config.encryptKey, raw), sig.toLowerCase())) {
        return refuse(res, 401, 'bad_signature');
      }
    }
    if (timestamp !== undefined) {
      const seconds = Number(timestamp);
      if (!Number.isFinite(seconds) || Math.abs(clock.now().getTime() - seconds * 1000) > TIMESTAMP_WINDOW_MS) {
        return refuse(res, 401, 'stale_timestamp');
      }
    }

    const head = payload.header as Record<string, unknown> | undefined;
    const token = payload.schema === '2.0' || head ? head?.token : payload.token;
    if (typeof token !== 'string' || !safeEqual(token, config.verificationToken)) return refuse(res, 401, 'bad_token');

    if (isChallenge) {
      send(res, 200, { challenge: typeof payload.challenge === 'string' ? payload.challenge : '' });
      return;
    }

    const answer = await deps.dispatch(payload);
    send(res, 200, answer && typeof answer === 'object' ? answer : {});
  };
}
