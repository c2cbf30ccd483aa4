// Outbox rows and a scripted sender for the delivery worker's tests.
import type { PlatformSender, SendResult } from '../../src/delivery/types.js';
import type { Message } from '../../src/messages/model.js';
import type { openTempDb } from './tempDb.js';

export const card = (text: string): Message => ({ text, summary: text });

export function scriptedSender(script: SendResult[]): PlatformSender & { calls: { kind: string; target: string; text?: string; messageIds?: unknown }[] } {
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

export async function enqueue(db: Awaited<ReturnType<typeof openTempDb>>, kind: string, target: string, text: string, cardKey?: string) {
  await db.write((tx) =>
    tx.outboxMessage.create({
      data: { platform: 'slack', workspaceId: 'T1', kind, target, cardKey, payload: JSON.stringify({ message: card(text) }), status: 'pending' },
    }),
  );
}
