// Feishu imports: a file sent to the bot in a DM just before or just after `/budget plan import` is taken as the
// import (Feishu forms have no file field). Either side waits 10 minutes for the other (table PendingImport).
import type { Ctx } from '../context.js';

export const PENDING_IMPORT_MS = 10 * 60_000;

function who(ctx: Ctx) {
  return { platform: ctx.actor.platform, workspaceId: ctx.actor.workspaceId, userId: ctx.actor.userId };
}

/** The command came first: wait for a file. */
export async function awaitFile(ctx: Ctx, year: number): Promise<void> {
  await ctx.deps.db.write(async (tx) => {
    await tx.pendingImport.deleteMany({ where: { ...who(ctx) } });
    await tx.pendingImport.create({ data: { ...who(ctx), kind: 'awaiting_file', year, expiresAt: new Date(ctx.now.getTime() + PENDING_IMPORT_MS) } });
  });
}

/** A file sent in the last 10 minutes, taken (at most once). */
export async function takeRecentFile(ctx: Ctx): Promise<{ messageId: string; fileKey: string; name: string } | null> {
  return ctx.deps.db.write(async (tx) => {
    const row = await tx.pendingImport.findFirst({ where: { ...who(ctx), kind: 'file', expiresAt: { gt: ctx.now } }, orderBy: { id: 'desc' } });
    if (!row) return null;
    const won = await tx.pendingImport.deleteMany({ where: { id: row.id } });
    if (won.count !== 1 || !row.messageId || !row.fileKey) return null;
    return { messageId: row.messageId, fileKey: row.fileKey, name: row.fileName ?? 'plan.xlsx' };
  });
}

/** A file arrived: the year an import is waiting for (taken, at most once), or null after remembering the file. */
export async function fileArrived(ctx: Ctx, file: { messageId: string; fileKey: string; name: string }): Promise<{ year: number } | null> {
  return ctx.deps.db.write(async (tx) => {
    const waiting = await tx.pendingImport.findFirst({ where: { ...who(ctx), kind: 'awaiting_file', expiresAt: { gt: ctx.now } }, orderBy: { id: 'desc' } });
    if (waiting) {
      const won = await tx.pendingImport.deleteMany({ where: { id: waiting.id } });
      if (won.count === 1 && waiting.year) return { year: waiting.year };
    }
    await tx.pendingImport.deleteMany({ where: { ...who(ctx), kind: 'file' } });
    await tx.pendingImport.create({
      data: { ...who(ctx), kind: 'file', messageId: file.messageId, fileKey: file.fileKey, fileName: file.name, expiresAt: new Date(ctx.now.getTime() + PENDING_IMPORT_MS) },
    });
    return null;
  });
}
