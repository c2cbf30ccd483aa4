// The small markup of the message model (see model.ts). It is the only markup the renderers turn into formatting:
//   **bold**   `code`   <@platform:userId|Name> (a person)   <#platform:chatId|Name> (a chat)
// and a backslash makes the next character literal (`\*`, `\<`, `\\`).
//
// Text a person typed is data, never markup: builders put it into messages with `esc()` (or as a t() parameter,
// which escapes strings itself, see src/i18n), so "**", "<@slack:U1>" or a backtick typed by someone shows as
// those characters on every platform. Markup the bot writes (mentions, chat references, bold) is wrapped in
// `Markup` when it travels through t() parameters. Renderers read markup only through `parseMarkup()`.

/** Markup written by the bot, to be inserted as is (t() escapes plain string parameters, not these). */
export class Markup {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** Marks `text` as markup the bot wrote (a mention, a bold label) for a t() parameter. */
export function markup(text: string): Markup {
  return new Markup(text);
}

/** User text → markup text that renders as exactly these characters. */
export function esc(text: string): string {
  return text.replace(/[\\*`<>]/g, '\\$&');
}

/** A mention of a person: a real mention on their platform, their name elsewhere. */
export function personRef(p: { platform: string; userId: string; displayName?: string | null }): Markup {
  return new Markup(`<@${p.platform}:${p.userId}|${esc(p.displayName || p.userId)}>`);
}

/** A reference to a chat, e.g. the channel a purpose is bound to (a channel link on Slack, "#Name" elsewhere). */
export function chatRef(platform: string, chatId: string, name: string): Markup {
  return new Markup(`<#${platform}:${chatId}|${esc(name)}>`);
}

// ------------------------------------------------------------------------------------------------ parsing

export interface Style {
  bold?: boolean;
  code?: boolean;
}

export type Span =
  | ({ kind: 'text'; text: string } & Style)
  | ({ kind: 'person'; platform: string; id: string; name: string } & Style)
  | ({ kind: 'chat'; platform: string; id: string; name: string } & Style);

const REF = /^<([@#])([a-z]+):([^|<>\s\\]+)(?:\|((?:\\[\s\S]|[^\\<>])*))?>/;

function unescape(s: string): string {
  return s.replace(/\\([\s\S])/g, '$1');
}

/** Index of the next unescaped `token` at or after `from` (not crossing a newline when `line`), or -1. */
function findClosing(s: string, from: number, token: string, line: boolean): number {
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (line && c === '\n') return -1;
    if (s.startsWith(token, i)) return i;
  }
  return -1;
}

/** Markup → spans (text with its style, people, chats). Unpaired markers are text. */
export function parseMarkup(s: string): Span[] {
  const spans: Span[] = [];
  let bold = false;
  let buf = '';
  const flush = () => {
    if (buf) spans.push(bold ? { kind: 'text', text: buf, bold } : { kind: 'text', text: buf });
    buf = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      // A code point, not half of a surrogate pair.
      const cp = String.fromCodePoint(s.codePointAt(i + 1)!);
      buf += cp;
      i += cp.length;
      continue;
    }
    if (c === '*' && s[i + 1] === '*') {
      if (bold || findClosing(s, i + 2, '**', false) > i + 2) {
        flush();
        bold = !bold;
        i++;
        continue;
      }
    }
    if (c === '`') {
      const end = findClosing(s, i + 1, '`', true);
      if (end > i + 1) {
        flush();
        spans.push({ kind: 'text', text: unescape(s.slice(i + 1, end)), code: true, ...(bold ? { bold } : {}) });
        i = end;
        continue;
      }
    }
    if (c === '<') {
      const m = REF.exec(s.slice(i, i + 1000));
      if (m) {
        flush();
        const name = unescape(m[4] ?? '').trim() || m[3]!;
        spans.push({ kind: m[1] === '@' ? 'person' : 'chat', platform: m[2]!, id: m[3]!, name, ...(bold ? { bold } : {}) });
        i += m[0].length - 1;
        continue;
      }
    }
    buf += c;
  }
  flush();
  return spans;
}

/** Spans → markup again (the inverse of parseMarkup, for chunks of a split text). */
export function toMarkup(spans: Span[]): string {
  let out = '';
  let bold = false;
  for (const sp of spans) {
    if (Boolean(sp.bold) !== bold) {
      out += '**';
      bold = !bold;
    }
    if (sp.kind === 'text') out += sp.code ? `\`${sp.text.replace(/[\\`]/g, '\\$&')}\`` : esc(sp.text);
    else out += `<${sp.kind === 'person' ? '@' : '#'}${sp.platform}:${sp.id}|${esc(sp.name)}>`;
  }
  return bold ? `${out}**` : out;
}

/** The visible characters of one span when formatting is not available. */
export function spanPlain(sp: Span): string {
  if (sp.kind === 'text') return sp.text;
  return sp.kind === 'chat' ? `#${sp.name}` : sp.name;
}

/** Plain text for summaries, notifications, toasts and plain-only platform fields: people by name, no markers. */
export function plainText(text: string): string {
  return parseMarkup(text).map(spanPlain).join('');
}

/** @deprecated use plainText */
export const stripMarkup = plainText;

// ------------------------------------------------------------------------------------------------ splitting

/**
 * Splits spans into chunks whose `measure` stays within `max`, cutting at the last line break that fits (else a
 * space, else between characters) and never inside a person, a chat or a character escape; the renderers measure
 * what they will write (entities included), so a chunk never ends inside `&amp;` or a mention.
 */
export function chunkSpans(spans: Span[], max: number, measure: (sp: Span) => number): Span[][] {
  const chunks: Span[][] = [];
  let current: Span[] = [];
  let used = 0;
  const close = () => {
    if (current.length) chunks.push(current);
    current = [];
    used = 0;
  };
  const queue = [...spans];
  while (queue.length) {
    const sp = queue.shift()!;
    const cost = measure(sp);
    if (used + cost <= max) {
      current.push(sp);
      used += cost;
      continue;
    }
    // Overflow: end the chunk after its last line break, the rest starts the next one.
    const last = current.at(-1);
    if (last?.kind === 'text' && !last.code && last.text.endsWith('\n')) {
      close();
      queue.unshift(sp);
      continue;
    }
    const at = lastBreak(current);
    if (at) {
      const [i, k] = at;
      const head = current.slice(0, i);
      const cut = current[i] as Extract<Span, { kind: 'text' }>;
      const before = cut.text.slice(0, k + 1);
      const after = cut.text.slice(k + 1);
      const rest = [...(after ? [{ ...cut, text: after }] : []), ...current.slice(i + 1), sp];
      current = [...head, { ...cut, text: before }];
      close();
      queue.unshift(...rest);
      continue;
    }
    if (sp.kind !== 'text') {
      close();
      current.push(sp); // an atom longer than a chunk cannot be split: it stands alone
      used = cost;
      continue;
    }
    const chars = Array.from(sp.text);
    const room = max - used;
    // Longest prefix that fits (costs grow with length).
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (measure({ ...sp, text: chars.slice(0, mid).join('') }) <= room) lo = mid;
      else hi = mid - 1;
    }
    let cut = lo;
    if (cut < chars.length) {
      const nl = chars.lastIndexOf('\n', cut - 1);
      const space = chars.lastIndexOf(' ', cut - 1);
      if (nl >= 0) cut = nl + 1;
      else if (space > 0 && space >= cut / 2) cut = space + 1;
    }
    if (cut === 0) {
      if (current.length) {
        close();
        queue.unshift(sp);
        continue;
      }
      cut = 1; // a single character wider than a chunk (never with sane limits)
    }
    current.push({ ...sp, text: chars.slice(0, cut).join('') });
    close();
    const rest = chars.slice(cut).join('');
    if (rest) queue.unshift({ ...sp, text: rest });
  }
  close();
  return chunks.length ? chunks : [[]];
}

/** [span index, character index] of the last line break in `spans` that leaves something after it, or null. */
function lastBreak(spans: Span[]): [number, number] | null {
  for (let i = spans.length - 1; i >= 0; i--) {
    const sp = spans[i]!;
    if (sp.kind !== 'text' || sp.code) continue;
    const k = sp.text.lastIndexOf('\n');
    if (k >= 0) return [i, k];
  }
  return null;
}
