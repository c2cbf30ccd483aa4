// The facade the platform adapters call: parses commands, validates button/form references, builds the
// context and dispatches to the area that owns the intent. Refusals (DomainError) become localized replies.
import { z } from 'zod';
import { chooseOption, searchOptions } from '../messages/choices.js';
import { markup, plainText } from '../messages/markup.js';
import type { Param } from '../i18n/index.js';
import { parseCommand } from '../commands/parse.js';
import { DomainError } from '../domain/types.js';
import { parseActionRef, parseFormRef, type FormRef } from '../messages/actions.js';
import { errorMessage } from '../messages/builders/common.js';
import type { Form } from '../messages/model.js';
import { log } from '../log.js';
import { adminArea } from './admin.js';
import { agendaArea } from './agenda.js';
import { approvalsArea } from './auditTrail.js';
import { atUseCaseTime } from './audit.js';
import { budgetArea } from './budget.js';
import { campaignsArea } from './campaigns/index.js';
import { formRefusal, makeCtx, refusal, type Area, type Ctx } from './context.js';
import { importPlanFile, planArea } from './plan/index.js';
import { fileArrived } from './plan/pending.js';
import { t } from '../i18n/index.js';
import { reportsArea } from './reports.js';
import { risksArea } from './risks.js';
import { loadSettings } from './settings.js';
import type { Db } from '../db/client.js';
import { crashPoint } from '../faults.js';
import { DeliveryAlreadyDone, type Actor, type CallOptions, type Core, type CoreDeps, type Delivery, type FormValues, type Outcome } from './types.js';

/** One submitted form value: text, a list of texts (multiselects, files), or nothing. */
const FORM_VALUE = z.union([z.string(), z.array(z.string()), z.undefined(), z.null()]);

export const AREAS: Area[] = [budgetArea, planArea, adminArea, campaignsArea, risksArea, agendaArea, reportsArea, approvalsArea];

function find<K extends keyof Area>(kind: K, name: string): unknown {
  for (const area of AREAS) {
    const table = area[kind] as Record<string, unknown> | undefined;
    if (table && name in table) return table[name];
  }
  return undefined;
}

type AnyHandler = (ctx: Ctx, input: unknown, extra?: unknown) => Promise<Outcome>;
type AnyForm = { open: (ctx: Ctx, ref: FormRef, prefill?: Record<string, string>) => Promise<Form | Outcome>; submit: AnyHandler };

function isOutcome(value: unknown): value is Outcome {
  return Boolean(value) && typeof value === 'object' && typeof (value as Outcome).ok === 'boolean' && typeof (value as Outcome).locale === 'string';
}

/**
 * The database a call's use-case sees when the call serves a delivery: its first committing write also runs
 * `delivery.commit` (the done mark and the answer) inside the same transaction. `state.committed` says whether it ran.
 */
function deliveryDb(db: Db, delivery: Delivery, state: { committed: boolean; outcome?: Outcome }, actor: Actor): Db {
  return {
    ...db,
    file: db.file,
    async write(work) {
      if (state.committed) return db.write(work);
      const result = await db.write(async (tx) => {
        const value = await work(tx);
        await delivery.commit(tx, isOutcome(value) ? value : undefined);
        return value;
      });
      state.committed = true;
      crashPoint('core.committed', actor.platform);
      if (isOutcome(result)) state.outcome = result;
      return result;
    },
  };
}

/**
 * One lane per person: a person's calls run one after another, in the order they arrived; different people run at
 * the same time. On SQLite the single queue gave this order for free; on PostgreSQL writes run concurrently, and
 * "/budget plan new 2033" followed at once by "/budget plan import 2033" must not run the import first.
 * (Across replicas, two requests of one person that land on different processes have no order.)
 */
function personLanes(): <T>(actor: Actor, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (actor, task) => {
    const key = `${actor.platform}\u0000${actor.workspaceId}\u0000${actor.userId}`;
    const result = (tails.get(key) ?? Promise.resolve()).then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}

export function createCore(deps: CoreDeps): Core {
  const inLane = personLanes();
  async function context(actor: Actor, opts: CallOptions = {}): Promise<{ ctx: Ctx; finish: (outcome: Outcome) => Promise<Outcome> }> {
    const settings = await deps.db.read((tx) => loadSettings(tx, deps.config));
    const delivery = opts.delivery;
    const withProgress = (ctx: Ctx): Ctx => (opts.progress ? { ...ctx, progress: opts.progress } : ctx);
    if (!delivery) return { ctx: withProgress(makeCtx(deps, actor, settings)), finish: async (o) => o };
    const state: { committed: boolean; outcome?: Outcome } = { committed: false };
    const ctx = withProgress(makeCtx({ ...deps, db: deliveryDb(deps.db, delivery, state, actor) }, actor, settings));
    return {
      ctx,
      // A call that changed nothing (a read, a refusal, a form to open) marks its delivery done with its answer.
      finish: async (outcome) => {
        if (!state.committed) {
          await deps.db.write((tx) => delivery.commit(tx, outcome));
          crashPoint('core.committed', actor.platform);
        }
        // A use-case should return its Outcome from its write (the answer then commits with the change); one that
        // builds it afterwards still works, but a crash in between loses that answer. Logged to be fixed.
        else if (state.outcome !== outcome) log.warn('core.answer_outside_commit', { platform: actor.platform });
        return outcome;
      },
    };
  }

  async function guarded(ctx: Ctx, what: string, work: () => Promise<Outcome>): Promise<Outcome> {
    try {
      return await atUseCaseTime(ctx.now, work);
    } catch (error) {
      if (error instanceof DeliveryAlreadyDone) throw error;
      if (error instanceof DomainError) return refusal(ctx, error.code, error.params);
      log.error('usecase.failed', { what, platform: ctx.actor.platform, error });
      const message = errorMessage(ctx.locale, 'core.error.internal');
      return { ok: false, reply: message, toast: message.summary, locale: ctx.locale };
    }
  }

  async function openForm(ctx: Ctx, ref: FormRef, prefill?: Record<string, string>): Promise<Outcome> {
    const handler = find('forms', ref.kind) as AnyForm | undefined;
    if (!handler) return refusal(ctx, 'core.error.bad_form');
    const form = await handler.open(ctx, ref, prefill);
    return 'fields' in form ? { ok: true, openForm: form, locale: ctx.locale } : form;
  }

  return {
    async locale() {
      return (await context({ platform: 'local', workspaceId: '-', userId: '-' })).ctx.locale;
    },

    command(actor, text, opts = {}) {
      return inLane(actor, async () => {
        const { ctx, finish } = await context(actor, opts);
        return finish(await guarded(ctx, 'command', async () => {
          const parsed = parseCommand(text, { today: ctx.today, mentions: opts.mentions });
          if (!parsed.ok) return refusal(ctx, parsed.error.key, parsed.error.params, parsed.error.usage);
          const intent = parsed.intent;
          if (intent.type === 'form.open') return openForm(ctx, { kind: intent.form, args: [] } as FormRef);
          const handler = find('commands', intent.type) as AnyHandler | undefined;
          if (!handler) return refusal(ctx, 'cmd.error.unknown_command', { token: text.slice(0, 40) });
          return handler(ctx, intent);
        }));
      });
    },

    action(actor, raw, opts = {}) {
      return inLane(actor, async () => {
        const { ctx, finish } = await context(actor, opts);
        return finish(await guarded(ctx, 'action', async () => {
          const ref = parseActionRef(raw);
          if (!ref) return refusal(ctx, 'core.error.bad_action');
          if (ref.kind === 'form.open') return openForm(ctx, { kind: ref.args[0], args: [] } as FormRef);
          if (ref.kind === 'page') {
            const [view, page, arg] = ref.args;
            const pager = AREAS.map((a) => a.pages?.[view]).find(Boolean);
            return pager ? pager(ctx, page, arg ?? '') : refusal(ctx, 'core.error.bad_action');
          }
          const handler = find('actions', ref.kind) as AnyHandler | undefined;
          if (!handler) return refusal(ctx, 'core.error.bad_action');
          return handler(ctx, ref);
        }));
      });
    },

    importPlan(actor, year, file, opts = {}) {
      return inLane(actor, async () => {
        const { ctx, finish } = await context(actor, opts);
        return finish(await guarded(ctx, 'importPlan', () => importPlanFile(ctx, year, file)));
      });
    },

    planFileArrived(actor, file, opts = {}) {
      return inLane(actor, async () => {
        const { ctx, finish } = await context(actor, opts);
        return finish(
          await guarded(ctx, 'planFileArrived', async () => {
            const waiting = await fileArrived(ctx, file);
            if (waiting) return { ok: true, locale: ctx.locale, importFile: { ...file, year: waiting.year } };
            const text = t(ctx.locale, 'plan.import.file_kept');
            return { ok: true, reply: { tone: 'info', text, summary: plainText(text) }, locale: ctx.locale };
          }),
        );
      });
    },

    submit(actor, raw, values, opts = {}) {
      return inLane(actor, async () => {
        const { ctx, finish } = await context(actor, opts);
        return finish(await guarded(ctx, 'submit', async () => {
          const ref = parseFormRef(raw);
          const handler = ref ? (find('forms', ref.kind) as AnyForm | undefined) : undefined;
          if (!ref || !handler) return refusal(ctx, 'core.error.bad_form');
          // Values come from the platform as text or lists of text; anything else (a number, an object) is refused on
          // its field before a use-case reads it.
          const bad = Object.entries(values ?? {}).filter(([, v]) => !FORM_VALUE.safeParse(v).success);
          if (bad.length > 0) return formRefusal(ctx, Object.fromEntries(bad.map(([name]) => [name, { key: 'core.error.bad_value' }])));
          const chosen = await resolveChoices(ctx, handler, ref, values);
          return isOutcome(chosen) ? chosen : handler.submit(ctx, ref, chosen);
        }));
      });
    },

    async options(actor, raw, field, query) {
      const { ctx } = await context(actor);
      const ref = parseFormRef(raw);
      const handler = ref ? (find('forms', ref.kind) as AnyForm | undefined) : undefined;
      if (!ref || !handler) return [];
      try {
        const form = await handler.open(ctx, ref);
        const f = 'fields' in form ? form.fields.find((x) => x.name === field) : undefined;
        return searchOptions(f?.options ?? [], query.slice(0, 100), 100);
      } catch (error) {
        if (!(error instanceof DomainError)) log.error('usecase.failed', { what: 'options', platform: actor.platform, error });
        return [];
      }
    },
  };
}

/**
 * Typed choices → option values. A platform that cannot list every option of a select (a Feishu card has a size
 * limit) asks the person to type a code or words of the label; the form is built again and each select's value
 * matched to one option. Several matches refuse the submission, naming them; none leaves the value to the form's
 * own checks (which name it as unknown).
 */
async function resolveChoices(ctx: Ctx, handler: AnyForm, ref: FormRef, values: FormValues): Promise<FormValues | Outcome> {
  const typed = Object.entries(values).filter(([, v]) => typeof v === 'string' && v.trim() !== '');
  if (typed.length === 0) return values;
  const form = await handler.open(ctx, ref);
  if (!('fields' in form)) return values;
  const out: FormValues = { ...values };
  const errors: Record<string, { key: string; params: Record<string, Param> }> = {};
  for (const f of form.fields) {
    const v = values[f.name];
    if ((f.kind !== 'select' && f.kind !== 'multiselect') || typeof v !== 'string' || !f.options?.length) continue;
    const parts = f.kind === 'multiselect' ? v.split(',').map((s) => s.trim()).filter(Boolean) : [v];
    const chosen: string[] = [];
    for (const part of parts) {
      if (f.options.some((o) => o.value === part)) {
        chosen.push(part);
        continue;
      }
      const c = chooseOption(f.options, part);
      if (c && 'ambiguous' in c) {
        const shown = c.ambiguous.slice(0, 8).map((o) => o.label);
        const more = c.ambiguous.length > 8 ? [t(ctx.locale, 'core.choice.more', { n: c.ambiguous.length - 8 })] : [];
        errors[f.name] = { key: 'core.choice.ambiguous', params: { token: part, n: c.ambiguous.length, choices: markup([...shown, ...more].join(', ')) } };
      }
      chosen.push(c && 'value' in c ? c.value : part);
    }
    out[f.name] = f.kind === 'multiselect' ? chosen : chosen[0];
  }
  return Object.keys(errors).length ? formRefusal(ctx, errors) : out;
}

/** Opens a form from inside a handler (e.g. a button that opens a pre-filled request form). */
export async function openFormOutcome(ctx: Ctx, ref: FormRef, prefill?: Record<string, string>): Promise<Outcome> {
  const handler = find('forms', ref.kind) as AnyForm | undefined;
  if (!handler) return refusal(ctx, 'core.error.bad_form');
  const form = await handler.open(ctx, ref, prefill);
  return 'fields' in form ? { ok: true, openForm: form, locale: ctx.locale } : form;
}
