// Writes outgoing messages to the outbox, inside the caller's transaction: a change and the messages that
// announce it commit together or not at all. Delivery workers (src/delivery/) send them later.
import { isDirectChatId } from '../domain/chats.js';
import type { Tx } from '../db/client.js';
import type { ChannelPurpose, Role } from '../domain/types.js';
import { queueOnce, type QueuedRow as Row } from '../delivery/outboxStore.js';
import type { OutboxFile, OutboxPayload } from '../delivery/types.js';
import { plainText } from '../messages/markup.js';
import type { Form, Message } from '../messages/model.js';
import { createFormSession } from './formSessions.js';
import { peopleWithRole } from './people.js';
import { sqlRows } from '../db/raw.js';
import { Prisma } from '../generated/prisma/client.js';

async function enqueue(tx: Tx, row: Row, message: Message, form?: Form, file?: OutboxFile): Promise<void> {
  // A form card keeps its form on our side; the card's submit button carries the session id (created only when the
  // row is new).
  if (form) await queueOnce(tx, row, async (): Promise<OutboxPayload> => ({ message, form, formSession: await createFormSession(tx, form, new Date()) }));
  else await queueOnce(tx, row, file ? { message, file } : { message });
}

/**
 * Posts `message` to every chat bound to `purpose` (on every platform/workspace that bound one).
 * Returns how many chats it went to, so the caller can fall back (e.g. DM the approvers) when none is bound.
 */
export async function postToPurpose(
  tx: Tx,
  purpose: ChannelPurpose,
  message: Message,
  opts: { cardKey?: string; dedupeKey?: string } = {},
): Promise<number> {
  // Every card asks: one raw statement (the same SQL on both providers) instead of the query API's findMany.
  const all = await sqlRows<{ platform: string; workspaceId: string; channelId: string }[]>(tx, Prisma.sql`SELECT "platform", "workspaceId", "channelId" FROM "ChannelBinding" WHERE "purpose" = ${purpose} ORDER BY "id"`);
  // A binding to a one-to-one chat (made before such bindings were refused) would show team cards to one person.
  const bindings = all.filter((b) => !isDirectChatId(b.platform, b.channelId));
  for (const b of bindings) {
    await enqueue(
      tx,
      {
        platform: b.platform,
        workspaceId: b.workspaceId,
        kind: 'post',
        target: b.channelId,
        cardKey: opts.cardKey,
        dedupeKey: opts.dedupeKey ? `${opts.dedupeKey}:${b.platform}:${b.workspaceId}:${b.channelId}` : undefined,
      },
      message,
    );
  }
  return bindings.length;
}

/** Posts to one given chat (e.g. the chat a command came from). */
export async function postToChannel(
  tx: Tx,
  to: { platform: string; workspaceId: string; channelId: string },
  message: Message,
  opts: { cardKey?: string; dedupeKey?: string } = {},
): Promise<void> {
  await enqueue(
    tx,
    { platform: to.platform, workspaceId: to.workspaceId, kind: 'post', target: to.channelId, cardKey: opts.cardKey, dedupeKey: opts.dedupeKey },
    message,
  );
}

/** A direct message to one person, on their own platform. */
export async function directMessage(
  tx: Tx,
  person: { platform: string; workspaceId: string; userId: string },
  message: Message,
  opts: { cardKey?: string; dedupeKey?: string } = {},
): Promise<void> {
  await enqueue(
    tx,
    { platform: person.platform, workspaceId: person.workspaceId, kind: 'dm', target: person.userId, cardKey: opts.cardKey, dedupeKey: opts.dedupeKey },
    message,
  );
}

/** A message only `person` sees, in the chat `channelId` (ephemeral on Slack, "only you" in the playground). */
export async function ephemeralMessage(
  tx: Tx,
  person: { platform: string; workspaceId: string; userId: string },
  channelId: string,
  message: Message,
): Promise<void> {
  await enqueue(tx, { platform: person.platform, workspaceId: person.workspaceId, kind: 'ephemeral', target: `${channelId}/${person.userId}` }, message);
}

/**
 * A form sent to one person as a direct message, for platforms that show forms as cards (Feishu); the row's
 * message is a plain fallback with the form's title. (Slack opens forms as modals instead.)
 */
export async function directForm(
  tx: Tx,
  person: { platform: string; workspaceId: string; userId: string },
  form: Form,
  opts: { cardKey?: string; dedupeKey?: string } = {},
): Promise<void> {
  await enqueue(
    tx,
    { platform: person.platform, workspaceId: person.workspaceId, kind: 'dm', target: person.userId, cardKey: opts.cardKey, dedupeKey: opts.dedupeKey },
    { title: form.title, text: form.intro, summary: plainText(form.title) },
    form,
  );
}

/** Direct messages to everyone holding `role`, except `exceptPersonId`. Returns how many were sent. */
export async function messageRole(
  tx: Tx,
  role: Role,
  message: Message,
  opts: { exceptPersonId?: number; cardKey?: string; dedupeKey?: string } = {},
): Promise<number> {
  let n = 0;
  for (const person of await peopleWithRole(tx, role)) {
    if (person.id === opts.exceptPersonId) continue;
    await directMessage(tx, person, message, {
      cardKey: opts.cardKey,
      dedupeKey: opts.dedupeKey ? `${opts.dedupeKey}:${person.id}` : undefined,
    });
    n++;
  }
  return n;
}

/**
 * Updates every copy of card `cardKey` in place (all platforms/workspaces where it was posted or DMed),
 * so no copy keeps stale buttons.
 */
export async function updateCard(tx: Tx, cardKey: string, message: Message): Promise<void> {
  const posted = await tx.outboxMessage.findMany({
    where: { cardKey, kind: { in: ['post', 'dm'] } },
    select: { platform: true, workspaceId: true },
    distinct: ['platform', 'workspaceId'],
  });
  for (const p of posted) {
    await enqueue(tx, { platform: p.platform, workspaceId: p.workspaceId, kind: 'update', target: cardKey, cardKey }, message);
  }
}

/**
 * Sends a stored file (src/delivery/files.ts) to one person in their direct chat with the bot, with `message` as its
 * comment. Files always go to the person, never into the chat a command was typed in: no platform has private files
 * in a channel, and exports hold the department's figures.
 */
export async function directFile(
  tx: Tx,
  person: { platform: string; workspaceId: string; userId: string },
  file: OutboxFile,
  message: Message,
  opts: { dedupeKey?: string } = {},
): Promise<void> {
  await enqueue(
    tx,
    { platform: person.platform, workspaceId: person.workspaceId, kind: 'dm', target: person.userId, dedupeKey: opts.dedupeKey },
    message,
    undefined,
    file,
  );
}
