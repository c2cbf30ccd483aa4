// Stored files (table StoredFile): what the bot sends as files — templates, exports, chart images — kept in the
// database so a delivery can be retried after a crash and the playground can serve them. PlatformUpload remembers
// what a platform answered for an upload (see UploadMemo), so a retry finishes the upload it started.
import { createHash } from 'node:crypto';
import type { Db, Tx } from '../db/client.js';
import type { FileToSend, OutboxFile, UploadMemo } from './types.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Stores a file; returns the reference an outbox row carries. Call inside the use-case's transaction. */
export async function storeFile(tx: Tx, file: { name: string; mime: string; bytes: Buffer; title?: string }): Promise<OutboxFile> {
  const row = await tx.storedFile.create({
    data: {
      name: file.name,
      mime: file.mime,
      size: file.bytes.length,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
      bytes: new Uint8Array(file.bytes),
    },
    select: { id: true },
  });
  return { fileId: row.id, name: file.name, title: file.title ?? file.name };
}

export async function loadFile(db: Db, ref: OutboxFile): Promise<FileToSend | null> {
  const row = await db.read((tx) => tx.storedFile.findUnique({ where: { id: ref.fileId } }));
  if (!row) return null;
  return { ...ref, name: row.name, mime: row.mime, bytes: Buffer.from(row.bytes) };
}

export function uploadMemo(db: Db, fileId: number, platform: string, workspaceId: string): UploadMemo {
  const key = (scope: string) => ({ fileId_platform_workspaceId_scope: { fileId, platform, workspaceId, scope } });
  return {
    async get(scope) {
      const row = await db.read((tx) => tx.platformUpload.findUnique({ where: key(scope), select: { ref: true } }));
      return row?.ref ?? null;
    },
    async put(scope, ref) {
      await db.write((tx) =>
        tx.platformUpload.upsert({ where: key(scope), create: { fileId, platform, workspaceId, scope, ref }, update: { ref } }),
      );
    },
  };
}
