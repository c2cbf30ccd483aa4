// The Slack surface: a Bolt app whose listeners turn slash commands, button clicks and modal submissions into
// core calls, a receiver mounted on the shared HTTP server (or Socket Mode when SLACK_APP_TOKEN is set), and the
// PlatformSender that delivers outbox rows through the Web API.
//
// Ack path (must stay cheap, see bench/slack.ts): verify signature → record the delivery id (batched insert into
// ProcessedDelivery; a duplicate is acked and dropped) → ack → queue the core work. Answers for one person go through
// the outbox as ephemeral messages (or DMs), so a Slack outage loses nothing. Modal submissions are the exception:
// validation errors must be in the ack, so the core runs before it (it is fast).
import { App, SocketModeReceiver, type AllMiddlewareArgs, type SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Db } from '../../db/client.js';
import { t } from '../../i18n/index.js';
import { log } from '../../log.js';
import type { Message } from '../../messages/model.js';
import type { Actor, Outcome } from '../../usecases/types.js';
import type { Surface, SurfaceDeps } from '../surface.js';
import { createDeliveryLedger, deliveryId } from './ledger.js';
import { RouteReceiver } from './receiver.js';
import { parseModalMeta, readViewValues, renderModal, toPlain } from './render.js';
import { createSlackClient, createSlackSender, quietLogger } from './sender.js';
import { createWorkQueue } from './work.js';

export const SLACK_EVENTS_PATH = '/slack/events';
/** How long a submission may take before the modal is closed and the answer sent later (Slack allows 3 s). */
const SUBMIT_DEADLINE_MS = 2500;
const LEDGER_MAX_AGE_MS = 3 * 24 * 3600_000;

export function createSlackSurface(deps: SurfaceDeps): Surface {
  const cfg = deps.config.slack;
  if (!cfg) throw new Error('createSlackSurface: no Slack configuration');
  const { core, db, clock } = deps;
  const client = createSlackClient(cfg.botToken, cfg.apiUrl);
  const sender = createSlackSender(client);
  const ledger = createDeliveryLedger(db, clock);
  const socketMode = Boolean(cfg.appToken);
  const routeReceiver = socketMode ? undefined : new RouteReceiver({ signingSecret: cfg.signingSecret });
  const work = createWorkQueue({ concurrency: 2, busy: () => routeReceiver?.busy() ?? false, maxDeferMs: 250 });
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: cfg.appToken!, logger: quietLogger as never })
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

  /** Queues a private answer: ephemeral in the chat the person acted in, or a DM when there is no such chat. */
  async function answerPrivately(actor: Actor, message: Message): Promise<void> {
    await enqueueAnswer(db, actor, message);
    deps.kickDelivery();
  }

  async function openModal(actor: Actor, triggerId: string, outcome: Outcome): Promise<boolean> {
    const form = outcome.openForm!;
    try {
      await client.views.open({ trigger_id: triggerId, view: renderModal(form, { form: form.id, channelId: actor.channelId }) as never });
      return true;
    } catch (error) {
      log.warn('slack.views_open_failed', { form: form.id, error: (error as { data?: { error?: string } }).data?.error ?? (error as Error).message });
      const text = t(outcome.locale, 'slack.form_open_failed', { title: form.title });
      await answerPrivately(actor, { tone: 'warning', text, summary: text });
      return false;
    }
  }

  /** Renders an Outcome for the person who acted (after the ack). */
  async function deliver(actor: Actor, outcome: Outcome, triggerId?: string): Promise<void> {
    if (outcome.openForm) {
      if (triggerId) await openModal(actor, triggerId, outcome);
      else {
        const text = t(outcome.locale, 'slack.form_open_failed', { title: outcome.openForm.title });
        await answerPrivately(actor, { tone: 'warning', text, summary: text });
      }
    }
    if (outcome.reply) await answerPrivately(actor, outcome.reply);
  }

  // ---------------------------------------------------------------------------------- slash commands

  app.command(/^\/.+/, async ({ command, ack }) => {
    const id = deliveryId('cmd', command.team_id, command.user_id, command.trigger_id);
    const fresh = await ledger.claim(id);
    await ack();
    if (!fresh) {
      log.info('slack.duplicate', { kind: 'command', command: command.command });
      return;
    }
    const actor: Actor = {
      platform: 'slack',
      workspaceId: command.team_id,
      userId: command.user_id,
      displayName: command.user_name,
      channelId: command.channel_id,
    };
    const text = `${command.command} ${command.text ?? ''}`.trim();
    work.push('command', async () => {
      const outcome = await core.command(actor, text);
      await deliver(actor, outcome, command.trigger_id);
    });
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
    const fresh = await ledger.claim(id);
    await ack();
    if (!fresh) {
      log.info('slack.duplicate', { kind: 'action', ref });
      return;
    }
    const actor: Actor = {
      platform: 'slack',
      workspaceId: team,
      userId: body.user.id,
      displayName: body.user.name ?? body.user.username,
      channelId: body.channel?.id,
    };
    work.push('action', async () => {
      const outcome = await core.action(actor, ref);
      await deliver(actor, outcome, body.trigger_id);
    });
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
    const triggerId = (body as { trigger_id?: string }).trigger_id;
    const fresh = await ledger.claim(deliveryId('view', team, body.user.id, triggerId ?? `${view.id}:${view.hash}`));
    if (!fresh) {
      await ack();
      log.info('slack.duplicate', { kind: 'view_submission', form: meta.form });
      return;
    }

    const values = readViewValues(view.state);
    const submitting = core.submit(actor, meta.form, values);
    const early = await Promise.race([submitting, new Promise<null>((r) => setTimeout(() => r(null), SUBMIT_DEADLINE_MS))]);
    if (early === null) {
      // Slow: close the modal now, answer when the core is done.
      await ack();
      work.push('submit', async () => {
        const late = await submitting;
        if (late.formErrors && Object.keys(late.formErrors).length > 0) {
          // The modal is closed already: say privately what was wrong (nothing was saved).
          const text = [late.reply?.text, ...Object.values(late.formErrors)].filter(Boolean).join('\n');
          await answerPrivately(actor, { tone: 'danger', text, summary: text });
          return;
        }
        await deliver(actor, late);
      });
      return;
    }
    const outcome = early;
    if (outcome.formErrors && Object.keys(outcome.formErrors).length > 0) {
      await ack({ response_action: 'errors', errors: modalErrors(view.blocks as { type: string; block_id?: string }[], outcome.formErrors) });
      return;
    }
    if (outcome.openForm) {
      // A follow-up form (e.g. "request the shortfall"): replace the modal.
      await ack({ response_action: 'update', view: renderModal(outcome.openForm, { form: outcome.openForm.id, channelId: meta.channelId }) as never });
    } else {
      await ack();
    }
    if (outcome.reply) work.push('submit-reply', () => answerPrivately(actor, outcome.reply!));
  });

  // ------------------------------------------------------------------------------------------ events

  // "@bot budget" in a channel works like "/budget" (events are acked by Bolt before listeners run).
  app.event('app_mention', async ({ event, body }) => {
    const team = (body as { team_id?: string }).team_id ?? event.team ?? '';
    const eventId = (body as { event_id?: string }).event_id;
    if (!event.user || !(await ledger.claim(deliveryId('evt', team, eventId ?? `${event.channel}:${event.ts}`)))) return;
    const text = event.text.replace(/<@[UW][A-Z0-9]+>/g, '').trim();
    const actor: Actor = { platform: 'slack', workspaceId: team, userId: event.user, channelId: event.channel };
    work.push('mention', async () => {
      const outcome = await core.command(actor, text.startsWith('/') ? text : `/${text || 'mkt help'}`);
      await deliver(actor, { ...outcome, openForm: undefined });
    });
  });

  app.error(async (error) => {
    log.error('slack.listener_failed', { error });
  });

  let pruneTimer: NodeJS.Timeout | undefined;

  return {
    platform: 'slack',
    routes: routeReceiver ? { [`POST ${SLACK_EVENTS_PATH}`]: routeReceiver.handle } : {},
    sender,
    async start() {
      void whoAmI();
      if (socketMode) await app.start();
      const prune = () =>
        ledger.prune(LEDGER_MAX_AGE_MS).catch((error) => log.warn('slack.ledger_prune_failed', { error }));
      pruneTimer = setInterval(prune, 3600_000);
      pruneTimer.unref();
      log.info('slack.started', { mode: socketMode ? 'socket' : 'http', path: socketMode ? undefined : SLACK_EVENTS_PATH });
    },
    async stop() {
      clearInterval(pruneTimer);
      if (socketMode) await app.stop();
      await work.drain(5000);
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
export async function enqueueAnswer(db: Db, actor: Actor, message: Message): Promise<void> {
  await db.write((tx) =>
    tx.outboxMessage.create({
      data: {
        platform: 'slack',
        workspaceId: actor.workspaceId,
        kind: actor.channelId ? 'ephemeral' : 'dm',
        target: actor.channelId ? `${actor.channelId}/${actor.userId}` : actor.userId,
        payload: JSON.stringify({ message }),
        status: 'pending',
      },
    }),
  );
}
