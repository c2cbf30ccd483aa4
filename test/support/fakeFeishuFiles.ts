// The file part of the Feishu Open API fake (fakeFeishu.ts), refusing what Feishu refuses:
//   POST im/v1/files (multipart: file_type, file_name, file) → { file_key }   (empty file 234010, > 30 MB 234006,
//                                                                            unknown file_type 234001)
//   a `file` message (msg_type file, content {"file_key"}) must name a key this app uploaded (230001 otherwise)
//   GET im/v1/messages/{message_id}/resources/{file_key}?type=file → the bytes of a file a person sent
//                                                                            (234003 for a key not in that message)
//   POST im/v1/images (multipart: image_type, image) → { image_key }          (image_type not message/avatar 234001,
//                                                                            empty 234010, > 10 MB 234006, bytes that
//                                                                            are no image 234011)
//   a card's `img` element must name an image_key this app uploaded (230099 otherwise)
import type { IncomingMessage } from 'node:http';

export const FEISHU_MAX_FILE_BYTES = 30 * 1024 * 1024;
export const FEISHU_MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** Formats im/v1/images accepts, by their first bytes. */
const IMAGE_MAGIC: Buffer[] = [
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), // PNG
  Buffer.from([0xff, 0xd8, 0xff]), // JPEG
  Buffer.from('GIF8'),
  Buffer.from('BM'),
];

export interface FakeFeishuImage {
  image_key: string;
  image_type: string;
  bytes: Buffer;
}
const FILE_TYPES = new Set(['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream']);

export interface FakeFeishuFile {
  file_key: string;
  file_type: string;
  file_name: string;
  bytes: Buffer;
}

export function createFakeFeishuFiles() {
  const uploaded = new Map<string, FakeFeishuFile>();
  const images = new Map<string, FakeFeishuImage>();
  /** Files people sent in messages: message_id → file_key → bytes. */
  const received = new Map<string, Map<string, { name: string; bytes: Buffer }>>();
  const resourceReads: { messageId: string; fileKey: string; type: string }[] = [];
  let seq = 0;

  type Answer = { status: number; body: Record<string, unknown> } | { status: number; bytes: Buffer; name: string };

  async function upload(req: IncomingMessage, raw: Buffer): Promise<Answer> {
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('multipart/form-data')) return { status: 400, body: { code: 234001, msg: 'Invalid request param.' } };
    // The SDK sends the file part without a filename, so it is read as bytes here (undici would make it a string).
    const parts = multipart(raw, type);
    const file = parts.get('file');
    const fileType = parts.get('file_type')?.toString('utf8') ?? '';
    const fileName = parts.get('file_name')?.toString('utf8') ?? '';
    if (!file || !FILE_TYPES.has(fileType) || !fileName) {
      return { status: 400, body: { code: 234001, msg: 'Invalid request param.' } };
    }
    const bytes = file;
    if (bytes.length === 0) return { status: 400, body: { code: 234010, msg: 'File size can not be 0.' } };
    if (bytes.length > FEISHU_MAX_FILE_BYTES) return { status: 400, body: { code: 234006, msg: 'The file size exceed the max value.' } };
    const file_key = `file_v3_${String(++seq).padStart(6, '0')}`;
    uploaded.set(file_key, { file_key, file_type: fileType, file_name: fileName, bytes });
    return { status: 200, body: { code: 0, msg: 'success', data: { file_key } } };
  }

  async function uploadImage(req: IncomingMessage, raw: Buffer): Promise<Answer> {
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('multipart/form-data')) return { status: 400, body: { code: 234001, msg: 'Invalid request param.' } };
    const parts = multipart(raw, type);
    const image = parts.get('image');
    const imageType = parts.get('image_type')?.toString('utf8') ?? '';
    if (!image || !['message', 'avatar'].includes(imageType)) return { status: 400, body: { code: 234001, msg: 'Invalid request param.' } };
    if (image.length === 0) return { status: 400, body: { code: 234010, msg: 'File size can not be 0.' } };
    if (image.length > FEISHU_MAX_IMAGE_BYTES) return { status: 400, body: { code: 234006, msg: 'The file size exceed the max value.' } };
    if (!IMAGE_MAGIC.some((m) => image.subarray(0, m.length).equals(m))) {
      return { status: 400, body: { code: 234011, msg: "Can't regonnize the image format." } };
    }
    const image_key = `img_v3_${String(++seq).padStart(6, '0')}`;
    images.set(image_key, { image_key, image_type: imageType, bytes: image });
    return { status: 200, body: { code: 0, msg: 'success', data: { image_key } } };
  }

  function resource(messageId: string, fileKey: string, type: string): Answer {
    resourceReads.push({ messageId, fileKey, type });
    const f = received.get(messageId)?.get(fileKey);
    if (!f || type !== 'file') return { status: 400, body: { code: 234003, msg: 'File not in msg.' } };
    return { status: 200, bytes: f.bytes, name: f.name };
  }

  return {
    upload,
    uploadImage,
    resource,
    isUploaded: (key: string) => uploaded.has(key),
    isImage: (key: string) => images.has(key),
    api: {
      uploaded: () => [...uploaded.values()],
      images: () => [...images.values()],
      get: (key: string) => uploaded.get(key),
      /** Registers a file a person sent in message `messageId`; returns the content Feishu puts in the event. */
      addUserFile(messageId: string, name: string, bytes: Buffer): { file_key: string; file_name: string } {
        const file_key = `file_v3_user${String(++seq).padStart(6, '0')}`;
        if (!received.has(messageId)) received.set(messageId, new Map());
        received.get(messageId)!.set(file_key, { name, bytes });
        return { file_key, file_name: name };
      },
      resourceReads,
    },
  };
}

export type FakeFeishuFilesApi = ReturnType<typeof createFakeFeishuFiles>['api'];

/** The parts of a multipart/form-data body by name, as bytes. */
function multipart(raw: Buffer, contentType: string): Map<string, Buffer> {
  const parts = new Map<string, Buffer>();
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return parts;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) break;
    const part = raw.subarray(start + 2, next - 2); // after CRLF, before CRLF
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const head = part.subarray(0, split).toString('utf8');
      const name = /name="([^"]*)"/.exec(head)?.[1];
      if (name !== undefined) parts.set(name, Buffer.from(part.subarray(split + 4)));
    }
    at = next;
  }
  return parts;
}
