// Outbox rows (table OutboxMessage) are written by use-cases inside their transaction and delivered by a
// per-platform worker (src/delivery/worker.ts) that retries with back-off until the platform accepts them.
import type { Platform } from '../domain/types.js';
import type { Form, Message } from '../messages/model.js';

export type OutboxKind =
  /** Post `message` to channel `target`; with cardKey, remember where it landed (CardRef) for later updates. */
  | 'post'
  /** Replace every posted copy of card `target` (= cardKey) on this platform+workspace with `message`. */
  | 'update'
  /** Direct message to user `target`. */
  | 'dm'
  /** Visible only to one user in a channel: target = "<channelId>/<userId>". */
  | 'ephemeral';

export interface OutboxPayload {
  message: Message;
  /**
   * A form to show instead of `message`, for platforms that post forms as cards (Feishu). `message` stays a
   * readable fallback (the form's title). Slack opens forms as modals and never gets such rows.
   */
  form?: Form;
}

export interface DeliveryTarget {
  platform: Platform;
  workspaceId: string;
  kind: OutboxKind;
  target: string;
  cardKey?: string;
}

/** What a platform sender reports back for one row. */
export type SendResult =
  | { ok: true; messageId?: string; channelId?: string }
  /** Retry later; retryAfterMs when the platform said how long (Slack Retry-After, Feishu rate limit). */
  | { ok: false; retry: true; error: string; retryAfterMs?: number }
  /** Permanent refusal (e.g. channel_not_found): the row is marked dead and logged. */
  | { ok: false; retry: false; error: string };

export interface PlatformSender {
  platform: Platform;
  send(row: {
    id: number;
    workspaceId: string;
    kind: OutboxKind;
    target: string;
    cardKey: string | null;
    message: Message;
    /** Set when the row carries a form (see OutboxPayload.form). */
    form?: Form;
    messageIds?: { channelId: string; messageId: string }[];
  }): Promise<SendResult>;
}
