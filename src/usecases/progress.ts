// Progress notes: work a person waits for in chat (a 2,000-row import, a year's export) that is still running after
// a second tells them it is under way — "Importing plan.xlsx (199 KB) into the 2027 draft…" — then the result comes
// as usual. The adapter says how a note reaches the person (Ctx.progress: a private answer where the command was
// typed); without one, or when the work is quick, nothing extra is said.
import { log } from '../log.js';
import type { Message } from '../messages/model.js';
import type { Ctx } from './context.js';

export const PROGRESS_AFTER_MS = 1_000;

/** Runs `work`; if it is still running after `progressAfterMs`, sends `note` first (the result always comes after). */
export async function withProgress<T>(ctx: Ctx, note: () => Message, work: () => Promise<T>): Promise<T> {
  const progress = ctx.progress;
  if (!progress) return work();
  let sent: Promise<void> | undefined;
  const say = () => {
    sent = progress(note()).catch((error: unknown) => log.warn('progress.failed', { platform: ctx.actor.platform, error: (error as Error).message }));
  };
  const after = ctx.deps.progressAfterMs ?? PROGRESS_AFTER_MS;
  if (after <= 0) say();
  const timer = after > 0 ? setTimeout(say, after) : undefined;
  try {
    return await work();
  } finally {
    if (timer) clearTimeout(timer);
    // The note is out (or enqueued) before the result, so the person reads them in order.
    await sent;
  }
}
