// The Slack surface: a Bolt app whose listeners turn slash commands, button clicks and modal submissions into
// core calls, a receiver mounted on the shared HTTP server (or Socket Mode when SLACK_APP_TOKEN is set), and the
// PlatformSender that delivers outbox rows through the Web API.
//
// Ack path (must stay cheap, see bench/): verify signature → wait for room in the work queue (admission, at most
// ADMIT_WAIT_MS: under a flood requests are acknowledged at the speed the work is done, src/delivery/workQueue.ts) →
// record the delivery id with the work it accepts (batched insert into ProcessedDelivery, the durable inbox; a
// duplicate is acked and dropped) → ack → queue the core work. The core call carries the delivery: its done mark and
// the private answer (ephemeral, or a DM) commit in the transaction of the use-case's change, so a crash either leaves nothing done (the work is replayed at start) or
// everything (exactly once, src/delivery/inbox.ts); answers go through the outbox, so a Slack outage loses nothing.
// Modal submissions are the exception: validation errors must be in the ack, so the core runs before it (it is fast);
// a submission is keyed by its form instance (view id + hash), so a double click submits once.
import { App, SocketModeReceiver, type AllMiddlewareArgs, type SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Db, Tx } from '../../db/client.js';
import { createInbox, DELIVERY_RECORD_MAX_AGE_MS, type PendingWork } from '../../delivery/inbox.js';
import { crashPoint } from '../../faults.js';
import { t } from '../../i18n/index.js';
import { log } from '../../log.js';
import { markup, plainText } from '../../messages/markup.js';
import type { Message } from '../../messages/model.js';
import { DeliveryAlreadyDone, type Actor, type Delivery, type FormValues, type Outcome, type Progress } from '../../usecases/types.js';
import type { Surface, SurfaceDeps } from '../surface.js';
import { createDeliveryLedger, deliveryId, PREFIX as LEDGER_PREFIX } from './ledger.js';
import { RouteReceiver } from './receiver.js';
import { parseModalMeta, readViewValues, renderModal, slackOption, toPlain } from './render.js';
import { createSlackClient, createSlackSender, quietLogger } from './sender.js';
import { DownloadRefused, downloadSlackFile } from './files.js';
import { MAX_IMPORT_BYTES } from '../../sheets/import.js';

import { createWorkQueue } from '../../delivery/workQueue.js';

/** The form whose submission carries a file (src/usecases/plan). */
const PLAN_IMPORT_FORM = 'plan.import';

export const SLACK_EVENTS_PATH = '/slack/events';
/** How long a submission may take before the modal is closed and the answer sent later (Slack allows 3 s). */
const SUBMIT_DEADLINE_MS = 2500;
/** The longest a command or click waits for room in the work queue before it is recorded and acknowledged. */
const ADMIT_WAIT_MS = 1000;

/** The work a delivery accepted, as recorded in the inbox (ProcessedDelivery.payload) and replayed after a crash. */
export type SlackWork =
  | { kind: 'command'; actor: Actor; text: string; triggerId?: string }
  | { kind: 'action'; actor: Actor; ref: string; triggerId?: string }
  | { kind: 'mention'; actor: Actor; text: string }
  /** A modal submission: the core runs before the ack; its answer (or, when slow, the whole outcome) comes after. */
  | { kind: 'submit'; actor: Actor; form: string; values: FormValues };

/** Slack escapes `&`, `<` and `>` in command and message text; `&amp;` is decoded last (so `&amp;lt;` stays `&lt;`). */
export function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** One run of accepted work `id`: whether its done mark committed, and with which answer. */
interface Run {
  id: string;
  committed: boolean;
  answered?: Outcome;
  /** A submission answered to Slack before the core finished (the modal is closed already). */
  late?: boolean;
}

function hasFormErrors(outcome: Outcome): boolean {
  return Boolean(outcome.formErrors && Object.keys(outcome.formErrors).length > 0);
}

/** A submission's outcome said privately (the modal is closed): field errors included — nothing was saved. */
function lateSubmitAnswers(outcome: Outcome): Message[] {
  if (hasFormErrors(outcome)) {
    const text = [outcome.reply?.text, ...Object.values(outcome.formErrors!)].filter(Boolean).join('\n');
    return [{ tone: 'danger', text, summary: plainText(text) }];
  }
  return outcome.reply ? [outcome.reply] : [];
}

export function createSlackSurface(deps: SurfaceDeps): Surface {
  const cfg = deps.config.slack;
  if (!cfg) throw new Error('createSlackSurface: no Slack configuration');
  const { core, db, clock } = deps;
  const client = createSlackClient(cfg.botToken, cfg.apiUrl);
  const sender = createSlackSender(client, { apiUrl: cfg.apiUrl });
  const ledger = createDeliveryLedger(db, clock, deps.instanceId);
  const inbox = createInbox(db, clock, deps.instanceId);
  const socketMode = Boolean(cfg.appToken);
  const routeReceiver = socketMode ? undefined : new RouteReceiver({ signingSecret: cfg.signingSecret });
  const ownWork = deps.work ? undefined : createWorkQueue();
  const work = deps.work ?? ownWork!;
  // Socket Mode's own Web API client (apps.connections.open, with the app-level token) only sees SLACK_API_URL
  // through installerOptions.clientOptions; without it, it would always dial slack.com.
  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: cfg.appToken!,
        logger: quietLogger as never,
        installerOptions: cfg.apiUrl ? { clientOptions: { slackApiUrl: cfg.apiUrl } } : undefined,
      })
    : routeReceiver!;

  // Who the bot is (for Bolt's ignoreSelf): auth.test once, lazily; a failure is not fatal and is retried later.
  let identity: { botId?: string; botUserId?: string } | undefined;
  let identityAt = 0;
  async function whoAmI(): Promise<{ botId?: string; botUserId?: string }> {
    if (identity && (identity.botUserId || Date.now() - identityAt < 60_000)) return identity;
    identityAt = Date.now();
    try {
      const r = (await client.auth.test()) as { user_id?: string; bot_id?: string };
      identity = { botId: r.bot_id, botUserId: r.user_id };
    } catch (error) {
      log.warn('slack.auth_test_failed', { error: (error as Error).message });
      identity = {};
    }
    return identity;
  }
  let identityPromise: Promise<{ botId?: string; botUserId?: string }> | undefined;

  const app = new App({
    receiver,
    authorize: async () => {
      if (!identity?.botUserId) {
        identityPromise ??= whoAmI().finally(() => (identityPromise = undefined));
        // Never make an ack wait for auth.test for long.
        await Promise.race([identityPromise, new Promise((r) => setTimeout(r, 500))]);
      }
      return { botToken: cfg.botToken, botId: identity?.botId, botUserId: identity?.botUserId };
    },
    clientOptions: { slackApiUrl: cfg.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true },
    logger: quietLogger as never,
    convoStore: false,
  });

  // ------------------------------------------------------------------------------------- answering

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
  function deliveryOf(run: Run, actor: Actor, answers: (outcome: Outcome) => Message[] | 'release'): Delivery {
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

  /** After the core call: opens the modal, and answers what the commit could not (an answer built after the write). */
  async function afterCall(actor: Actor, outcome: Outcome, run: Run, triggerId: string | undefined, answers: (o: Outcome) => Message[] | 'release'): Promise<void> {
    deps.kickDelivery();
    const said = run.answered === outcome ? [] : answers(outcome);
    if (said !== 'release') await answerPrivately(actor, said, `${run.id}:late`);
    if (outcome.openForm && triggerId) await openModal(actor, triggerId, outcome, run);
  }

  /** Runs the core for accepted work and answers; used right after the ack and again by a replay. */
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
  function pushWork(id: string, name: string, job: (run: Run) => Promise<void>, run: Run = { id, committed: false }): void {
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

  /** Replays one piece of unfinished work found at start. */
  function replay(pending: PendingWork): void {
    const w = pending.payload as unknown as SlackWork;
    if (!w.actor || !['command', 'action', 'mention', 'submit'].includes(w.kind)) {
      log.error('slack.replay_unknown_work', { id: pending.id, kind: pending.payload.kind });
      void inbox.done(pending.id).catch(() => undefined);
      return;
    }
    // Trigger ids have expired: a form cannot open (the person is told so).
    const replayed = w.kind === 'command' || w.kind === 'action' ? { ...w, triggerId: undefined } : w;
    pushWork(pending.id, `replay-${w.kind}`, (run) => perform(replayed, run));
  }

  /**
   * `/budget plan import` through the modal: downloads the file_input's file (url_private_download, with the bot
   * token, only from Slack's file host or SLACK_API_URL's origin) and imports it; answers privately.
   */
  async function importFromModal(actor: Actor, values: FormValues, run: Run): Promise<void> {
    const refusal = await importFile(actor, values);
    if ('refused' in refusal) {
      await db.write(async (tx) => {
        await inbox.commitDone(tx, run.id);
        await queueAnswers(tx, actor, refusal.refused, run.id);
      });
      run.committed = true;
      deps.kickDelivery();
      return;
    }
    const answers = (o: Outcome) => (o.reply ? [o.reply] : []);
    const outcome = await core.importPlan!(actor, refusal.year, refusal.file, { delivery: deliveryOf(run, actor, answers), progress: progressFor(actor, run.id) });
    await afterCall(actor, outcome, run, undefined, answers);
  }

  /** The modal's file, downloaded, or why not. */
  async function importFile(actor: Actor, values: FormValues): Promise<{ refused: Message[] } | { year: number | undefined; file: { name: string; bytes: Buffer } }> {
    const locale = await core.locale();
    const raw = Array.isArray(values.file) ? values.file[0] : values.file;
    const yearText = String(Array.isArray(values.year) ? values.year[0] : (values.year ?? '')).trim();
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : undefined;
    const refused = (reasonKey: string, params: Record<string, string | number> = {}): { refused: Message[] } => {
      const text = t(locale, 'plan.import.refused', { year: year ?? yearText, reason: markup(t(locale, reasonKey, params)) });
      return { refused: [{ tone: 'danger', text, summary: plainText(text) }] };
    };
    let file: { name: string; url: string; size: number };
    try {
      file = JSON.parse(String(raw ?? '')) as { name: string; url: string; size: number };
    } catch {
      return refused('plan.import.no_file');
    }
    if (!file?.url) return refused('plan.import.no_file');
    if (file.size > MAX_IMPORT_BYTES) return refused('plan.import.too_large', { max: '5 MB' });
    let bytes: Buffer;
    try {
      bytes = await downloadSlackFile(file.url, cfg!.botToken, cfg!.apiUrl, MAX_IMPORT_BYTES);
    } catch (error) {
      if (error instanceof DownloadRefused && error.reason === 'too_large') return refused('plan.import.too_large', { max: '5 MB' });
      if (error instanceof DownloadRefused && error.reason === 'host') log.error('slack.download_host_refused', { userId: actor.userId });
      return refused('plan.import.download_failed');
    }
    return { year, file: { name: String(file.name ?? 'plan'), bytes } };
  }

  // ---------------------------------------------------------------------------------- slash commands

  app.command(/^\/.+/, async ({ command, ack }) => {
    const id = deliveryId('cmd', command.team_id, command.user_id, command.trigger_id);
    const actor: Actor = {
      platform: 'slack',
      workspaceId: command.team_id,
      userId: command.user_id,
      displayName: command.user_name,
      channelId: command.channel_id,
    };
    const text = decodeSlackText(`${command.command} ${command.text ?? ''}`.trim());
    const w: SlackWork = { kind: 'command', actor, text, triggerId: command.trigger_id };
    await work.admit(ADMIT_WAIT_MS);
    const fresh = await ledger.claim(id, w);
    crashPoint('inbox.accepted', 'slack');
    await ack();
    if (!fresh) {
      log.info('slack.duplicate', { kind: 'command', command: command.command });
      return;
    }
    pushWork(id, 'command', (run) => perform(w, run));
  });

  // ----------------------------------------------------------------------------------- button clicks

  app.action(/.*/, async (args: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
    const { body, action, ack } = args;
    if (body.type !== 'block_actions' || action.type !== 'button') {
      await ack(); // selects inside modals etc.: nothing to do until the form is submitted
      return;
    }
    const team = body.team?.id ?? body.user.team_id ?? '';
    const button = action as { value?: string; action_id: string; action_ts: string };
    const ref = button.value ?? button.action_id;
    const id = deliveryId('act', team, body.user.id, body.trigger_id ?? `${button.action_ts}:${button.action_id}`);
    const actor: Actor = {
      platform: 'slack',
      workspaceId: team,
      userId: body.user.id,
      displayName: body.user.name ?? body.user.username,
      channelId: body.channel?.id,
    };
    const w: SlackWork = { kind: 'action', actor, ref, triggerId: body.trigger_id };
    await work.admit(ADMIT_WAIT_MS);
    const fresh = await ledger.claim(id, w);
    crashPoint('inbox.accepted', 'slack');
    await ack();
    if (!fresh) {
      log.info('slack.duplicate', { kind: 'action', ref });
      return;
    }
    pushWork(id, 'action', (run) => perform(w, run));
  });

  // --------------------------------------------------------------------- options of external selects

  // A select with more options than Slack lets a modal carry (100) is an external select: Slack asks for the options
  // matching what the person types (answered within the ack; a read of the form's options, nothing written).
  app.options({ type: 'block_suggestion' }, async ({ body, ack }) => {
    const b = body as { action_id?: string; value?: string; team?: { id?: string } | null; user?: { id: string; team_id?: string }; view?: { private_metadata?: string; callback_id?: string } };
    const meta = parseModalMeta(b.view?.private_metadata, b.view?.callback_id);
    if (!meta || !b.user || !b.action_id) {
      await ack({ options: [] });
      return;
    }
    const actor: Actor = { platform: 'slack', workspaceId: b.team?.id ?? b.user.team_id ?? '', userId: b.user.id, channelId: meta.channelId };
    const options = (await core.options?.(actor, meta.form, b.action_id, String(b.value ?? ''))) ?? [];
    await ack({ options: options.map(slackOption) } as never);
  });

  // ------------------------------------------------------------------------------- modal submissions

  app.view({ type: 'view_submission', callback_id: /.*/ }, async ({ body, view, ack }) => {
    const meta = parseModalMeta(view.private_metadata, view.callback_id);
    const team = body.team?.id ?? body.user.team_id ?? '';
    const actor: Actor = {
      platform: 'slack',
      workspaceId: team,
      userId: body.user.id,
      displayName: body.user.name,
      channelId: meta?.channelId,
    };
    if (!meta) {
      await ack();
      return;
    }
    // The form instance: the same view (id + hash) submitted twice — a double click — is one submission.
    const id = deliveryId('view', team, view.id, view.hash);
    const values = readViewValues(view.state);
    const w: SlackWork = { kind: 'submit', actor, form: meta.form, values };
    // Recorded before the core runs: should the process die after the modal was closed, the submission is replayed.
    const fresh = await ledger.claim(id, w);
    crashPoint('inbox.accepted', 'slack');
    if (!fresh) {
      await ack();
      log.info('slack.duplicate', { kind: 'view_submission', form: meta.form });
      return;
    }

    if (meta.form === PLAN_IMPORT_FORM) {
      // The file is fetched from Slack and read after the ack: the modal closes, the answer comes privately.
      await ack();
      pushWork(id, 'plan-import', (run) => importFromModal(actor, values, run));
      return;
    }

    const run: Run = { id, committed: false };
    const answers = (o: Outcome): Message[] | 'release' =>
      run.late ? lateSubmitAnswers(o) : hasFormErrors(o) ? 'release' : o.reply ? [o.reply] : [];
    const submitting = core.submit(actor, meta.form, values, { delivery: deliveryOf(run, actor, answers) });
    let early: Outcome | null;
    try {
      early = await Promise.race([submitting, new Promise<null>((r) => setTimeout(() => r(null), SUBMIT_DEADLINE_MS))]);
      // Committed just before the deadline: its answer was chosen already, answer as usual.
      if (early === null && run.committed) early = await submitting;
    } catch (error) {
      await ack();
      if (error instanceof DeliveryAlreadyDone) return;
      // Failed before the ack: the modal stays open and the person may submit again; nothing to replay.
      await db.write((tx) => inbox.release(tx, id)).catch(() => undefined);
      throw error;
    }
    if (early === null) {
      // Slow: close the modal now, answer privately when the core is done.
      run.late = true;
      await ack();
      pushWork(id, 'submit', async () => afterCall(actor, await submitting, run, undefined, answers), run);
      return;
    }
    const outcome = early;
    if (hasFormErrors(outcome)) {
      await ack({ response_action: 'errors', errors: modalErrors(view.blocks as { type: string; block_id?: string }[], outcome.formErrors!) });
      return;
    }
    if (outcome.openForm) {
      // A follow-up form (e.g. "request the shortfall"): replace the modal.
      await ack({ response_action: 'update', view: renderModal(outcome.openForm, { form: outcome.openForm.id, channelId: meta.channelId }) as never });
    } else {
      await ack();
    }
    pushWork(id, 'submit-reply', async () => afterCall(actor, outcome, run, undefined, answers), run);
  });

  // ------------------------------------------------------------------------------------------ events

  // "@bot budget" in a channel works like "/budget" (events are acked by Bolt before listeners run).
  app.event('app_mention', async ({ event, body }) => {
    const team = (body as { team_id?: string }).team_id ?? event.team ?? '';
    const eventId = (body as { event_id?: string }).event_id;
    if (!event.user) return;
    const id = deliveryId('evt', team, eventId ?? `${event.channel}:${event.ts}`);
    const text = decodeSlackText(event.text.replace(/<@[UW][A-Z0-9]+>/g, '').trim());
    const actor: Actor = { platform: 'slack', workspaceId: team, userId: event.user, channelId: event.channel };
    const w: SlackWork = { kind: 'mention', actor, text: text.startsWith('/') ? text : `/${text || 'mkt help'}` };
    if (!(await ledger.claim(id, w))) return;
    crashPoint('inbox.accepted', 'slack');
    pushWork(id, 'mention', (run) => perform(w, run));
  });

  app.error(async (error) => {
    log.error('slack.listener_failed', { error });
  });

  let pruneTimer: NodeJS.Timeout | undefined;
  let replaying: { cancel(): void } | undefined;

  return {
    platform: 'slack',
    routes: routeReceiver ? { [`POST ${SLACK_EVENTS_PATH}`]: routeReceiver.handle } : {},
    sender,
    async start() {
      void whoAmI();
      if (socketMode) await app.start();
      const prune = () =>
        ledger.prune(DELIVERY_RECORD_MAX_AGE_MS).catch((error) => log.warn('slack.ledger_prune_failed', { error }));
      pruneTimer = setInterval(prune, 3600_000);
      pruneTimer.unref();
      // Work acknowledged before a crash (or a stop that could not wait for it) and never finished: run it now.
      try {
        replaying = await inbox.replayPending(LEDGER_PREFIX, replay);
      } catch (error) {
        log.error('slack.replay_failed', { error });
      }
      log.info('slack.started', { mode: socketMode ? 'socket' : 'http', path: socketMode ? undefined : SLACK_EVENTS_PATH });
    },
    async stop() {
      clearInterval(pruneTimer);
      replaying?.cancel();
      if (socketMode) await app.stop();
      await ownWork?.drain(5000);
    },
  };
}

/** Maps the core's per-field errors to the modal's block ids; an error for a field not in the modal goes on the first input. */
export function modalErrors(blocks: { type: string; block_id?: string }[], formErrors: Record<string, string>): Record<string, string> {
  const inputs = blocks.filter((b) => b.type === 'input' && b.block_id).map((b) => b.block_id!);
  const errors: Record<string, string> = {};
  const stray: string[] = [];
  for (const [field, text] of Object.entries(formErrors)) {
    if (inputs.includes(field)) errors[field] = toPlain(text).slice(0, 2000);
    else stray.push(toPlain(text));
  }
  if (stray.length > 0 && inputs[0]) {
    errors[inputs[0]] = [errors[inputs[0]], ...stray].filter(Boolean).join(' / ').slice(0, 2000);
  }
  return errors;
}

/** An outbox row with a private answer: ephemeral to "<channel>/<user>", or a DM when the chat is unknown. */
async function enqueueAnswerTx(tx: Tx, actor: Actor, message: Message, dedupeKey: string): Promise<void> {
  if (await tx.outboxMessage.findUnique({ where: { dedupeKey }, select: { id: true } })) return;
  await tx.outboxMessage.create({
    data: {
      platform: 'slack',
      workspaceId: actor.workspaceId,
      kind: actor.channelId ? 'ephemeral' : 'dm',
      target: actor.channelId ? `${actor.channelId}/${actor.userId}` : actor.userId,
      payload: JSON.stringify({ message }),
      status: 'pending',
      dedupeKey,
    },
  });
}
