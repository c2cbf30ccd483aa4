// The annual plan card (`/budget plan`, the approval card PLAN-2027) and its messages. Within every platform's
// limits whatever the plan's size: totals by category and by month, the largest lines, the history and what
// changed since the previous version — never one row per line (the full plan is the export file).
import { formatMoney } from '../../domain/money.js';
import { PLAN_CATEGORIES, sum, type PlanCategory, type PlanDiff, type PlanStatus } from '../../domain/plan.js';
import type { Locale } from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import { actionRef } from '../actions.js';
import { esc, markup, plainText, type Markup } from '../markup.js';
import type { Button, Field, Message, Tone } from '../model.js';
import { annualPlanChart } from '../../charts/build.js';
import { withChart } from './common.js';

export interface PlanLineView {
  code: string;
  name: string;
  category: PlanCategory;
  months: number[];
}

export interface PlanHistoryEntry {
  /** i18n key under plan.history.* */
  what: string;
  who: Markup;
  at: string;
  version: number;
  comment?: string | null;
}

export interface PlanView {
  id: number;
  year: number;
  status: PlanStatus;
  version: number;
  lines: PlanLineView[];
  history: PlanHistoryEntry[];
  /** For v2+: what changed since the previous submitted version. */
  diff?: PlanDiff | null;
  /** For an approved plan: lines added since by amendments (AMD-3), approved and waiting. */
  amendments?: { approved: number; total: number; pending: number } | null;
  /** "⏫ Escalated after 48 h …" notes, oldest first. */
  escalations?: string[];
}

export const planCardKey = (year: number) => `PLAN-${year}`;

const TONE: Record<PlanStatus, Tone> = {
  draft: 'neutral',
  pending_finance: 'warning',
  pending_leader: 'warning',
  approved: 'success',
  rejected: 'danger',
};

/** At most this many codes named in a diff list, then "and N more". */
const DIFF_NAMES = 8;
const TOP_LINES = 5;

function codes(locale: Locale, list: string[]): Markup {
  const shown = list.slice(0, DIFF_NAMES).map((c) => `\`${esc(c)}\``).join(locale === 'en' ? ', ' : '、');
  return markup(list.length > DIFF_NAMES ? `${shown} ${t(locale, 'plan.card.and_more', { n: list.length - DIFF_NAMES })}` : shown);
}

export function planCard(locale: Locale, view: PlanView, opts: { buttons?: boolean } = {}): Message {
  const money = (v: number) => formatMoney(v, locale);
  const total = sum(view.lines.flatMap((l) => l.months));
  const status = t(locale, `plan.status.${view.status}`);
  const title = t(locale, 'plan.card.title', { year: view.year, version: view.version });

  const fields: Field[] = [
    { label: t(locale, 'plan.card.status'), value: status },
    { label: t(locale, 'plan.card.total'), value: `${money(total)} · ${t(locale, 'plan.card.lines', { n: view.lines.length })}` },
  ];
  for (const c of PLAN_CATEGORIES) {
    const lines = view.lines.filter((l) => l.category === c);
    if (lines.length === 0) continue;
    fields.push({ label: t(locale, `plan.category.${c}`), value: `${money(sum(lines.flatMap((l) => l.months)))} · ${t(locale, 'plan.card.lines', { n: lines.length })}` });
  }

  const amended = view.amendments;
  if (amended && (amended.approved > 0 || amended.pending > 0)) {
    fields.push({
      label: t(locale, 'plan.card.amendments'),
      value: t(locale, 'plan.card.amendments_value', { approved: amended.approved, total: money(amended.total), pending: amended.pending }),
    });
  }

  const byMonth = Array.from({ length: 12 }, (_, i) => sum(view.lines.map((l) => l.months[i] ?? 0)));
  const monthText = byMonth
    .map((v, i) => `${t(locale, `plan.month.${i + 1}`)} ${money(v)}`)
    .reduce<string[]>((rows, cell, i) => {
      if (i % 3 === 0) rows.push(cell);
      else rows[rows.length - 1] += ` · ${cell}`;
      return rows;
    }, [])
    .join('\n');

  const top = [...view.lines].sort((a, b) => sum(b.months) - sum(a.months) || a.code.localeCompare(b.code)).slice(0, TOP_LINES);
  const topText = top.map((l) => `\`${esc(l.code)}\` ${esc(l.name)} — ${money(sum(l.months))}`).join('\n');

  const sections: Message['sections'] = [{ heading: t(locale, 'plan.card.by_month'), text: monthText }];
  if (top.length) sections.push({ heading: t(locale, 'plan.card.largest', { n: top.length }), text: topText });
  if (view.diff && view.version > 1) {
    const d = view.diff;
    const parts: string[] = [t(locale, 'plan.card.diff.total', { before: money(d.totalBefore), after: money(d.totalAfter) })];
    if (d.added.length) parts.push(t(locale, 'plan.card.diff.added', { n: d.added.length, codes: codes(locale, d.added) }));
    if (d.removed.length) parts.push(t(locale, 'plan.card.diff.removed', { n: d.removed.length, codes: codes(locale, d.removed) }));
    if (d.changed.length) parts.push(t(locale, 'plan.card.diff.changed', { n: d.changed.length, codes: codes(locale, d.changed.map((c) => c.code)) }));
    sections.push({ heading: t(locale, 'plan.card.diff', { version: view.version - 1 }), text: parts.join('\n') });
  }
  if (view.history.length) {
    const recent = view.history.slice(-8);
    const text = recent
      .map((h) => {
        const line = t(locale, `plan.history.${h.what}`, { who: h.who, at: h.at, version: h.version });
        return h.comment ? `${line}${locale === 'en' ? ': ' : '：'}${esc(h.comment)}` : line;
      })
      .join('\n');
    sections.push({ heading: t(locale, 'plan.card.history'), text });
  }

  const buttons: Button[] = [];
  if (opts.buttons !== false && (view.status === 'pending_finance' || view.status === 'pending_leader')) {
    const step = view.status === 'pending_finance' ? 1 : 2;
    buttons.push({ label: t(locale, 'plan.button.approve'), action: actionRef('plan.approve', view.id, view.version, step), style: 'primary' });
    buttons.push({ label: t(locale, 'plan.button.changes'), action: actionRef('plan.changes', view.id, view.version, step) });
    buttons.push({ label: t(locale, 'plan.button.reject'), action: actionRef('plan.reject', view.id, view.version, step), style: 'danger' });
  }
  const summary = plainText(`${title} — ${status} — ${money(total)}`);
  const message: Message = {
    tone: TONE[view.status],
    title,
    fields,
    sections,
    ...(buttons.length ? { buttons } : {}),
    context: [t(locale, 'plan.card.context', { key: planCardKey(view.year) }), ...(view.escalations ?? [])],
    summary,
  };
  // Spend by month stacked by category: the same lines as the totals above.
  const categories = PLAN_CATEGORIES.map((c) => {
    const lines = view.lines.filter((l) => l.category === c);
    return { label: t(locale, `plan.category.${c}`), months: Array.from({ length: 12 }, (_, i) => sum(lines.map((l) => l.months[i] ?? 0))) };
  });
  return withChart(message, annualPlanChart(locale, { year: view.year, categories }));
}
