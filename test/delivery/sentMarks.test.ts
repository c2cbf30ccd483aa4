// Sent marks (src/delivery/outboxStore.ts markSent): the rows are marked sent, and where a card landed is remembered
// per chat — a card posted again in the same chat (a retry that found no earlier copy) is remembered by its latest
// message, the only one later updates can reach.
import { describe, expect, it } from 'vitest';
import { markSent } from '../../src/delivery/outboxStore.js';
import { enqueue } from '../support/outbox.js';
import { openTempDb } from '../support/tempDb.js';

describe('sent marks', () => {
  it('mark the rows sent and remember each chat a card landed in, by its latest message', async () => {
    const db = await openTempDb();
    try {
      await enqueue(db, 'post', 'C1', 'first', 'ADJ-1');
      await enqueue(db, 'post', 'C2', 'second', 'ADJ-1');
      await enqueue(db, 'ephemeral', 'C1/U1', 'third');
      await db.write((tx) => tx.outboxMessage.updateMany({ data: { status: 'sending', lastError: 'http 500' } }));
      const [a, b, c] = await db.read((tx) => tx.outboxMessage.findMany({ orderBy: { id: 'asc' } }));
      const at = new Date('2026-11-29T10:00:00Z');
      const card = (channelId: string, messageId: string) => ({ cardKey: 'ADJ-1', workspaceId: 'T1', channelId, messageId });

      await db.writeStatement((tx) => markSent(tx, 'slack', [{ id: a!.id, card: card('C1', 'ts1') }, { id: c!.id }], at));
      await db.writeStatement((tx) => markSent(tx, 'slack', [{ id: b!.id, card: card('C2', 'ts2') }], at));
      // Posted again in C1 (its first copy could not be found after a crash): the new message is the one remembered.
      await db.writeStatement((tx) => markSent(tx, 'slack', [{ id: a!.id, card: card('C1', 'ts3') }], new Date(at.getTime() + 1000)));

      const rows = await db.read((tx) => tx.outboxMessage.findMany({ orderBy: { id: 'asc' } }));
      expect(rows.map((r) => [r.status, r.lastError, r.sentAt?.toISOString()])).toEqual([
        ['sent', null, '2026-11-29T10:00:01.000Z'],
        ['sent', null, '2026-11-29T10:00:00.000Z'],
        ['sent', null, '2026-11-29T10:00:00.000Z'],
      ]);
      const refs = await db.read((tx) => tx.cardRef.findMany({ orderBy: { channelId: 'asc' } }));
      expect(refs.map((r) => [r.cardKey, r.platform, r.channelId, r.messageId])).toEqual([
        ['ADJ-1', 'slack', 'C1', 'ts3'],
        ['ADJ-1', 'slack', 'C2', 'ts2'],
      ]);
      expect(refs[0]!.updatedAt.toISOString()).toBe('2026-11-29T10:00:01.000Z');
    } finally {
      await db.close();
    }
  });
});
