// A loopback fake of the Slack Web API for end-to-end tests and the bench: records every call and answers like
// Slack does (chat.postMessage returns a ts, a DM to a user id lands in a D… channel, views.open returns a view),
// keeps the current state of every posted message (chat.update replaces it), and fails on demand:
//   fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, { status: 500 })
// Like Slack, a JSON body is only taken with `Authorization: Bearer <token>` (not_authed; invalid_auth when the fake
// knows the bot token and it differs); JSON without a charset is taken with a `missing_charset` warning.
// For Socket Mode, apps.connections.open answers the WebSocket URL set in `socketModeUrl` (see fakeSlackSocket.ts).
// Blocks and views are validated like Slack does (test/support/blockKit.ts): a message past a Block Kit limit is
// refused with `invalid_blocks`, a view with `invalid_arguments`, and `refused()` lists every such call.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parse as parseQuery } from 'node:querystring';
import { createFakeSlackFiles, type FakeSlackFiles } from './fakeSlackFiles.js';
import { blockProblems, viewProblems } from './blockKit.js';

export type Failure =
  | { status: 429; retryAfter?: number | null } // Retry-After in seconds (default 1; null: no header)
  | { status: number } // any other status, with a JSON error body
  | { error: string } // HTTP 200, { ok: false, error }
  | { body: string } // HTTP 200 with this body as it is (e.g. a proxy's HTML page, not JSON)
  | { network: true } // connection dropped
  | { lost: true } // the call is carried out, then the connection drops: the caller never hears that it worked
  | { cut: true } // the call is carried out, the answer's headers and half its body are sent, then the connection drops
  | { hang: true }; // the call is never answered (the connection stays open until the caller gives up)

export interface FakeCall {
  method: string;
  args: Record<string, any>;
  /** Authorization header (Bearer token) the call carried. */
  auth?: string;
  /** Its Content-Type header. */
  contentType?: string;
  /** How the fake answered: 'ok', 'http_429', 'http_500', 'error:<code>', 'body', 'network', 'lost', 'cut', 'hang'. */
  outcome: string;
  at: number;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: any[];
  /** How many times chat.update changed it. */
  updates: number;
  /** chat.postEphemeral target user, for ephemeral messages. */
  user?: string;
  /** Message metadata posted with it (chat.postMessage `metadata`). */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface FakeSlack {
  url: string;
  calls: FakeCall[];
  /** Successful calls of one method. */
  ok(method: string): FakeCall[];
  /** Every message posted with chat.postMessage (current state after updates), in order. */
  messages(channel?: string): FakeMessage[];
  /** Ephemeral messages (chat.postEphemeral), in order; for one user if given. */
  ephemerals(user?: string): FakeMessage[];
  /** The views opened with views.open, in order. */
  views(): any[];
  /** Calls refused for their blocks or view (invalid_blocks / invalid_arguments), with Slack's reasons. */
  refused(): { method: string; problems: string[] }[];
  failNext(method: string, ...failures: Failure[]): void;
  /** TCP connections accepted so far (a client that keeps its connection alive opens one). */
  readonly connections: number;
  /** Uploads, shares and downloads of files (fakeSlackFiles.ts). */
  files: FakeSlackFiles;
  /**
   * What apps.connections.open answers (Socket Mode): { ok: true, url } when set (a ws:// URL of a loopback fake),
   * else { ok: false, error: 'invalid_auth' }, as Slack answers a token that is not an app-level token.
   */
  socketModeUrl: string | undefined;
  reset(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decodeArgs(raw: string, contentType: string): Record<string, any> {
  if (contentType.includes('application/json')) return raw ? JSON.parse(raw) : {};
  const args: Record<string, any> = {};
  for (const [k, v] of Object.entries(parseQuery(raw))) {
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string' && /^[[{]/.test(s)) {
      try {
        args[k] = JSON.parse(s);
        continue;
      } catch {
        /* keep the string */
      }
    }
    args[k] = s;
  }
  return args;
}

/** The bot scopes of manifests/slack.yaml: what the fake grants unless a test grants more. */
export const MANIFEST_SCOPES: string[] = (() => {
  const manifest = readFileSync(fileURLToPath(new URL('../../manifests/slack.yaml', import.meta.url)), 'utf8');
  const bot = /\n\s+bot:\n((?:\s+- [^\n]+\n)+)/.exec(manifest)?.[1] ?? '';
  return [...bot.matchAll(/- ([\w:.]+)/g)].map((m) => m[1]!);
})();

/** conversations.history needs the history scope of the conversation's type (C public, G private, D direct). */
function historyScope(channel: string): string {
  return channel.startsWith('D') ? 'im:history' : channel.startsWith('G') ? 'groups:history' : 'channels:history';
}

export async function startFakeSlack(
  opts: { quiet?: boolean; record?: boolean; socketModeUrl?: string; botToken?: string; /** Bot token scopes; default MANIFEST_SCOPES. */ scopes?: string[] } = {},
): Promise<FakeSlack> {
  const scopes = new Set(opts.scopes ?? MANIFEST_SCOPES);
  const record = opts.record ?? true;
  const calls: FakeCall[] = [];
  const failures = new Map<string, Failure[]>();
  const posted: FakeMessage[] = [];
  const ephemeral: FakeMessage[] = [];
  const views: any[] = [];
  const refusedCalls: { method: string; problems: string[] }[] = [];
  let seq = 0;
  let socketModeUrl = opts.socketModeUrl;
  let baseUrl = '';
  const fileApi = createFakeSlackFiles(() => baseUrl, () => opts.botToken);
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;

  function invalid(method: string, error: string, problems: string[]): Record<string, unknown> {
    refusedCalls.push({ method, problems });
    return { ok: false, error, response_metadata: { messages: problems.map((m) => `[ERROR] ${m}`) } };
  }

  function answer(method: string, args: Record<string, any>): Record<string, unknown> {
    if (['chat.postMessage', 'chat.postEphemeral', 'chat.update'].includes(method) && args.blocks !== undefined) {
      const problems = blockProblems(args.blocks);
      if (problems.length) return invalid(method, 'invalid_blocks', problems);
    }
    if (['views.open', 'views.update', 'views.push'].includes(method)) {
      const problems = viewProblems(args.view);
      if (problems.length) return invalid(method, 'invalid_arguments', problems);
    }
    const fileAnswer = fileApi.answer(method, args);
    if (fileAnswer) return fileAnswer;
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'mktbot', team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage': {
        const raw = String(args.channel ?? '');
        if (!raw) return { ok: false, error: 'channel_not_found' };
        // Posting to a user id opens the bot's DM with that person.
        const channel = /^[UW]/.test(raw) ? `D${raw.slice(1)}` : raw;
        const msg: FakeMessage = { channel, ts: nextTs(), text: String(args.text ?? ''), blocks: args.blocks ?? [], updates: 0 };
        if (args.metadata && typeof args.metadata === 'object') msg.metadata = args.metadata;
        if (record) posted.push(msg);
        return { ok: true, channel, ts: msg.ts, message: { text: msg.text, blocks: msg.blocks, ts: msg.ts } };
      }
      case 'chat.update': {
        const msg = posted.find((m) => m.channel === args.channel && m.ts === args.ts);
        if (!msg && record) return { ok: false, error: 'message_not_found' };
        if (msg) {
          msg.text = String(args.text ?? '');
          msg.blocks = args.blocks ?? [];
          msg.updates++;
        }
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case 'chat.postEphemeral': {
        const msg: FakeMessage = { channel: String(args.channel), ts: nextTs(), text: String(args.text ?? ''), blocks: args.blocks ?? [], updates: 0, user: String(args.user) };
        if (record) ephemeral.push(msg);
        return { ok: true, message_ts: msg.ts };
      }
      case 'views.open': {
        if (!args.trigger_id) return { ok: false, error: 'invalid_trigger_id' };
        const view = { ...args.view, id: `V${++seq}`, hash: `h${seq}` };
        if (record) views.push(view);
        return { ok: true, view };
      }
      case 'apps.connections.open':
        return socketModeUrl ? { ok: true, url: socketModeUrl } : { ok: false, error: 'invalid_auth' };
      case 'conversations.history': {
        const channel = String(args.channel ?? '');
        const needed = historyScope(channel);
        if (!scopes.has(needed)) return { ok: false, error: 'missing_scope', needed, provided: [...scopes].join(',') };
        const oldest = Number(args.oldest ?? 0);
        const limit = Math.min(999, Number(args.limit ?? 100));
        const start = Number(args.cursor ?? 0);
        const newestFirst = posted.filter((m) => m.channel === channel && Number(m.ts) >= oldest).reverse();
        const page = newestFirst.slice(start, start + limit);
        const more = start + limit < newestFirst.length;
        return {
          ok: true,
          messages: page.map((m) => ({
            type: 'message',
            ts: m.ts,
            text: m.text,
            ...(String(args.include_all_metadata) === 'true' && m.metadata ? { metadata: m.metadata } : {}),
          })),
          has_more: more,
          response_metadata: { next_cursor: more ? String(start + limit) : '' },
        };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users ?? 'X').split(',')[0]!.slice(1)}` } };
      default:
        return { ok: true };
    }
  }

  /** What Slack refuses before it looks at a JSON body: no bearer token (not_authed), or not the bot's (invalid_auth). */
  function refusal(req: IncomingMessage, contentType: string): Record<string, unknown> | undefined {
    if (!contentType.includes('application/json')) return undefined;
    const auth = req.headers.authorization ?? '';
    if (!/^Bearer \S/.test(auth)) return { ok: false, error: 'not_authed' };
    if (opts.botToken && auth !== `Bearer ${opts.botToken}`) return { ok: false, error: 'invalid_auth' };
    return undefined;
  }

  let connections = 0;
  const server: Server = createServer(async (req, res) => {
    const received = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith('/api/') && (await fileApi.route(req, res, path, received))) return;
    const raw = received.toString('utf8');
    const method = path.replace(/^\/(api\/)?/, '');
    const contentType = String(req.headers['content-type'] ?? '');
    const args = decodeArgs(raw, contentType);
    const call: FakeCall = { method, args, auth: req.headers.authorization, contentType: req.headers['content-type'], outcome: 'ok', at: Date.now() };
    const respond = () => {
      const body = refusal(req, contentType) ?? answer(method, args);
      // Slack takes JSON without a charset, with a warning.
      if (contentType.includes('application/json') && !/charset=/i.test(contentType)) {
        const meta = (body.response_metadata ?? {}) as Record<string, unknown>;
        return { ...body, warning: 'missing_charset', response_metadata: { ...meta, warnings: ['missing_charset'] } };
      }
      return body;
    };
    const queue = failures.get(method);
    const failure = queue?.shift();
    if (failure) {
      if ('lost' in failure) {
        const body = respond();
        call.outcome = body.ok === false ? `lost:error:${String(body.error)}` : 'lost';
        if (record) calls.push(call);
        req.socket.destroy();
        return;
      }
      if ('cut' in failure) {
        const text = JSON.stringify(respond());
        call.outcome = 'cut';
        if (record) calls.push(call);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
        return;
      }
      if ('hang' in failure) {
        call.outcome = 'hang';
        if (record) calls.push(call);
        return;
      }
      if ('network' in failure) {
        call.outcome = 'network';
        if (record) calls.push(call);
        req.socket.destroy();
        return;
      }
      if ('status' in failure) {
        call.outcome = `http_${failure.status}`;
        if (record) calls.push(call);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        const retryAfter = 'retryAfter' in failure ? failure.retryAfter : undefined;
        if (failure.status === 429 && retryAfter !== null) headers['retry-after'] = String(retryAfter ?? 1);
        res.writeHead(failure.status, headers);
        res.end(JSON.stringify({ ok: false, error: failure.status === 429 ? 'ratelimited' : 'internal_error' }));
        return;
      }
      if ('body' in failure) {
        call.outcome = 'body';
        if (record) calls.push(call);
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(failure.body);
        return;
      }
      call.outcome = `error:${failure.error}`;
      if (record) calls.push(call);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: failure.error }));
      return;
    }
    const body = respond();
    if (body.ok === false) call.outcome = `error:${String(body.error)}`;
    if (record) calls.push(call);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  baseUrl = `http://127.0.0.1:${port}/api/`;

  return {
    url: baseUrl,
    files: fileApi.api,
    calls,
    ok: (method) => calls.filter((c) => c.method === method && c.outcome === 'ok'),
    messages: (channel) => posted.filter((m) => channel === undefined || m.channel === channel),
    ephemerals: (user) => ephemeral.filter((m) => user === undefined || m.user === user),
    views: () => views,
    refused: () => refusedCalls,
    failNext(method, ...f) {
      failures.set(method, [...(failures.get(method) ?? []), ...f]);
    },
    get connections() {
      return connections;
    },
    get socketModeUrl() {
      return socketModeUrl;
    },
    set socketModeUrl(url: string | undefined) {
      socketModeUrl = url;
    },
    reset() {
      calls.length = 0;
      posted.length = 0;
      ephemeral.length = 0;
      views.length = 0;
      refusedCalls.length = 0;
      failures.clear();
      fileApi.reset();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** All visible text of a Block Kit message (header, sections, fields, context, button labels), for assertions. */
export function blockText(msg: { text?: string; blocks?: any[] }): string {
  const out: string[] = [];
  const visit = (node: any): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    // rich_text mentions, written the way mrkdwn writes them
    if (node.type === 'user' && typeof node.user_id === 'string') out.push(`<@${node.user_id}>`);
    if (node.type === 'channel' && typeof node.channel_id === 'string') out.push(`<#${node.channel_id}>`);
    if (typeof node.text === 'string') out.push(node.text);
    for (const [k, v] of Object.entries(node)) if (k !== 'text' || typeof v !== 'string') visit(v);
  };
  visit(msg.blocks ?? []);
  if (out.length === 0 && msg.text) out.push(msg.text);
  return out.join('\n');
}

/** The buttons of a Block Kit message: { label, actionId, value, style }. */
export function buttonsOf(msg: { blocks?: any[] }): { label: string; actionId: string; value: string; blockId: string; style?: string }[] {
  const buttons: { label: string; actionId: string; value: string; blockId: string; style?: string }[] = [];
  for (const block of msg.blocks ?? []) {
    if (block.type !== 'actions') continue;
    for (const el of block.elements ?? []) {
      if (el.type === 'button') buttons.push({ label: el.text?.text ?? '', actionId: el.action_id, value: el.value, blockId: block.block_id, style: el.style });
    }
  }
  return buttons;
}
