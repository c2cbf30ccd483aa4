// Delivers outbox rows to Feishu: post → im/v1/messages (receive_id_type chat_id), dm / ephemeral →
// im/v1/messages (receive_id_type open_id; Feishu's ephemeral cards are not used, see docs/feishu.md),
// update → PATCH im/v1/messages/:message_id for every posted copy.
// Rate limits (HTTP 429, code 99991400), 5xx and network errors are retried by the worker (with Feishu's
// reset hint when given); an invalid tenant token clears the token cache and is retried at once.
import type * as lark from '@larksuiteoapi/node-sdk';
import type { FileToSend, PlatformSender, SendResult } from '../../delivery/types.js';
import { log } from '../../log.js';
import { renderMessage, renderOutgoing } from './render.js';

export const RATE_LIMIT_CODES = new Set([99991400]);
export const INVALID_TOKEN_CODES = new Set([99991663, 99991661, 99991668, 99991664, 99991665]);

/** The SDK's token cache, ours per surface (so clearing it touches no other app). */
export class TokenCache {
  private values = new Map<string, { value: unknown; expiredTime?: number }>();
  private static keyOf(key: string | Symbol, namespace?: string) {
    return `${namespace ?? ''}/${key.toString()}`;
  }
  async get(key: string | Symbol, options?: { namespace?: string }): Promise<any> {
    const hit = this.values.get(TokenCache.keyOf(key, options?.namespace));
    if (!hit) return undefined;
    if (hit.expiredTime && hit.expiredTime <= Date.now()) return undefined;
    return hit.value;
  }
  async set(key: string | Symbol, value: unknown, expiredTime?: number, options?: { namespace?: string }): Promise<boolean> {
    this.values.set(TokenCache.keyOf(key, options?.namespace), { value, expiredTime });
    return true;
  }
  clear(): void {
    this.values.clear();
  }
}

type Attempt =
  | { ok: true; data: Record<string, any> }
  | { ok: false; kind: 'token' | 'retry' | 'fatal'; error: string; retryAfterMs?: number };

type Request = { method: 'POST' | 'PATCH'; url: string; params?: Record<string, string>; data: unknown };

/** One Open API call (a request, or an SDK method for multipart uploads), classified. Never throws. */
async function call(client: lark.Client, req: Request | (() => Promise<unknown>)): Promise<Attempt> {
  try {
    if (typeof req === 'function') {
      // SDK methods answer the `data` of a successful call (code 0), null when the body carried no data.
      const data = (await req()) as (Record<string, any> & { code?: number; msg?: string }) | null;
      if (!data) return { ok: false, kind: 'retry', error: 'feishu: empty answer' };
      if (typeof data.code === 'number' && data.code !== 0) return classify(data.code, data.msg, undefined, undefined);
      return { ok: true, data };
    }
    const res = (await client.request({ method: req.method, url: req.url, params: req.params, data: req.data })) as { code?: number; msg?: string; data?: Record<string, any> } | undefined;
    const code = res?.code ?? -1;
    if (code === 0) return { ok: true, data: res?.data ?? {} };
    return classify(code, res?.msg, undefined, undefined);
  } catch (error) {
    const e = error as { response?: { status?: number; data?: { code?: number; msg?: string }; headers?: Record<string, string> }; message?: string; code?: string };
    if (!e.response) return { ok: false, kind: 'retry', error: `network: ${e.code ?? e.message ?? 'error'}` };
    const reset = Number(e.response.headers?.['x-ogw-ratelimit-reset']);
    return classify(e.response.data?.code, e.response.data?.msg, e.response.status, Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined);
  }
}

function classify(code: number | undefined, msg: string | undefined, status: number | undefined, retryAfterMs: number | undefined): Attempt {
  const error = `feishu ${status ?? 200} code=${code ?? '?'} ${msg ?? ''}`.trim();
  if (code !== undefined && INVALID_TOKEN_CODES.has(code)) return { ok: false, kind: 'token', error };
  if (status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) return { ok: false, kind: 'retry', error, retryAfterMs };
  if (status !== undefined && status >= 500) return { ok: false, kind: 'retry', error };
  if (code !== undefined && code >= 99991000 && code < 99992000 && status === undefined) return { ok: false, kind: 'retry', error }; // gateway-level hiccups
  return { ok: false, kind: 'fatal', error };
}

export function createFeishuSender(client: lark.Client, cache: TokenCache): PlatformSender {
  /** Calls once; on an invalid-token answer clears the cache and calls once more with a fresh token. */
  async function withToken(req: Request | (() => Promise<unknown>)): Promise<Attempt> {
    const first = await call(client, req);
    if (first.ok || first.kind !== 'token') return first;
    log.warn('feishu.token_invalid', { error: first.error });
    cache.clear();
    const second = await call(client, req);
    return !second.ok && second.kind === 'token' ? { ...second, kind: 'retry' } : second;
  }

  function toResult(a: Exclude<Attempt, { ok: true }>): SendResult {
    return a.kind === 'fatal'
      ? { ok: false, retry: false, error: a.error }
      : { ok: false, retry: true, error: a.error, retryAfterMs: a.retryAfterMs };
  }

  /**
   * A file row: the comment card, then the file uploaded with im/v1/files (its file_key remembered, so a retry does
   * not upload again) and sent as a `file` message. Both sends carry a uuid, so a retry never posts twice.
   */
  async function sendFile(row: Parameters<PlatformSender['send']>[0] & { file: FileToSend }): Promise<SendResult> {
    const { file } = row;
    if (file.mode === 'image' && row.message.chart) return sendChart(row);
    const toChat = row.kind === 'post';
    const receiveIdType = toChat ? 'chat_id' : 'open_id';
    const receiveId = toChat ? row.target : (row.target.split('/').pop() ?? row.target);
    const card = await withToken({
      method: 'POST',
      url: 'open-apis/im/v1/messages',
      params: { receive_id_type: receiveIdType },
      data: { receive_id: receiveId, msg_type: 'interactive', content: JSON.stringify(renderOutgoing(row.message)), uuid: `mktops-outbox-${row.id}` },
    });
    if (!card.ok) return toResult(card);
    let fileKey = (await row.uploads?.get('file')) ?? null;
    if (!fileKey) {
      const up = await withToken(() =>
        client.im.file.create({ data: { file_type: feishuFileType(file.name), file_name: file.name, file: file.bytes } }),
      );
      if (!up.ok) return toResult(up);
      fileKey = typeof up.data.file_key === 'string' ? up.data.file_key : null;
      if (!fileKey) return { ok: false, retry: true, error: 'im/v1/files: no file_key' };
      await row.uploads?.put('file', fileKey);
    }
    const sent = await withToken({
      method: 'POST',
      url: 'open-apis/im/v1/messages',
      params: { receive_id_type: receiveIdType },
      data: { receive_id: receiveId, msg_type: 'file', content: JSON.stringify({ file_key: fileKey }), uuid: `mktops-outbox-${row.id}-file` },
    });
    if (!sent.ok) return toResult(sent);
    const chatId = typeof sent.data.chat_id === 'string' ? sent.data.chat_id : undefined;
    return { ok: true, channelId: toChat ? row.target : (chatId ?? row.target) };
  }

  /**
   * A chart row: the PNG uploaded with im/v1/images (image_type message; the image_key is remembered per image and
   * workspace, so every chat and every retry reuses it), then a card with the image in an `img` element, sent with a
   * uuid so a retry never posts twice. It follows the report's card in the same chat.
   */
  async function sendChart(row: Parameters<PlatformSender['send']>[0] & { file: FileToSend }): Promise<SendResult> {
    const toChat = row.kind === 'post';
    const receiveIdType = toChat ? 'chat_id' : 'open_id';
    const receiveId = toChat ? row.target : (row.target.split('/').pop() ?? row.target);
    let imageKey = (await row.uploads?.get('image')) ?? null;
    if (!imageKey) {
      const up = await withToken(() => client.im.image.create({ data: { image_type: 'message', image: row.file.bytes } }));
      if (!up.ok) return toResult(up);
      imageKey = typeof up.data.image_key === 'string' ? up.data.image_key : null;
      if (!imageKey) return { ok: false, retry: true, error: 'im/v1/images: no image_key' };
      await row.uploads?.put('image', imageKey);
    }
    const sent = await withToken({
      method: 'POST',
      url: 'open-apis/im/v1/messages',
      params: { receive_id_type: receiveIdType },
      data: { receive_id: receiveId, msg_type: 'interactive', content: JSON.stringify(renderMessage(row.message, { imageKey })), uuid: `mktops-outbox-${row.id}` },
    });
    if (!sent.ok) return toResult(sent);
    const chatId = typeof sent.data.chat_id === 'string' ? sent.data.chat_id : undefined;
    const messageId = typeof sent.data.message_id === 'string' ? sent.data.message_id : undefined;
    return { ok: true, messageId, channelId: toChat ? row.target : (chatId ?? row.target) };
  }

  return {
    platform: 'feishu',
    // Every message carries a uuid (the outbox id): Feishu drops a repeat, so rows may go out several at a time.
    concurrency: 16,
    async send(row): Promise<SendResult> {
      const cards = renderOutgoing(row.message, row.form, row.formSession);
      if (row.kind === 'update') {
        // Cards updated in place are short; a longer one keeps its first part (and is logged).
        if (cards.length > 1) log.error('feishu.update_too_long', { outboxId: row.id, parts: cards.length });
        const content = JSON.stringify(cards[0]);
        let lastRetry: SendResult | undefined;
        for (const ref of row.messageIds ?? []) {
          const a = await withToken({ method: 'PATCH', url: `open-apis/im/v1/messages/${encodeURIComponent(ref.messageId)}`, data: { content } });
          if (a.ok) continue;
          if (a.kind === 'fatal') {
            // That copy is gone (deleted message, bot removed from the chat): the others are still updated.
            log.warn('feishu.update_skipped', { outboxId: row.id, messageId: ref.messageId, error: a.error });
            continue;
          }
          lastRetry = toResult(a);
        }
        return lastRetry ?? { ok: true };
      }
      let receiveIdType: 'chat_id' | 'open_id';
      if (row.file) return sendFile(row as typeof row & { file: FileToSend });
      let receiveId: string;
      if (row.kind === 'post') {
        receiveIdType = 'chat_id';
        receiveId = row.target;
      } else if (row.kind === 'dm') {
        receiveIdType = 'open_id';
        receiveId = row.target;
      } else {
        // ephemeral "<chatId>/<userId>": delivered as a direct message to that person.
        receiveIdType = 'open_id';
        receiveId = row.target.split('/').pop() ?? row.target;
      }
      let first: SendResult | undefined;
      for (const [i, card] of cards.entries()) {
        const a = await withToken({
          method: 'POST',
          url: 'open-apis/im/v1/messages',
          params: { receive_id_type: receiveIdType },
          // uuid: Feishu drops a second send with the same uuid within an hour, so a retry after a lost
          // answer does not post the card (or a part already sent) twice.
          data: { receive_id: receiveId, msg_type: 'interactive', content: JSON.stringify(card), uuid: `mktops-outbox-${row.id}${i ? `-${i}` : ''}` },
        });
        if (!a.ok) return toResult(a);
        const messageId = typeof a.data.message_id === 'string' ? a.data.message_id : undefined;
        const chatId = typeof a.data.chat_id === 'string' ? a.data.chat_id : undefined;
        first ??= { ok: true, messageId, channelId: row.kind === 'post' ? row.target : chatId ?? row.target };
      }
      return first!;
    },
  };
}

/** Feishu's file_type for im/v1/files, by the file name's extension ("stream" for anything else). */
export function feishuFileType(name: string): 'xls' | 'doc' | 'pdf' | 'ppt' | 'stream' {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  if (ext === 'xls' || ext === 'xlsx' || ext === 'csv') return 'xls';
  if (ext === 'doc' || ext === 'docx') return 'doc';
  if (ext === 'pdf') return 'pdf';
  if (ext === 'ppt' || ext === 'pptx') return 'ppt';
  return 'stream';
}
