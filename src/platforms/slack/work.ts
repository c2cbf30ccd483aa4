// Accepted Slack work, run: the core call for a command, click, mention or modal submission, with its private answers.
// A listener records the work (ledger.ts) and acknowledges; then `push` queues it on the process's work queue and
// `perform` runs it. The core call carries the delivery: its done mark and the private answer (ephemeral, or a DM)
// commit in the transaction of the use-case's change, so a crash either leaves nothing done (the work is replayed at
// start, `replay`) or everything (exactly once, src/delivery/inbox.ts).
import type { Tx } from '../../db/client.js';
import type { Inbox, PendingWork } from '../../delivery/inbox.js';
import { queueOnce } from '../../delivery/outboxStore.js';
import type { WorkQueue } from '../../delivery/workQueue.js';
import { crashPoint } from '../../faults.js';
import { t } from '../../i18n/index.js';
import { log } from '../../log.js';
import { markup, plainText } from '../../messages/markup.js';
import type { Message } from '../../messages/model.js';
import { DeliveryAlreadyDone, type Actor, type Delivery, type FormValues, type Outcome, type Progress } from '../../usecases/types.js';
import type { SurfaceDeps } from '../surface.js';
import { downloadPlanFile, PLAN_IMPORT_FORM } from './planImport.js';
import { renderModal } from './modal.js';
import type { createSlackClient } from './sender.js';

type SlackClient = ReturnType<typeof createSlackClient>;

/** The work a delivery accepted, as recorded in the inbox (ProcessedDelivery.payload) and replayed after a crash. */
export type SlackWork =
  | { kind: 'command'; actor: Actor; text: string; triggerId?: string }
  | { kind: 'action'; actor: Actor; ref: string; triggerId?: string }
  | { kind: 'mention'; actor: Actor; text: string }
  /** A modal submission: the core runs before the ack; its answer (or, when slow, the whole outcome) comes after. */
  | { kind: 'submit'; actor: Actor; form: string; values: FormValues };

/** One run of accepted work `id`: whether its done mark committed, and with which answer. */
export interface Run {
  id: string;
  committed: boolean;
  answered?: Outcome;
  /** A submission answered to Slack before the core finished (the modal is closed already). */
  late?: boolean;
}

/** Turns an outcome into the private messages to queue, or 'release' (refused with field errors: nothing saved). */
export type Answers = (outcome: Outcome) => Message[] | 'release';

export function hasFormErrors(outcome: Outcome): boolean {
  return Boolean(outcome.formErrors && Object.keys(outcome.formErrors).length > 0);
}

/** A submission's outcome said privately (the modal is closed): field errors included — nothing was saved. */
export function lateSubmitAnswers(outcome: Outcome): Message[] {
  if (hasFormErrors(outcome)) {
    const text = [outcome.reply?.text, ...Object.values(outcome.formErrors!)].filter(Boolean).join('\n');
    return [{ tone: 'danger', text, summary: plainText(text) }];
  }
  return outcome.reply ? [outcome.reply] : [];
}

export interface SlackWorkRunner {
  /** Runs the core for accepted work and answers; used right after the ack and again by a replay. */
  perform(w: SlackWork, run: Run): Promise<void>;
  /** Queues a job for accepted work `id` (see below). */
  push(id: string, name: string, job: (run: Run) => Promise<void>, run?: Run): void;
  /** Replays one piece of unfinished work found at start. */
  replay(pending: PendingWork): void;
  /** The delivery handed to the core for `run`. */
  deliveryOf(run: Run, actor: Actor, answers: Answers): Delivery;
  /** After the core call: opens the modal, and answers what the commit could not. */
  afterCall(actor: Actor, outcome: Outcome, run: Run, triggerId: string | undefined, answers: Answers): Promise<void>;
  /** `/budget plan import` through the modal: download the file, import it, answer privately. */
  importFromModal(actor: Actor, values: FormValues, run: Run): Promise<void>;
}

export function createSlackWorkRunner(
  deps: SurfaceDeps,
  opts: { client: SlackClient; inbox: Inbox; work: WorkQueue; botToken: string; apiUrl?: string },
): SlackWorkRunner {
  const { core, db } = deps;
  const { client, inbox, work } = opts;

  /** Private answers (ephemeral, or a DM when there is no chat), keyed by the delivery so a second queueing is a no-op. */
  async function queueAnswers(tx: Tx, actor: Actor, messages: Message[], key: string): Promise<void> {
    for (const [i, message] of messages.entries()) await enqueueAnswerTx(tx, actor, message, `${key}:answer:${i}`);
  }

  async function answerPrivately(actor: Actor, messages: Message[], key: string): Promise<void> {
    if (messages.length === 0) return;
    await db.write((tx) => queueAnswers(tx, actor, messages, key));
    deps.kickDelivery();
  }

  /** "Working on it" notes for long work (usecases/progress.ts): a private answer, like the result that follows. */
  function progressFor(actor: Actor, key: string): Progress {
    let n = 0;
    return (message) => answerPrivately(actor, [message], `${key}:progress:${n++}`);
  }

  /** What an Outcome says privately after the ack. `modal`: a form can still open (a fresh trigger id). */
  function privateAnswers(outcome: Outcome, modal: boolean): Message[] {
    const out: Message[] = [];
    if (outcome.openForm && !modal) {
      // E.g. a replay after a restart: the trigger id has expired, so the modal cannot open.
      const text = t(outcome.locale, 'slack.form_open_failed', { title: markup(outcome.openForm.title) });
      out.push({ tone: 'warning', text, summary: plainText(text) });
    }
    if (outcome.reply) out.push(outcome.reply);
    return out;
  }

  /**
   * The delivery handed to the core: the done mark and the private answer commit with the use-case's change
   * (src/delivery/inbox.ts). `answers` turns the outcome into the messages to queue.
   */
  function deliveryOf(run: Run, actor: Actor, answers: Answers): Delivery {
    return {
      async commit(tx, outcome) {
        const said = outcome ? answers(outcome) : [];
        if (said === 'release') {
          // Refused with field errors shown on the modal: nothing was saved, and the same form may be sent again.
          await inbox.release(tx, run.id);
        } else {
          await inbox.commitDone(tx, run.id);
          await queueAnswers(tx, actor, said, run.id);
        }
        crashPoint('core.committing', 'slack');
        run.committed = true;
        if (outcome) run.answered = outcome;
      },
    };
  }

  async function openModal(actor: Actor, triggerId: string, outcome: Outcome, run: Run): Promise<void> {
    const form = outcome.openForm!;
    try {
      await client.views.open({ trigger_id: triggerId, view: renderModal(form, { form: form.id, channelId: actor.channelId }) as never });
    } catch (error) {
      log.warn('slack.views_open_failed', { form: form.id, error: (error as { data?: { error?: string } }).data?.error ?? (error as Error).message });
      const text = t(outcome.locale, 'slack.form_open_failed', { title: markup(form.title) });
      await answerPrivately(actor, [{ tone: 'warning', text, summary: plainText(text) }], `${run.id}:modal`);
    }
  }

  async function afterCall(actor: Actor, outcome: Outcome, run: Run, triggerId: string | undefined, answers: Answers): Promise<void> {
    deps.kickDelivery();
    const said = run.answered === outcome ? [] : answers(outcome);
    if (said !== 'release') await answerPrivately(actor, said, `${run.id}:late`);
    if (outcome.openForm && triggerId) await openModal(actor, triggerId, outcome, run);
  }

  async function perform(w: SlackWork, run: Run): Promise<void> {
    const triggerId = w.kind === 'command' || w.kind === 'action' ? w.triggerId : undefined;
    const answers = (o: Outcome) => (w.kind === 'submit' ? lateSubmitAnswers(o) : privateAnswers(w.kind === 'mention' ? { ...o, openForm: undefined } : o, Boolean(triggerId)));
    const delivery = deliveryOf(run, w.actor, answers);
    let outcome: Outcome;
    switch (w.kind) {
      case 'command':
        outcome = await core.command(w.actor, w.text, { delivery, progress: progressFor(w.actor, run.id) });
        break;
      case 'mention':
        outcome = await core.command(w.actor, w.text, { delivery });
        break;
      case 'action':
        outcome = await core.action(w.actor, w.ref, { delivery });
        break;
      case 'submit':
        if (w.form === PLAN_IMPORT_FORM) return importFromModal(w.actor, w.values, run);
        outcome = await core.submit(w.actor, w.form, w.values, { delivery });
        break;
    }
    await afterCall(w.actor, outcome, run, triggerId, answers);
  }

  /**
   * Queues a job for accepted work `id`. The core marks it done with its change; a job that fails before (after
   * logging) is marked done here — it is not replayed. Work still queued or running when the process dies stays
   * unfinished and is replayed at the next start.
   */
  function push(id: string, name: string, job: (run: Run) => Promise<void>, run: Run = { id, committed: false }): void {
    work.push(name, async () => {
      try {
        await job(run);
      } catch (error) {
        if (error instanceof DeliveryAlreadyDone) {
          log.info('slack.already_done', { job: name });
          return;
        }
        log.error('slack.job_failed', { job: name, error });
      }
      if (!run.committed) await inbox.done(id);
    });
  }

  function replay(pending: PendingWork): void {
    const w = pending.payload as unknown as SlackWork;
    if (!w.actor || !['command', 'action', 'mention', 'submit'].includes(w.kind)) {
      log.error('slack.replay_unknown_work', { id: pending.id, kind: pending.payload.kind });
      void inbox.done(pending.id).catch(() => undefined);
      return;
    }
    // Trigger ids have expired: a form cannot open (the person is told so).
    const replayed = w.kind === 'command' || w.kind === 'action' ? { ...w, triggerId: undefined } : w;
    push(pending.id, `replay-${w.kind}`, (run) => perform(replayed, run));
  }

  async function importFromModal(actor: Actor, values: FormValues, run: Run): Promise<void> {
    const got = await downloadPlanFile(await core.locale(), actor, values, opts.botToken, opts.apiUrl);
    if ('refused' in got) {
      await db.write(async (tx) => {
        await inbox.commitDone(tx, run.id);
        await queueAnswers(tx, actor, got.refused, run.id);
      });
      run.committed = true;
      deps.kickDelivery();
      return;
    }
    const answers = (o: Outcome) => (o.reply ? [o.reply] : []);
    const outcome = await core.importPlan!(actor, got.year, got.file, { delivery: deliveryOf(run, actor, answers), progress: progressFor(actor, run.id) });
    await afterCall(actor, outcome, run, undefined, answers);
  }

  return { perform, push, replay, deliveryOf, afterCall, importFromModal };
}

/** An outbox row with a private answer: ephemeral to "<channel>/<user>", or a DM when the chat is unknown. */
async function enqueueAnswerTx(tx: Tx, actor: Actor, message: Message, dedupeKey: string): Promise<void> {
  const to = actor.channelId ? { kind: 'ephemeral' as const, target: `${actor.channelId}/${actor.userId}` } : { kind: 'dm' as const, target: actor.userId };
  await queueOnce(tx, { platform: 'slack', workspaceId: actor.workspaceId, ...to, dedupeKey }, { message });
}
