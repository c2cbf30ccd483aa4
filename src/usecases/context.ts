// What every use-case gets: who acts, the settings in force, and "now" in the configured time zone.
import type { Intent } from '../commands/intents.js';
import { DomainError, type Locale, type LocalDate, type Month } from '../domain/types.js';
import { localDate, localMonth } from '../domain/time.js';
import type { ActionKind, ActionRef, FormKind, FormRef, PagedView } from '../messages/actions.js';
import { errorMessage } from '../messages/builders/common.js';
import { plainText } from '../messages/markup.js';
import type { Param } from '../i18n/index.js';
import type { Form, Message } from '../messages/model.js';
import type { Settings } from './settings.js';
import type { Actor, CoreDeps, FormValues, Outcome, Progress } from './types.js';

export interface Ctx {
  deps: CoreDeps;
  actor: Actor;
  settings: Settings;
  locale: Locale;
  now: Date;
  today: LocalDate;
  month: Month;
  /** Set when the adapter can say "working on it" while long work runs (usecases/progress.ts). */
  progress?: Progress;
}

export function makeCtx(deps: CoreDeps, actor: Actor, settings: Settings): Ctx {
  const now = deps.clock.now();
  return {
    deps,
    actor,
    settings,
    locale: settings.locale,
    now,
    today: localDate(now, settings.timezone),
    month: localMonth(now, settings.timezone),
  };
}

/** The context of work the bot does on its own (the scheduler's escalations): no person acts. */
export function systemCtx(deps: CoreDeps, settings: Settings): Ctx {
  return makeCtx(deps, { platform: 'local', workspaceId: '-', userId: '-' }, settings);
}

type CommandHandlers = { [T in Intent['type']]?: (ctx: Ctx, intent: Extract<Intent, { type: T }>) => Promise<Outcome> };
type ActionHandlers = { [K in ActionKind]?: (ctx: Ctx, ref: Extract<ActionRef, { kind: K }>) => Promise<Outcome> };
type FormHandlers = {
  [K in FormKind]?: {
    /** Builds the form (with `prefill` values, e.g. a shortfall amount) — reads only. */
    open(ctx: Ctx, ref: Extract<FormRef, { kind: K }>, prefill?: Record<string, string>): Promise<Form | Outcome>;
    /** Validates and applies a submission; returns formErrors (and writes nothing) when a field is wrong. */
    submit(ctx: Ctx, ref: Extract<FormRef, { kind: K }>, values: FormValues): Promise<Outcome>;
  };
};

/** One functional area (budget, campaigns, risks, …): the commands, buttons and forms it answers. */
/** Another page of a list (button `page:<view>:<n>[:<arg>]`): the page is sent to the person privately. */
type PageHandlers = { [V in PagedView]?: (ctx: Ctx, page: number, arg: string) => Promise<Outcome> };

export interface Area {
  commands?: CommandHandlers;
  actions?: ActionHandlers;
  forms?: FormHandlers;
  pages?: PageHandlers;
}

export function reply(ctx: Ctx, message: Message, extra: Partial<Outcome> = {}): Outcome {
  return { ok: true, reply: message, locale: ctx.locale, ...extra };
}

export function refusal(ctx: Ctx, key: string, params: Record<string, Param> = {}, usageKey?: string): Outcome {
  const message = errorMessage(ctx.locale, key, params, usageKey);
  return { ok: false, reply: message, toast: message.summary, locale: ctx.locale };
}

/** A refusal with errors on form fields (field name → i18n key + params). Nothing is written. */
export function formRefusal(
  ctx: Ctx,
  errors: Record<string, { key: string; params?: Record<string, Param> }>,
): Outcome {
  const formErrors: Record<string, string> = {};
  for (const [field, e] of Object.entries(errors)) {
    formErrors[field] = errorMessage(ctx.locale, e.key, e.params ?? {}).text!;
  }
  const first = Object.values(formErrors)[0] ?? '';
  return { ok: false, formErrors, toast: plainText(first), reply: errorMessage(ctx.locale, 'core.error.title'), locale: ctx.locale };
}

/** Throw from inside a write to refuse and roll back. */
export function refuse(code: string, params: Record<string, string | number> = {}): never {
  throw new DomainError(code, params);
}
