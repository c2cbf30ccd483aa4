// What the bot does with each Feishu event (the same handlers serve the webhook and the long connection):
//   im.message.receive_v1    text commands (p2p: any text; groups: only when the bot is @mentioned)
//   application.bot.menu_v6  bot menu items → open a form / run a command
//   card.action.trigger      button clicks and form submissions, answered within 3 s with a toast + card
// Every event is deduplicated (event_id; for a click also a hash of message+value+operator+token, for a form
// submission its form instance: card message + form + operator) before it acts, so Feishu's re-pushes and double
// clicks never act twice. The claim records the accepted work too (the durable inbox, src/delivery/inbox.ts); the
// core call carries the delivery, so its done mark and the private answers commit with the use-case's change. Work
// lost with the process before that commit (a crash, a stop that could not wait) is replayed at the next start.
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.js';
import { createInbox, type PendingWork, type ReplayHandle } from '../../delivery/inbox.js';
import { createLedger } from '../../delivery/ledger.js';
import { createWorkQueue, type WorkQueue } from '../../delivery/workQueue.js';
import { crashPoint } from '../../faults.js';
import { t } from '../../i18n/index.js';
import { log } from '../../log.js';
import { esc, markup, plainText } from '../../messages/markup.js';
import type { Form, Message } from '../../messages/model.js';
import { directForm, directMessage } from '../../usecases/notify.js';
import {
  DeliveryAlreadyDone,
  systemClock,
  type Actor,
  type Clock,
  type Core,
  type Delivery,
  type Outcome,
  type Progress,
} from '../../usecases/types.js';
import { sha256Hex } from './crypto.js';
import { FileTooLarge } from './files.js';
import { MAX_IMPORT_BYTES } from '../../sheets/import.js';
import { createCardAnswers } from './answers.js';
import {
  buttonValue,
  cardEvent,
  MENU_ITEMS,
  menuEvent,
  messageEvent,
  normalizeFormValues,
  stripLeadingMentions,
  type CardAnswer,
  type FeishuWork,
  type MenuEvent,
  type MessageEvent,
} from './shapes.js';

/** How long a card callback may take before we answer "working on it" and finish in the background. */
const CALLBACK_DEADLINE_MS = 2500;

export interface EventDeps {
  core: Core;
  db: Db;
  kickDelivery: () => void;
  /** The bot's own open_id (to recognise its @mention in groups); null when unknown. */
  botOpenId: () => Promise<string | null>;
  /** Downloads a file a person sent (im/v1/messages/{id}/resources/{key}?type=file), at most `maxBytes`. */
  fetchFile?: (messageId: string, fileKey: string, maxBytes: number) => Promise<Buffer>;
  /** Default CALLBACK_DEADLINE_MS; tests shorten it. */
  callbackDeadlineMs?: number;
  /** Stamps the inbox records (default: the system clock). */
  clock?: Clock;
  /** This instance (SurfaceDeps.instanceId): its own unfinished work is replayed at once at its next start. */
  instanceId?: string;
  /** The process's work queue (SurfaceDeps.work); without one, the handlers make their own. */
  work?: WorkQueue;
}

/** Prefix of the delivery ids this surface records. */
export const FEISHU_DELIVERY_PREFIX = 'feishu:';

/** One run of accepted work `id`: whether its done mark committed, and with which answer. */
interface Run {
  id: string;
  committed: boolean;
  answered?: Outcome;
  /** A card callback answered to Feishu before the core finished ("processing"): the result goes privately. */
  late?: boolean;
  /** A form submission's form-instance key (released when the submission is refused). */
  formKey?: string;
}

/** A private answer: a message, or a form card; `key` dedupes it in the outbox. */
type Private = { key: string; message: Message } | { key: string; form: Form };

function hasSubstance(m: Message | undefined): m is Message {
  return Boolean(m && (m.fields?.length || m.sections?.length || m.buttons?.length || (m.text && m.text.length > 80)));
}

export function createEventHandlers(deps: EventDeps) {
  const { core, db } = deps;
  const inbox = createInbox(db, deps.clock ?? systemClock, deps.instanceId);
  // Accepts arriving together are recorded in one statement, like Slack's (src/delivery/ledger.ts).
  const ledger = createLedger(db, deps.clock ?? systemClock, deps.instanceId);
  const work = deps.work ?? createWorkQueue();
  const { answerClick, answerSubmit } = createCardAnswers({ core, db });
  const background = new Set<Promise<unknown>>();

  function track(p: Promise<unknown>) {
    const guarded = p.catch((error) => log.error('feishu.background_failed', { error }));
    background.add(guarded);
    void guarded.finally(() => background.delete(guarded));
  }

  /**
   * Runs accepted work after the answer to Feishu. The core marks it done with its change; work that fails before
   * (after logging) is marked done here — it is not replayed. Work lost with the process stays unfinished and is
   * replayed at start.
   */
  function runWork(name: string, run: Run, job: (run: Run) => Promise<void>): void {
    const perform = async (): Promise<void> => {
      try {
        await job(run);
      } catch (error) {
        if (error instanceof DeliveryAlreadyDone) {
          log.info('feishu.already_done', { job: name });
          return;
        }
        log.error('feishu.background_failed', { job: name, error });
      }
      if (!run.committed) await inbox.done(run.id);
    };
    // Queued with the process's other work; tracked so idle() (tests, stop) waits for it.
    // Refused once the queue was drained at stop: the work stays unfinished and is replayed at the next start.
    track(new Promise<void>((resolve, reject) => work.push(`feishu-${name}`, () => perform().then(resolve, reject)) || resolve()));
  }

  /** Private answers go to the actor as direct messages (through the outbox); dedupe keys make a second queueing a no-op. */
  async function queuePrivately(tx: Tx, actor: Actor, items: Private[]): Promise<void> {
    const person = { platform: 'feishu', workspaceId: actor.workspaceId, userId: actor.userId };
    for (const item of items) {
      if ('form' in item) await directForm(tx, person, item.form, { dedupeKey: item.key });
      else await directMessage(tx, person, item.message, { dedupeKey: item.key });
    }
  }

  /** A command's outcome: the reply and/or the form go to the person privately. */
  function outcomeItems(outcome: Outcome, base: string): Private[] {
    const items: Private[] = [];
    if (outcome.reply) items.push({ key: `${base}:reply`, message: outcome.reply });
    else if (!outcome.openForm && outcome.toast) items.push({ key: `${base}:reply`, message: { tone: outcome.ok ? 'success' : 'danger', text: esc(outcome.toast), summary: outcome.toast } });
    if (outcome.openForm) items.push({ key: `${base}:form`, form: outcome.openForm });
    return items;
  }

  /** An outcome that arrives after the card callback was answered: field errors are said privately (nothing was saved). */
  function lateItems(outcome: Outcome, base: string): Private[] {
    if (outcome.formErrors && Object.keys(outcome.formErrors).length > 0) {
      const text = [outcome.reply?.text ?? esc(outcome.toast ?? ''), ...Object.values(outcome.formErrors)].filter(Boolean).join('\n');
      return [{ key: `${base}:reply`, message: { tone: 'danger', text, summary: plainText(text) } }];
    }
    return outcomeItems(outcome, base);
  }

  /** What a click answered in time says privately besides its toast: a form to fill in, or a substantial reply. */
  function clickItems(outcome: Outcome, base: string): Private[] {
    if (outcome.openForm) return [{ key: `${base}:form`, form: outcome.openForm }];
    return outcome.ok && hasSubstance(outcome.reply) ? [{ key: `${base}:reply`, message: outcome.reply }] : [];
  }

  /**
   * The delivery handed to the core: the done mark and the private answer (`items`) commit with the use-case's
   * change (src/delivery/inbox.ts). A form submission refused (nothing saved) releases its form-instance key, so the
   * same card can be corrected and sent again.
   */
  function deliveryOf(run: Run, actor: Actor, items: (outcome: Outcome) => Private[]): Delivery {
    return {
      async commit(tx, outcome) {
        if (run.formKey && outcome && !outcome.ok && !run.late) {
          await inbox.release(tx, run.formKey);
          if (run.formKey !== run.id) await inbox.commitDone(tx, run.id);
        } else {
          await inbox.commitDone(tx, run.id);
        }
        if (outcome) await queuePrivately(tx, actor, items(outcome));
        crashPoint('core.committing', 'feishu');
        run.committed = true;
        if (outcome) run.answered = outcome;
      },
    };
  }

  /** After the core call: answers what its commit could not (an answer built after the write). */
  async function afterCall(actor: Actor, outcome: Outcome, run: Run, items: (outcome: Outcome) => Private[]): Promise<void> {
    const said = run.answered === outcome ? [] : items(outcome);
    if (said.length > 0) await db.write((tx) => queuePrivately(tx, actor, said));
    deps.kickDelivery();
  }

  /** "Working on it" notes for long work (usecases/progress.ts): a private message, like the result that follows. */
  function progressFor(actor: Actor, base: string): Progress {
    return async (message) => {
      await db.write((tx) => queuePrivately(tx, actor, [{ key: `${base}:progress`, message }]));
      deps.kickDelivery();
    };
  }

  /**
   * An outcome that asks for a file to be imported: fetch it from Feishu and import it; else the outcome as is. The
   * request is done already (its first step committed): the import replaces the year's draft, so it is safe to
   * repeat, and a crash before it loses only the import (the person sends the file again).
   */
  async function withImport(actor: Actor, outcome: Outcome, base: string): Promise<Outcome> {
    const want = outcome.importFile;
    if (!want || !core.importPlan) return outcome;
    let bytes: Buffer;
    try {
      if (!deps.fetchFile) throw new Error('no file access');
      bytes = await deps.fetchFile(want.messageId, want.fileKey, MAX_IMPORT_BYTES);
    } catch (error) {
      const locale = await core.locale();
      const tooLarge = error instanceof FileTooLarge;
      log.warn('feishu.file_fetch_failed', { messageId: want.messageId, tooLarge });
      const reason = t(locale, tooLarge ? 'plan.import.too_large' : 'plan.import.download_failed', { max: '5 MB' });
      const text = t(locale, 'plan.import.refused', { year: want.year, reason: markup(reason) });
      return { ok: false, reply: { tone: 'danger', text, summary: plainText(text) }, locale };
    }
    return core.importPlan(actor, want.year, { name: want.name, bytes }, { progress: progressFor(actor, base) });
  }

  // ---- im.message.receive_v1 ----

  async function handleMessage(e: MessageEvent, run: Run): Promise<void> {
    const { message, sender } = e;
    if (sender.sender_type && sender.sender_type !== 'user') return; // other bots, the bot itself
    const isGroup = message.chat_type !== 'p2p';
    const actor: Actor = { platform: 'feishu', workspaceId: e.tenant_key, userId: sender.sender_id.open_id, channelId: message.chat_id, directChat: !isGroup };
    const base = `feishu:msg:${message.message_id}`;

    if (message.message_type === 'file' && !isGroup && core.planFileArrived) {
      // A spreadsheet sent in the DM just before or after `/budget plan import` is the import.
      let file: { file_key?: unknown; file_name?: unknown } = {};
      try {
        file = JSON.parse(message.content) as typeof file;
      } catch {
        /* not a file message after all */
      }
      if (typeof file.file_key === 'string') {
        const ref = { messageId: message.message_id, fileKey: file.file_key, name: typeof file.file_name === 'string' ? file.file_name : 'plan' };
        const items = (o: Outcome) => outcomeItems(o, base);
        const outcome = await core.planFileArrived(actor, ref, { delivery: deliveryOf(run, actor, items) });
        await afterCall(actor, await withImport(actor, outcome, base), run, items);
        return;
      }
    }
    if (message.message_type !== 'text') {
      if (!isGroup) {
        const locale = await core.locale();
        const text = t(locale, 'feishu.text_only');
        await db.write(async (tx) => {
          await inbox.commitDone(tx, run.id);
          await queuePrivately(tx, actor, [{ key: `${base}:reply`, message: { tone: 'info', text, summary: plainText(text) } }]);
        });
        run.committed = true;
        deps.kickDelivery();
      }
      return;
    }
    let text = '';
    try {
      const parsed = JSON.parse(message.content) as { text?: unknown };
      text = typeof parsed.text === 'string' ? parsed.text : '';
    } catch {
      return;
    }
    const mentions = message.mentions ?? [];
    const botId = mentions.length ? await deps.botOpenId() : null;
    const botKeys = new Set<string>();
    for (const m of mentions) {
      if (botId ? m.id?.open_id === botId : text.trimStart().startsWith(m.key) && botKeys.size === 0) botKeys.add(m.key);
    }
    if (isGroup && botKeys.size === 0) return; // in a group the bot answers only when @mentioned
    for (const key of botKeys) text = text.split(key).join(' ');
    // Spaces are collapsed; line breaks and tabs stay (rows pasted after `/budget plan import`).
    text = stripLeadingMentions(text, mentions.map((m) => m.key)).replace(/[^\S\n\t]+/g, ' ').replace(/ *\n */g, '\n').trim();
    if (text === '') text = 'help';
    const others: Record<string, { userId: string; name?: string }> = {};
    for (const m of mentions) {
      if (botKeys.has(m.key) || !m.id?.open_id) continue;
      others[m.key] = m.name ? { userId: m.id.open_id, name: m.name } : { userId: m.id.open_id };
    }
    log.info('feishu.command', { tenant: actor.workspaceId, userId: actor.userId, chatType: message.chat_type });
    const items = (o: Outcome) => outcomeItems(o, base);
    const outcome = await core.command(actor, text, { mentions: others, delivery: deliveryOf(run, actor, items), progress: progressFor(actor, base) });
    await afterCall(actor, await withImport(actor, outcome, base), run, items);
  }

  // ---- application.bot.menu_v6 ----

  async function handleMenu(e: MenuEvent, run: Run): Promise<void> {
    const actor: Actor = { platform: 'feishu', workspaceId: e.tenant_key, userId: e.operator.operator_id.open_id };
    const item = MENU_ITEMS[e.event_key];
    const items = (o: Outcome) => outcomeItems(o, `feishu:menu:${e.event_id}`);
    const opts = { delivery: deliveryOf(run, actor, items) };
    const outcome = !item
      ? await core.action(actor, e.event_key.startsWith('form.open:') ? e.event_key : `form.open:${e.event_key}`, opts)
      : item.action
        ? await core.action(actor, item.action, opts)
        : await core.command(actor, item.command!, opts);
    await afterCall(actor, outcome, run, items);
  }

  // ---- card.action.trigger ----

  /** A card callback's work, from its button value; null when the value is not one of ours. */
  function prepareCard(e: z.infer<typeof cardEvent>): { work: Extract<FeishuWork, { kind: 'card' }> } | null {
    const tenant = e.tenant_key ?? e.operator.tenant_key ?? '';
    const actor: Actor = { platform: 'feishu', workspaceId: tenant, userId: e.operator.open_id, channelId: e.context?.open_chat_id };
    let rawValue = e.action.value;
    if (typeof rawValue === 'string') {
      try {
        rawValue = JSON.parse(rawValue);
      } catch {
        /* validated below */
      }
    }
    const parsed = buttonValue.safeParse(rawValue);
    if (!parsed.success || !tenant) return null;
    const base = `feishu:card:${e.event_id ?? sha256Hex(JSON.stringify([e.context, e.action, e.operator.open_id, e.token]))}`;
    const value = parsed.data;
    return 'action' in value
      ? { work: { kind: 'card', actor, base, action: value.action } }
      : { work: { kind: 'card', actor, base, form: value.form, session: value.fs, values: normalizeFormValues(e.action.form_value) } };
  }

  /** The core's part of a card callback (a click or a submission). */
  function runCard(w: Extract<FeishuWork, { kind: 'card' }>, delivery: Delivery): Promise<Outcome> {
    return w.action !== undefined ? core.action(w.actor, w.action, { delivery }) : core.submit(w.actor, w.form ?? '', w.values ?? {}, { delivery });
  }

  async function handleCard(run: Run, card: { work: Extract<FeishuWork, { kind: 'card' }> }): Promise<CardAnswer> {
    const { work: w } = card;
    const { actor, base } = w;
    // In time, a click answers with its toast (and a form or long reply privately), a submission with the card;
    // too late, everything goes privately.
    const items = (o: Outcome) => (run.late ? lateItems(o, base) : w.action !== undefined ? clickItems(o, base) : []);
    const work = runCard(w, deliveryOf(run, actor, items));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deps.callbackDeadlineMs ?? CALLBACK_DEADLINE_MS)));
    let first: Outcome | 'late';
    try {
      first = await Promise.race([work, late]);
      // Committed just before the deadline: its answer was chosen already, answer as usual.
      if (first === 'late' && run.committed) first = await work;
    } catch (error) {
      if (error instanceof DeliveryAlreadyDone) return {};
      // Failed before the answer: Feishu shows the person an error and they may try again; nothing to replay.
      await db.write(async (tx) => {
        await inbox.release(tx, run.id);
        if (run.formKey) await inbox.release(tx, run.formKey);
      }).catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (first === 'late') {
      // Answer within Feishu's 3 s; the result reaches the person privately when it is ready.
      run.late = true;
      runWork('card', run, async () => afterCall(actor, await work, run, items));
      const locale = await core.locale();
      return { toast: { type: 'info', content: t(locale, 'feishu.processing') } };
    }
    const outcome = first;
    await afterCall(actor, outcome, run, items);
    return w.action !== undefined ? answerClick(outcome) : answerSubmit(outcome, w);
  }

  /** Replays one piece of unfinished work found at start. */
  function replay(pending: PendingWork): void {
    const w = pending.payload as unknown as FeishuWork;
    const run: Run = { id: pending.id, committed: false };
    switch (w.kind) {
      case 'message':
        return runWork('replay-message', run, (r) => handleMessage(w.event, r));
      case 'menu':
        return runWork('replay-menu', run, (r) => handleMenu(w.event, r));
      case 'card': {
        // The callback was answered already ("processing"): the result goes to the person privately.
        run.late = true;
        const items = (o: Outcome) => lateItems(o, w.base);
        return runWork('replay-card', run, async (r) => afterCall(w.actor, await runCard(w, deliveryOf(r, w.actor, items)), r, items));
      }
      default:
        log.error('feishu.replay_unknown_work', { id: pending.id, kind: pending.payload.kind });
        void inbox.done(pending.id).catch(() => undefined);
    }
  }

  return {
    /** For the SDK's EventDispatcher.register. Each returns `{}` or a card answer, never undefined. */
    handles: {
      'im.message.receive_v1': async (data: unknown) => {
        const e = messageEvent.safeParse(data);
        if (!e.success) {
          log.warn('feishu.bad_event', { type: 'im.message.receive_v1' });
          return {};
        }
        const id = `feishu:evt:${e.data.event_id}`;
        const accepted: FeishuWork = { kind: 'message', event: e.data };
        // Not held back for room in the work queue (Slack's are, src/delivery/workQueue.ts): Feishu's pushes come
        // whatever the ack's speed, so a wait would only bring the ack nearer Feishu's 3 s (an error shown, a re-push).
        if (!(await ledger.claim([id, `feishu:msg:${e.data.message.message_id}`], accepted))) {
          log.info('feishu.duplicate', { eventId: e.data.event_id });
          return {};
        }
        crashPoint('inbox.accepted', 'feishu');
        runWork('message', { id, committed: false }, (run) => handleMessage(e.data, run)); // ack first, work after
        return {};
      },
      'application.bot.menu_v6': async (data: unknown) => {
        const e = menuEvent.safeParse(data);
        if (!e.success) {
          log.warn('feishu.bad_event', { type: 'application.bot.menu_v6' });
          return {};
        }
        const id = `feishu:evt:${e.data.event_id}`;
        if (!(await ledger.claim(id, { kind: 'menu', event: e.data } satisfies FeishuWork))) {
          log.info('feishu.duplicate', { eventId: e.data.event_id });
          return {};
        }
        crashPoint('inbox.accepted', 'feishu');
        runWork('menu', { id, committed: false }, (run) => handleMenu(e.data, run));
        return {};
      },
      'card.action.trigger': async (data: unknown): Promise<CardAnswer> => {
        const e = cardEvent.safeParse(data);
        if (!e.success) {
          log.warn('feishu.bad_event', { type: 'card.action.trigger' });
          return {};
        }
        const card = prepareCard(e.data);
        const messageId = e.data.context?.open_message_id;
        // A form submission is keyed by its form instance (the card's message + form + who), so a double click or a
        // second submit of the same card acts once; a click by the click (value + Feishu's per-click token).
        const key =
          card?.work.form !== undefined && messageId
            ? `feishu:form:${sha256Hex(JSON.stringify([messageId, card.work.form, e.data.operator.open_id]))}`
            : `feishu:card:${sha256Hex(JSON.stringify([messageId ?? '', e.data.action.value ?? null, e.data.action.form_value ?? null, e.data.operator.open_id, e.data.token ?? '']))}`;
        const ids = e.data.event_id ? [`feishu:evt:${e.data.event_id}`, key] : [key];
        // Recorded before the core runs: should the process die after the callback was answered, it is replayed.
        if (!(await ledger.claim(ids, card?.work))) {
          log.info('feishu.duplicate', { eventId: e.data.event_id });
          return {};
        }
        crashPoint('inbox.accepted', 'feishu');
        if (!card) {
          await inbox.done(ids[0]!);
          const locale = await core.locale();
          return { toast: { type: 'error', content: t(locale, 'feishu.bad_action') } };
        }
        return handleCard({ id: ids[0]!, committed: false, formKey: card.work.form !== undefined ? key : undefined }, card);
      },
    },
    /** Replays work accepted before a crash and never finished (call once at start). */
    replay(): Promise<ReplayHandle> {
      return inbox.replayPending(FEISHU_DELIVERY_PREFIX, replay);
    },
    /**
     * Waits for work started after an ack (tests and shutdown), at most `timeoutMs` when given; resolves false when
     * work was still running then (it stays unfinished in the inbox and is replayed at the next start).
     */
    async idle(timeoutMs?: number): Promise<boolean> {
      const all = (async () => {
        while (background.size > 0) await Promise.allSettled([...background]);
      })();
      if (timeoutMs === undefined) {
        await all;
        return true;
      }
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([all.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)))]);
      clearTimeout(timer);
      return finished;
    },
  };
}
