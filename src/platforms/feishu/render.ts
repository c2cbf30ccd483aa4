// Renders the platform-neutral message model (src/messages/model.ts) as Feishu card JSON 2.0.
// Texts are already localized by the use-cases; this file only lays them out.
//   Message → header (title, colour by tone) + markdown + fields (column sets) + sections + buttons + context
//   Form    → a `form` container: inputs, selects, date pickers, per-field errors, one submit button
// Buttons carry `behaviors: [{ type: 'callback', value: { action: '<ref>' } }]`; the submit button carries
// `{ form: '<formRef>', fs: '<form session id>' }`: the form itself stays on our side (FormSession,
// src/platforms/feishu/formSessions.ts), so a refused submission can be shown again with its errors.
//
// Markdown is written from the markup's spans: every character a person typed that Feishu markdown would read
// (`*` `_` `~` `[` `<` `&`, a leading `#` or `-`, `:OK:` emoji codes, …) is written as an HTML character reference,
// so it shows as typed; only the bot's own bold, code and mentions become formatting.
// Size: Feishu refuses a message body over 30 KB (code 230025). Long markdown is split into elements of at most
// MARKDOWN_BYTES, and a message that would still pass CARD_BYTES is sent as several cards (renderMessageCards);
// a form whose selects would pass it asks the person to type the option instead (the core resolves it).
import { chunkSpans, parseMarkup, plainText, spanPlain, type Span } from '../../messages/markup.js';
import type { Button, Field, Form, FormField, Message, Section, Tone } from '../../messages/model.js';

export type CardJson = Record<string, unknown>;
type Element = Record<string, unknown>;

/** Feishu's limit for a message body (send, PATCH, callback answer). */
export const FEISHU_BODY_LIMIT = 30 * 1024;
/** What one card may take, leaving room for the rest of the request body (receive_id, uuid, JSON escaping). */
export const CARD_BYTES = 26 * 1024;
/** Largest markdown element we write. */
const MARKDOWN_BYTES = 8 * 1024;

const TEMPLATE: Record<Tone, string> = {
  info: 'blue',
  success: 'green',
  warning: 'orange',
  danger: 'red',
  neutral: 'grey',
};

/** Bytes of `card` as it travels (JSON inside the request's `content` string). */
export function cardBytes(card: CardJson): number {
  return Buffer.byteLength(JSON.stringify(JSON.stringify(card)), 'utf8');
}

// ------------------------------------------------------------------------------------------------ markdown

const ALWAYS = /[&<>*_~`[\]\\|$]/g;
const ref = (c: string) => `&#${c.codePointAt(0)};`;

/** Literal text → Feishu markdown showing exactly these characters; `lineStart` says whether it begins a line. */
export function escapeMarkdown(text: string, lineStart = true): string {
  let out = text.replace(ALWAYS, ref).replace(/:(?=[A-Za-z0-9_+-]+:)/g, ref);
  // Block syntax only counts at the start of a line: headings, lists, rules, setext underlines, numbered lists.
  out = out.replace(/(^|\n)([ \t]*)([#+\-=]|\d+(?=[.)]))/g, (whole, nl: string, ws: string, c: string, offset: number) => {
    if (offset === 0 && nl === '' && !lineStart) return whole;
    return /^\d+$/.test(c) ? whole : `${nl}${ws}${ref(c)}`;
  });
  return out.replace(/(^|\n)([ \t]*\d+)([.)])/g, (whole, nl: string, num: string, p: string, offset: number) =>
    offset === 0 && nl === '' && !lineStart ? whole : `${nl}${num}${ref(p)}`,
  );
}

const FEISHU_USER = /^ou_[\w-]+$/;

function spanMarkdown(sp: Span, lineStart: boolean): string {
  if (sp.kind === 'person' && sp.platform === 'feishu' && FEISHU_USER.test(sp.id)) return `<at id=${sp.id}></at>`;
  const text = spanPlain(sp);
  // Code only when its text needs no escaping (entities are not decoded inside code spans).
  if (sp.kind === 'text' && sp.code && !/[&<>`\\]/.test(text) && text.trim()) return `\`${text}\``;
  return escapeMarkdown(text, lineStart);
}

function spansToMarkdown(spans: Span[]): string {
  let out = '';
  const lineStart = () => out === '' || out.endsWith('\n');
  for (let i = 0; i < spans.length; ) {
    if (!spans[i]!.bold) {
      out += spanMarkdown(spans[i]!, lineStart());
      i++;
      continue;
    }
    let run = '';
    const start = lineStart();
    while (i < spans.length && spans[i]!.bold) run += spanMarkdown(spans[i++]!, start && run === '');
    const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(run)!;
    out += m[2] ? `${m[1]}**${m[2]}**${m[3]}` : run;
  }
  return out;
}

/** Markup → Feishu markdown (one piece; see markdownElements for long text). */
export function toMarkdown(text: string): string {
  return spansToMarkdown(parseMarkup(text));
}

function spanBytes(sp: Span): number {
  return Buffer.byteLength(spanMarkdown(sp, true), 'utf8') + (sp.bold ? 4 : 0);
}

/** Markup as markdown elements of at most MARKDOWN_BYTES each, split between spans (never inside an entity). */
function markdownElements(text: string, extra: Element = {}): Element[] {
  const spans = parseMarkup(text);
  if (spans.length === 0) return [];
  return chunkSpans(spans, MARKDOWN_BYTES, spanBytes)
    .map(spansToMarkdown)
    .filter((c) => c.trim())
    .map((content) => markdown(content, extra));
}

/** Bold text: inner ** markers are dropped (nested bold breaks Feishu markdown). */
function bold(text: string): string {
  const inner = text.replace(/\*\*/g, '');
  return inner.trim() ? `**${inner}**` : '';
}

function plain(content: string): Record<string, string> {
  return { tag: 'plain_text', content };
}

function markdown(content: string, extra: Element = {}): Element {
  return { tag: 'markdown', content, ...extra };
}

// ------------------------------------------------------------------------------------------------ messages

function fieldsElements(fields: Field[]): Element[] {
  const rows: Element[] = [];
  const long: Element[] = [];
  const short: Field[] = [];
  for (const f of fields) {
    const md = `${bold(f.label)}\n${f.value || '—'}`;
    if (Buffer.byteLength(toMarkdown(md), 'utf8') > 2048) long.push(...markdownElements(md));
    else short.push(f);
  }
  for (let i = 0; i < short.length; i += 2) {
    const pair = short.slice(i, i + 2);
    rows.push({
      tag: 'column_set',
      flex_mode: 'bisect',
      horizontal_spacing: '8px',
      columns: pair.map((f) => ({
        tag: 'column',
        width: 'weighted',
        weight: 1,
        vertical_align: 'top',
        elements: [markdown(toMarkdown(`${bold(f.label)}\n${f.value || '—'}`))],
      })),
    });
  }
  return [...rows, ...long];
}

export function buttonElement(b: Button): Element {
  return {
    tag: 'button',
    text: plain(plainText(b.label)),
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
  if (s.heading) out.push(...markdownElements(bold(s.heading)));
  if (s.text) out.push(...markdownElements(s.text));
  if (s.fields?.length) out.push(...fieldsElements(s.fields));
  if (s.buttons?.length) out.push(buttonsElement(s.buttons));
  return out;
}

function card(title: string | undefined, tone: Tone | undefined, summary: string, elements: Element[]): CardJson {
  const json: CardJson = {
    schema: '2.0',
    config: { update_multi: true, summary: { content: Array.from(summary).slice(0, 120).join('') } },
    body: { elements },
  };
  if (title) json.header = { title: plain(title), template: TEMPLATE[tone ?? 'info'] };
  return json;
}

/**
 * A neutral message as card JSON 2.0, in as many cards as it needs to stay within Feishu's 30 KB (one, unless it
 * is very long): the first keeps the title, the others say which part they are; buttons and context come last.
 */
export function renderMessageCards(message: Message, opts: { imageKey?: string } = {}): CardJson[] {
  const body: Element[] = [];
  if (message.text) body.push(...markdownElements(message.text));
  // A chart, once its image is uploaded (im/v1/images): full width, with its alt text.
  if (message.chart && opts.imageKey) {
    body.push({ tag: 'img', img_key: opts.imageKey, alt: plain(message.chart.alt.slice(0, 500)), scale_type: 'fit_horizontal', preview: true });
  }
  if (message.fields?.length) body.push(...fieldsElements(message.fields));
  for (const [i, s] of (message.sections ?? []).entries()) {
    if (i > 0 || body.length > 0) body.push({ tag: 'hr' });
    body.push(...sectionElements(s));
  }
  const tail: Element[] = [];
  if (message.buttons?.length) tail.push(buttonsElement(message.buttons));
  if (message.context?.length) tail.push(...markdownElements(message.context.join('\n'), { text_size: 'notation' }));
  if (body.length === 0 && tail.length === 0) body.push(...markdownElements(message.summary || ' '));
  const title = message.title ? plainText(message.title) : undefined;
  const summary = message.summary || title || '';

  const whole = card(title, message.tone, summary, [...body, ...tail]);
  if (cardBytes(whole) <= CARD_BYTES) return [whole];

  // Split: fill cards element by element (a rule at a cut is dropped); the tail goes on the last one.
  const groups: Element[][] = [];
  let current: Element[] = [];
  const fits = (els: Element[]) => cardBytes(card(title, message.tone, summary, els)) <= CARD_BYTES;
  for (const el of body) {
    if (el.tag === 'hr' && current.length === 0) continue;
    if (current.length > 0 && !fits([...current, el])) {
      groups.push(current);
      current = el.tag === 'hr' ? [] : [el];
      continue;
    }
    current.push(el);
  }
  if (fits([...current, ...tail])) current.push(...tail);
  else {
    groups.push(current);
    current = [...tail];
  }
  groups.push(current);
  const parts = groups.filter((g) => g.length > 0);
  return parts.map((els, i) => card(i === 0 ? title : `${title ?? ''} (${i + 1}/${parts.length})`.trim(), message.tone, summary, els));
}

/** The first card of renderMessageCards (all of it, for every message that fits in one card). */
export function renderMessage(message: Message, opts: { imageKey?: string } = {}): CardJson {
  return renderMessageCards(message, opts)[0]!;
}

// --------------------------------------------------------------------------------------------------- forms

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

/** The form as stored for a later re-render: everything except per-submission state. */
export function formDefinition(form: Form): Form {
  return { ...form, fields: form.fields.map(({ error: _e, ...rest }) => rest) };
}

function options(f: FormField): Element[] {
  return (f.options ?? []).map((o) => ({ text: plain(plainText(o.label) || o.value), value: o.value }));
}

function fieldElements(f: FormField, typed: boolean): Element[] {
  const out: Element[] = [];
  const label = plainText(f.required ? `${f.label} *` : f.label);
  const placeholder = f.placeholder ? { placeholder: plain(plainText(f.placeholder)) } : {};
  const kind = typed && (f.kind === 'select' || f.kind === 'multiselect') ? 'text' : f.kind;
  switch (kind) {
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
        input_type: kind === 'textarea' ? 'multiline_text' : 'text',
        ...placeholder,
      };
      if (kind === 'textarea') input.rows = 3;
      if (f.initial) input.default_value = f.initial;
      if (f.maxLength) input.max_length = f.maxLength;
      out.push(input);
      // A select shown as text: say how to choose (the core matches codes and words of the labels).
      if (kind !== f.kind && f.searchHint) out.push(...markdownElements(f.searchHint, { text_size: 'notation' }));
      break;
    }
    case 'select': {
      out.push(markdown(`**${escapeMarkdown(label)}**`));
      const el: Element = { tag: 'select_static', name: f.name, required: Boolean(f.required), width: 'fill', options: options(f), ...placeholder };
      if (f.initial) el.initial_option = f.initial;
      out.push(el);
      break;
    }
    case 'multiselect': {
      out.push(markdown(`**${escapeMarkdown(label)}**`));
      const el: Element = { tag: 'multi_select_static', name: f.name, required: Boolean(f.required), width: 'fill', options: options(f), ...placeholder };
      const initial = (f.initial ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      if (initial.length) el.selected_values = initial;
      out.push(el);
      break;
    }
    case 'date': {
      out.push(markdown(`**${escapeMarkdown(label)}**`));
      const el: Element = { tag: 'date_picker', name: f.name, required: Boolean(f.required), width: 'fill', ...placeholder };
      if (f.initial) el.initial_date = f.initial;
      out.push(el);
      break;
    }
  }
  if (f.hint) out.push(...markdownElements(f.hint, { text_size: 'notation' }));
  if (f.error) out.push(...markdownElements(`⚠️ ${f.error}`).map((e) => ({ ...e, content: `<font color='red'>${e.content as string}</font>` })));
  return out;
}

function formCard(form: Form, opts: { error?: string; session?: string }, typed: Set<string>): CardJson {
  const elements: Element[] = [];
  if (opts.error) elements.push(...markdownElements(`⚠️ ${opts.error}`).map((e) => ({ ...e, content: `<font color='red'>${e.content as string}</font>` })));
  if (form.intro) elements.push(...markdownElements(form.intro));
  const value: Record<string, string> = { form: form.id };
  if (opts.session) value.fs = opts.session;
  elements.push({
    tag: 'form',
    name: 'form',
    elements: [
      ...form.fields.flatMap((f) => fieldElements(f, typed.has(f.name))),
      {
        tag: 'button',
        name: 'submit',
        text: plain(plainText(form.submitLabel)),
        type: 'primary',
        form_action_type: 'submit',
        behaviors: [{ type: 'callback', value }],
      },
    ],
  });
  const title = plainText(form.title);
  return card(title, 'info', title, elements);
}

/**
 * A form as a card with a `form` container; `error` (when a submission was refused as a whole) goes on top; the
 * submit button carries the form reference and the form session `session`. Selects whose options would make the
 * card pass Feishu's size limit become text inputs (largest first), with the field's searchHint.
 */
export function renderForm(form: Form, opts: { error?: string; session?: string } = {}): CardJson {
  const typed = new Set<string>();
  let json = formCard(form, opts, typed);
  const selects = form.fields
    .filter((f) => (f.kind === 'select' || f.kind === 'multiselect') && (f.options?.length ?? 0) > 0)
    .sort((a, b) => (b.options?.length ?? 0) - (a.options?.length ?? 0));
  for (const f of selects) {
    if (cardBytes(json) <= CARD_BYTES) break;
    typed.add(f.name);
    json = formCard(form, opts, typed);
  }
  return json;
}

/** An outbox row's cards: its form when it carries one (OutboxPayload.form), else its message. */
export function renderOutgoing(message: Message, form?: Form, session?: string): CardJson[] {
  // Rows queued by older versions carried the form inside the message as `feishuForm`.
  const carried = form ?? (message as Message & { feishuForm?: Form }).feishuForm;
  return carried ? [renderForm(carried, { session })] : renderMessageCards(message);
}
