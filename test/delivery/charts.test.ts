// The outbox and charts (src/delivery/charts.ts): the text of a message with a chart goes first, then exactly one
// chart row per delivered text, drawn once and stored; a card update sends the text only; a platform's final refusal
// of the chart leaves a note; a text that is never delivered never gets a chart.
import { describe, expect, it } from 'vitest';
import { chartFileName } from '../../src/delivery/charts.js';
import type { PlatformSender, SendResult } from '../../src/delivery/types.js';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import type { Message } from '../../src/messages/model.js';
import { budgetFixture } from '../support/chartFixtures.js';
import { openTempDb } from '../support/tempDb.js';

type Db = Awaited<ReturnType<typeof openTempDb>>;

interface Call {
  id: number;
  kind: string;
  target: string;
  message: Message;
  file?: { name: string; mode?: string; bytes: Buffer };
  chartOf?: unknown;
}

function sender(answer: (call: Call, n: number) => SendResult | undefined = () => undefined): PlatformSender & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    platform: 'slack',
    calls,
    async send(row) {
      const call: Call = { id: row.id, kind: row.kind, target: row.target, message: row.message, file: row.file, chartOf: row.chartOf };
      calls.push(call);
      return answer(call, calls.length) ?? { ok: true, messageId: `ts${calls.length}`, channelId: row.kind === 'dm' ? 'DUSER' : row.target };
    },
  };
}

const withChart = (): Message => ({ title: 'Budget', text: 'SEM: plan ¥1,000.00', chart: budgetFixture('en', 3), summary: 'Budget' });

async function enqueue(db: Db, kind: string, target: string, message: Message, cardKey?: string) {
  await db.write((tx) =>
    tx.outboxMessage.create({ data: { platform: 'slack', workspaceId: 'T1', kind, target, cardKey, payload: JSON.stringify({ message }), status: 'pending', nextAttemptAt: new Date(0) } }),
  );
}

const rows = (db: Db) => db.read((tx) => tx.outboxMessage.findMany({ orderBy: { id: 'asc' } }));

describe('charts through the outbox', () => {
  it('sends the text first, then one chart row with the stored PNG, in the thread of the text', async () => {
    const db = await openTempDb();
    await enqueue(db, 'post', 'CTEAM', withChart(), 'BUD-1');
    await enqueue(db, 'dm', 'UFIN', withChart());
    const s = sender();
    const worker = createDeliveryWorker({ db, sender: s, clock: { now: () => new Date() } });
    await worker.drain();
    expect(s.calls.map((c) => [c.kind, c.target, c.file ? 'chart' : 'text'])).toEqual([
      ['post', 'CTEAM', 'text'],
      ['dm', 'UFIN', 'text'],
      ['post', 'CTEAM', 'chart'],
      ['dm', 'UFIN', 'chart'],
    ]);
    const [text, , chart, dmChart] = s.calls;
    expect(text!.message.chart).toBeUndefined();
    expect(text!.message.context).toContain('Chart follows.');
    expect(text!.message.text).toBe('SEM: plan ¥1,000.00');
    expect(chart!.message.chart?.kind).toBe('budget-use');
    expect(chart!.chartOf).toEqual({ outboxId: text!.id, channelId: 'CTEAM', messageId: 'ts1' });
    expect(dmChart!.chartOf).toEqual({ outboxId: s.calls[1]!.id, channelId: 'DUSER', messageId: 'ts2' });
    expect(chart!.file).toMatchObject({ mode: 'image', name: chartFileName(withChart().chart!) });
    expect(chart!.file!.bytes.subarray(1, 4).toString()).toBe('PNG');
    // The same chart twice is drawn and stored once.
    expect(await db.read((tx) => tx.storedFile.count())).toBe(1);
    // The card's reference is the text's, not the chart's.
    expect(await db.read((tx) => tx.cardRef.findMany({ select: { cardKey: true, messageId: true } }))).toEqual([{ cardKey: 'BUD-1', messageId: 'ts1' }]);
    // Draining again sends nothing more: one chart per text.
    await worker.drain();
    expect(s.calls).toHaveLength(4);
    expect((await rows(db)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });

  it('a card update sends the text only', async () => {
    const db = await openTempDb();
    await enqueue(db, 'post', 'CTEAM', { text: 'v1', summary: 'v1' }, 'VAR-1');
    const s = sender();
    const worker = createDeliveryWorker({ db, sender: s, clock: { now: () => new Date() } });
    await worker.drain();
    await enqueue(db, 'update', 'VAR-1', withChart(), 'VAR-1');
    await worker.drain();
    expect(s.calls.map((c) => [c.kind, !!c.file, !!c.message.chart])).toEqual([
      ['post', false, false],
      ['update', false, false],
    ]);
  });

  it('a chart the platform refuses for good leaves a one-line note; the text stood', async () => {
    const db = await openTempDb();
    await enqueue(db, 'post', 'CTEAM', withChart());
    const s = sender((c) => (c.file ? { ok: false, retry: false, error: 'invalid_auth' } : undefined));
    await createDeliveryWorker({ db, sender: s, clock: { now: () => new Date() } }).drain();
    expect(s.calls.map((c) => c.message.text ?? c.message.title)).toEqual(['SEM: plan ¥1,000.00', 'Budget use — 2026-05', 'The chart could not be delivered; the figures above are complete.']);
    expect((await rows(db)).map((r) => [r.status, r.dedupeKey?.replace(/\d+$/, 'N') ?? null])).toEqual([
      ['sent', null],
      ['dead', 'chart:slack:N'],
      ['sent', 'chart-missing:slack:N'],
    ]);
  });

  it('a text that is never delivered gets no chart', async () => {
    const db = await openTempDb();
    await enqueue(db, 'post', 'CGONE', withChart());
    const s = sender(() => ({ ok: false, retry: false, error: 'channel_not_found' }));
    await createDeliveryWorker({ db, sender: s, clock: { now: () => new Date() } }).drain();
    expect(s.calls).toHaveLength(1);
    expect((await rows(db)).map((r) => r.status)).toEqual(['dead']);
  });
});
