// The Feishu (Lark) surface: POST /feishu/events (webhook mode) or the SDK's long connection (FEISHU_MODE=ws),
// the event handlers, and the outbox sender. See docs/feishu.md for the console set-up.
import * as lark from '@larksuiteoapi/node-sdk';
import type { FeishuConfig } from '../../config/env.js';
import { log } from '../../log.js';
import { pruneDeliveries, type ReplayHandle } from '../../delivery/inbox.js';
import { pruneFormSessions } from '../../usecases/formSessions.js';
import type { Surface, SurfaceDeps } from '../surface.js';
import { createEventHandlers, FEISHU_DELIVERY_PREFIX } from './events.js';
import { fetchMessageFile } from './files.js';
import { createFeishuSender, TokenCache } from './sender.js';
import { createWebhookHandler } from './webhook.js';

export function feishuDomain(domain: string): string | lark.Domain {
  if (domain === 'feishu') return lark.Domain.Feishu;
  if (domain === 'lark') return lark.Domain.Lark;
  return domain.replace(/\/+$/, '');
}

/** How long stop() waits for work in progress; what is left is replayed at the next start. */
const STOP_WAIT_MS = 5000;

/** The SDK's own logs, kept out of the way (they may hold request details); ours are structured. */
function sdkLogger() {
  const fmt = (args: unknown[]) =>
    args
      .map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : (a as { message?: string })?.message ?? '[object]'))
      .join(' ')
      .slice(0, 300);
  return {
    error: (...a: unknown[]) => log.debug('feishu.sdk', { level: 'error', msg: fmt(a) }),
    warn: (...a: unknown[]) => log.debug('feishu.sdk', { level: 'warn', msg: fmt(a) }),
    info: () => undefined,
    debug: () => undefined,
    trace: () => undefined,
  };
}

export interface FeishuSurface extends Surface {
  /** Resolves when work started after an ack (text commands, menu clicks) has finished. */
  idle(): Promise<void>;
}

export function createFeishuSurface(deps: SurfaceDeps): FeishuSurface {
  const config = deps.config.feishu as FeishuConfig;
  if (!config) throw new Error('createFeishuSurface: no Feishu configuration');
  const cache = new TokenCache();
  const logger = sdkLogger();
  const client = new lark.Client({
    appId: config.appId,
    appSecret: config.appSecret,
    domain: feishuDomain(config.domain),
    cache,
    logger,
    loggerLevel: lark.LoggerLevel.warn,
  });

  let botOpenId: Promise<string | null> | undefined;
  const getBotOpenId = (): Promise<string | null> => {
    botOpenId ??= (async () => {
      try {
        const res = (await client.request({ method: 'GET', url: 'open-apis/bot/v3/info' })) as { code?: number; bot?: { open_id?: string } };
        if (res?.code === 0 && res.bot?.open_id) return res.bot.open_id;
      } catch (error) {
        log.warn('feishu.bot_info_failed', { error: (error as Error)?.message });
      }
      botOpenId = undefined; // ask again next time
      return null;
    })();
    return botOpenId;
  };

  const events = createEventHandlers({
    core: deps.core,
    db: deps.db,
    clock: deps.clock,
    instanceId: deps.instanceId,
    kickDelivery: deps.kickDelivery,
    ...(deps.work ? { work: deps.work } : {}),
    botOpenId: getBotOpenId,
    fetchFile: (messageId, fileKey, maxBytes) => fetchMessageFile(client, messageId, fileKey, maxBytes),
  });
  const dispatcher = new lark.EventDispatcher({
    verificationToken: config.verificationToken,
    encryptKey: config.encryptKey,
    logger,
    loggerLevel: lark.LoggerLevel.warn,
  }).register(events.handles as unknown as Parameters<lark.EventDispatcher['register']>[0]);

  const webhook = createWebhookHandler({
    config,
    clock: deps.clock,
    async dispatch(payload) {
      // Already verified above (signature, timestamp, token) and decrypted.
      const answer = await dispatcher.invoke(payload, { needCheck: false });
      return answer && typeof answer === 'object' ? answer : {};
    },
  });

  let ws: lark.WSClient | undefined;
  let replaying: ReplayHandle | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  return {
    platform: 'feishu',
    routes: config.mode === 'webhook' ? { 'POST /feishu/events': webhook } : {},
    sender: createFeishuSender(client, cache),
    async start() {
      // Delivery ids are only needed while Feishu may re-push (hours); forget them after a few days.
      pruneTimer = setInterval(() => {
        pruneDeliveries(deps.db, deps.clock, FEISHU_DELIVERY_PREFIX).catch((error) => log.warn('feishu.delivery_prune_failed', { error }));
        pruneFormSessions(deps.db, new Date()).catch((error) => log.warn('feishu.form_session_prune_failed', { error }));
      }, 3600_000);
      pruneTimer.unref();
      // Work acknowledged before a crash (or a stop that could not wait for it) and never finished: run it now.
      try {
        replaying = await events.replay();
      } catch (error) {
        log.error('feishu.replay_failed', { error });
      }
      if (config.mode !== 'ws') return;
      ws = new lark.WSClient({ appId: config.appId, appSecret: config.appSecret, domain: feishuDomain(config.domain), logger, loggerLevel: lark.LoggerLevel.warn });
      await ws.start({ eventDispatcher: dispatcher });
      log.info('feishu.ws_started', { appId: config.appId });
    },
    async stop() {
      clearInterval(pruneTimer);
      replaying?.cancel();
      ws?.close({ force: true });
      ws = undefined;
      if (!(await events.idle(STOP_WAIT_MS))) log.error('feishu.work_unfinished_at_stop', { waitedMs: STOP_WAIT_MS });
    },
    idle: async () => {
      await events.idle();
    },
  };
}
