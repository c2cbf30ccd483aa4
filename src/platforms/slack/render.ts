// Block Kit rendering of the neutral message model (src/messages/model.ts); forms as modals are in modal.ts.
// Pure functions: no I/O, no Bolt.
//
// Text is rendered from the markup's spans (src/messages/markup.ts). mrkdwn has no escape for `*`, `_`, `~`,
// backticks, `:emoji:` or a leading `>`, so text whose typed characters mrkdwn would read as formatting is
// written as a `rich_text` block instead (literal text elements, bold/code styles, user and channel elements),
// which Slack recommends for user-defined text: every typed character shows as typed. Long text is split between
// spans (never inside an entity or a mention); a message that still needs more than 50 blocks is sent as several
// messages (renderMessageParts), never cut.
//
// Limits kept (https://docs.slack.dev/reference/block-kit): 50 blocks per message, 100 per modal; 3000 chars per
// section text, 2000 per field, 10 fields per section, 150 per header/placeholder, 75 per button/option text,
// 25 elements per actions block, 10 per context block, 24 per modal title/submit, 255 action_id/callback_id,
// 3000 private_metadata, 100 options per static select (an external_select answers larger lists).
import { chunkSpans, parseMarkup, spanPlain, type Span } from '../../messages/markup.js';
import type { Button, Field, Message, Section } from '../../messages/model.js';

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
  contextText: 3000,
  /** Our own bound for the text of one rich_text block (Slack documents none; we keep the section limit). */
  richText: 3000,
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

/** Cuts `s` to at most `max` characters (code points), marking the cut with "…" (labels we write, never data). */
export function truncate(s: string, max: number): string {
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** Escapes the three characters Slack mrkdwn treats as control characters (so "<!channel>" stays text). */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SLACK_USER = /^[UW][A-Z0-9]+$/;
const SLACK_CHANNEL = /^[CG][A-Z0-9]+$/;

type Ref = Extract<Span, { kind: 'person' | 'chat' }>;

function isSlackPerson(sp: Span): boolean {
  return sp.kind === 'person' && sp.platform === 'slack' && SLACK_USER.test(sp.id);
}
function isSlackChat(sp: Span): boolean {
  return sp.kind === 'chat' && sp.platform === 'slack' && SLACK_CHANNEL.test(sp.id);
}

/** One span as mrkdwn, without bold markers. */
function mrkdwnOf(sp: Span): string {
  if (isSlackPerson(sp)) return `<@${(sp as Ref).id}>`;
  if (isSlackChat(sp)) return `<#${(sp as Ref).id}>`;
  const text = escapeMrkdwn(spanPlain(sp));
  return sp.kind === 'text' && sp.code ? `\`${text}\`` : text;
}

/** Spans → mrkdwn: consecutive bold spans share one pair of `*`, whitespace kept outside the markers. */
function spansToMrkdwn(spans: Span[]): string {
  let out = '';
  for (let i = 0; i < spans.length; ) {
    if (!spans[i]!.bold) {
      out += mrkdwnOf(spans[i]!);
      i++;
      continue;
    }
    let run = '';
    while (i < spans.length && spans[i]!.bold) run += mrkdwnOf(spans[i++]!);
    const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(run)!;
    out += m[2] ? `${m[1]}*${m[2]}*${m[3]}` : run;
  }
  return out;
}

/** Markup → mrkdwn (see mrkdwnSafe for when mrkdwn shows typed text faithfully). */
export function toMrkdwn(text: string): string {
  return spansToMrkdwn(parseMarkup(text));
}

/** Markup → plain text (headers, button labels, options, notification fallbacks): mentions as "@Name". */
export function toPlain(text: string): string {
  return parseMarkup(text).map(plainOf).join('');
}

/**
 * Whether mrkdwn shows these spans exactly: no typed `*` `_` `~` or backtick (mrkdwn has no escape for them), no
 * `:name:` (an emoji code), no line starting with `>` (a quote), no backtick inside code.
 */
export function mrkdwnSafe(spans: Span[]): boolean {
  let literal = '';
  for (const sp of spans) {
    if (sp.kind !== 'text') {
      literal += 'x';
      continue;
    }
    if (sp.code ? /`/.test(sp.text) : /[*_~`]/.test(sp.text)) return false;
    literal += sp.text;
  }
  return !/:[a-z0-9_+'-]+:/i.test(literal) && !/(^|\n)[ \t]*>/.test(literal);
}

function mrkdwnCost(sp: Span): number {
  return mrkdwnOf(sp).length + (sp.bold ? 2 : 0);
}

function richCost(sp: Span): number {
  return spanPlain(sp).length;
}

/** Spans as the elements of a rich_text_section: literal text with styles, real user and channel mentions. */
function richElements(spans: Span[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const sp of spans) {
    const style = sp.bold || (sp.kind === 'text' && sp.code) ? { style: { ...(sp.bold ? { bold: true } : {}), ...(sp.kind === 'text' && sp.code ? { code: true } : {}) } } : {};
    if (isSlackPerson(sp)) out.push({ type: 'user', user_id: (sp as Ref).id, ...style });
    else if (isSlackChat(sp)) out.push({ type: 'channel', channel_id: (sp as Ref).id, ...style });
    else {
      const text = spanPlain(sp);
      if (text) out.push({ type: 'text', text, ...style });
    }
  }
  return out;
}

/** Markup as section / rich_text blocks, split so that no block passes its limit and nothing is cut. */
export function textBlocks(text: string): SlackBlock[] {
  const spans = parseMarkup(text);
  if (spans.length === 0) return [];
  if (mrkdwnSafe(spans)) {
    return chunkSpans(spans, LIMITS.sectionText, mrkdwnCost)
      .map(spansToMrkdwn)
      .filter((t) => t.trim())
      .map((t) => ({ type: 'section', text: { type: 'mrkdwn', text: t } }));
  }
  return chunkSpans(spans, LIMITS.richText, richCost)
    .map(richElements)
    .filter((els) => els.length > 0)
    .map((elements) => ({ type: 'rich_text', elements: [{ type: 'rich_text_section', elements }] }));
}

function bold(text: string): string {
  const inner = text.replace(/\*\*/g, '');
  return inner.trim() ? `**${inner}**` : '';
}

/** Fields two by two (mrkdwn section fields); a field mrkdwn cannot show exactly, or too long, gets its own block. */
function fieldBlocks(fields: Field[]): SlackBlock[] {
  const grid: string[] = [];
  const extra: SlackBlock[] = [];
  for (const f of fields) {
    const markup = `${bold(f.label)}\n${f.value || '—'}`;
    const spans = parseMarkup(markup);
    const mrkdwn = spansToMrkdwn(spans);
    if (mrkdwnSafe(spans) && mrkdwn.length <= LIMITS.fieldText) grid.push(mrkdwn);
    else extra.push(...textBlocks(markup));
  }
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < grid.length; i += LIMITS.fieldsPerSection) {
    blocks.push({ type: 'section', fields: grid.slice(i, i + LIMITS.fieldsPerSection).map((text) => ({ type: 'mrkdwn', text })) });
  }
  return [...blocks, ...extra];
}

function contextBlocks(lines: string[]): SlackBlock[] {
  const elements: Record<string, unknown>[] = [];
  for (const line of lines) {
    const spans = parseMarkup(line);
    const mrkdwn = spansToMrkdwn(spans);
    if (mrkdwnSafe(spans) && mrkdwn.length <= LIMITS.contextText) {
      if (mrkdwn.trim()) elements.push({ type: 'mrkdwn', text: mrkdwn });
      continue;
    }
    for (const chunk of chunkSpans(spans, LIMITS.contextText, (sp) => plainOf(sp).length)) {
      const text = chunk.map(plainOf).join('');
      if (text.trim()) elements.push({ type: 'plain_text', text, emoji: false });
    }
  }
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < elements.length; i += LIMITS.contextElements) {
    blocks.push({ type: 'context', elements: elements.slice(i, i + LIMITS.contextElements) });
  }
  return blocks;
}

function plainOf(sp: Span): string {
  return sp.kind === 'person' ? `@${sp.name}` : spanPlain(sp);
}

const TONE_LEAD: Record<string, string> = {
  warning: '⚠️ ',
  danger: '⛔ ',
};

// ------------------------------------------------------------------------------------------ messages

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
          text: { type: 'plain_text', text: truncate(toPlain(b.label), LIMITS.buttonText), emoji: false },
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
  const body = [section.heading ? bold(section.heading) : '', section.text ?? ''].filter(Boolean).join('\n');
  if (body) blocks.push(...textBlocks(body));
  if (section.fields?.length) blocks.push(...fieldBlocks(section.fields));
  if (section.buttons?.length) blocks.push(...actionBlocks(section.buttons, `s${index}_actions_`));
  return blocks;
}

export interface RenderedMessage {
  /** Notification / fallback text. */
  text: string;
  blocks: SlackBlock[];
}

/**
 * The neutral message as Block Kit, in as many messages as it needs (one, unless it would pass 50 blocks): the
 * first keeps the title, the last the context and the buttons. Nothing is cut.
 */
export function renderMessageParts(message: Message): RenderedMessage[] {
  const blocks: SlackBlock[] = [];
  const title = message.title ? toPlain(message.title) : '';
  let lead = '';
  if (title && Array.from(title).length <= LIMITS.header) {
    blocks.push({ type: 'header', text: { type: 'plain_text', text: title, emoji: false } });
  } else if (title) {
    lead = `${bold(message.title!)}\n`; // too long for a header: shown whole as bold text
  }
  const tone = !message.title && message.tone ? (TONE_LEAD[message.tone] ?? '') : '';
  const text = `${lead}${tone}${message.text ?? ''}`;
  if (text.trim()) blocks.push(...textBlocks(text));
  if (message.fields?.length) blocks.push(...fieldBlocks(message.fields));
  (message.sections ?? []).forEach((s, i) => {
    if (i > 0 || blocks.length > 0) blocks.push({ type: 'divider' });
    blocks.push(...sectionBlocks(s, i));
  });
  const tail: SlackBlock[] = [];
  if (message.context?.length) tail.push(...contextBlocks(message.context));
  if (message.buttons?.length) tail.push(...actionBlocks(message.buttons, 'actions_'));

  const summary = message.summary || toPlain(message.title || message.text || ' ');
  const fallback = truncate(escapeMrkdwn(summary), LIMITS.fallbackText);
  if (blocks.length + tail.length <= LIMITS.blocks) return [{ text: fallback, blocks: [...blocks, ...tail] }];

  // Too many blocks for one message: continue in the next ones (dividers at a cut are dropped).
  const parts: SlackBlock[][] = [];
  let current: SlackBlock[] = [];
  for (const b of blocks) {
    if (current.length === LIMITS.blocks) {
      parts.push(current);
      current = [];
    }
    if (b.type === 'divider' && current.length === 0) continue;
    current.push(b);
  }
  if (current.length + tail.length <= LIMITS.blocks) current.push(...tail);
  else {
    parts.push(current);
    current = [...tail];
  }
  parts.push(current);
  return parts.filter((p) => p.length > 0).map((p, i) => ({ text: i === 0 ? fallback : `${fallback} (${i + 1}/${parts.length})`, blocks: p }));
}

/** The first message of renderMessageParts (all of it, for every message that fits in one). */
export function renderMessage(message: Message): RenderedMessage {
  return renderMessageParts(message)[0]!;
}
