// Files people send the bot on Feishu: im/v1/messages/{message_id}/resources/{file_key}?type=file through the SDK,
// read as a stream and cut off past `maxBytes` (a file is never held whole beyond the import limit).
import type * as lark from '@larksuiteoapi/node-sdk';
import { log } from '../../log.js';

export class FileTooLarge extends Error {}

export async function fetchMessageFile(client: lark.Client, messageId: string, fileKey: string, maxBytes: number): Promise<Buffer> {
  const res = await client.im.messageResource.get({ path: { message_id: messageId, file_key: fileKey }, params: { type: 'file' } });
  const stream = res.getReadableStream();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      (stream as { destroy?: () => void }).destroy?.();
      log.info('feishu.file_too_large', { messageId, size });
      throw new FileTooLarge(`more than ${maxBytes} bytes`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
