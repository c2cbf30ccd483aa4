// The local playground: with no chat platform configured, a web page on 127.0.0.1 drives the same Core as
// Slack and Feishu do — pick a cast member, type commands, click card buttons, fill forms, run scheduled
// jobs — against the same database. Messages for other people go through the outbox like on any platform;
// this surface's sender accepts them, and the page reads what was delivered back from the outbox.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { enqueueChart, textOnly } from '../../delivery/charts.js';
import type { PlatformSender, SendResult } from '../../delivery/types.js';
import type { Locale } from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import { log } from '../../log.js';
import { createScheduler, type Scheduler } from '../../scheduler/index.js';
import { coveredPeriod } from '../../scheduler/periods.js';
import { JOB_NAMES, loadSettings, type JobName } from '../../usecases/settings.js';
import type { Actor, Outcome, Progress } from '../../usecases/types.js';
import { directMessage, ephemeralMessage } from '../../usecases/notify.js';
import type { RouteHandler, Surface, SurfaceDeps } from '../surface.js';
import { CAST_IDS, castMember, dmChannelId, LOCAL_CHANNELS, LOCAL_WORKSPACE, translateMentions, withPlaygroundAdmin } from './cast.js';
import { fileForUser, readFeed, splitEphemeralTarget } from './feed.js';
import { runDemo } from './demo.js';
import { checkRequest, HttpError, readJson, sendJson } from './http.js';
import { COMMAND_MAX, FAVICON_SVG, renderPage } from './page.js';
import { renderForm, renderMessage } from './render.js';
import { markup, plainText } from '../../messages/markup.js';

export { withPlaygroundAdmin } from './cast.js';

/** What a run of a scheduled job reports (the scheduler's RunReport, or a test double). */
export interface LocalJobReport {
  status: 'done' | 'already-done' | 'busy' | 'failed' | 'lost' | 'skipped';
  period: string;
  posts: number;
  error?: string;
  /** For skipped: the purpose of the chat to bind (team, leaders). */
  missing?: string;
}

/** Scheduled jobs the page can run now; with no names the buttons are hidden. */
export interface LocalJobRunner {
  names: readonly string[];
  run(name: string): Promise<LocalJobReport>;
  stop?(): Promise<void>;
}

/**
 * Runs jobs through the real scheduler (no timers of its own: main's scheduler keeps the clock), so a run
 * from the page goes through the JobRun ledger like `npm run job`: once per period.
 */
function schedulerJobs(deps: SurfaceDeps): LocalJobRunner {
  let scheduler: Scheduler | undefined;
  const get = () =>
    (scheduler ??= createScheduler({
      db: deps.db,
      config: { timezone: deps.config.timezone, locale: deps.config.locale, adminUsers: withPlaygroundAdmin(deps.config.adminUsers) },
      clock: deps.clock,
      timers: false,
      onPosted: deps.kickDelivery,
    }));
  return {
    names: JOB_NAMES,
    run: (name) => get().runNow(name as JobName),
    stop: async () => scheduler?.stop(),
  };
}

export interface LocalSurfaceOptions {
  jobs?: LocalJobRunner;
}

const user = z.enum(CAST_IDS);
/** Where a command is typed: one of the playground's channels, or the user's DM with the bot. */
const channel = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const formValue = z.union([z.string().max(10_000), z.array(z.string().max(1_000)).max(50)]);

export const commandBody = z.strictObject({
  user,
  // Up to ~60,000 characters: rows pasted after `/budget plan import`.
  text: z.string().trim().min(1).max(COMMAND_MAX),
  channel: channel.optional(),
});
export const actionBody = z.strictObject({ user, ref: z.string().min(1).max(100), channel: channel.optional() });
export const submitBody = z.strictObject({
  user,
  form: z.string().min(1).max(100),
  values: z.record(z.string().max(100), formValue).refine((v) => Object.keys(v).length <= 100, 'too many fields'),
  channel: channel.optional(),
});
/** A 5 MB file in base64 plus the JSON around it; the importer refuses anything over 5 MB itself. */
const IMPORT_BODY_BYTES = Math.ceil((5 * 1024 * 1024 + 1024) * 4 / 3) + 4096;
export const importBody = z.strictObject({
  user,
  year: z.string().regex(/^(\d{4})?$/),
  name: z.string().min(1).max(200),
  data: z.string().max(IMPORT_BODY_BYTES).regex(/^[A-Za-z0-9+/]*={0,2}$/),
  channel: channel.optional(),
});
const fileQuery = z.object({ user, id: z.coerce.number().int().min(1).max(2_147_483_647) });
const feedQuery = z.object({ user, since: z.coerce.number().int().min(0).max(2_147_483_647).default(0) });

function issuesText(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'local.error.bad_request', { details: issuesText(parsed.error) });
  return parsed.data;
}

function actorFor(userId: string, channelId: string | undefined): Actor {
  const member = castMember(userId);
  return {
    platform: 'local',
    workspaceId: LOCAL_WORKSPACE,
    userId,
    displayName: member?.name ?? userId,
    channelId: channelId && channelId !== 'dm' ? channelId : dmChannelId(userId),
  };
}

/** An Outcome as the page needs it: messages and forms rendered to (escaped) HTML, plus the raw model. */
export function outcomeJson(outcome: Outcome, view: { at: Date; timezone: string }) {
  return {
    ok: outcome.ok,
    locale: outcome.locale,
    timezone: view.timezone,
    at: view.at.toISOString(),
    reply: outcome.reply ? { message: outcome.reply, html: renderMessage(outcome.reply) } : undefined,
    toast: outcome.toast ?? outcome.reply?.summary,
    form: outcome.openForm ? { id: outcome.openForm.id, form: outcome.openForm, html: renderForm(outcome.openForm) } : undefined,
    // The page shows these as text (textContent): markup → plain.
    formErrors: outcome.formErrors ? Object.fromEntries(Object.entries(outcome.formErrors).map(([k, v]) => [k, plainText(v)])) : undefined,
    updatedCard: outcome.updatedCard
      ? { cardKey: outcome.updatedCard.cardKey, message: outcome.updatedCard.message, html: renderMessage(outcome.updatedCard.message) }
      : undefined,
  };
}

export function createLocalSurface(deps: SurfaceDeps, opts: LocalSurfaceOptions = {}): Surface {
  const { core, db } = deps;
  const jobs = opts.jobs ?? schedulerJobs(deps);

  /** The bot's language and time zone as its settings say now (the page follows both). */
  async function view(): Promise<{ locale: Locale; timezone: string }> {
    try {
      const settings = await db.read((tx) => loadSettings(tx, deps.config));
      return { locale: await core.locale(), timezone: settings.timezone };
    } catch {
      return { locale: deps.config.locale, timezone: deps.config.timezone };
    }
  }
  const locale = async () => (await view()).locale;

  /** Wraps a route: request checks, and refusals as localized JSON errors. */
  function route(json: boolean, handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): RouteHandler {
    return async (req, res) => {
      try {
        checkRequest(req, { json });
        await handler(req, res);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        const lang = await locale();
        const close = error.status === 413 ? { connection: 'close' } : undefined;
        sendJson(res, error.status, { ok: false, error: error.code, message: plainText(t(lang, error.code, error.params)) }, close);
        if (close) res.once('finish', () => req.destroy());
      }
    };
  }

  /** "Working on it" notes for long work (usecases/progress.ts): shown only to that person, in the chat they typed in. */
  function progressFor(actor: Actor): Progress {
    return async (message) => {
      const person = { platform: 'local', workspaceId: actor.workspaceId, userId: actor.userId };
      await db.write((tx) =>
        actor.channelId && actor.channelId !== dmChannelId(actor.userId) ? ephemeralMessage(tx, person, actor.channelId, message) : directMessage(tx, person, message),
      );
      deps.kickDelivery();
    };
  }

  async function answer(res: ServerResponse, outcome: Outcome, actor: Actor): Promise<void> {
    // A chart in the answer follows it like on the chat platforms: drawn by the delivery worker, shown in the feed.
    const chart = outcome.reply?.chart;
    if (chart && outcome.reply) {
      const target = `${actor.channelId ?? dmChannelId(actor.userId)}/${actor.userId}`;
      await db.write((tx) =>
        enqueueChart(tx, { platform: 'local', workspaceId: LOCAL_WORKSPACE, kind: 'ephemeral', target }, chart, { outboxId: 0 }, `chart:local:reply:${randomUUID()}`),
      );
      outcome = { ...outcome, reply: textOnly(outcome.reply) };
    }
    // The use-case may have written outbox rows (cards, DMs): deliver them now.
    deps.kickDelivery();
    sendJson(res, 200, outcomeJson(outcome, { at: deps.clock.now(), timezone: (await view()).timezone }));
  }

  function favicon(_req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'image/svg+xml',
      'cache-control': 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
      'content-length': Buffer.byteLength(FAVICON_SVG),
    });
    res.end(FAVICON_SVG);
  }

  const routes: Record<string, RouteHandler> = {
    'GET /': route(false, async (_req, res) => {
      const nonce = randomBytes(16).toString('base64');
      const now = await view();
      const html = renderPage({ nonce, locale: now.locale, timezone: now.timezone, jobs: jobs?.names ?? [] });
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'content-security-policy': [
          "default-src 'none'",
          `script-src 'nonce-${nonce}'`,
          `style-src 'nonce-${nonce}'`,
          "connect-src 'self'",
          "img-src 'self' data:",
          "base-uri 'none'",
          "form-action 'none'",
          "frame-ancestors 'none'",
        ].join('; '),
      });
      res.end(html);
    }),

    'GET /favicon.svg': favicon,
    'GET /favicon.ico': favicon,

    'GET /local/feed': route(false, async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const q = parse(feedQuery, Object.fromEntries(url.searchParams));
      const feed = await readFeed(db, q.user, q.since);
      const now = await view();
      sendJson(res, 200, { ok: true, locale: now.locale, timezone: now.timezone, cursor: feed.cursor, items: feed.items });
    }),

    'GET /local/file': route(false, async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const q = parse(fileQuery, Object.fromEntries(url.searchParams));
      const file = await fileForUser(db, q.id, q.user);
      if (!file) throw new HttpError(404, 'local.error.no_file');
      // ASCII fallback name plus the real (UTF-8) one, as RFC 6266 allows.
      const ascii = file.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
      res.writeHead(200, {
        'content-type': file.mime,
        'content-length': file.bytes.length,
        'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
      });
      res.end(file.bytes);
    }),

    // The plan import's file picker: the file as base64 (at most 5 MB of file), imported like a file sent in chat.
    'POST /local/import': route(true, async (req, res) => {
      const body = parse(importBody, await readJson(req, IMPORT_BODY_BYTES));
      const bytes = Buffer.from(body.data, 'base64');
      const year = body.year ? Number(body.year) : undefined;
      if (!core.importPlan) throw new HttpError(404, 'local.error.bad_request', { details: 'import' });
      const actor = actorFor(body.user, body.channel);
      await answer(res, await core.importPlan(actor, year, { name: body.name, bytes }, { progress: progressFor(actor) }), actor);
    }),

    'POST /local/command': route(true, async (req, res) => {
      const body = parse(commandBody, await readJson(req));
      const { text, mentions } = translateMentions(body.text);
      const actor = actorFor(body.user, body.channel);
      const outcome = await core.command(actor, text, { ...(Object.keys(mentions).length ? { mentions } : {}), progress: progressFor(actor) });
      await answer(res, outcome, actor);
    }),

    'POST /local/action': route(true, async (req, res) => {
      const body = parse(actionBody, await readJson(req));
      const actor = actorFor(body.user, body.channel);
      await answer(res, await core.action(actor, body.ref), actor);
    }),

    'POST /local/submit': route(true, async (req, res) => {
      const body = parse(submitBody, await readJson(req));
      const actor = actorFor(body.user, body.channel);
      await answer(res, await core.submit(actor, body.form, body.values), actor);
    }),

    'POST /local/demo': route(true, async (req, res) => {
      parse(z.strictObject({}), await readJson(req));
      const now = await view();
      const at = deps.clock.now();
      const result = await runDemo({ db, core, now: at, timezone: now.timezone, actorFor });
      deps.kickDelivery();
      const lang = result.steps.findLast((s) => s.outcome)?.outcome?.locale ?? now.locale;
      sendJson(res, 200, {
        ok: result.status !== 'failed',
        status: result.status,
        locale: lang,
        timezone: now.timezone,
        at: at.toISOString(),
        steps: result.steps.map((s) => ({
          text: s.text,
          channel: s.channel,
          skipped: s.skipped,
          ok: s.ok,
          reply: s.outcome?.reply ? { html: renderMessage(s.outcome.reply) } : undefined,
        })),
        message: plainText(t(lang, `local.demo.${result.status === 'done' && result.skipped ? 'done_partly' : result.status}`, { ran: result.ran, skipped: result.skipped, failed: result.failed, total: result.steps.length })),
      });
    }),

    'POST /local/job': route(true, async (req, res) => {
      const names = jobs?.names ?? [];
      const body = await readJson(req);
      if (!jobs || names.length === 0) throw new HttpError(404, 'local.error.no_jobs');
      const { name } = parse(z.strictObject({ name: z.enum(names as [string, ...string[]]) }), body);
      const report = await jobs.run(name);
      deps.kickDelivery();
      log.info('local.job_run', { job: name, status: report.status, period: report.period, posts: report.posts });
      const lang = await locale();
      // Say the period the job covered (the variance report run in November covers October).
      const covers = coveredPeriod(name as JobName, report.period);
      const params = { job: t(lang, `local.job.${name}`), period: covers, posts: report.posts, error: report.error ?? '' };
      const ok = report.status === 'done' || report.status === 'already-done';
      const message = plainText(
        report.status === 'done'
          ? t(lang, report.posts > 0 ? `local.job.done.${name}` : 'local.job.nothing', params)
          : report.status === 'already-done'
            ? t(lang, 'local.job.already', params)
            : report.status === 'skipped'
              ? t(lang, 'local.job.skipped', { ...params, missing: report.missing ?? 'team', purpose: t(lang, `channel.purpose.${report.missing ?? 'team'}`) })
            : t(lang, 'local.job.failed', { ...params, detail: markup(t(lang, `local.job.status.${report.status}`, params)) }),
      );
      sendJson(res, 200, { ok, job: name, status: report.status, period: report.period, covers, posts: report.posts, message });
    }),
  };

  const sender: PlatformSender = {
    platform: 'local',
    async send(row): Promise<SendResult> {
      // Nothing leaves the machine: the page reads delivered rows back from the outbox (see feed.ts).
      switch (row.kind) {
        case 'post':
          return row.target ? { ok: true, messageId: String(row.id), channelId: row.target } : { ok: false, retry: false, error: 'empty channel' };
        case 'dm':
          return row.target ? { ok: true, messageId: String(row.id), channelId: dmChannelId(row.target) } : { ok: false, retry: false, error: 'empty user' };
        case 'ephemeral':
          return splitEphemeralTarget(row.target) ? { ok: true, messageId: String(row.id) } : { ok: false, retry: false, error: 'bad ephemeral target' };
        case 'update':
          return { ok: true, messageId: row.messageIds?.[0]?.messageId ?? String(row.id) };
        default:
          return { ok: false, retry: false, error: `unknown kind ${String(row.kind)}` };
      }
    },
  };

  return {
    platform: 'local',
    routes,
    sender,
    async start() {
      log.info('local.playground', { channels: LOCAL_CHANNELS, jobs: jobs?.names ?? [] });
    },
    async stop() {
      await jobs.stop?.();
    },
  };
}
