// A loopback fake of the Feishu Open API endpoints the bot uses: tenant token, bot info, send and patch
// messages. Records every call, keeps the current content of every message, and fails on demand
// (rate limit 99991400 / HTTP 429, 5xx, an invalid tenant token once).
// For the long connection (FEISHU_MODE=ws), POST /callback/ws/endpoint answers the WebSocket URL set in `wsUrl`
// (see fakeFeishuWs.ts) with the client config the SDK expects.
// Like Feishu, it refuses a message body over 30 KB (HTTP 400, code 230025) on send and PATCH; `refused` lists them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createFakeFeishuFiles, type FakeFeishuFilesApi } from './fakeFeishuFiles.js';

/** Feishu's limit for a message request body (send, PATCH) and for a card callback answer. */
export const FEISHU_BODY_LIMIT = 30 * 1024;
export const CONTENT_TOO_LONG = 230025;

export interface FakeMessage {
  message_id: string;
  chat_id: string;
  receive_id_type: string;
  receive_id: string;
  msg_type: string;
  /** The card as last sent or patched. */
  card: any;
  /** Every version of the card, oldest first. */
  history: any[];
}

export interface FakeCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
  authorization?: string;
  status: number;
  code: number;
}

export interface Failure {
  status: number;
  code: number;
  msg?: string;
  /** Only for calls whose path matches. */
  path?: RegExp;
}

export interface FakeFeishu {
  url: string;
  botOpenId: string;
  calls: FakeCall[];
  messages: Map<string, FakeMessage>;
  tokenRequests: number;
  /** Files uploaded by the bot, and files people sent (fakeFeishuFiles.ts). */
  files: FakeFeishuFilesApi;
  /** The next n matching im/v1 calls fail with this answer. */
  failNext(failure: Failure, times?: number): void;
  /** Every token issued so far becomes invalid: the next call using one answers 99991663. */
  invalidateTokens(): void;
  /** Calls refused because their body passed 30 KB (code 230025). */
  refused: FakeCall[];
  /** Messages sent to a chat (chat_id) or a person (open_id), oldest first. */
  sentTo(receiveId: string): FakeMessage[];
  /**
   * What POST /callback/ws/endpoint hands out (long connection): this ws:// URL, which must carry device_id and
   * service_id query parameters like Feishu's; when unset, the endpoint answers code 403 (not retried by the SDK).
   */
  wsUrl: string | undefined;
  close(): Promise<void>;
}

/** The ClientConfig of a /callback/ws/endpoint answer (seconds), as Feishu sends it. */
export const WS_CLIENT_CONFIG = { ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30, PingInterval: 120 };

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startFakeFeishu(opts: { appId?: string; appSecret?: string; botOpenId?: string; wsUrl?: string } = {}): Promise<FakeFeishu> {
  const botOpenId = opts.botOpenId ?? 'ou_bot0000000000';
  const failures: (Failure & { left: number })[] = [];
  const validTokens = new Set<string>();
  const revoked = new Set<string>();
  const uuids = new Map<string, string>();
  let tokenSeq = 0;
  let messageSeq = 0;
  const calls: FakeCall[] = [];
  const refused: FakeCall[] = [];
  const messages = new Map<string, FakeMessage>();
  const state = { tokenRequests: 0, wsUrl: opts.wsUrl };
  const fileApi = createFakeFeishuFiles();

  const answer = (res: ServerResponse, call: FakeCall, status: number, body: Record<string, unknown>) => {
    call.status = status;
    call.code = typeof body.code === 'number' ? body.code : 0;
    const json = JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (status === 429) headers['x-ogw-ratelimit-reset'] = '0';
    res.writeHead(status, headers);
    res.end(json);
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const received = await read(req);
    const multipart = String(req.headers['content-type'] ?? '').startsWith('multipart/');
    const text = multipart ? '' : received.toString('utf8');
    const bytes = received.length;
    let body: any = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const call: FakeCall = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      authorization: req.headers.authorization,
      status: 0,
      code: 0,
    };
    calls.push(call);

    if (req.method === 'POST' && url.pathname === '/open-apis/auth/v3/tenant_access_token/internal') {
      state.tokenRequests++;
      if ((opts.appId && body?.app_id !== opts.appId) || (opts.appSecret && body?.app_secret !== opts.appSecret)) {
        return answer(res, call, 200, { code: 10014, msg: 'app secret invalid' });
      }
      const token = `t-fake${++tokenSeq}${'x'.repeat(24)}`;
      validTokens.add(token);
      return answer(res, call, 200, { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
    }

    // The long connection's endpoint: no token, the app's credentials in the body (AppID / AppSecret).
    if (req.method === 'POST' && url.pathname === '/callback/ws/endpoint') {
      if ((opts.appId && body?.AppID !== opts.appId) || (opts.appSecret && body?.AppSecret !== opts.appSecret)) {
        return answer(res, call, 200, { code: 514, msg: 'auth failed', data: {} });
      }
      if (!state.wsUrl) return answer(res, call, 200, { code: 403, msg: 'no long connection in this fake', data: {} });
      return answer(res, call, 200, { code: 0, msg: 'ok', data: { URL: state.wsUrl, ClientConfig: WS_CLIENT_CONFIG } });
    }

    const bearer = (req.headers.authorization ?? '').replace(/^Bearer\s+/, '');
    if (!validTokens.has(bearer) || revoked.has(bearer)) {
      return answer(res, call, 400, { code: 99991663, msg: 'Invalid access token for authorization. Please make a request with token attached.' });
    }

    if (url.pathname.startsWith('/open-apis/im/v1/')) {
      const failure = failures.find((f) => f.left > 0 && (!f.path || f.path.test(url.pathname)));
      if (failure) {
        failure.left--;
        return answer(res, call, failure.status, { code: failure.code, msg: failure.msg ?? 'injected failure' });
      }
    }

    if (req.method === 'GET' && url.pathname === '/open-apis/bot/v3/info') {
      return answer(res, call, 200, { code: 0, msg: 'ok', bot: { open_id: botOpenId, app_name: 'mktops', activate_status: 2 } });
    }

    const isMessage = (req.method === 'POST' && url.pathname === '/open-apis/im/v1/messages') || (req.method === 'PATCH' && /^\/open-apis\/im\/v1\/messages\/[^/]+$/.test(url.pathname));
    if (isMessage && bytes > FEISHU_BODY_LIMIT) {
      refused.push(call);
      return answer(res, call, 400, { code: CONTENT_TOO_LONG, msg: `The message content is too long: ${bytes} bytes (limit 30 KB).` });
    }

    if (req.method === 'POST' && url.pathname === '/open-apis/im/v1/files') {
      const a = await fileApi.upload(req, received);
      return answer(res, call, a.status, 'body' in a ? a.body : {});
    }

    if (req.method === 'POST' && url.pathname === '/open-apis/im/v1/images') {
      const a = await fileApi.uploadImage(req, received);
      return answer(res, call, a.status, 'body' in a ? a.body : {});
    }

    const resource = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && resource) {
      const a = fileApi.resource(decodeURIComponent(resource[1]!), decodeURIComponent(resource[2]!), url.searchParams.get('type') ?? '');
      if ('body' in a) return answer(res, call, a.status, a.body);
      call.status = 200;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': a.bytes.length, 'content-disposition': `attachment; filename="${encodeURIComponent(a.name)}"` });
      res.end(a.bytes);
      return;
    }

    if (req.method === 'POST' && url.pathname === '/open-apis/im/v1/messages') {
      const type = url.searchParams.get('receive_id_type') ?? '';
      if (!['chat_id', 'open_id'].includes(type) || typeof body?.receive_id !== 'string' || !['interactive', 'file'].includes(body?.msg_type)) {
        return answer(res, call, 400, { code: 230001, msg: 'invalid request' });
      }
      let card: any;
      try {
        card = JSON.parse(body.content);
      } catch {
        return answer(res, call, 400, { code: 230099, msg: 'content is not JSON' });
      }
      if (body.msg_type === 'file' && !(typeof card?.file_key === 'string' && fileApi.isUploaded(card.file_key))) {
        return answer(res, call, 400, { code: 230001, msg: 'invalid file_key' });
      }
      if (body.msg_type === 'interactive' && imageKeysOf(card).some((key) => !fileApi.isImage(key))) {
        return answer(res, call, 400, { code: 230099, msg: 'Failed to create card content: invalid img_key' });
      }
      if (body.uuid && uuids.has(body.uuid)) {
        const existing = messages.get(uuids.get(body.uuid)!)!;
        return answer(res, call, 200, { code: 0, msg: 'ok', data: { message_id: existing.message_id, chat_id: existing.chat_id } });
      }
      const message_id = `om_${++messageSeq}`;
      const chat_id = type === 'chat_id' ? body.receive_id : `oc_p2p_${body.receive_id}`;
      const m: FakeMessage = { message_id, chat_id, receive_id_type: type, receive_id: body.receive_id, msg_type: body.msg_type, card, history: [card] };
      messages.set(message_id, m);
      if (body.uuid) uuids.set(body.uuid, message_id);
      return answer(res, call, 200, { code: 0, msg: 'ok', data: { message_id, chat_id, msg_type: body.msg_type } });
    }

    const patch = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'PATCH' && patch) {
      const m = messages.get(decodeURIComponent(patch[1]!));
      if (!m) return answer(res, call, 400, { code: 230011, msg: 'message not found' });
      try {
        m.card = JSON.parse(body.content);
      } catch {
        return answer(res, call, 400, { code: 230099, msg: 'content is not JSON' });
      }
      m.history.push(m.card);
      return answer(res, call, 200, { code: 0, msg: 'ok', data: {} });
    }

    return answer(res, call, 404, { code: 404, msg: 'not found' });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    files: fileApi.api,
    botOpenId,
    calls,
    refused,
    messages,
    get tokenRequests() {
      return state.tokenRequests;
    },
    failNext(failure, times = 1) {
      failures.push({ ...failure, left: times });
    },
    invalidateTokens() {
      for (const token of validTokens) revoked.add(token);
    },
    get wsUrl() {
      return state.wsUrl;
    },
    set wsUrl(url: string | undefined) {
      state.wsUrl = url;
    },
    sentTo(receiveId) {
      return [...messages.values()].filter((m) => m.receive_id === receiveId || m.chat_id === receiveId);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---- reading cards like a person would ----

/** Every element of a card, depth first. */
export function elementsOf(card: any): any[] {
  const out: any[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node.tag === 'string') out.push(node);
    for (const key of ['elements', 'columns']) if (Array.isArray(node[key])) node[key].forEach(walk);
    if (node.body) walk(node.body);
  };
  walk(card);
  return out;
}

/** The buttons of a card with their labels and callback values. */
export function buttonsOf(card: any): { label: string; value: any; formSubmit: boolean }[] {
  return elementsOf(card)
    .filter((e) => e.tag === 'button')
    .map((e) => ({ label: e.text?.content ?? '', value: e.behaviors?.[0]?.value, formSubmit: e.form_action_type === 'submit' }));
}

/** All visible text of a card (title + markdown), for assertions. */
export function textOf(card: any): string {
  const parts: string[] = [];
  if (card?.header?.title?.content) parts.push(card.header.title.content);
  for (const e of elementsOf(card)) {
    if (e.tag === 'markdown' || e.tag === 'div') parts.push(e.content ?? e.text?.content ?? '');
    if (e.tag === 'input' && e.label?.content) parts.push(e.label.content);
  }
  return parts.join('\n');
}

/** Every img_key an interactive card refers to (img elements at any depth). */
function imageKeysOf(card: unknown): string[] {
  const keys: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.tag === 'img') keys.push(typeof o.img_key === 'string' ? o.img_key : '');
    for (const v of Object.values(o)) walk(v);
  };
  walk(card);
  return keys;
}
