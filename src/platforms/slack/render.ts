// Block Kit rendering of the neutral message model (src/messages/model.ts) and of forms as modals, plus
// reading a submitted modal back into raw form values. Pure functions: no I/O, no Bolt.
//
// Limits kept (https://docs.slack.dev/reference/block-kit): 50 blocks per message, 100 per modal; 3000 chars per
// section text, 2000 per field, 10 fields per section, 150 per header/placeholder, 75 per button/option text,
// 25 elements per actions block, 10 per context block, 24 per modal title/submit, 255 action_id/callback_id,
// 3000 private_metadata, 100 options per select.
import { CHAT_MARKUP, chatsAsNames, PERSON_MARKUP } from '../../messages/markup.js';
import type { Button, Form, FormField, Message, Section } from '../../messages/model.js';
import type { FormValues } from '../../usecases/types.js';

export const LIMITS = {
  blocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  header: 150,
  buttonText: 75,
  actionsPerBlock: 25,
  contextElements: 10,
  modalTitle: 24,
  optionText: 75,
  optionValue: 150,
  options: 100,
  placeholder: 150,
  label: 2000,
  hint: 2000,
  inputValue: 3000,
  fallbackText: 3000,
} as const;

// ---------------------------------------------------------------------------------------------- text

export type SlackBlock = Record<string, unknown> & { type: string };

/** Cuts `s` to at most `max` characters (code points), marking the cut with "…". */
export function truncate(s: string, max: number): string {
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** Escapes the three characters Slack mrkdwn treats as control characters (so "<!channel>" stays text). */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const MENTION = PERSON_MARKUP;

/**
 * Neutral markup → Slack mrkdwn: **bold** → *bold*; <@slack:U1|Name> → <@U1>; a mention of a person on another
 * platform → their name in bold (it cannot notify them here). Everything else is escaped.
 */
export function toMrkdwn(text: string): string {
  // Mentions become placeholders first, so a **bold** span around a mention still pairs up.
  const mentions: string[] = [];
  const marked = text
    .replace(/\u0000/g, '')
    .replace(MENTION, (_all, platform: string, userId: string, name?: string) => {
      mentions.push(platform === 'slack' && /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(name || userId));
      return `\u0000${mentions.length - 1}\u0000`;
    })
    .replace(CHAT_MARKUP, (_all, platform: string, chatId: string, name?: string) => {
      mentions.push(platform === 'slack' && /^[CG][A-Z0-9]+$/.test(chatId) ? `<#${chatId}>` : escapeMrkdwn(`#${name || chatId}`));
      return `\u0000${mentions.length - 1}\u0000`;
    });
  return escapeMrkdwn(marked)
    .replace(/\*\*(.+?)\*\*/gs, '*$1*')
    .replace(/\u0000(\d+)\u0000/g, (_all, i: string) => mentions[Number(i)] ?? '');
}

/** Neutral markup → plain text (headers, button labels, notification fallbacks): no markup, mentions as names. */
export function toPlain(text: string): string {
  return chatsAsNames(text)
    .replace(MENTION, (_all, _platform: string, userId: string, name?: string) => `@${name || userId}`)
    .replace(/\*\*(.+?)\*\*/gs, '$1');
}

/** Splits long text into chunks of at most `max` characters, preferring line breaks. */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (Array.from(rest).length > max) {
    const window = Array.from(rest).slice(0, max).join('');
    let cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < max / 2) cut = window.length;
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks;
}

const TONE_EMOJI: Record<string, string> = {
  success: ':white_check_mark:',
  warning: ':warning:',
  danger: ':no_entry:',
  info: ':information_source:',
};

// ------------------------------------------------------------------------------------------ messages

function mrkdwnSections(text: string): SlackBlock[] {
  // Escaping may lengthen the text, so split after translating.
  return splitText(toMrkdwn(text), LIMITS.sectionText).map((chunk) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: chunk },
  }));
}

function fieldSections(fields: { label: string; value: string }[]): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection) {
    blocks.push({
      type: 'section',
      fields: fields.slice(i, i + LIMITS.fieldsPerSection).map((f) => ({
        type: 'mrkdwn',
        text: truncate(`*${toMrkdwn(f.label)}*\n${toMrkdwn(f.value || '—')}`, LIMITS.fieldText),
      })),
    });
  }
  return blocks;
}

function actionBlocks(buttons: Button[], blockPrefix: string): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.actionsPerBlock) {
    const seen = new Set<string>();
    blocks.push({
      type: 'actions',
      block_id: `${blockPrefix}${i / LIMITS.actionsPerBlock}`,
      elements: buttons.slice(i, i + LIMITS.actionsPerBlock).map((b) => {
        // action_id must be unique in its block; the value always carries the action reference.
        let actionId = b.action;
        for (let n = 2; seen.has(actionId); n++) actionId = `${b.action}#${n}`;
        seen.add(actionId);
        return {
          type: 'button',
          text: { type: 'plain_text', text: truncate(toPlain(b.label), LIMITS.buttonText), emoji: true },
          action_id: actionId,
          value: b.action,
          ...(b.style ? { style: b.style } : {}),
        };
      }),
    });
  }
  return blocks;
}

function sectionBlocks(section: Section, index: number): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  const head = section.heading ? `**${section.heading.replace(/\*\*/g, '')}**` : '';
  const body = [head, section.text ?? ''].filter(Boolean).join('\n');
  if (body) blocks.push(...mrkdwnSections(body));
  if (section.fields?.length) blocks.push(...fieldSections(section.fields));
  if (section.buttons?.length) blocks.push(...actionBlocks(section.buttons, `s${index}_actions_`));
  return blocks;
}

export interface RenderedMessage {
  /** Notification / fallback text. */
  text: string;
  blocks: SlackBlock[];
}

/** The neutral message as Block Kit, within Slack's limits (the top-level buttons are never cut off). */
export function renderMessage(message: Message): RenderedMessage {
  const blocks: SlackBlock[] = [];
  const emoji = message.tone ? TONE_EMOJI[message.tone] : undefined;
  if (message.title) {
    blocks.push({
      type: 'header',
      text: { type: 'plain_text', text: truncate(toPlain(message.title), LIMITS.header), emoji: true },
    });
  }
  if (message.text) {
    const lead = !message.title && emoji && (message.tone === 'danger' || message.tone === 'warning') ? `${emoji} ` : '';
    const first = mrkdwnSections(message.text);
    if (lead && first[0]) (first[0].text as { text: string }).text = truncate(lead + (first[0].text as { text: string }).text, LIMITS.sectionText);
    blocks.push(...first);
  }
  if (message.fields?.length) blocks.push(...fieldSections(message.fields));
  (message.sections ?? []).forEach((s, i) => {
    if (i > 0 || blocks.length > 0) blocks.push({ type: 'divider' });
    blocks.push(...sectionBlocks(s, i));
  });
  const tail: SlackBlock[] = [];
  if (message.context?.length) {
    const elements = message.context.slice(0, LIMITS.contextElements).map((c) => ({
      type: 'mrkdwn',
      text: truncate(toMrkdwn(c), LIMITS.sectionText),
    }));
    tail.push({ type: 'context', elements });
  }
  if (message.buttons?.length) tail.push(...actionBlocks(message.buttons, 'actions_'));

  let body = blocks;
  const room = LIMITS.blocks - tail.length;
  if (body.length > room) {
    body = body.slice(0, room - 1);
    if (body.at(-1)?.type === 'divider') body.pop();
    body.push({ type: 'context', elements: [{ type: 'mrkdwn', text: '…' }] });
  }
  const summary = toPlain(message.summary || message.title || message.text || ' ');
  return { text: truncate(escapeMrkdwn(summary), LIMITS.fallbackText), blocks: [...body, ...tail] };
}

// --------------------------------------------------------------------------------------------- forms

/** What a modal carries back in private_metadata: the form reference and the chat it was opened from. */
export interface ModalMeta {
  form: string;
  channelId?: string;
}

function option(o: { value: string; label: string }) {
  return {
    text: { type: 'plain_text', text: truncate(o.label || o.value, LIMITS.optionText), emoji: true },
    value: o.value.slice(0, LIMITS.optionValue),
  };
}

function inputElement(field: FormField): Record<string, unknown> {
  const placeholder = field.placeholder
    ? { placeholder: { type: 'plain_text', text: truncate(field.placeholder, LIMITS.placeholder) } }
    : {};
  const options = (field.options ?? []).slice(0, LIMITS.options);
  switch (field.kind) {
    case 'file':
      return { type: 'file_input', action_id: field.name, filetypes: ['xlsx', 'csv'], max_files: 1 };
    case 'textarea':
    case 'text':
    case 'money':
      // Money is free text on purpose: "5万", "¥50,000.50", "50k" are valid amounts (the core parses them).
      return {
        type: 'plain_text_input',
        action_id: field.name,
        ...(field.kind === 'textarea' ? { multiline: true } : {}),
        ...(field.maxLength ? { max_length: Math.min(field.maxLength, LIMITS.inputValue) } : {}),
        ...(field.initial ? { initial_value: field.initial.slice(0, LIMITS.inputValue) } : {}),
        ...placeholder,
      };
    case 'number':
      return {
        type: 'number_input',
        action_id: field.name,
        is_decimal_allowed: true,
        ...(field.initial && /^-?\d+(\.\d+)?$/.test(field.initial) ? { initial_value: field.initial } : {}),
        ...placeholder,
      };
    case 'select':
    case 'multiselect':
      // Slack refuses a select without options (e.g. no budget lines yet): fall back to free text.
      if (options.length === 0) return inputElement({ ...field, kind: 'text', options: undefined });
      return selectElement(field, options, placeholder);
    case 'date':
      return {
        type: 'datepicker',
        action_id: field.name,
        ...(field.initial && /^\d{4}-\d{2}-\d{2}$/.test(field.initial) ? { initial_date: field.initial } : {}),
        ...placeholder,
      };
  }
}

function selectElement(field: FormField, options: { value: string; label: string }[], placeholder: object): Record<string, unknown> {
  switch (field.kind) {
    case 'select': {
      const initial = options.find((o) => o.value === field.initial);
      return {
        type: 'static_select',
        action_id: field.name,
        options: options.map(option),
        ...(initial ? { initial_option: option(initial) } : {}),
        ...placeholder,
      };
    }
    case 'multiselect': {
      const wanted = new Set((field.initial ?? '').split(',').map((s) => s.trim()).filter(Boolean));
      const initial = options.filter((o) => wanted.has(o.value));
      return {
        type: 'multi_static_select',
        action_id: field.name,
        options: options.map(option),
        ...(initial.length ? { initial_options: initial.map(option) } : {}),
        ...placeholder,
      };
    }
    default:
      throw new Error(`not a select: ${field.kind}`);
  }
}

/** A form as a modal view for views.open. block_id and action_id of each input are the field name. */
export function renderModal(form: Form, meta: ModalMeta): Record<string, unknown> {
  const blocks: SlackBlock[] = [];
  if (form.intro) blocks.push(...mrkdwnSections(form.intro));
  for (const field of form.fields) {
    const hint = [field.error ? `⚠ ${field.error}` : '', field.hint ?? ''].filter(Boolean).join(' — ');
    blocks.push({
      type: 'input',
      block_id: field.name,
      optional: !field.required,
      label: { type: 'plain_text', text: truncate(toPlain(field.label), LIMITS.label), emoji: true },
      element: inputElement(field),
      ...(hint ? { hint: { type: 'plain_text', text: truncate(toPlain(hint), LIMITS.hint) } } : {}),
    });
  }
  const metadata = JSON.stringify(meta);
  return {
    type: 'modal',
    callback_id: form.id.slice(0, 255),
    private_metadata: metadata.length <= 3000 ? metadata : JSON.stringify({ form: meta.form }),
    title: { type: 'plain_text', text: truncate(toPlain(form.title), LIMITS.modalTitle), emoji: true },
    submit: { type: 'plain_text', text: truncate(toPlain(form.submitLabel), LIMITS.modalTitle), emoji: true },
    close: { type: 'plain_text', text: '✕' },
    blocks: blocks.slice(0, LIMITS.modalBlocks),
  };
}

/** Reads private_metadata back; refuses anything that is not what renderModal wrote. */
export function parseModalMeta(raw: unknown, callbackId?: string): ModalMeta | null {
  if (typeof raw === 'string' && raw.startsWith('{')) {
    try {
      const m = JSON.parse(raw) as Partial<ModalMeta>;
      if (typeof m.form === 'string') {
        return { form: m.form, channelId: typeof m.channelId === 'string' ? m.channelId : undefined };
      }
    } catch {
      /* fall through */
    }
  }
  return typeof callbackId === 'string' && callbackId ? { form: callbackId } : null;
}

type StateValue = {
  type?: string;
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_options?: { value?: string }[] | null;
  selected_date?: string | null;
};

/** view.state.values → raw form values (field name → string | string[]); the core validates them. */
export function readViewValues(state: unknown): FormValues {
  const values: FormValues = {};
  const blocks = (state as { values?: Record<string, Record<string, StateValue>> } | undefined)?.values ?? {};
  for (const [blockId, actions] of Object.entries(blocks)) {
    for (const v of Object.values(actions ?? {})) {
      if (!v || typeof v !== 'object') continue;
      let value: string | string[] | undefined;
      if (Array.isArray((v as { files?: unknown[] }).files)) {
        // file_input: the file's id, name, size and download URL (fetched by the adapter with the bot token).
        value = ((v as { files: { id?: string; name?: string; size?: number; url_private_download?: string }[] }).files).map((f) =>
          JSON.stringify({ id: f.id ?? '', name: f.name ?? '', size: f.size ?? 0, url: f.url_private_download ?? '' }),
        );
      } else if (Array.isArray(v.selected_options)) value = v.selected_options.map((o) => String(o?.value ?? '')).filter(Boolean);
      else if (v.selected_option !== undefined) value = v.selected_option?.value ?? undefined;
      else if (v.selected_date !== undefined) value = v.selected_date ?? undefined;
      else if (v.value !== undefined) value = v.value ?? undefined;
      values[blockId] = value;
    }
  }
  return values;
}
