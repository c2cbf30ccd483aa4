// The plan amendment card (AMD-3): a line added to a year whose plan is approved, decided by finance then a leader
// like the plan itself, updated in place at every step. Pure: everything comes in as data.
import { formatMoney } from '../../domain/money.js';
import type { PlanCategory } from '../../domain/plan.js';
import type { Locale, Minor } from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import { actionRef } from '../actions.js';
import { esc, plainText, type Markup } from '../markup.js';
import type { Button, Field, Message, Tone } from '../model.js';

export type AmendmentStatus = 'pending_finance' | 'pending_leader' | 'approved' | 'rejected';

export interface AmendmentStepView {
  step: 'finance' | 'leader';
  decision: 'approved' | 'rejected';
  who: Markup;
  at: string;
  comment: string | null;
}

export interface AmendmentView {
  id: number;
  year: number;
  code: string;
  name: string;
  category: PlanCategory;
  months: Minor[];
  annual: Minor;
  status: AmendmentStatus;
  /** A mention of the person who asked. */
  requester: Markup;
  createdAt: string;
  steps: AmendmentStepView[];
  /** The approved plan's total without this line, and with every approved amendment so far. */
  yearTotal: Minor;
  /** "⏫ Escalated after 48 h …" notes, oldest first. */
  escalations?: string[];
}

export const amendmentCardKey = (id: number) => `AMD-${id}`;

const TONE: Record<AmendmentStatus, Tone> = { pending_finance: 'warning', pending_leader: 'warning', approved: 'success', rejected: 'danger' };

/** "¥10,000 a month", or the twelve months when they differ. */
function monthsText(locale: Locale, months: Minor[]): string {
  const money = (v: number) => formatMoney(v, locale);
  const first = months[0] ?? 0;
  if (months.every((m) => Math.abs(m - first) <= 1)) return t(locale, 'plan.amend.card.per_month', { amount: money(first) });
  return months.map((v, i) => `${t(locale, `plan.month.${i + 1}`)} ${money(v)}`).join(' · ');
}

export function amendmentCard(locale: Locale, view: AmendmentView, opts: { buttons?: boolean } = {}): Message {
  const money = (v: number) => formatMoney(v, locale);
  const key = amendmentCardKey(view.id);
  const title = t(locale, 'plan.amend.card.title', { id: key, year: view.year });
  const status = t(locale, `plan.amend.status.${view.status}`);
  const fields: Field[] = [
    { label: t(locale, 'plan.amend.card.status'), value: status },
    { label: t(locale, 'plan.amend.card.line'), value: `\`${esc(view.code)}\` ${esc(view.name)}` },
    { label: t(locale, 'plan.amend.card.category'), value: t(locale, `plan.category.${view.category}`) },
    { label: t(locale, 'plan.amend.card.annual'), value: money(view.annual) },
    { label: t(locale, 'plan.amend.card.requester'), value: view.requester.markup },
    {
      label: t(locale, 'plan.amend.card.year_total'),
      value: t(locale, 'plan.amend.card.year_total_value', { before: money(view.yearTotal), after: money(view.yearTotal + view.annual) }),
    },
  ];
  const sections: Message['sections'] = [{ heading: t(locale, 'plan.amend.card.months'), text: monthsText(locale, view.months) }];
  const history = [
    t(locale, 'plan.amend.history.requested', { who: view.requester, at: view.createdAt }),
    ...view.steps.map((s) => {
      const line = t(locale, `plan.amend.history.${s.step}.${s.decision}`, { who: s.who, at: s.at });
      return s.comment ? `${line}${locale === 'en' ? ': ' : '：'}${esc(s.comment)}` : line;
    }),
  ];
  sections.push({ heading: t(locale, 'plan.amend.card.history'), text: history.join('\n') });
  const buttons: Button[] = [];
  if (opts.buttons !== false && (view.status === 'pending_finance' || view.status === 'pending_leader')) {
    const step = view.status === 'pending_finance' ? 1 : 2;
    buttons.push({ label: t(locale, 'plan.button.approve'), action: actionRef('amd.approve', view.id, step), style: 'primary' });
    buttons.push({ label: t(locale, 'plan.button.reject'), action: actionRef('amd.reject', view.id, step), style: 'danger' });
  }
  return {
    tone: TONE[view.status],
    title,
    text: t(locale, 'plan.amend.card.text', { year: view.year }),
    fields,
    sections,
    ...(buttons.length ? { buttons } : {}),
    context: [key, ...(view.escalations ?? [])],
    summary: plainText(`${title} — ${esc(view.code)} ${money(view.annual)} — ${status}`),
  };
}
