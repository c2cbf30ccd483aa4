// Small HTTP helpers for the playground routes: bounded JSON bodies, JSON answers, and the checks that
// keep a page on another site (or a DNS-rebound name) from driving the playground through the browser.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../server/body.js';

export const MAX_BODY_BYTES = 64 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'HttpError';
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(text),
    ...extraHeaders,
  });
  res.end(text);
}

const LOCAL_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

/**
 * The playground answers only requests addressed to this machine by a loopback name (DNS rebinding), and
 * changes (JSON posts) only from its own page: a browser sends the page's Origin with every POST, so a post
 * must carry exactly `http://<host>` — a request from another site carries that site's Origin, and one with
 * none did not come from the page. (A cross-site post also cannot send the JSON content type without a
 * preflight, which we never approve.)
 */
export function checkRequest(req: IncomingMessage, opts: { json: boolean }): void {
  const host = req.headers.host ?? '';
  if (!LOCAL_HOST.test(host)) throw new HttpError(403, 'local.error.host');
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) throw new HttpError(403, 'local.error.origin');
  if (opts.json && origin === undefined) throw new HttpError(403, 'local.error.origin');
  if (req.headers['sec-fetch-site'] === 'cross-site') throw new HttpError(403, 'local.error.origin');
  if (opts.json) {
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') throw new HttpError(415, 'local.error.content_type');
  }
}

/** Reads the body (at most `limit` bytes; beyond, 413 after the rest was dropped) and parses it as JSON. */
export async function readJson(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const read = await readBody(req, limit);
  if (!read.ok) throw new HttpError(413, 'local.error.too_large', { limit });
  try {
    return JSON.parse(read.body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'local.error.bad_json');
  }
}
