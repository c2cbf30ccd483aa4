// Files on Slack, the current way (files.upload is retired):
//   out: files.getUploadURLExternal → POST the bytes to the returned upload URL → files.completeUploadExternal,
//        shared into the chat (a DM is opened with conversations.open for a person);
//   in:  a file's url_private_download, fetched with the bot token — only from Slack's file host, or from the
//        origin of SLACK_API_URL when it is set (tests, a proxy) — never any other URL, never following redirects.
import { webApi } from '@slack/bolt';
import type { FileToSend, SendResult, UploadMemo } from '../../delivery/types.js';
import { log } from '../../log.js';

type WebClient = webApi.WebClient;
type Failure = Extract<SendResult, { ok: false }>;

/** Slack's own file hosts. */
const SLACK_FILE_HOSTS = new Set(['files.slack.com']);

/**
 * Whether `url` may receive the bot token (downloads) or the bot's bytes (uploads): https on Slack's file host, or
 * exactly the origin of the configured SLACK_API_URL.
 */
export function isSlackFileUrl(url: string, apiUrl?: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (apiUrl) {
    try {
      if (u.origin === new URL(apiUrl).origin) return true;
    } catch {
      /* a bad SLACK_API_URL is refused at start */
    }
  }
  return u.protocol === 'https:' && SLACK_FILE_HOSTS.has(u.hostname) && (u.port === '' || u.port === '443');
}

export interface SlackFileDeps {
  client: WebClient;
  apiUrl?: string;
  call: (fn: () => Promise<webApi.WebAPICallResult>) => Promise<{ ok: true; res: webApi.WebAPICallResult } | Failure>;
}

/** The conversation a file goes to: a channel as is, a person's DM opened (or reused) with conversations.open. */
async function conversationOf(deps: SlackFileDeps, target: string, toPerson: boolean): Promise<{ ok: true; channel: string } | Failure> {
  if (!toPerson) return { ok: true, channel: target };
  const r = await deps.call(() => deps.client.conversations.open({ users: target }));
  if (!r.ok) return r;
  const channel = (r.res as { channel?: { id?: string } }).channel?.id;
  return channel ? { ok: true, channel } : { ok: false, retry: true, error: 'conversations.open: no channel id' };
}

/**
 * Uploads `file` and shares it in `target` (a channel id, or a user id when `toPerson`), with `comment` (already
 * escaped mrkdwn). Safe to retry: Slack documents that files.completeUploadExternal "can only be called once", and a
 * lost answer (timeout, 5xx after the work, a crash) leaves us not knowing whether it was. So the Slack file id is
 * remembered per row (no second upload), a completion is remembered once it succeeded, and before completing an
 * upload an earlier attempt already started, files.info tells whether that attempt did share it in this
 * conversation (then we are done) or Slack no longer knows the file (then we upload again).
 * A chart goes into the thread of its message (`thread`: the channel and ts the text landed in), with its alt text
 * for screen readers.
 */
export async function shareFile(
  deps: SlackFileDeps,
  row: { id: number; target: string; file: FileToSend; uploads?: UploadMemo },
  opts: { toPerson: boolean; comment: string; thread?: { channel: string; ts: string }; altText?: string },
): Promise<SendResult> {
  const { file } = row;
  const where = opts.thread ? ({ ok: true, channel: opts.thread.channel } as const) : await conversationOf(deps, row.target, opts.toPerson);
  if (!where.ok) return where;
  const scope = `row:${row.id}`;
  const sharedScope = `${scope}:shared`;
  if (await row.uploads?.get(sharedScope)) return { ok: true, channelId: where.channel };
  let fileId = (await row.uploads?.get(scope)) ?? null;
  if (fileId) {
    const state = await shareState(deps, fileId, where.channel);
    if (!state.ok) return state;
    if (state.shared) {
      log.info('slack.upload_already_shared', { outboxId: row.id, fileId });
      await row.uploads?.put(sharedScope, where.channel);
      return { ok: true, channelId: where.channel };
    }
    if (state.gone) fileId = null;
  }
  if (!fileId) {
    const alt = opts.altText ? { alt_txt: opts.altText.slice(0, 1000) } : {};
    const r = await deps.call(() => deps.client.files.getUploadURLExternal({ filename: file.name, length: file.bytes.length, ...alt }));
    if (!r.ok) return r;
    const res = r.res as { upload_url?: string; file_id?: string };
    if (!res.upload_url || !res.file_id) return { ok: false, retry: true, error: 'getUploadURLExternal: no upload_url' };
    if (!isSlackFileUrl(res.upload_url, deps.apiUrl)) {
      log.error('slack.upload_url_refused', { outboxId: row.id, host: safeHost(res.upload_url) });
      return { ok: false, retry: false, error: 'upload URL is not a Slack file host' };
    }
    const uploaded = await postBytes(res.upload_url, file);
    if (!uploaded.ok) return uploaded;
    fileId = res.file_id;
    await row.uploads?.put(scope, fileId);
  }
  const id = fileId;
  const done = await deps.call(() =>
    deps.client.files.completeUploadExternal({
      files: [{ id, title: file.title }],
      channel_id: where.channel,
      ...(opts.thread ? { thread_ts: opts.thread.ts } : {}),
      ...(opts.comment ? { initial_comment: opts.comment } : {}),
    }),
  );
  if (!done.ok) return done;
  await row.uploads?.put(sharedScope, where.channel);
  return { ok: true, channelId: where.channel };
}

/**
 * Whether an upload an earlier attempt started is already shared in `channel` (files.info: the conversation ids in
 * channels / groups / ims, or in shares), unknown to Slack (never completed, so discarded: upload again), or there
 * but not shared (complete it).
 */
async function shareState(deps: SlackFileDeps, fileId: string, channel: string): Promise<{ ok: true; shared: boolean; gone: boolean } | Failure> {
  const r = await deps.call(() => deps.client.files.info({ file: fileId }));
  if (!r.ok) {
    if (r.error === 'file_not_found' || r.error === 'file_deleted') return { ok: true, shared: false, gone: true };
    return r;
  }
  const f = (r.res as { file?: { channels?: string[]; groups?: string[]; ims?: string[]; shares?: Record<string, Record<string, unknown>> } }).file ?? {};
  const ids = new Set([...(f.channels ?? []), ...(f.groups ?? []), ...(f.ims ?? []), ...Object.values(f.shares ?? {}).flatMap((s) => Object.keys(s ?? {}))]);
  return { ok: true, shared: ids.has(channel), gone: false };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid)';
  }
}

async function postBytes(url: string, file: FileToSend): Promise<{ ok: true } | Failure> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.mime }), file.name);
  try {
    const res = await fetch(url, { method: 'POST', body: form, redirect: 'error', signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return { ok: true };
    const retry = res.status >= 500 || res.status === 429 || res.status === 408;
    return { ok: false, retry, error: `upload http_${res.status}` } as Failure;
  } catch (error) {
    return { ok: false, retry: true, error: `upload network: ${(error as Error).message}` };
  }
}

/** A refusal of an incoming file download, for the person's answer. */
export class DownloadRefused extends Error {
  constructor(readonly reason: 'host' | 'too_large' | 'failed') {
    super(`slack file download refused: ${reason}`);
  }
}

/**
 * Downloads a file a person gave the bot (modal file_input) with the bot token, at most `maxBytes`. Refuses any URL
 * that is not Slack's file host (or SLACK_API_URL's origin) before sending anything, and never follows a redirect.
 */
export async function downloadSlackFile(url: string, token: string, apiUrl: string | undefined, maxBytes: number): Promise<Buffer> {
  if (!isSlackFileUrl(url, apiUrl)) throw new DownloadRefused('host');
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    log.warn('slack.download_failed', { host: safeHost(url), error: (error as Error).message });
    throw new DownloadRefused('failed');
  }
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    log.warn('slack.download_failed', { host: safeHost(url), status: res.status });
    throw new DownloadRefused('failed');
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body.cancel().catch(() => undefined);
    throw new DownloadRefused('too_large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new DownloadRefused('too_large');
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
