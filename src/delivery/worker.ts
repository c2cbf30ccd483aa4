// Delivers outbox rows of one platform. Rows are claimed in batches (outboxStore.ts: compare-and-set on SQLite,
// FOR UPDATE SKIP LOCKED on PostgreSQL; several replicas may run), sent through the platform's sender, and retried
// with exponential back-off (or the platform's Retry-After) until accepted; a claim is a lease, so a row whose sender crashed mid-way is picked up again later. A claim names
// the instance and run holding it (`claimedBy`): at start, an instance takes back the claims its previous run left
// behind at once instead of waiting for their lease. A row claimed again while still `sending` may have reached the
// platform before the crash: the sender is told (`uncertain`) and looks before posting it again (Feishu's uuid, Slack's
// message metadata; see the senders).
//
// Throughput: rows are claimed in batches (one statement per provider) and sent as soon as claimed,
// `sender.concurrency` at a time: 1 for a platform that cannot tell a repeated send (Slack: only one message is ever
// between "sent" and "recorded as sent", so a crash repeats at most that one), more where a repeat is dropped by the
// platform (Feishu's uuid). Rows for the same conversation or card go one after another in id order (a card's post
// before its updates, a long answer's parts in order). Each row is marked sent as soon as its platform answered;
// marks that complete together are written together — by statements each safe alone, or, when a row queues its
// chart, in one transaction with that chart row. A kick (a use-case wrote rows) wakes the worker at once if it
// is idle and makes it claim again when it is busy — it never postpones work already due (the old 0 ms re-arm
// starved delivery while jobs kept finishing). A finished row makes it claim again only when a claim is owed: a
// kick came, the last claim was full, or the worker queued rows itself (a chart); otherwise the last claim saw every
// due row, and the poll finds what other processes wrote or what became due later. `backlog()` tells the work queue how far delivery is behind, so core
// work leaves delivery its share of the CPU (src/delivery/workQueue.ts). Claims and sent marks go ahead of the work
// waiting in the database queue (`writeStatement`, `writeFirst`): a Slack row is sent only once the one before it is recorded, so each
// mark is on the path of every answer behind it, and would otherwise wait for the whole backlog of work.
import type { Db, Tx } from '../db/client.js';
import { claimDue, type ClaimedRow } from './outboxStore.js';
import { sentMarks } from './sentMarks.js';
import { crashPoint } from '../faults.js';
import { log } from '../log.js';
import type { Clock } from '../usecases/types.js';
import type { ChartPart } from '../charts/model.js';
import { chartFile, enqueueChart, enqueueChartMissing, textOnly, type ChartOf } from './charts.js';
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
  /** Rows being sent at once (default: the sender's `concurrency`, else 1). */
  maxInFlight?: number;
}

export interface DeliveryWorker {
  /** Takes back the claims this instance's previous run left behind, then starts polling. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Wake up now (call after a use-case wrote rows). */
  kick(): void;
  /** Deliver every row that is due now; resolves with how many were sent. For tests and `npm run job`. */
  drain(): Promise<number>;
  /**
   * How far delivery is behind: rows claimed or being sent, plus a batch when the last claim found more due rows than
   * it could take. The work queue holds core work back while this is high.
   */
  backlog(): number;
}

export function backoffMs(attempt: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
}

type Outcome = 'sent' | 'retry' | 'dead';

export function createDeliveryWorker(opts: DeliveryWorkerOptions): DeliveryWorker {
  const { db, sender } = opts;
  const clock = opts.clock ?? { now: () => new Date() };
  const pollMs = opts.pollMs ?? 500;
  const leaseMs = opts.leaseMs ?? 60_000;
  const maxAttempts = opts.maxAttempts ?? 40;
  const baseDelay = opts.baseDelayMs ?? 1000;
  const maxDelay = opts.maxDelayMs ?? 5 * 60_000;
  const maxInFlight = opts.maxInFlight ?? sender.concurrency ?? 1;
  /** Rows claimed per statement; claimed rows wait in `ready` for a free slot. */
  const claimSize = Math.max(16, maxInFlight * 2);
  const ready: ClaimedRow[] = [];
  const platform = sender.platform;
  const claimedBy = opts.owner?.run ?? null;
  let stopped = true;
  let pumping: Promise<void> | undefined;
  let wanted = false;
  let wakeQueued = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let inFlight = 0;
  let behind = false;
  /** A claim may find rows the last one did not see (set by kicks, a full claim, rows this worker queued). */
  let owed = true;
  /** The last row of each conversation/card in flight: the next row of it starts after that one finished. */
  const chains = new Map<string, Promise<unknown>>();
  const sending = new Set<Promise<Outcome>>();
  /** Outcomes of rows a drain() waits for, by row id. */
  const started = new Map<number, Promise<Outcome>>();

  const markSentSoon = sentMarks(db, platform, clock);

  async function finish(id: number, data: { status: string; lastError?: string | null; nextAttemptAt?: Date; attempts?: number }) {
    await db.write((tx) => tx.outboxMessage.update({ where: { id }, data: { ...data, sentAt: data.status === 'sent' ? clock.now() : undefined } }));
  }

  /** Marks a row dead; a dead chart row leaves the note that its chart is missing. */
  async function dead(row: { id: number; workspaceId: string; target: string; attempts: number }, kind: OutboxKind, error: string, chart?: ChartPart): Promise<'dead'> {
    log.error('delivery.dead', { platform, outboxId: row.id, kind, attempts: row.attempts, error });
    await db.write(async (tx) => {
      await tx.outboxMessage.update({ where: { id: row.id }, data: { status: 'dead', lastError: error } });
      if (chart) await enqueueChartMissing(tx, { id: row.id, platform, workspaceId: row.workspaceId, kind, target: row.target }, chart);
    });
    if (chart) owed = true; // the note it queued
    return 'dead';
  }

  async function deliver(row: ClaimedRow): Promise<Outcome> {
    crashPoint('outbox.claimed', `${platform}/${row.kind}`);
    const payload = JSON.parse(row.payload) as OutboxPayload;
    const kind = row.kind as OutboxKind;
    // A message with a chart sends its text first; the chart follows in its own row (delivery/charts.ts).
    const chart = payload.message.chart;
    const chartRow = payload.chartOf !== undefined;
    const message = chart && !chartRow ? textOnly(payload.message) : payload.message;
    const form = payload.form;
    if (chartRow && chart && !payload.file) {
      try {
        payload.file = await chartFile(db, chart);
      } catch (error) {
        // Drawing is deterministic: a chart that failed to draw fails again. The note says it is missing.
        return dead(row, kind, `chart not drawn: ${String((error as Error)?.message ?? error)}`, chart);
      }
      const stored = JSON.stringify(payload);
      await db.write((tx) => tx.outboxMessage.update({ where: { id: row.id }, data: { payload: stored } }));
    }
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
        ...(payload.chartOf ? { chartOf: payload.chartOf } : {}),
        messageIds,
        createdAt: row.createdAt,
        ...(row.uncertain ? { uncertain: true } : {}),
      });
    } catch (error) {
      result = { ok: false as const, retry: true as const, error: String((error as Error)?.message ?? error) };
    }
    if (result.ok) {
      crashPoint('platform.answered', `${platform}/${kind}`);
      const card =
        row.cardKey && (kind === 'post' || kind === 'dm') && result.messageId
          ? { cardKey: row.cardKey, workspaceId: row.workspaceId, channelId: result.channelId ?? row.target, messageId: result.messageId }
          : undefined;
      // The chart row is written in the same transaction that marks its text sent (it needs the text's message).
      const then =
        chart && !chartRow && kind !== 'update'
          ? (tx: Tx) => {
              const of: ChartOf = { outboxId: row.id, ...(result.channelId ? { channelId: result.channelId } : {}), ...(result.messageId ? { messageId: result.messageId } : {}) };
              return enqueueChart(tx, { platform, workspaceId: row.workspaceId, kind, target: row.target }, chart, of);
            }
          : undefined;
      await markSentSoon({ id: row.id, ...(card ? { card } : {}) }, then);
      if (then) owed = true; // the chart row it queued
      return 'sent';
    }
    if (!result.retry || row.attempts >= maxAttempts) return dead(row, kind, result.error, chartRow ? chart : undefined);
    const delay = result.retryAfterMs ?? backoffMs(row.attempts, baseDelay, maxDelay);
    log.warn('delivery.retry', { platform, outboxId: row.id, kind, attempts: row.attempts, delayMs: delay, error: result.error });
    await finish(row.id, { status: 'pending', lastError: result.error, nextAttemptAt: new Date(clock.now().getTime() + delay) });
    return 'retry';
  }

  /** Starts sending a claimed row: after the row of the same conversation/card that is in flight, if any. */
  function dispatch(row: ClaimedRow): Promise<Outcome> {
    const key = `${row.workspaceId}\u0000${row.cardKey ?? row.target}`;
    const before = chains.get(key);
    inFlight++;
    const run = (async (): Promise<Outcome> => {
      if (before) await before.catch(() => undefined);
      try {
        return await deliver(row);
      } catch (error) {
        // The claim is a lease: the row is retried when it expires (or at this instance's next start).
        log.error('delivery.send_failed', { platform, outboxId: row.id, error });
        return 'retry';
      }
    })();
    chains.set(key, run);
    sending.add(run);
    started.set(row.id, run);
    void run.finally(() => {
      inFlight--;
      sending.delete(run);
      if (chains.get(key) === run) chains.delete(key);
      // Kept for a drain that claimed the row; dropped soon otherwise.
      setTimeout(() => started.get(row.id) === run && started.delete(row.id), 60_000).unref();
      startReady();
      if (owed) wake();
    });
    return run;
  }

  /** Starts claimed rows while there is a free slot, oldest first. */
  function startReady(): void {
    while (inFlight < maxInFlight && ready.length > 0) void dispatch(ready.shift()!);
  }

  /** Whether the next claim looks for rows whose lease expired too (see ClaimArgs.stale): after a poll, at start. */
  let lookForStale = true;
  async function claim(limit: number, stale = lookForStale): Promise<ClaimedRow[]> {
    const now = clock.now();
    lookForStale = false;
    try {
      return await claimDue(db, { platform, now, limit, leaseUntil: new Date(now.getTime() + leaseMs), claimedBy, stale });
    } catch (error) {
      lookForStale ||= stale;
      throw error;
    }
  }

  /** Claims while there is room and rows are due; each finished row wakes it again. */
  async function pumpLoop(): Promise<void> {
    while (!stopped) {
      wanted = false;
      // Claim in batches: again when half of the last batch has gone out.
      const room = claimSize - ready.length - inFlight;
      if (room < claimSize / 2) return;
      owed = false; // a kick while the claim runs owes the next one
      let rows: ClaimedRow[];
      try {
        rows = await claim(room);
      } catch (error) {
        owed = true;
        throw error;
      }
      behind = rows.length === room;
      if (behind) owed = true;
      ready.push(...rows);
      startReady();
      if (rows.length < room && !wanted) return;
    }
  }

  function pump(): void {
    if (pumping || stopped) return;
    pumping = pumpLoop()
      .catch((error) => log.error('delivery.loop_failed', { platform, error }))
      .finally(() => {
        pumping = undefined;
        if (wanted) wake();
        // The poll runs under load too: it is what looks for rows whose lease expired (ClaimArgs.stale).
        armPoll();
      });
  }

  function armPoll(): void {
    if (stopped || pollTimer) return;
    pollTimer = setTimeout(() => {
      pollTimer = undefined;
      lookForStale = true;
      pump();
    }, pollMs);
  }

  function wake(): void {
    if (stopped) return;
    wanted = true;
    if (pumping || wakeQueued) return;
    wakeQueued = true;
    setImmediate(() => {
      wakeQueued = false;
      pump();
    });
  }

  /** Every row due now, claimed and sent; later kicks and polls keep going in the background. */
  async function drain(): Promise<number> {
    let sent = 0;
    for (let i = 0; i < 10_000; i++) {
      const rows = await claim(claimSize, true);
      if (rows.length === 0) break;
      const ids = new Set(rows.map((r) => r.id));
      ready.push(...rows);
      startReady();
      // Wait until every row of this batch has started (they go `maxInFlight` at a time), then for their outcomes.
      while (ready.some((r) => ids.has(r.id))) await Promise.race([...sending]);
      const outcomes = await Promise.all(rows.map((r) => started.get(r.id)!));
      for (const r of rows) started.delete(r.id);
      sent += outcomes.filter((o) => o === 'sent').length;
    }
    // Rows the background loop claimed before this drain: wait for them too.
    while (sending.size > 0 || ready.length > 0) {
      startReady();
      await Promise.allSettled([...sending]);
    }
    return sent;
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
      lookForStale = true;
      try {
        await releaseOwnClaims();
      } catch (error) {
        log.error('delivery.release_failed', { platform, error });
      }
      wake();
    },
    async stop() {
      stopped = true;
      clearTimeout(pollTimer);
      pollTimer = undefined;
      await pumping?.catch(() => undefined);
      // Claimed rows not started stay claimed: this instance takes them back at its next start.
      ready.length = 0;
      while (sending.size > 0) await Promise.allSettled([...sending]);
    },
    kick() {
      owed = true;
      wake();
    },
    drain,
    backlog: () => inFlight + ready.length + (behind ? claimSize : 0),
  };
}
