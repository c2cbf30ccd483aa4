// What Feishu sends, as we accept it: the payload shapes of the events we handle (flattened by the SDK: header fields
// and event fields on one object), checked with zod before anything acts; the bot menu's keys; the work an event
// accepted, as recorded in the inbox; and the small readers of message text and form values.
import { z } from 'zod';
import type { Actor, FormValues } from '../../usecases/types.js';
import { FORM_SESSION_ID } from '../../usecases/formSessions.js';
import type { CardJson } from './render.js';

export const mentionSchema = z.object({
  key: z.string(),
  id: z.object({ open_id: z.string().optional() }).partial().optional(),
  name: z.string().optional(),
});

export const messageEvent = z.object({
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

export const menuEvent = z.object({
  event_id: z.string().min(1),
  tenant_key: z.string().min(1),
  event_key: z.string().min(1).max(100),
  operator: z.object({ operator_id: z.object({ open_id: z.string().min(1) }) }),
});

export const cardEvent = z.object({
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

// A submit button carries the form reference and its form session (the form itself stays on our side).
export const buttonValue = z.union([
  z.object({ action: z.string().min(1).max(100) }),
  z.object({ form: z.string().min(1).max(100), fs: z.string().regex(FORM_SESSION_ID).optional() }),
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


/**
 * A message's text without the mentions it starts with ("@_all @bot /agenda", "@Alice @bot /budget"): the command
 * comes after them. Mentions inside the command (a person for `/mkt role`) stay.
 */
export function stripLeadingMentions(text: string, keys: string[]): string {
  const known = new Set([...keys, '@_all']);
  let rest = text.trimStart();
  for (;;) {
    const m = /^@_[A-Za-z0-9_]+/.exec(rest);
    if (!m || !known.has(m[0])) return rest;
    rest = rest.slice(m[0].length).trimStart();
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


export type MessageEvent = z.infer<typeof messageEvent>;
export type MenuEvent = z.infer<typeof menuEvent>;

/** The work an event accepted, as recorded in the inbox (ProcessedDelivery.payload) and replayed after a crash. */
export type FeishuWork =
  | { kind: 'message'; event: MessageEvent }
  | { kind: 'menu'; event: MenuEvent }
  /** A button click (`action`) or form submission (`form` + `values`); `base` keys its private answers. */
  | { kind: 'card'; actor: Actor; base: string; action?: string; form?: string; session?: string; values?: FormValues };
