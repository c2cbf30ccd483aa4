// Outbox rows (table OutboxMessage) are written by use-cases inside their transaction and delivered by a
// per-platform worker (src/delivery/worker.ts) that retries with back-off until the platform accepts them.
import type { Platform } from '../domain/types.js';
import type { Form, Message } from '../messages/model.js';
import type { ChartOf } from './charts.js';

export type OutboxKind =
  /** Post `message` to channel `target`; with cardKey, remember where it landed (CardRef) for later updates. */
  | 'post'
  /** Replace every posted copy of card `target` (= cardKey) on this platform+workspace with `message`. */
  | 'update'
  /** Direct message to user `target`. */
  | 'dm'
  /** Visible only to one user in a channel: target = "<channelId>/<userId>". */
  | 'ephemeral';

/**
 * A stored file (table StoredFile) that an outbox row delivers: shared in the chat (post) or sent to the person
 * (dm / ephemeral, since no platform has private files in a channel), with `message` as its comment.
 * `mode: 'image'` is a picture shown inline: a chart (src/delivery/charts.ts) — Feishu im/v1/images in a card,
 * Slack a file shared in the thread of the message it belongs to, the playground an <img>.
 */
export interface OutboxFile {
  fileId: number;
  name: string;
  title: string;
  mode?: 'file' | 'image';
}

export interface OutboxPayload {
  /** With `file`, the comment that goes with it. */
  message: Message;
  file?: OutboxFile;
  /** Set on a chart row: the delivered text the chart belongs to (src/delivery/charts.ts). */
  chartOf?: ChartOf;
  /**
   * A form to show instead of `message`, for platforms that post forms as cards (Feishu). `message` stays a
   * readable fallback (the form's title). Slack opens forms as modals and never gets such rows.
   */
  form?: Form;
  /** The FormSession the form's submit button refers to (src/usecases/formSessions.ts). */
  formSession?: string;
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

/** A stored file loaded for its delivery. */
export interface FileToSend extends OutboxFile {
  mime: string;
  bytes: Buffer;
}

/**
 * What a platform answered for an upload of this row's file (Slack file id, Feishu file_key), kept in
 * PlatformUpload: a retry after a failure half-way completes the upload it started instead of uploading again.
 * `scope` is "row:<outbox id>" for a share made by one row, "file" / "image" for keys the platform lets us reuse.
 */
export interface UploadMemo {
  get(scope: string): Promise<string | null>;
  put(scope: string, ref: string): Promise<void>;
}

export interface PlatformSender {
  platform: Platform;
  /**
   * Rows this platform may be sent at once (default 1). More than one only where the platform drops a repeated send
   * (Feishu's uuid): a crash repeats the rows that were sent but not yet recorded as sent, and Slack cannot tell.
   */
  concurrency?: number;
  send(row: {
    id: number;
    workspaceId: string;
    kind: OutboxKind;
    target: string;
    cardKey: string | null;
    message: Message;
    /** Set when the row carries a form (see OutboxPayload.form). */
    form?: Form;
    /** Set when the row delivers a stored file (see OutboxPayload.file); `uploads` remembers platform file ids. */
    file?: FileToSend;
    uploads?: UploadMemo;
    /** Its form session (OutboxPayload.formSession). */
    formSession?: string;
    /** A chart row: where its text landed, so the chart can go in that message's thread. */
    chartOf?: ChartOf;
    messageIds?: { channelId: string; messageId: string }[];
    /** When the row was written (a lookup for an earlier copy need not look further back). */
    createdAt?: Date;
    /**
     * An earlier attempt may have reached the platform: the process sending it died before recording the answer.
     * A sender that can look for that copy (and return its ids) should, instead of posting it again.
     */
    uncertain?: boolean;
  }): Promise<SendResult>;
}
