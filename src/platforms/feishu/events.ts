// What the bot does with each Feishu event (the same handlers serve the webhook and the long connection):
//   im.message.receive_v1    text commands (p2p: any text; groups: only when the bot is @mentioned)
//   application.bot.menu_v6  bot menu items → open a form / run a command
//   card.action.trigger      button clicks and form submissions, answered within 3 s with a toast + card
// Every event is deduplicated (event_id, and for card callbacks a hash of message+value+operator+token)
// before it acts, so Feishu's re-pushes never act twice.
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Locale } from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import { log } from '../../log.js';
import type { Form, Message } from '../../messages/model.js';
import { directMessage } from '../../usecases/notify.js';
import type { Actor, Core, FormValues, Outcome } from '../../usecases/types.js';
import { sha256Hex } from './crypto.js';
import { formCarrier, renderForm, renderMessage, withErrors, withInitials, type CardJson } from './render.js';

/** How long a card callback may take before we answer "working on it" and finish in the background. */
const CALLBACK_DEADLINE_MS = 2500;

export interface EventDeps {
  core: Core;
  db: Db;
  kickDelivery: () => void;
  /** The bot's own open_id (to recognise its @mention in groups); null when unknown. */
  botOpenId: () => Promise<string | null>;
  /** Default CALLBACK_DEADLINE_MS; tests shorten it. */
  callbackDeadlineMs?: number;
}

// ---- payload shapes (flattened by the SDK: header fields and event fields on one object) ----

const mentionSchema = z.object({
  key: z.string(),
  id: z.object({ open_id: z.string().optional() }).partial().optional(),
  name: z.string().optional(),
});

const messageEvent = z.object({
  event_id: z.string().min(1),
  tenant_key: z.string().min(1),
  sender: z.object({
    sender_id: z.object({ open_id: z.string().min(1) }),
    sender_type: z.string().optional(),
    tenant_key: z.string().optional(),
  }),
  message: z.object({
    message_id: z.string().min(1),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z.array(mentionSchema).optional(),
  }),
});

const menuEvent = z.object({
  event_id: z.string().min(1),
  tenant_key: z.string().min(1),
  event_key: z.string().min(1).max(100),
  operator: z.object({ operator_id: z.object({ open_id: z.string().min(1) }) }),
});

const cardEvent = z.object({
  event_id: z.string().optional(),
  tenant_key: z.string().optional(),
  token: z.string().optional(),
  operator: z.object({ open_id: z.string().min(1), tenant_key: z.string().optional() }),
  action: z.object({
    value: z.unknown().optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
    name: z.string().optional(),
    tag: z.string().optional(),
  }),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).partial().optional(),
});

const formFieldDef = z.object({
  kind: z.enum(['text', 'textarea', 'number', 'money', 'select', 'multiselect', 'date']),
  name: z.string(),
  label: z.string(),
  required: z.boolean().optional(),
  placeholder: z.string().optional(),
  hint: z.string().optional(),
  initial: z.string().optional(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  maxLength: z.number().optional(),
});
const formDef = z.object({
  id: z.string(),
  title: z.string(),
  submitLabel: z.string(),
  intro: z.string().optional(),
  fields: z.array(formFieldDef),
});
const buttonValue = z.union([
  z.object({ action: z.string().min(1).max(100) }),
  z.object({ form: z.string().min(1).max(100), def: formDef.optional() }),
]);

/** Menu event keys → what they do (docs/feishu.md lists them for the developer console). */
export const MENU_ITEMS: Record<string, { action?: string; command?: string }> = {
  'budget.request': { action: 'form.open:budget.request' },
  'budget.transfer': { action: 'form.open:budget.transfer' },
  'budget.spend': { action: 'form.open:budget.spend' },
  'campaign.new': { action: 'form.open:campaign.new' },
  'risk.report': { action: 'form.open:risk.report' },
  'budget.status': { command: '/budget' },
  'agenda.show': { command: '/agenda' },
  help: { command: '/mkt help' },
};

export type CardAnswer = { toast?: { type: 'success' | 'error' | 'info' | 'warning'; content: string }; card?: { type: 'raw'; data: CardJson } };

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    const text = `${(e as { code?: unknown }).code ?? ''} ${(e as { message?: unknown }).message ?? ''}`;
    if (/P2002|UNIQUE constraint|Unique constraint/i.test(text)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Records the delivery ids; false when any was seen before (a re-push): then nothing must happen. */
export async function claimDelivery(db: Db, ids: string[]): Promise<boolean> {
  try {
    await db.write(async (tx) => {
      for (const id of ids) await tx.processedDelivery.create({ data: { id } });
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Form values as Feishu submits them → the raw strings the core validates. */
export function normalizeFormValues(raw: Record<string, unknown> | undefined): FormValues {
  const out: FormValues = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (Array.isArray(value)) out[key] = value.map((v) => String(v));
    else if (value === null || value === undefined) out[key] = undefined;
    else if (typeof value === 'object') continue;
    else {
      const s = String(value);
      // date_picker answers "2026-12-01 +0800"
      const date = /^(\d{4}-\d{2}-\d{2})(?:[ T].*)?$/.exec(s);
      out[key] = date ? date[1] : s;
    }
  }
  return out;
}

function hasSubstance(m: Message | undefined): m is Message {
  return Boolean(m && (m.fields?.length || m.sections?.length || m.buttons?.length || (m.text && m.text.length > 80)));
}

function clip(text: string, n = 200): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

export function createEventHandlers(deps: EventDeps) {
  const { core, db } = deps;
  const background = new Set<Promise<unknown>>();

  function track(p: Promise<unknown>) {
    const guarded = p.catch((error) => log.error('feishu.background_failed', { error }));
    background.add(guarded);
    void guarded.finally(() => background.delete(guarded));
  }

  /** Private answers go to the actor as a direct message (through the outbox, so they are never lost). */
  async function sendPrivately(actor: Actor, items: { key: string; message: Message }[]): Promise<void> {
    if (items.length === 0) return;
    await db.write(async (tx) => {
      for (const item of items) {
        await directMessage(tx, { platform: 'feishu', workspaceId: actor.workspaceId, userId: actor.userId }, item.message, { dedupeKey: item.key });
      }
    });
    deps.kickDelivery();
  }

  /** A command's outcome: the reply and/or the form go to the person privately. */
  async function deliverOutcome(actor: Actor, outcome: Outcome, base: string): Promise<void> {
    const items: { key: string; message: Message }[] = [];
    if (outcome.reply) items.push({ key: `${base}:reply`, message: outcome.reply });
    else if (!outcome.openForm && outcome.toast) items.push({ key: `${base}:reply`, message: { tone: outcome.ok ? 'success' : 'danger', text: outcome.toast, summary: outcome.toast } });
    if (outcome.openForm) items.push({ key: `${base}:form`, message: formCarrier(outcome.openForm) });
    await sendPrivately(actor, items);
  }

  async function localeOf(outcome?: Outcome): Promise<Locale> {
    return outcome?.locale ?? (await core.locale());
  }

  // ---- im.message.receive_v1 ----

  async function handleMessage(e: z.infer<typeof messageEvent>): Promise<void> {
    const { message, sender } = e;
    if (sender.sender_type && sender.sender_type !== 'user') return; // other bots, the bot itself
    const actor: Actor = { platform: 'feishu', workspaceId: e.tenant_key, userId: sender.sender_id.open_id, channelId: message.chat_id };
    const isGroup = message.chat_type !== 'p2p';
    const base = `feishu:msg:${message.message_id}`;

    if (message.message_type !== 'text') {
      if (!isGroup) {
        const locale = await core.locale();
        const text = t(locale, 'feishu.text_only');
        await sendPrivately(actor, [{ key: `${base}:reply`, message: { tone: 'info', text, summary: text } }]);
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
    text = text.replace(/\s+/g, ' ').trim();
    if (text === '') text = 'help';
    const others: Record<string, { userId: string; name?: string }> = {};
    for (const m of mentions) {
      if (botKeys.has(m.key) || !m.id?.open_id) continue;
      others[m.key] = m.name ? { userId: m.id.open_id, name: m.name } : { userId: m.id.open_id };
    }
    log.info('feishu.command', { tenant: actor.workspaceId, userId: actor.userId, chatType: message.chat_type });
    const outcome = await core.command(actor, text, { mentions: others });
    await deliverOutcome(actor, outcome, base);
  }

  // ---- application.bot.menu_v6 ----

  async function handleMenu(e: z.infer<typeof menuEvent>): Promise<void> {
    const actor: Actor = { platform: 'feishu', workspaceId: e.tenant_key, userId: e.operator.operator_id.open_id };
    const item = MENU_ITEMS[e.event_key];
    const outcome = !item
      ? await core.action(actor, e.event_key.startsWith('form.open:') ? e.event_key : `form.open:${e.event_key}`)
      : item.action
        ? await core.action(actor, item.action)
        : await core.command(actor, item.command!);
    await deliverOutcome(actor, outcome, `feishu:menu:${e.event_id}`);
  }

  // ---- card.action.trigger ----

  async function answerClick(actor: Actor, outcome: Outcome, base: string): Promise<CardAnswer> {
    const locale = await localeOf(outcome);
    const answer: CardAnswer = {};
    if (outcome.updatedCard) answer.card = { type: 'raw', data: renderMessage(outcome.updatedCard.message) };
    if (outcome.openForm) {
      // A form opened from a team card goes to the clicker alone, as a new card in their direct chat.
      await sendPrivately(actor, [{ key: `${base}:form`, message: formCarrier(outcome.openForm) }]);
      answer.toast = { type: 'info', content: clip(outcome.toast ?? t(locale, 'feishu.form_sent')) };
      return answer;
    }
    const content = outcome.toast ?? outcome.reply?.summary ?? t(locale, outcome.ok ? 'feishu.done' : 'feishu.failed');
    answer.toast = { type: outcome.ok ? 'success' : 'error', content: clip(content) };
    if (outcome.ok && hasSubstance(outcome.reply)) await sendPrivately(actor, [{ key: `${base}:reply`, message: outcome.reply }]);
    return answer;
  }

  async function answerSubmit(outcome: Outcome, def: Form | undefined, values: FormValues): Promise<CardAnswer> {
    const locale = await localeOf(outcome);
    const refusalText = outcome.toast ?? outcome.reply?.summary ?? t(locale, 'feishu.failed');
    if (outcome.formErrors && Object.keys(outcome.formErrors).length > 0) {
      const answer: CardAnswer = { toast: { type: 'error', content: clip(Object.values(outcome.formErrors)[0] ?? refusalText) } };
      if (def) {
        const errors = outcome.formErrors;
        const known = new Set(def.fields.map((f) => f.name));
        const general = Object.entries(errors).filter(([k]) => !known.has(k)).map(([, v]) => v);
        answer.card = { type: 'raw', data: renderForm(withErrors(withInitials(def, values), errors), general.length ? { error: general.join('\n') } : {}) };
      }
      return answer;
    }
    if (outcome.openForm) {
      return { toast: { type: 'info', content: clip(outcome.toast ?? outcome.openForm.title) }, card: { type: 'raw', data: renderForm(outcome.openForm) } };
    }
    if (!outcome.ok) {
      const answer: CardAnswer = { toast: { type: 'error', content: clip(refusalText) } };
      if (def) answer.card = { type: 'raw', data: renderForm(withInitials(def, values), { error: refusalText }) };
      return answer;
    }
    // Accepted: the form card becomes the confirmation (so it cannot be submitted twice).
    const shown: Message = outcome.reply ?? outcome.updatedCard?.message ?? { tone: 'success', text: outcome.toast ?? t(locale, 'feishu.done'), summary: outcome.toast ?? t(locale, 'feishu.done') };
    const toast = outcome.toast ?? outcome.reply?.summary ?? t(locale, 'feishu.done');
    return { toast: { type: 'success', content: clip(toast) }, card: { type: 'raw', data: renderMessage(shown) } };
  }

  async function handleCard(e: z.infer<typeof cardEvent>): Promise<CardAnswer> {
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
    const base = `feishu:card:${e.event_id ?? sha256Hex(JSON.stringify([e.context, e.action, e.operator.open_id, e.token]))}`;
    if (!parsed.success || !tenant) {
      const locale = await core.locale();
      return { toast: { type: 'error', content: t(locale, 'feishu.bad_action') } };
    }
    const value = parsed.data;
    let values: FormValues = {};
    const work: Promise<Outcome> =
      'action' in value
        ? core.action(actor, value.action)
        : core.submit(actor, value.form, (values = normalizeFormValues(e.action.form_value)));

    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deps.callbackDeadlineMs ?? CALLBACK_DEADLINE_MS)));
    const first = await Promise.race([work, late]);
    clearTimeout(timer);
    if (first === 'late') {
      // Answer within Feishu's 3 s; the result reaches the person privately when it is ready.
      track(work.then((outcome) => deliverOutcome(actor, outcome, base)));
      const locale = await core.locale();
      return { toast: { type: 'info', content: t(locale, 'feishu.processing') } };
    }
    const outcome = first;
    return 'action' in value ? answerClick(actor, outcome, base) : answerSubmit(outcome, value.def, values);
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
        if (!(await claimDelivery(db, [`feishu:evt:${e.data.event_id}`, `feishu:msg:${e.data.message.message_id}`]))) {
          log.info('feishu.duplicate', { eventId: e.data.event_id });
          return {};
        }
        track(handleMessage(e.data)); // ack first, work after
        return {};
      },
      'application.bot.menu_v6': async (data: unknown) => {
        const e = menuEvent.safeParse(data);
        if (!e.success) {
          log.warn('feishu.bad_event', { type: 'application.bot.menu_v6' });
          return {};
        }
        if (!(await claimDelivery(db, [`feishu:evt:${e.data.event_id}`]))) {
          log.info('feishu.duplicate', { eventId: e.data.event_id });
          return {};
        }
        track(handleMenu(e.data));
        return {};
      },
      'card.action.trigger': async (data: unknown): Promise<CardAnswer> => {
        const e = cardEvent.safeParse(data);
        if (!e.success) {
          log.warn('feishu.bad_event', { type: 'card.action.trigger' });
          return {};
        }
        const ids = [
          `feishu:card:${sha256Hex(JSON.stringify([e.data.context?.open_message_id ?? '', e.data.action.value ?? null, e.data.action.form_value ?? null, e.data.operator.open_id, e.data.token ?? '']))}`,
        ];
        if (e.data.event_id) ids.unshift(`feishu:evt:${e.data.event_id}`);
        if (!(await claimDelivery(db, ids))) {
          log.info('feishu.duplicate', { eventId: e.data.event_id });
          return {};
        }
        return handleCard(e.data);
      },
    },
    /** Waits for work started after an ack (tests and shutdown). */
    async idle(): Promise<void> {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}
