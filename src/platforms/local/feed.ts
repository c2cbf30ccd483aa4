// What the playground shows: the outbox rows of platform 'local' that its sender delivered, read back from
// the database (so the feed survives restarts and shows exactly what was delivered). A posted card shows
// its latest delivered update, like an edited message in a real chat.
import type { Db } from '../../db/client.js';
import type { OutboxPayload } from '../../delivery/types.js';
import type { Message } from '../../messages/model.js';
import { dmChannelId, LOCAL_WORKSPACE } from './cast.js';
import { escapeHtml, renderMessage } from './render.js';

export interface FeedItem {
  /** Outbox row id of the post / DM / ephemeral message. */
  id: number;
  /** Changes whenever the item changes (the id of the row its current content came from). */
  version: number;
  kind: 'post' | 'dm' | 'ephemeral';
  /** Channel id for posts and ephemerals, the DM chat id (dm-<user>) for DMs. */
  channel: string;
  /** Ephemeral and DM messages are private to this user. */
  privateTo?: string;
  cardKey?: string;
  updated: boolean;
  at: string;
  message: Message;
  html: string;
  /** A file that came with the message: downloaded from GET /local/file?id=…&user=…. */
  file?: { id: number; name: string };
}

export interface Feed {
  /** Every local outbox row with an id ≤ cursor is settled: pass it back as `since` to get only changes. */
  cursor: number;
  items: FeedItem[];
}

const MAX_ITEMS = 300;

function fileOf(payload: string): { id: number; name: string; image?: boolean } | undefined {
  try {
    const file = (JSON.parse(payload) as OutboxPayload).file;
    if (!file || !Number.isInteger(file.fileId)) return undefined;
    return { id: file.fileId, name: String(file.name), ...(file.mode === 'image' ? { image: true } : {}) };
  } catch {
    return undefined;
  }
}

function fileHref(file: { id: number }, userId: string): string {
  return `/local/file?id=${file.id}&user=${encodeURIComponent(userId)}`;
}

/** The download link under a message that came with a file (escaped; the page shows the server's HTML). */
function fileLink(file: { id: number; name: string }, userId: string): string {
  const href = fileHref(file, userId);
  return `<p class="file"><a href="${escapeHtml(href)}" download="${escapeHtml(file.name)}">📎 ${escapeHtml(file.name)}</a></p>`;
}

/**
 * The stored file `fileId` if `userId` may download it here: it came with a delivered local message that this
 * person can see (a post, or their own DM). Null otherwise.
 */
export async function fileForUser(db: Db, fileId: number, userId: string): Promise<{ name: string; mime: string; bytes: Buffer } | null> {
  return db.read(async (tx) => {
    const visible = await tx.outboxMessage.findFirst({
      where: {
        platform: 'local',
        workspaceId: LOCAL_WORKSPACE,
        status: 'sent',
        // The payload is written by notify.ts as {"message":…,"file":{"fileId":N,…}}.
        payload: { contains: `"file":{"fileId":${fileId},` },
        OR: [{ kind: 'post' }, { kind: 'dm', target: userId }, { kind: 'ephemeral', target: { endsWith: `/${userId}` } }],
      },
      select: { id: true },
    });
    if (!visible) return null;
    const file = await tx.storedFile.findUnique({ where: { id: fileId }, select: { name: true, mime: true, bytes: true } });
    return file ? { name: file.name, mime: file.mime, bytes: Buffer.from(file.bytes) } : null;
  });
}

function decode(payload: string): Message | null {
  try {
    const message = (JSON.parse(payload) as OutboxPayload).message;
    return message && typeof message === 'object' ? message : null;
  } catch {
    return null;
  }
}

/** Splits an ephemeral target "<channelId>/<userId>". */
export function splitEphemeralTarget(target: string): { channelId: string; userId: string } | null {
  const i = target.lastIndexOf('/');
  if (i <= 0 || i === target.length - 1) return null;
  return { channelId: target.slice(0, i), userId: target.slice(i + 1) };
}

export async function readFeed(db: Db, userId: string, since: number): Promise<Feed> {
  return db.read(async (tx) => {
    const base = { platform: 'local', workspaceId: LOCAL_WORKSPACE };
    const firstUnsettled = await tx.outboxMessage.findFirst({
      where: { ...base, status: { in: ['pending', 'sending'] } },
      orderBy: { id: 'asc' },
      select: { id: true },
    });
    const newest = await tx.outboxMessage.findFirst({ where: base, orderBy: { id: 'desc' }, select: { id: true } });
    const cursor = firstUnsettled ? firstUnsettled.id - 1 : (newest?.id ?? 0);

    const rows = await tx.outboxMessage.findMany({
      where: {
        ...base,
        status: 'sent',
        OR: [{ kind: 'post' }, { kind: 'dm', target: userId }, { kind: 'ephemeral', target: { endsWith: `/${userId}` } }],
      },
      orderBy: { id: 'desc' },
      take: MAX_ITEMS,
    });
    rows.reverse();
    const cardKeys = [...new Set(rows.map((r) => r.cardKey).filter((k): k is string => !!k))];
    const updates = cardKeys.length
      ? await tx.outboxMessage.findMany({
          where: { ...base, kind: 'update', status: 'sent', cardKey: { in: cardKeys } },
          orderBy: { id: 'asc' },
          select: { id: true, cardKey: true, payload: true, sentAt: true, lastError: true },
        })
      : [];

    const items: FeedItem[] = [];
    for (const row of rows) {
      let message = decode(row.payload);
      if (!message) continue;
      let version = row.id;
      let at = row.sentAt ?? row.createdAt;
      // The latest delivered update after this copy was posted is what the card looks like now.
      const latest = updates.filter((u) => u.cardKey === row.cardKey && u.id > row.id && !u.lastError).at(-1);
      const updatedMessage = latest ? decode(latest.payload) : null;
      if (latest && updatedMessage) {
        message = updatedMessage;
        version = latest.id;
        at = latest.sentAt ?? at;
      }
      if (version <= since) continue;
      const file = fileOf(row.payload);
      let channel = row.target;
      let privateTo: string | undefined;
      if (row.kind === 'dm') {
        channel = dmChannelId(row.target);
        privateTo = row.target;
      } else if (row.kind === 'ephemeral') {
        const split = splitEphemeralTarget(row.target);
        if (!split || split.userId !== userId) continue;
        channel = split.channelId;
        privateTo = split.userId;
      }
      items.push({
        id: row.id,
        version,
        kind: row.kind as FeedItem['kind'],
        channel,
        privateTo,
        cardKey: row.cardKey ?? undefined,
        updated: version !== row.id,
        at: at.toISOString(),
        message,
        // A chart is shown inline, served from the database like any file (same-origin <img>: the CSP stays strict).
        html: file?.image ? renderMessage(message, { chartSrc: fileHref(file, userId) }) : renderMessage(message) + (file ? fileLink(file, userId) : ''),
        ...(file ? { file } : {}),
      });
    }
    return { cursor: Math.max(cursor, 0), items };
  });
}
