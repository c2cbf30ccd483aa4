// Messages of delegation, escalation and the audit trail. Pure: everything comes in as data (mentions already
// written as markup by the use-case).
import type { Locale } from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import { actionRef } from '../actions.js';
import { markup, plainText, type Markup } from '../markup.js';
import type { Button, Message } from '../model.js';

export interface DelegationLine {
  delegator: Markup;
  standIn: Markup;
  role: string;
  until: Markup;
}

/** `/mkt delegates`: the delegations in force. */
export function delegationListMessage(locale: Locale, lines: DelegationLine[]): Message {
  const title = t(locale, 'dlg.list.title');
  const text = lines.length === 0 ? t(locale, 'dlg.list.none') : lines.map((l) => t(locale, 'dlg.list.line', { ...l })).join('\n');
  return { tone: 'info', title, text, summary: `${title}: ${lines.length}` };
}

/** The card line of an escalation: "⏫ Escalated after 48 h waiting for finance (2026-11-12 10:00)". */
export function escalationNote(locale: Locale, e: { step: 'finance' | 'leader'; hours: number; at: string }): string {
  return t(locale, 'esc.card.note', { hours: e.hours, step: t(locale, `esc.step.${e.step}`), time: e.at });
}

/** Adds the escalation notes to a card (a context line each, kept on every later update). */
export function withEscalations(message: Message, notes: string[]): Message {
  if (notes.length === 0) return message;
  return { ...message, context: [...(message.context ?? []), ...notes] };
}

/** The one-off copy sent when a decision is escalated: the live card with an "escalated" banner on top. */
export function escalatedCopy(locale: Locale, card: Message, e: { step: 'finance' | 'leader'; hours: number; key: string }): Message {
  const banner = t(locale, 'esc.banner', { hours: e.hours, step: t(locale, `esc.step.${e.step}`), key: e.key });
  return { ...card, tone: 'warning', text: card.text ? `${banner}\n${card.text}` : banner, summary: `${plainText(banner)} — ${card.summary}` };
}

export interface AuditEntry {
  /** Local time, e.g. "2026-11-10 14:30". */
  at: string;
  /** Who (a mention, "X on behalf of Y", or "the bot"). */
  who: Markup;
  /** What happened, with before → after (markup; typed text inside it is escaped). */
  what: string;
}

/** Entries per page and characters per page: a page fits every platform's message limits with room to spare. */
export const AUDIT_PAGE_ENTRIES = 15;
export const AUDIT_PAGE_CHARS = 2_400;

/** Splits entries into pages of at most AUDIT_PAGE_ENTRIES entries and about AUDIT_PAGE_CHARS characters. */
export function auditPages(lines: string[]): string[][] {
  const pages: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    const cut = line.length > AUDIT_PAGE_CHARS ? `${line.slice(0, AUDIT_PAGE_CHARS - 1)}…` : line;
    if (current.length > 0 && (current.length >= AUDIT_PAGE_ENTRIES || size + cut.length + 1 > AUDIT_PAGE_CHARS)) {
      pages.push(current);
      current = [];
      size = 0;
    }
    current.push(cut);
    size += cut.length + 1;
  }
  if (current.length > 0 || pages.length === 0) pages.push(current);
  return pages;
}

/** One page of `/audit <record>`: the entries in order, the zone named, and buttons to the other pages. */
export function auditTrailMessage(
  locale: Locale,
  v: { key: string; kind: string; id: number; tz: string; entries: AuditEntry[]; page: number },
): Message {
  const lines = v.entries.map((e, i) => t(locale, 'audit.entry', { n: i + 1, at: e.at, who: e.who, what: markup(e.what) }));
  const pages = auditPages(lines);
  const page = Math.min(Math.max(1, v.page), pages.length);
  const title = t(locale, 'audit.title', { key: v.key });
  const body = v.entries.length === 0 ? t(locale, 'audit.empty', { key: v.key }) : pages[page - 1]!.join('\n');
  const buttons: Button[] = [];
  if (page > 1) buttons.push({ label: t(locale, 'audit.button.previous'), action: actionRef('audit.page', v.kind, v.id, page - 1) });
  if (page < pages.length) buttons.push({ label: t(locale, 'audit.button.next'), action: actionRef('audit.page', v.kind, v.id, page + 1), style: 'primary' });
  const context = [t(locale, 'audit.context', { tz: v.tz, page, pages: pages.length, n: v.entries.length })];
  return {
    tone: 'info',
    title,
    text: body,
    context,
    ...(buttons.length ? { buttons } : {}),
    summary: t(locale, 'audit.summary', { key: v.key, n: v.entries.length, page, pages: pages.length }),
  };
}
