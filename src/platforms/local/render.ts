// The playground's renderer: the neutral Message / Form model → HTML fragments for the web page.
// Everything that comes from a message (titles, field values, user input quoted back) is escaped here,
// on the server, in one place; the page inserts these fragments as they are and binds behaviour to
// data-* attributes. Nothing untrusted ever reaches the page unescaped.
import { parseMarkup, plainText, type Span } from '../../messages/markup.js';
import { CHART_HEIGHT, CHART_WIDTH } from '../../charts/theme.js';
import type { Button, Field, Form, FormField, Message, Section } from '../../messages/model.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Message markup (**bold**, `code`, mentions, chat references, escapes) → HTML, line breaks kept. */
export function richText(text: string): string {
  let out = '';
  const spans = parseMarkup(text);
  for (let i = 0; i < spans.length; ) {
    const boldRun = Boolean(spans[i]!.bold);
    let html = '';
    while (i < spans.length && Boolean(spans[i]!.bold) === boldRun) html += spanHtml(spans[i++]!);
    out += boldRun ? `<strong>${html}</strong>` : html;
  }
  return out;
}

function spanHtml(sp: Span): string {
  if (sp.kind === 'person') return `<span class="mention" title="${escapeHtml(`${sp.platform}:${sp.id}`)}">@${escapeHtml(sp.name)}</span>`;
  if (sp.kind === 'chat') return plain(`#${sp.name}`);
  return sp.code ? `<code>${escapeHtml(sp.text)}</code>` : plain(sp.text);
}

/** Markup as plain text for attributes and labels. */
function plainHtml(markup: string): string {
  return escapeHtml(plainText(markup));
}

// A money value as the bot formats it (-¥10,000.00, ¥5万, ¥1.2k…): kept on one line, sign included.
const MONEY = /(?:[-−]\s?)?[¥￥]\s?\d[\d,]*(?:\.\d+)?(?:[万亿kKM])?/g;

function plain(s: string): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(MONEY)) {
    out += lines(s.slice(last, m.index)) + `<span class="money">${escapeHtml(m[0])}</span>`;
    last = m.index + m[0].length;
  }
  return out + lines(s.slice(last));
}

function lines(s: string): string {
  return escapeHtml(s).replace(/\r?\n/g, '<br>');
}

function fieldsHtml(fields: Field[] | undefined): string {
  if (!fields?.length) return '';
  const items = fields
    .map((f) => `<div class="field"><dt>${richText(f.label)}</dt><dd>${richText(f.value)}</dd></div>`)
    .join('');
  return `<dl class="fields">${items}</dl>`;
}

function buttonsHtml(buttons: Button[] | undefined): string {
  if (!buttons?.length) return '';
  const items = buttons
    .map((b) => {
      const style = b.style === 'primary' || b.style === 'danger' ? ` btn-${b.style}` : '';
      return `<button type="button" class="btn${style}" data-action="${escapeHtml(b.action)}">${plainHtml(b.label)}</button>`;
    })
    .join('');
  return `<div class="buttons">${items}</div>`;
}

function sectionHtml(s: Section): string {
  return (
    '<div class="section">' +
    (s.heading ? `<div class="section-heading">${richText(s.heading)}</div>` : '') +
    (s.text ? `<div class="section-text">${richText(s.text)}</div>` : '') +
    fieldsHtml(s.fields) +
    buttonsHtml(s.buttons) +
    '</div>'
  );
}

const TONES = new Set(['info', 'success', 'warning', 'danger', 'neutral']);

/** A chart, once stored: an <img> from the playground's own origin, with its alt text, at its CSS size. */
function chartHtml(message: Message, src: string | undefined): string {
  if (!message.chart || !src) return '';
  return (
    `<figure class="chart"><img src="${escapeHtml(src)}" alt="${escapeHtml(message.chart.alt)}" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" loading="lazy">` +
    '</figure>'
  );
}

/** A message as a card; `chartSrc` is where its chart's PNG is served, once it is drawn. */
export function renderMessage(message: Message, opts: { chartSrc?: string } = {}): string {
  const tone = message.tone && TONES.has(message.tone) ? message.tone : 'neutral';
  const body =
    (message.title ? `<div class="card-title">${richText(message.title)}</div>` : '') +
    (message.text ? `<div class="card-text">${richText(message.text)}</div>` : '') +
    chartHtml(message, opts.chartSrc) +
    fieldsHtml(message.fields) +
    (message.sections ?? []).map(sectionHtml).join('') +
    buttonsHtml(message.buttons) +
    (message.context?.length
      ? `<div class="card-context">${message.context.map((c) => `<div>${richText(c)}</div>`).join('')}</div>`
      : '');
  // A message with nothing but a summary still shows something.
  return `<div class="card tone-${tone}">${body || `<div class="card-text">${richText(message.summary)}</div>`}</div>`;
}

function optionValues(field: FormField, value: string | string[] | undefined): Set<string> {
  if (Array.isArray(value)) return new Set(value);
  if (typeof value === 'string') return new Set(field.kind === 'multiselect' ? value.split(',').map((v) => v.trim()) : [value]);
  return new Set();
}

function controlHtml(field: FormField, id: string, value: string | string[] | undefined): string {
  const name = escapeHtml(field.name);
  const required = field.required ? ' required' : '';
  // No maxlength attribute: the browser would cut pasted text silently. The page counts characters against
  // data-max and refuses over-long text with its count; the core refuses it too.
  const max = limitOf(field) ? ` data-max="${limitOf(field)}"` : '';
  const placeholder = field.placeholder ? ` placeholder="${plainHtml(field.placeholder)}"` : '';
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  switch (field.kind) {
    case 'textarea':
      return `<textarea id="${id}" name="${name}" rows="3"${required}${max}${placeholder}>${escapeHtml(text)}</textarea>`;
    case 'select': {
      const chosen = optionValues(field, value);
      const blank = `<option value=""${chosen.size === 0 ? ' selected' : ''}>—</option>`;
      const options = (field.options ?? [])
        .map((o) => `<option value="${escapeHtml(o.value)}"${chosen.has(o.value) ? ' selected' : ''}>${plainHtml(o.label)}</option>`)
        .join('');
      return `<select id="${id}" name="${name}"${required}>${blank}${options}</select>`;
    }
    case 'multiselect': {
      const chosen = optionValues(field, value);
      const options = (field.options ?? [])
        .map(
          (o) =>
            `<label class="check"><input type="checkbox" name="${name}" value="${escapeHtml(o.value)}"${chosen.has(o.value) ? ' checked' : ''}> ${plainHtml(o.label)}</label>`,
        )
        .join('');
      return `<div class="checks" id="${id}" data-multi="${name}">${options}</div>`;
    }
    case 'file':
      return `<input id="${id}" type="file" name="${name}" accept=".xlsx,.csv"${required}>`;
    case 'date':
      return `<input id="${id}" type="date" name="${name}" value="${escapeHtml(text)}"${required}>`;
    case 'number':
      return `<input id="${id}" type="text" inputmode="decimal" name="${name}" value="${escapeHtml(text)}"${required}${max}${placeholder}>`;
    case 'money':
      return `<input id="${id}" type="text" inputmode="decimal" class="money" name="${name}" value="${escapeHtml(text)}"${required}${max}${placeholder}>`;
    case 'text':
    default:
      return `<input id="${id}" type="text" name="${name}" value="${escapeHtml(text)}"${required}${max}${placeholder}>`;
  }
}

function limitOf(field: FormField): number | undefined {
  const limited = field.kind === 'text' || field.kind === 'textarea' || field.kind === 'number' || field.kind === 'money';
  return limited && field.maxLength ? Math.max(1, Math.floor(field.maxLength)) : undefined;
}

let formSeq = 0;

/**
 * A form as an HTML form. `values` (what the user typed, when re-showing) win over each field's initial
 * value; `errors` (field name → text) win over each field's own error. Submitting is the page's job.
 */
export function renderForm(form: Form, values: Record<string, string | string[] | undefined> = {}, errors: Record<string, string> = {}): string {
  const prefix = `f${++formSeq}`;
  const fields = form.fields
    .map((field, i) => {
      const id = `${prefix}-${i}`;
      const value = field.name in values ? values[field.name] : field.initial;
      const error = errors[field.name] ?? field.error;
      return (
        `<div class="form-field${error ? ' has-error' : ''}" data-field="${escapeHtml(field.name)}" data-kind="${field.kind}">` +
        `<label for="${id}">${plainHtml(field.label)}${field.required ? ' <span class="req">*</span>' : ''}</label>` +
        controlHtml(field, id, value) +
        (limitOf(field) ? `<div class="counter" data-for="${id}"></div>` : '') +
        (field.hint ? `<div class="hint">${richText(field.hint)}</div>` : '') +
        `<div class="error" role="alert">${error ? richText(error) : ''}</div>` +
        '</div>'
      );
    })
    .join('');
  return (
    `<form class="bot-form" data-form="${escapeHtml(form.id)}" novalidate>` +
    `<div class="form-title">${plainHtml(form.title)}</div>` +
    (form.intro ? `<div class="form-intro">${richText(form.intro)}</div>` : '') +
    fields +
    `<div class="form-error error" role="alert"></div>` +
    `<div class="form-buttons"><button type="submit" class="btn btn-primary">${plainHtml(form.submitLabel)}</button>` +
    `<button type="button" class="btn" data-cancel>✕</button></div>` +
    '</form>'
  );
}
