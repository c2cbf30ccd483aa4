// SQLite's one database queue (src/db/sqlite.ts): delivery's claims and sent marks go ahead of the work waiting in
// it. PostgreSQL has no such queue (writes run concurrently), so this file runs on SQLite only
// (vitest.postgres.config.ts leaves it out).
import { describe, expect, it } from 'vitest';
import type { PlatformSender, SendResult } from '../../src/delivery/types.js';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import type { Message } from '../../src/messages/model.js';
import { openTempDb } from '../support/tempDb.js';

const card = (text: string): Message => ({ text, summary: text });

function scriptedSender(script: SendResult[]): PlatformSender & { calls: { kind: string; target: string; text?: string; messageIds?: unknown }[] } {
  const calls: { kind: string; target: string; text?: string; messageIds?: unknown }[] = [];
  let n = 0;
  return {
    platform: 'slack',
    calls,
    async send(row) {
      calls.push({ kind: row.kind, target: row.target, text: row.message.text, messageIds: row.messageIds });
      return script[n++] ?? { ok: true, messageId: `m${n}`, channelId: row.target };
    },
  };
}

async function enqueue(db: Awaited<ReturnType<typeof openTempDb>>, kind: string, target: string, text: string, cardKey?: string) {
  await db.write((tx) =>
    tx.outboxMessage.create({
      data: { platform: 'slack', workspaceId: 'T1', kind, target, cardKey, payload: JSON.stringify({ message: card(text) }), status: 'pending' },
    }),
  );
}

describe('outbox delivery on SQLite', () => {
  it('claims and marks sent ahead of the work waiting in the database queue, so answers go out while work piles up', async () => {
    const db = await openTempDb();
    for (let i = 0; i < 3; i++) await enqueue(db, 'post', `C${i}`, `answer ${i}`);
    const worker = createDeliveryWorker({ db, sender: scriptedSender([]) });
    // A backlog of core work already waiting in the one database queue (each unit holds it a little while).
    const seen: number[] = [];
    const units = Array.from({ length: 20 }, () =>
      db.write(async (tx) => {
        seen.push(await tx.outboxMessage.count({ where: { status: 'sent' } }));
        await new Promise((r) => setTimeout(r, 5));
      }),
    );
    await worker.start();
    await Promise.all(units);
    // Delivery waited only behind the unit running at each step, not behind the whole backlog: every answer was
    // claimed, sent and recorded before the last unit of work ran.
    expect(seen.at(-1)).toBe(3);
    await worker.stop();
  });
});
