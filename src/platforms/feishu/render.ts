// Renders the platform-neutral message model (src/messages/model.ts) as Feishu card JSON 2.0.
// Texts are already localized by the use-cases; this file only lays them out.
//   Message → header (title, colour by tone) + markdown + fields (column sets) + sections + buttons + context
//   Form    → a `form` container: inputs, selects, date pickers, per-field errors, one submit button
// Buttons carry `behaviors: [{ type: 'callback', value: { action: '<ref>' } }]`; the submit button carries
// `{ form: '<formRef>', def: <the form> }` so a refused submission can be shown again with its errors.
import { chatsAsNames, stripMarkup } from '../../messages/markup.js';
import type { Button, Field, Form, FormField, Message, Section, Tone } from '../../messages/model.js';

export type CardJson = Record<string, unknown>;
type Element = Record<string, unknown>;

const TEMPLATE: Record<Tone, string> = {
  info: 'blue',
  success: 'green',
  warning: 'orange',
  danger: 'red',
  neutral: 'grey',
};

const MENTION = /<@(slack|feishu|local):([^|>\s]+)(?:\|([^>]*))?>/g;

/** Escapes what Feishu markdown would interpret as tags (so user text cannot forge `<at id=all>`). */
function escapeAngles(text: string): string {
  return text.replace(/</g, '&#60;').replace(/>/g, '&#62;');
}

/**
 * Neutral markup → Feishu markdown: `**bold**` stays; `<@feishu:ou_x|Name>` becomes a real mention
 * `<at id=ou_x></at>`; people on other platforms appear by name. Everything else that looks like a tag is escaped.
 */
export function toMarkdown(text: string): string {
  let out = '';
  let last = 0;
  text = chatsAsNames(text); // Feishu markdown cannot link a chat
  for (const m of text.matchAll(MENTION)) {
    out += escapeAngles(text.slice(last, m.index));
    const [, platform, userId, name] = m;
    if (platform === 'feishu' && /^ou_[\w-]+$/.test(userId!)) out += `<at id=${userId}></at>`;
    else out += escapeAngles(name?.trim() || userId!);
    last = m.index! + m[0].length;
  }
  return out + escapeAngles(text.slice(last));
}

/** Bold text: inner ** markers are dropped (nested bold breaks Feishu markdown). */
function bold(text: string): string {
  const inner = toMarkdown(text.replace(/\*\*/g, '')).trim();
  return inner ? `**${inner}**` : '';
}

function plain(content: string): Record<string, string> {
  return { tag: 'plain_text', content };
}

function markdown(content: string, extra: Element = {}): Element {
  return { tag: 'markdown', content, ...extra };
}

function fieldsElements(fields: Field[]): Element[] {
  const rows: Element[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const pair = fields.slice(i, i + 2);
    rows.push({
      tag: 'column_set',
      flex_mode: 'bisect',
      horizontal_spacing: '8px',
      columns: pair.map((f) => ({
        tag: 'column',
        width: 'weighted',
        weight: 1,
        vertical_align: 'top',
        elements: [markdown(`${bold(f.label)}\n${toMarkdown(f.value)}`)],
      })),
    });
  }
  return rows;
}

export function buttonElement(b: Button): Element {
  return {
    tag: 'button',
    text: plain(b.label),
    type: b.style === 'danger' ? 'danger' : b.style === 'primary' ? 'primary' : 'default',
    behaviors: [{ type: 'callback', value: { action: b.action } }],
  };
}

function buttonsElement(buttons: Button[]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    horizontal_spacing: '8px',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [buttonElement(b)] })),
  };
}

function sectionElements(s: Section): Element[] {
  const out: Element[] = [];
  if (s.heading) out.push(markdown(bold(s.heading)));
  if (s.text) out.push(markdown(toMarkdown(s.text)));
  if (s.fields?.length) out.push(...fieldsElements(s.fields));
  if (s.buttons?.length) out.push(buttonsElement(s.buttons));
  return out;
}

function card(title: string | undefined, tone: Tone | undefined, summary: string, elements: Element[]): CardJson {
  const json: CardJson = {
    schema: '2.0',
    config: { update_multi: true, summary: { content: stripMarkup(summary).slice(0, 120) } },
    body: { elements },
  };
  if (title) json.header = { title: plain(title), template: TEMPLATE[tone ?? 'info'] };
  return json;
}

/** A neutral message as a card JSON 2.0 object. */
export function renderMessage(message: Message): CardJson {
  const elements: Element[] = [];
  if (message.text) elements.push(markdown(toMarkdown(message.text)));
  if (message.fields?.length) elements.push(...fieldsElements(message.fields));
  for (const [i, s] of (message.sections ?? []).entries()) {
    if (i > 0 || elements.length > 0) elements.push({ tag: 'hr' });
    elements.push(...sectionElements(s));
  }
  if (message.buttons?.length) elements.push(buttonsElement(message.buttons));
  if (message.context?.length) {
    elements.push(markdown(toMarkdown(message.context.join('\n')), { text_size: 'notation' }));
  }
  if (elements.length === 0) elements.push(markdown(toMarkdown(message.summary)));
  return card(message.title, message.tone, message.summary, elements);
}

/** Values as submitted → the `initial` strings of the fields, so a refused form keeps what was typed. */
export function withInitials(form: Form, values: Record<string, string | string[] | undefined>): Form {
  return {
    ...form,
    fields: form.fields.map((f) => {
      const v = values[f.name];
      if (v === undefined) return f;
      return { ...f, initial: Array.isArray(v) ? v.join(',') : v };
    }),
  };
}

/** Errors (field name → text) placed on the fields. */
export function withErrors(form: Form, errors: Record<string, string> | undefined): Form {
  if (!errors) return form;
  return { ...form, fields: form.fields.map((f) => (errors[f.name] ? { ...f, error: errors[f.name] } : { ...f, error: undefined })) };
}

/** The definition embedded in the submit button: everything except per-submission state. */
function formDefinition(form: Form): Form {
  return { ...form, fields: form.fields.map(({ error: _e, ...rest }) => rest) };
}

function fieldElements(f: FormField): Element[] {
  const out: Element[] = [];
  const label = f.required ? `${f.label} *` : f.label;
  const placeholder = f.placeholder ? { placeholder: plain(f.placeholder) } : {};
  switch (f.kind) {
    case 'text':
    case 'textarea':
    case 'number':
    case 'money': {
      // Feishu's input has no numeric type that accepts "5万" or "¥50,000.50": amounts are typed as text
      // and validated by the core, which answers with a per-field error.
      const input: Element = {
        tag: 'input',
        name: f.name,
        required: Boolean(f.required),
        label: plain(label),
        label_position: 'top',
        width: 'fill',
        input_type: f.kind === 'textarea' ? 'multiline_text' : 'text',
        ...placeholder,
      };
      if (f.kind === 'textarea') input.rows = 3;
      if (f.initial) input.default_value = f.initial;
      if (f.maxLength) input.max_length = f.maxLength;
      out.push(input);
      break;
    }
    case 'select': {
      out.push(markdown(bold(label)));
      const el: Element = {
        tag: 'select_static',
        name: f.name,
        required: Boolean(f.required),
        width: 'fill',
        options: (f.options ?? []).map((o) => ({ text: plain(o.label), value: o.value })),
        ...placeholder,
      };
      if (f.initial) el.initial_option = f.initial;
      out.push(el);
      break;
    }
    case 'multiselect': {
      out.push(markdown(bold(label)));
      const el: Element = {
        tag: 'multi_select_static',
        name: f.name,
        required: Boolean(f.required),
        width: 'fill',
        options: (f.options ?? []).map((o) => ({ text: plain(o.label), value: o.value })),
        ...placeholder,
      };
      const initial = (f.initial ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      if (initial.length) el.selected_values = initial;
      out.push(el);
      break;
    }
    case 'date': {
      out.push(markdown(bold(label)));
      const el: Element = { tag: 'date_picker', name: f.name, required: Boolean(f.required), width: 'fill', ...placeholder };
      if (f.initial) el.initial_date = f.initial;
      out.push(el);
      break;
    }
  }
  if (f.hint) out.push(markdown(toMarkdown(f.hint), { text_size: 'notation' }));
  if (f.error) out.push(markdown(`<font color='red'>⚠️ ${toMarkdown(f.error)}</font>`));
  return out;
}

/** A form as a card with a `form` container; `error` (when a submission was refused as a whole) goes on top. */
export function renderForm(form: Form, opts: { error?: string } = {}): CardJson {
  const elements: Element[] = [];
  if (opts.error) elements.push(markdown(`<font color='red'>⚠️ ${toMarkdown(opts.error)}</font>`));
  if (form.intro) elements.push(markdown(toMarkdown(form.intro)));
  elements.push({
    tag: 'form',
    name: 'form',
    elements: [
      ...form.fields.flatMap(fieldElements),
      {
        tag: 'button',
        name: 'submit',
        text: plain(form.submitLabel),
        type: 'primary',
        form_action_type: 'submit',
        behaviors: [{ type: 'callback', value: { form: form.id, def: formDefinition(form) } }],
      },
    ],
  });
  return card(form.title, 'info', form.title, elements);
}

/** An outbox row's card: its form when it carries one (OutboxPayload.form), else its message. */
export function renderOutgoing(message: Message, form?: Form): CardJson {
  // Rows queued by older versions carried the form inside the message as `feishuForm`.
  const carried = form ?? (message as Message & { feishuForm?: Form }).feishuForm;
  return carried ? renderForm(carried) : renderMessage(message);
}
