// A Bolt Receiver mounted on OUR HTTP server (route POST /slack/events) instead of a server of its own.
// It does what Bolt's HTTPReceiver does — buffer, verify the signature with Bolt's verifySlackRequest, answer
// ssl_check and url_verification, hand the body to app.processEvent with an ack() that writes the HTTP response —
// and is stricter/laxer where it matters: timestamps too far in the future are refused as well, and a
// content type with parameters ("application/x-www-form-urlencoded; charset=utf-8") is still parsed as a form.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { verifySlackRequest, type App, type Receiver } from '@slack/bolt';
import { log } from '../../log.js';
import { readBody } from '../../server/body.js';
import { malformed } from './shapes.js';

/** Slack's requests are small (a view submission with a large modal is tens of KB): 1 MB is plenty. */
const MAX_BODY = 1024 * 1024;
const MAX_SKEW_SEC = 5 * 60;
/** Slack gives up after 3 s; a listener that has not acked by then gets an empty 200 (never Bolt's 404). */
const ACK_TIMEOUT_MS = 2900;

export class RouteReceiver implements Receiver {
  private app?: App;

  constructor(private readonly opts: { signingSecret: string; now?: () => number }) {}

  init(app: App): void {
    this.app = app;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** Route handler for POST /slack/events. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let raw: string;
    try {
      const read = await readBody(req, MAX_BODY);
      if (!read.ok) {
        log.warn('slack.request_refused', { reason: 'body too large', status: 413 });
        res.writeHead(413, { connection: 'close' });
        res.end();
        return;
      }
      raw = read.body.toString('utf8');
    } catch {
      reply(res, 400);
      return;
    }
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const isForm = contentType === 'application/x-www-form-urlencoded';
    const form = isForm ? parseQuery(raw) : undefined;
    if (form?.ssl_check === '1') {
      reply(res, 200); // Slack's SSL check carries no signature and must not carry anything else either
      return;
    }

    const signature = req.headers['x-slack-signature'];
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    const nowMs = this.opts.now?.() ?? Date.now();
    try {
      if (typeof signature !== 'string' || !Number.isFinite(timestamp)) throw new Error('missing signature headers');
      if (timestamp - nowMs / 1000 > MAX_SKEW_SEC) throw new Error('timestamp in the future');
      verifySlackRequest({
        signingSecret: this.opts.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: nowMs,
      });
    } catch (error) {
      log.warn('slack.request_refused', { reason: (error as Error).message });
      reply(res, 401);
      return;
    }

    let body: Record<string, unknown>;
    try {
      if (form) body = typeof form.payload === 'string' ? JSON.parse(form.payload) : (form as Record<string, unknown>);
      else body = JSON.parse(raw);
      if (!body || typeof body !== 'object') throw new Error('not an object');
    } catch {
      reply(res, 400);
      return;
    }
    const problem = body.type === 'url_verification' ? null : malformed(body);
    if (problem) {
      log.warn('slack.malformed_body', { problem });
      reply(res, 400);
      return;
    }
    if (body.type === 'url_verification') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ challenge: body.challenge }));
      return;
    }

    let acked = false;
    const timer = setTimeout(() => {
      if (!acked) {
        acked = true;
        log.warn('slack.ack_timeout', { type: body.type });
        reply(res, 200);
      }
    }, ACK_TIMEOUT_MS);
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) return;
      acked = true;
      clearTimeout(timer);
      if (response === undefined || response === null || response === '') reply(res, 200);
      else if (typeof response === 'string') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(response);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(response));
      }
    };
    const retryHeader = req.headers['x-slack-retry-num'];
    const retryNum = retryHeader === undefined ? undefined : Number.parseInt(String(retryHeader), 10);
    const retryReason = req.headers['x-slack-retry-reason'];

    try {
      await this.app!.processEvent({
        body,
        ack,
        retryNum: Number.isFinite(retryNum) ? retryNum : undefined,
        retryReason: typeof retryReason === 'string' ? retryReason : undefined,
        customProperties: {},
      });
    } catch (error) {
      log.error('slack.process_failed', { type: body.type, error });
      if (!acked) {
        acked = true;
        clearTimeout(timer);
        reply(res, 500);
      }
    }
  };
}

function reply(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}
