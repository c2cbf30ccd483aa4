// The contract between the platform adapters and the core.
// Adapters turn a platform request into an Actor + text/action/form values, call Core, and render the Outcome.
// Messages for other people (cards to channels, DMs, in-place card updates) are not returned: the use-case
// writes them to the outbox in the same transaction as its change, and the platform's delivery worker sends them.
import type { Db, Tx } from '../db/client.js';
import type { Locale, Platform } from '../domain/types.js';
import type { Form, Message } from '../messages/model.js';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Who is acting, as the platform identified them. Never trusted beyond what the platform verified. */
export interface Actor {
  platform: Platform;
  /** Slack team id, Feishu tenant key, "local" for the playground. */
  workspaceId: string;
  /** Slack "U…", Feishu open_id "ou_…". */
  userId: string;
  displayName?: string;
  /** The chat the command/click came from (for `here` and for private replies). */
  channelId?: string;
  /** True when that chat is a one-to-one chat (Feishu p2p; Slack D… and playground dm-… ids are recognised anyway). */
  directChat?: boolean;
}

/** Settings the core needs from the environment (src/config/env.ts builds it). */
export interface CoreConfig {
  timezone: string;
  locale: Locale;
  /** From ADMIN_USERS: admins by "platform:userId" (any workspace) or "platform:workspace:userId". */
  adminUsers: string[];
}

export interface CoreDeps {
  db: Db;
  config: CoreConfig;
  clock: Clock;
  /** Work still running after this long tells the person it is under way (default 1,000 ms; tests set 0). */
  progressAfterMs?: number;
}

/** Says something to the person who acted while their work is still running (see usecases/progress.ts). */
export type Progress = (message: Message) => Promise<void>;

/** The result of a command, click or form submission, for the person who acted. */
export interface Outcome {
  ok: boolean;
  /** Private answer to the actor (Slack ephemeral / Feishu message to that person only). */
  reply?: Message;
  /** Short text for a toast (Feishu card callbacks); falls back to reply.summary. */
  toast?: string;
  /** A form to open for the actor (Slack modal / Feishu form card). */
  openForm?: Form;
  /** For form submissions: per-field errors to show on the form (field name → localized text). */
  formErrors?: Record<string, string>;
  /** For clicks: how the clicked card should look now (Feishu answers the callback with it). */
  updatedCard?: { cardKey: string; message: Message };
  /** The locale the texts above are in. */
  locale: Locale;
  /**
   * Feishu: a file the person sent in their DM is to be imported as the plan of `year` — the adapter fetches it
   * (im/v1/messages/{messageId}/resources/{fileKey}) and calls Core.importPlan.
   */
  importFile?: { messageId: string; fileKey: string; name: string; year: number };
}

/** A file a person gave the bot, fetched by their platform's adapter. */
export interface IncomingFile {
  name: string;
  bytes: Buffer;
}

export type FormValues = Record<string, string | string[] | undefined>;

/**
 * The accepted request a core call serves (a row of the durable inbox, src/delivery/inbox.ts). Its done mark commits
 * in the same transaction as the call's change, so a replay after a crash either finds the change and skips, or
 * finds neither and runs it: exactly once.
 */
export interface Delivery {
  /**
   * Runs inside the first transaction that commits a change of the call — or, for a call that changes nothing, in
   * a transaction of its own when the call has finished — with the call's Outcome when that transaction produced
   * it (most use-cases return their Outcome from the write). Marks the delivery done with compare-and-set and
   * throws DeliveryAlreadyDone when it was done already (the change rolls back), and queues the answer.
   */
  commit(tx: Tx, outcome: Outcome | undefined): Promise<void>;
}

/** Thrown by Delivery.commit when another run (a replay, a replica) finished the delivery first: drop this run. */
export class DeliveryAlreadyDone extends Error {
  constructor(readonly deliveryId: string) {
    super(`delivery ${deliveryId} was done already`);
    this.name = 'DeliveryAlreadyDone';
  }
}

export interface CallOptions {
  delivery?: Delivery;
  /** Sends "working on it" notes for long work (usecases/progress.ts). */
  progress?: Progress;
}

export interface Core {
  /** A typed command, e.g. "/budget request 5万 SEM 双十一加投" or "/预算 申请 …". */
  command(actor: Actor, text: string, opts?: CallOptions & { mentions?: Record<string, { userId: string; name?: string }> }): Promise<Outcome>;
  /** A button click carrying an action reference (src/messages/actions.ts). */
  action(actor: Actor, ref: string, opts?: CallOptions): Promise<Outcome>;
  /**
   * A submitted form (form reference + raw values). A select's value may be typed (a code or words of a label,
   * where the platform showed a text input instead of a long list): it is matched to one option first.
   */
  submit(actor: Actor, formRef: string, values: FormValues, opts?: CallOptions): Promise<Outcome>;
  /** The options of a select field of a form matching what the person typed so far (Slack external selects). */
  options?(actor: Actor, formRef: string, field: string, query: string): Promise<{ value: string; label: string }[]>;
  /** `/budget plan import` with a file: the draft of `year` (default: the planning year) replaced by its rows. */
  importPlan?(actor: Actor, year: number | undefined, file: IncomingFile, opts?: CallOptions): Promise<Outcome>;
  /** Feishu: a file sent to the bot in a DM; imported if an import waits for it, else kept 10 minutes for one. */
  planFileArrived?(actor: Actor, file: { messageId: string; fileKey: string; name: string }, opts?: CallOptions): Promise<Outcome>;
  /** The current locale setting (for texts an adapter writes itself, e.g. "unauthorized"). */
  locale(): Promise<Locale>;
}
