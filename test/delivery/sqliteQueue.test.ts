// SQLite's one database queue (src/db/sqlite.ts): delivery's claims and sent marks go ahead of the work waiting in
// it. PostgreSQL has no such queue (writes run concurrently), so this file runs on SQLite only
// (vitest.postgres.config.ts leaves it out).
import { describe, expect, it } from 'vitest';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import { enqueue, scriptedSender } from '../support/outbox.js';
import { openTempDb } from '../support/tempDb.js';

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
