import { describe, expect, it } from 'vitest';
import type { PlatformSender } from '../../src/delivery/types.js';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import { card, enqueue, scriptedSender } from '../support/outbox.js';
import { openTempDb } from '../support/tempDb.js';
import { openDatabase } from '../../src/db/client.js';

describe('outbox delivery', () => {
  it('retries 429 (honouring Retry-After) and 500, then delivers exactly once and remembers the card', async () => {
    const db = await openTempDb();
    let now = new Date(Date.now() + 1000);
    const clock = { now: () => now };
    await enqueue(db, 'post', 'C1', 'hello', 'ADJ-1');
    const sender = scriptedSender([
      { ok: false, retry: true, error: 'ratelimited', retryAfterMs: 30_000 },
      { ok: false, retry: true, error: 'http 500' },
    ]);
    const worker = createDeliveryWorker({ db, sender, clock, baseDelayMs: 1000 });
    expect(await worker.drain()).toBe(0);
    now = new Date(now.getTime() + 29_000);
    expect(await worker.drain()).toBe(0); // Retry-After not over yet
    expect(sender.calls).toHaveLength(1);
    now = new Date(now.getTime() + 2_000);
    expect(await worker.drain()).toBe(0); // 500
    now = new Date(now.getTime() + 2_000);
    expect(await worker.drain()).toBe(1);
    expect(await worker.drain()).toBe(0);
    expect(sender.calls).toHaveLength(3);
    const rows = await db.read((tx) => tx.outboxMessage.findMany());
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([['sent', 3]]);
    const refs = await db.read((tx) => tx.cardRef.findMany());
    expect(refs).toMatchObject([{ cardKey: 'ADJ-1', channelId: 'C1', messageId: 'm3' }]);
  });

  it('updates every posted copy in order, skipping updates superseded by a newer one', async () => {
    const db = await openTempDb();
    await enqueue(db, 'post', 'C1', 'v1', 'ADJ-2');
    await enqueue(db, 'update', 'ADJ-2', 'v2', 'ADJ-2');
    await enqueue(db, 'update', 'ADJ-2', 'v3', 'ADJ-2');
    const sender = scriptedSender([]);
    const worker = createDeliveryWorker({ db, sender });
    await worker.drain();
    expect(sender.calls.map((c) => [c.kind, c.text])).toEqual([
      ['post', 'v1'],
      ['update', 'v3'],
    ]);
    expect(sender.calls[1]!.messageIds).toEqual([{ channelId: 'C1', messageId: 'm1' }]);
  });

  it('keeps pending messages across a restart and marks permanent refusals dead', async () => {
    const db = await openTempDb();
    await enqueue(db, 'dm', 'U1', 'hi');
    await enqueue(db, 'post', 'CGONE', 'lost channel');
    const down = scriptedSender([{ ok: false, retry: true, error: 'network' }, { ok: false, retry: false, error: 'channel_not_found' }]);
    await createDeliveryWorker({ db, sender: down, baseDelayMs: 10_000 }).drain();
    const url = db.url;
    await db.close();

    const reopened = await openDatabase(url);
    const up = scriptedSender([]);
    const later = { now: () => new Date(Date.now() + 20_000) }; // past the back-off
    expect(await createDeliveryWorker({ db: reopened, sender: up, clock: later }).drain()).toBe(1);
    expect(up.calls.map((c) => c.target)).toEqual(['U1']);
    const rows = await reopened.read((tx) => tx.outboxMessage.findMany({ orderBy: { id: 'asc' } }));
    expect(rows.map((r) => r.status)).toEqual(['sent', 'dead']);
  });

  it('lets two workers share one database without sending a row twice', async () => {
    const db = await openTempDb();
    for (let i = 0; i < 30; i++) await enqueue(db, 'post', `C${i}`, `m${i}`);
    const other = await openDatabase(db.url);
    const a = scriptedSender([]);
    const b = scriptedSender([]);
    await Promise.all([createDeliveryWorker({ db, sender: a }).drain(), createDeliveryWorker({ db: other, sender: b }).drain()]);
    const targets = [...a.calls, ...b.calls].map((c) => c.target).sort();
    expect(targets).toHaveLength(30);
    expect(new Set(targets).size).toBe(30);
  });
});

describe('claims left behind by a crash', () => {
  it("at start an instance takes back its previous run's claims at once (the sender is told the outcome is unknown); other instances' wait for their lease", async () => {
    const db = await openTempDb();
    const clock = { now: () => new Date(Date.now() + 1000) };
    const lease = new Date(Date.now() + 60_000);
    for (const [text, claimedBy] of [
      ['mine', 'bot-1/oldrun'],
      ['other replica', 'bot-2/live'],
    ] as const) {
      await db.write((tx) =>
        tx.outboxMessage.create({
          data: { platform: 'slack', workspaceId: 'T1', kind: 'post', target: 'C1', payload: JSON.stringify({ message: card(text) }), status: 'sending', attempts: 1, nextAttemptAt: lease, claimedBy },
        }),
      );
    }
    const seen: { text?: string; uncertain?: boolean }[] = [];
    const sender: PlatformSender = {
      platform: 'slack',
      async send(row) {
        seen.push({ text: row.message.text, uncertain: row.uncertain });
        return { ok: true, messageId: 'm1', channelId: 'C1' };
      },
    };
    const worker = createDeliveryWorker({ db, sender, clock, owner: { instance: 'bot-1', run: 'bot-1/newrun' }, pollMs: 60_000 });
    await worker.start();
    await worker.drain();
    await worker.stop();
    expect(seen).toEqual([{ text: 'mine', uncertain: true }]);
    const rows = await db.read((tx) => tx.outboxMessage.findMany({ orderBy: { id: 'asc' } }));
    expect(rows.map((r) => [r.status, r.claimedBy])).toEqual([
      ['sent', 'bot-1/newrun'],
      ['sending', 'bot-2/live'],
    ]);
  });

  it("a replica's lease that runs out while new rows keep arriving is taken back by the poll (kicked claims read only pending rows)", async () => {
    const db = await openTempDb();
    const lease = new Date(Date.now() + 300);
    await db.write((tx) =>
      tx.outboxMessage.create({
        data: { platform: 'slack', workspaceId: 'T1', kind: 'post', target: 'C1', payload: JSON.stringify({ message: card('left by a dead replica') }), status: 'sending', attempts: 1, nextAttemptAt: lease, claimedBy: 'bot-2/dead' },
      }),
    );
    const seen: { text?: string; uncertain?: boolean }[] = [];
    const sender: PlatformSender = {
      platform: 'slack',
      async send(row) {
        seen.push({ text: row.message.text, uncertain: row.uncertain });
        return { ok: true, messageId: `m${seen.length}`, channelId: 'C1' };
      },
    };
    const worker = createDeliveryWorker({ db, sender, owner: { instance: 'bot-1', run: 'bot-1/live' }, pollMs: 100 });
    await worker.start();
    try {
      // New rows and kicks keep coming for 2 s: the worker is never idle long.
      const end = Date.now() + 2000;
      for (let i = 0; Date.now() < end && !seen.some((s) => s.uncertain); i++) {
        await enqueue(db, 'post', 'C2', `new ${i}`);
        worker.kick();
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(seen.filter((s) => s.uncertain)).toEqual([{ text: 'left by a dead replica', uncertain: true }]);
      expect(seen.some((s) => s.text?.startsWith('new '))).toBe(true);
    } finally {
      await worker.stop();
    }
  });
});
