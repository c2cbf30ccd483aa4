// The file part of the Slack Web API fake (fakeSlack.ts): the upload flow that replaced files.upload, and the
// download of a file a person shared (url_private_download), each refusing what Slack refuses:
//   files.getUploadURLExternal(filename, length) → { upload_url, file_id }   (invalid_arguments, file_too_large)
//   POST <upload_url> with the bytes (multipart or raw)                      (400 when the size is not `length`)
//   files.completeUploadExternal(files, channel_id?, initial_comment?)       (file_not_found for an id never uploaded)
//   files.info(file)                                                           (file_not_found; channels/ims/shares)
//   GET <url_private_download> with the bot token                              (404 / 403 without the token)
// Slack documents that completeUploadExternal "can only be called once": completing a file again is refused
// (the error code of that refusal is not documented; the fake answers file_not_found) and shares nothing.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Slack's upload limit. */
export const SLACK_MAX_FILE_BYTES = 1024 * 1024 * 1024;

export interface FakeSlackFile {
  id: string;
  filename: string;
  length: number;
  bytes?: Buffer;
  title?: string;
  /** Where it was shared (completeUploadExternal channel_id), with its comment, in the thread of `threadTs`. */
  channel?: string;
  comment?: string;
  threadTs?: string;
  /** Alt text given to getUploadURLExternal (images). */
  altText?: string;
  completed: boolean;
  /** How many times completeUploadExternal shared it (must stay ≤ 1). */
  shares: number;
  /** Completions refused because the file was already completed. */
  completeAgain?: number;
}

export interface FakeSlackFiles {
  /** Files completed and shared in a channel/DM, in order. */
  shared(channel?: string): FakeSlackFile[];
  all(): FakeSlackFile[];
  /**
   * A file a person shared with the bot (e.g. through a modal's file_input): returns what Slack puts in the
   * payload — id, name, size and url_private_download on this fake.
   */
  addUserFile(name: string, bytes: Buffer, opts?: { mimetype?: string; filetype?: string }): { id: string; name: string; size: number; mimetype: string; filetype: string; url_private_download: string; url_private: string };
  /** Authorization headers the downloads carried (to check the token only went where it should). */
  downloads: { id: string; auth?: string }[];
}

export function createFakeSlackFiles(baseUrl: () => string, botToken: () => string | undefined) {
  const files = new Map<string, FakeSlackFile>();
  const userFiles = new Map<string, { name: string; bytes: Buffer; mimetype: string }>();
  const downloads: { id: string; auth?: string }[] = [];
  let seq = 0;

  /** Web API methods; undefined when the method is not a file method. */
  function answer(method: string, args: Record<string, any>): Record<string, unknown> | undefined {
    if (method === 'files.getUploadURLExternal') {
      const filename = typeof args.filename === 'string' ? args.filename : '';
      const length = Number(args.length);
      if (!filename || !Number.isInteger(length) || length < 1) return { ok: false, error: 'invalid_arguments' };
      if (length > SLACK_MAX_FILE_BYTES) return { ok: false, error: 'file_too_large' };
      if (args.alt_txt !== undefined && (typeof args.alt_txt !== 'string' || args.alt_txt.length > 1000)) return { ok: false, error: 'invalid_arguments' };
      const id = `F${String(++seq).padStart(8, '0')}`;
      files.set(id, { id, filename, length, completed: false, shares: 0, ...(args.alt_txt ? { altText: args.alt_txt } : {}) });
      return { ok: true, upload_url: `${baseUrl().replace(/api\/$/, "")}upload/v1/${id}`, file_id: id };
    }
    if (method === 'files.completeUploadExternal') {
      const list = typeof args.files === 'string' ? safeJson(args.files) : args.files;
      if (!Array.isArray(list) || list.length === 0) return { ok: false, error: 'invalid_arguments' };
      const found: FakeSlackFile[] = [];
      for (const f of list) {
        const file = files.get(String(f?.id));
        if (!file || !file.bytes) return { ok: false, error: 'file_not_found' };
        found.push(file);
      }
      if (found.some((f) => f.completed)) {
        for (const f of found) f.completeAgain = (f.completeAgain ?? 0) + 1;
        return { ok: false, error: 'file_not_found' };
      }
      for (const [i, file] of found.entries()) {
        file.completed = true;
        file.title = typeof list[i].title === 'string' ? list[i].title : file.filename;
        if (args.channel_id) {
          file.channel = String(args.channel_id);
          file.comment = typeof args.initial_comment === 'string' ? args.initial_comment : undefined;
          file.threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
          file.shares++;
        }
      }
      return { ok: true, files: found.map((f) => ({ id: f.id, title: f.title, name: f.filename })) };
    }
    if (method === 'files.info') {
      const file = files.get(String(args.file ?? ''));
      if (!file) return { ok: false, error: 'file_not_found' };
      const where = file.channel ? [file.channel] : [];
      const isIm = (c: string) => c.startsWith('D');
      return {
        ok: true,
        file: {
          id: file.id,
          name: file.filename,
          title: file.title ?? file.filename,
          size: file.length,
          channels: where.filter((c) => c.startsWith('C')),
          groups: where.filter((c) => c.startsWith('G')),
          ims: where.filter(isIm),
          shares: file.channel ? { [isIm(file.channel) || file.channel.startsWith('G') ? 'private' : 'public']: { [file.channel]: [{ ts: '1.000001' }] } } : {},
        },
      };
    }
    return undefined;
  }

  /** Non-API routes (upload URL, downloads); false when the path is not ours. */
  async function route(req: IncomingMessage, res: ServerResponse, path: string, raw: Buffer): Promise<boolean> {
    const up = /^\/upload\/v1\/(F\d+)$/.exec(path);
    if (up && req.method === 'POST') {
      const file = files.get(up[1]!);
      if (!file) return send(res, 404, 'unknown upload'), true;
      let bytes = raw;
      const type = String(req.headers['content-type'] ?? '');
      if (type.startsWith('multipart/form-data')) {
        const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData().catch(() => null);
        const part = form ? [...form.values()].find((v) => typeof v !== 'string') : undefined;
        if (!part || typeof part === 'string') return send(res, 400, 'no file part'), true;
        bytes = Buffer.from(await (part as Blob).arrayBuffer());
      }
      if (bytes.length !== file.length) return send(res, 400, `length ${bytes.length} does not match ${file.length}`), true;
      file.bytes = bytes;
      send(res, 200, `OK - ${bytes.length}`);
      return true;
    }
    const down = /^\/files-pri\/(F\w+)\/([^/]+)$/.exec(path);
    if (down && req.method === 'GET') {
      downloads.push({ id: down[1]!, auth: req.headers.authorization });
      const token = botToken();
      if (!token || req.headers.authorization !== `Bearer ${token}`) {
        // Slack answers an unauthenticated download with its login page, not the file.
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>login</html>');
        return true;
      }
      const file = userFiles.get(down[1]!);
      if (!file) return send(res, 404, 'not found'), true;
      res.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.bytes.length });
      res.end(file.bytes);
      return true;
    }
    return false;
  }

  const api: FakeSlackFiles = {
    shared: (channel) => [...files.values()].filter((f) => f.shares > 0 && (channel === undefined || f.channel === channel)),
    all: () => [...files.values()],
    addUserFile(name, bytes, opts = {}) {
      const id = `FU${String(++seq).padStart(7, '0')}`;
      const filetype = opts.filetype ?? (name.split('.').pop() ?? '').toLowerCase();
      const mimetype = opts.mimetype ?? 'application/octet-stream';
      userFiles.set(id, { name, bytes, mimetype });
      const url = `${baseUrl().replace(/api\/$/, '')}files-pri/${id}/${encodeURIComponent(name)}`;
      return { id, name, size: bytes.length, mimetype, filetype, url_private_download: url, url_private: url };
    },
    downloads,
  };
  return { answer, route, api, reset: () => (files.clear(), userFiles.clear(), (downloads.length = 0)) };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(text);
}
