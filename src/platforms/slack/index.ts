// The Slack surface: a Bolt app whose listeners (listeners/, one file per kind of request) turn slash commands, button
// clicks, options requests, modal submissions and mentions into core calls; a receiver mounted on the shared HTTP
// server (or Socket Mode when SLACK_APP_TOKEN is set); and the PlatformSender that delivers outbox rows through the
// Web API (sender.ts).
//
// Ack path (must stay cheap, see bench/): verify signature (receiver.ts) → wait for room in the work queue (admission,
// at most ADMIT_WAIT_MS: under a flood requests are acknowledged at the speed the work is done,
// src/delivery/workQueue.ts) → record the delivery id with the work it accepts (batched insert into ProcessedDelivery,
// the durable inbox, ledger.ts; a duplicate is acked and dropped) → ack → queue the core work (work.ts). The core call
// carries the delivery: its done mark and the private answer (ephemeral, or a DM) commit in the transaction of the
// use-case's change, so a crash either leaves nothing done (the work is replayed at start) or everything (exactly
// once, src/delivery/inbox.ts); answers go through the outbox, so a Slack outage loses nothing. Modal submissions are
// the exception: validation errors must be in the ack, so the core runs before it (listeners/views.ts).
import { App, SocketModeReceiver } from '@slack/bolt';
import { createInbox, DELIVERY_RECORD_MAX_AGE_MS } from '../../delivery/inbox.js';
import { createWorkQueue } from '../../delivery/workQueue.js';
import { log } from '../../log.js';
import type { Surface, SurfaceDeps } from '../surface.js';
import { createDeliveryLedger, PREFIX as LEDGER_PREFIX } from './ledger.js';
import { registerListeners } from './listeners/index.js';
import { RouteReceiver } from './receiver.js';
import { createSlackClient, createSlackSender, quietLogger } from './sender.js';
import { createChatApi } from './webApi.js';
import { createSlackWorkRunner } from './work.js';

export { decodeSlackText } from './listeners/context.js';
export { modalErrors } from './listeners/views.js';
export type { SlackWork } from './work.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export function createSlackSurface(deps: SurfaceDeps): Surface {
  const cfg = deps.config.slack;
  if (!cfg) throw new Error('createSlackSurface: no Slack configuration');
  const { core, db, clock } = deps;
  const client = createSlackClient(cfg.botToken, cfg.apiUrl);
  // Posting and updating messages bypass the WebClient (webApi.ts: the delivery's hot calls); the rest uses it.
  const chat = createChatApi(cfg.botToken, cfg.apiUrl);
  const sender = createSlackSender(client, { apiUrl: cfg.apiUrl, chat });
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
    const r = await chat.authTest();
    if (r.ok) {
      const who = r.res as { user_id?: string; bot_id?: string };
      identity = { botId: who.bot_id, botUserId: who.user_id };
    } else {
      log.warn('slack.auth_test_failed', { error: r.error });
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

  const runner = createSlackWorkRunner(deps, { client, inbox, work, botToken: cfg.botToken, apiUrl: cfg.apiUrl });
  registerListeners(app, { core, db, ledger, inbox, work, runner });

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
        replaying = await inbox.replayPending(LEDGER_PREFIX, runner.replay);
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
      chat.close();
    },
  };
}
