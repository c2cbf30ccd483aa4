// Delivers outbox rows of one platform. Rows are claimed with compare-and-set (several replicas may run),
// sent through the platform's sender, and retried with exponential back-off (or the platform's Retry-After)
// until accepted; a claim is a lease, so a row whose sender crashed mid-way is picked up again later. A claim names
// the instance and run holding it (`claimedBy`): at start, an instance takes back the claims its previous run left
// behind at once instead of waiting for their lease. A row claimed again while still `sending` may have reached the
// platform before the crash: the sender is told (`uncertain`) and looks before posting it again (Feishu's uuid, Slack's
// message metadata; see the senders).
import type { Db } from '../db/client.js';
import { crashPoint } from '../faults.js';
import type { Message } from '../messages/model.js';
import { log } from '../log.js';
import type { Clock } from '../usecases/types.js';
import { loadFile, uploadMemo } from './files.js';
import type { FileToSend, OutboxKind, OutboxPayload, PlatformSender } from './types.js';

export interface DeliveryWorkerOptions {
  db: Db;
  sender: PlatformSender;
  clock?: Clock;
  /** How often to look for due rows when not kicked. */
  pollMs?: number;
  /** How long a claimed row is reserved before another worker may retry it. */
  leaseMs?: number;
  /** After this many failed attempts a row is marked dead (and logged). */
  maxAttempts?: number;
  /** Back-off base and cap. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Who claims: this instance (stable across restarts) and this run of it. */
  owner?: { instance: string; run: string };
}

export interface DeliveryWorker {
  /** Takes back the claims this instance's previous run left behind, then starts polling. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Wake up now (call after a use-case wrote rows). */
  kick(): void;
  /** Deliver every row that is due now; resolves with how many were sent. For tests and `npm run job`. */
  drain(): Promise<number>;
}

export function backoffMs(attempt: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
}

export function createDeliveryWorker(opts: DeliveryWorkerOptions): DeliveryWorker {
  const { db, sender } = opts;
  const clock = opts.clock ?? { now: () => new Date() };
  const pollMs = opts.pollMs ?? 500;
  const leaseMs = opts.leaseMs ?? 60_000;
  const maxAttempts = opts.maxAttempts ?? 40;
  const baseDelay = opts.baseDelayMs ?? 1000;
  const maxDelay = opts.maxDelayMs ?? 5 * 60_000;
  const platform = sender.platform;
  const claimedBy = opts.owner?.run ?? null;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopped = true;
  let current: Promise<number> | undefined;

  async function claim(): Promise<{ id: number; workspaceId: string; kind: string; target: string; cardKey: string | null; payload: string; attempts: number; createdAt: Date; uncertain: boolean } | null> {
    return db.write(async (tx) => {
      const now = clock.now();
      const row = await tx.outboxMessage.findFirst({
        where: { platform, status: { in: ['pending', 'sending'] }, nextAttemptAt: { lte: now } },
        orderBy: { id: 'asc' },
      });
      if (!row) return null;
      const won = await tx.outboxMessage.updateMany({
        where: { id: row.id, status: row.status, attempts: row.attempts },
        data: { status: 'sending', attempts: row.attempts + 1, nextAttemptAt: new Date(now.getTime() + leaseMs), claimedBy },
      });
      // Still `sending`: the run that claimed it last died (lease expired, or released at start) with the outcome unknown.
      return won.count === 1 ? { ...row, attempts: row.attempts + 1, uncertain: row.status === 'sending' } : null;
    });
  }

  async function finish(id: number, data: { status: string; lastError?: string | null; nextAttemptAt?: Date; attempts?: number }) {
    await db.write((tx) => tx.outboxMessage.update({ where: { id }, data: { ...data, sentAt: data.status === 'sent' ? clock.now() : undefined } }));
  }

  async function deliverOne(): Promise<'sent' | 'retry' | 'none' | 'dead'> {
    const row = await claim();
    if (!row) return 'none';
    crashPoint('outbox.claimed', `${platform}/${row.kind}`);
    const payload = JSON.parse(row.payload) as OutboxPayload;
    const message = payload.message as Message;
    const form = payload.form;
    const kind = row.kind as OutboxKind;
    let file: FileToSend | undefined;
    if (payload.file) {
      file = (await loadFile(db, payload.file)) ?? undefined;
      if (!file) {
        log.error('delivery.dead', { platform, outboxId: row.id, kind, error: 'stored file missing', fileId: payload.file.fileId });
        await finish(row.id, { status: 'dead', lastError: `stored file ${payload.file.fileId} missing` });
        return 'dead';
      }
    }
    let messageIds: { channelId: string; messageId: string }[] | undefined;

    if (kind === 'update' && row.cardKey) {
      const state = await db.read(async (tx) => {
        const newer = await tx.outboxMessage.count({
          where: { platform, workspaceId: row.workspaceId, cardKey: row.cardKey, kind: 'update', id: { gt: row.id } },
        });
        const olderUnsent = await tx.outboxMessage.count({
          where: { platform, workspaceId: row.workspaceId, cardKey: row.cardKey, id: { lt: row.id }, status: { in: ['pending', 'sending'] } },
        });
        const refs = await tx.cardRef.findMany({ where: { cardKey: row.cardKey!, platform, workspaceId: row.workspaceId } });
        return { newer, olderUnsent, refs };
      });
      if (state.newer > 0) {
        await finish(row.id, { status: 'sent', lastError: 'superseded by a newer update' });
        return 'sent';
      }
      if (state.olderUnsent > 0) {
        // The card has not been posted yet (or an earlier update is in flight): keep the order.
        await finish(row.id, { status: 'pending', attempts: row.attempts - 1, nextAttemptAt: new Date(clock.now().getTime() + 200) });
        return 'retry';
      }
      if (state.refs.length === 0) {
        await finish(row.id, { status: 'sent', lastError: 'no posted copy to update' });
        return 'sent';
      }
      messageIds = state.refs.map((r) => ({ channelId: r.channelId, messageId: r.messageId }));
    }

    let result;
    try {
      result = await sender.send({
        id: row.id,
        workspaceId: row.workspaceId,
        kind,
        target: row.target,
        cardKey: row.cardKey,
        message,
        ...(form ? { form } : {}),
        ...(file ? { file, uploads: uploadMemo(db, file.fileId, platform, row.workspaceId) } : {}),
        ...(payload.formSession ? { formSession: payload.formSession } : {}),
        messageIds,
        createdAt: row.createdAt,
        ...(row.uncertain ? { uncertain: true } : {}),
      });
    } catch (error) {
      result = { ok: false as const, retry: true as const, error: String((error as Error)?.message ?? error) };
    }
    if (result.ok) {
      crashPoint('platform.answered', `${platform}/${kind}`);
      await db.write(async (tx) => {
        await tx.outboxMessage.update({ where: { id: row.id }, data: { status: 'sent', sentAt: clock.now(), lastError: null } });
        if (row.cardKey && (kind === 'post' || kind === 'dm') && result.messageId) {
          const channelId = result.channelId ?? row.target;
          const key = { cardKey: row.cardKey, platform, workspaceId: row.workspaceId, channelId };
          await tx.cardRef.upsert({
            where: { cardKey_platform_workspaceId_channelId: key },
            create: { ...key, messageId: result.messageId },
            update: { messageId: result.messageId },
          });
        }
      });
      return 'sent';
    }
    if (!result.retry || row.attempts >= maxAttempts) {
      log.error('delivery.dead', { platform, outboxId: row.id, kind, attempts: row.attempts, error: result.error });
      await finish(row.id, { status: 'dead', lastError: result.error });
      return 'dead';
    }
    const delay = result.retryAfterMs ?? backoffMs(row.attempts, baseDelay, maxDelay);
    log.warn('delivery.retry', { platform, outboxId: row.id, kind, attempts: row.attempts, delayMs: delay, error: result.error });
    await finish(row.id, { status: 'pending', lastError: result.error, nextAttemptAt: new Date(clock.now().getTime() + delay) });
    return 'retry';
  }

  async function drainOnce(): Promise<number> {
    let sent = 0;
    for (let i = 0; i < 1000; i++) {
      const r = await deliverOne();
      if (r === 'none') break;
      if (r === 'sent') sent++;
    }
    return sent;
  }

  function drain(): Promise<number> {
    // One pass at a time per worker; callers share the pass in progress, then run another.
    const run = (current ?? Promise.resolve(0)).catch(() => 0).then(() => drainOnce());
    current = run;
    return run;
  }

  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
  }

  async function tick() {
    if (running || stopped) return;
    running = true;
    try {
      await drain();
    } catch (error) {
      log.error('delivery.loop_failed', { platform, error });
    } finally {
      running = false;
      schedule(pollMs);
    }
  }

  /** Claims of this instance's earlier runs (it crashed): due now, still `sending` so the sender double-checks. */
  async function releaseOwnClaims(): Promise<void> {
    if (!opts.owner) return;
    const released = await db.write((tx) =>
      tx.outboxMessage.updateMany({
        where: { platform, status: 'sending', claimedBy: { startsWith: `${opts.owner!.instance}/`, not: opts.owner!.run } },
        data: { nextAttemptAt: clock.now(), claimedBy: null },
      }),
    );
    if (released.count > 0) log.warn('delivery.claims_released', { platform, count: released.count });
  }

  return {
    async start() {
      stopped = false;
      try {
        await releaseOwnClaims();
      } catch (error) {
        log.error('delivery.release_failed', { platform, error });
      }
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current?.catch(() => undefined);
    },
    kick() {
      if (!stopped && !running) schedule(0);
    },
    drain,
  };
}
