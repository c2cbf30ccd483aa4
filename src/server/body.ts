// Request bodies with a size limit. A body over the limit is answered 413, and the client has to be able to read
// that answer: the rest of the body is read and dropped (stopping to read, or cutting the connection, makes a client
// still sending see a connection reset instead). Past `drainLimit` the connection is cut after all.
import type { IncomingMessage } from 'node:http';

/** How much of an oversized body is read and dropped before the connection is cut. */
export const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

export type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: true };

export function readBody(req: IncomingMessage, limit: number, drainLimit = DRAIN_LIMIT_BYTES): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > drainLimit) {
      // Not worth reading at all: answer now; the connection closes after the answer.
      req.resume();
      resolve({ ok: false, tooLarge: true });
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > drainLimit) {
        req.destroy();
        return;
      }
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? { ok: false, tooLarge: true } : { ok: true, body: Buffer.concat(chunks) }));
    req.on('close', () => resolve({ ok: false, tooLarge: true })); // cut (past drainLimit) or aborted: no-op if ended
    req.on('error', reject);
  });
}
