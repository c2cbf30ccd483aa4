// Budget adjustment cards: the approval card posted to the approvals channel (and updated in place at every
// step), the requester's confirmation and the "already decided" answer. Pure: everything comes in as data.
import { esc, markup, personRef, plainText, type Markup } from '../markup.js';
import type { Step } from '../../domain/adjustments.js';
import { available } from '../../domain/budget.js';
import { formatId } from '../../domain/ids.js';
import { formatMoney } from '../../domain/money.js';
import type { AdjustmentKind, AdjustmentStatus, Locale, Minor, Month } from '../../domain/types.js';
import { labelled, t } from '../../i18n/index.js';
import { actionRef } from '../actions.js';
import type { Field, Message, Section, Tone } from '../model.js';

export interface PersonRef {
  platform: string;
  userId: string;
  displayName: string | null;
}

/** `<@platform:userId|Name>`: the renderers turn it into a real mention. */
export function mentionOf(p: PersonRef): Markup {
  return personRef(p);
}

export interface LineMonthFigures {
  code: string;
  name: string;
  plan: Minor;
  spent: Minor;
  committed: Minor;
}

export interface AdjustmentStepView {
  step: Step;
  decision: 'approved' | 'rejected';
  decider: PersonRef;
  /** The finance member or leader the decider stood in for (a delegation). */
  onBehalfOf?: PersonRef | null;
  /** Local time text, e.g. "2026-11-26 14:03". */
  at: string;
  comment: string | null;
}

export interface AdjustmentView {
  id: number;
  kind: AdjustmentKind;
  amount: Minor;
  month: Month;
  reason: string;
  status: AdjustmentStatus;
  requester: PersonRef;
  /** The line that receives the money (the line of an increase). */
  toLine: LineMonthFigures;
  /** Transfers: the line the money comes from. */
  fromLine: LineMonthFigures | null;
  steps: AdjustmentStepView[];
  /** Local time text of the request. */
  createdAt: string;
  /** Local time text of the final decision / cancellation. */
  decidedAt: string | null;
  /** "⏫ Escalated after 48 h …" notes (escalationNote), oldest first. */
  escalations?: string[];
}

/** "Wang" or "Wang on behalf of Li", as mentions. */
export function deciderOf(locale: Locale, s: Pick<AdjustmentStepView, 'decider' | 'onBehalfOf'>): Markup {
  return s.onBehalfOf ? markup(t(locale, 'dlg.on_behalf', { who: mentionOf(s.decider), for: mentionOf(s.onBehalfOf) })) : mentionOf(s.decider);
}

export function adjustmentCardKey(id: number): string {
  return formatId('ADJ', id);
}

const TONES: Record<AdjustmentStatus, Tone> = {
  pending_finance: 'warning',
  pending_leader: 'warning',
  approved: 'success',
  rejected: 'danger',
  cancelled: 'neutral',
};

function lineLabel(l: LineMonthFigures): string {
  return esc(`${l.code} — ${l.name}`);
}

function figuresSection(locale: Locale, l: LineMonthFigures, month: Month): Section {
  return {
    heading: t(locale, 'adj.card.figures_heading', { code: l.code, month }),
    fields: [
      { label: t(locale, 'budget.field.plan'), value: formatMoney(l.plan, locale) },
      { label: t(locale, 'budget.field.spent'), value: formatMoney(l.spent, locale) },
      { label: t(locale, 'budget.field.committed'), value: formatMoney(l.committed, locale) },
      { label: t(locale, 'budget.field.available'), value: formatMoney(available(l), locale) },
    ],
  };
}

/** One line describing what the request asks for, e.g. "¥5,000.00 more for SEM in 2026-11". */
export function adjustmentSummary(locale: Locale, v: Pick<AdjustmentView, 'kind' | 'amount' | 'month' | 'toLine' | 'fromLine'>): string {
  const amount = formatMoney(v.amount, locale);
  return v.kind === 'transfer' && v.fromLine
    ? t(locale, 'adj.summary.transfer', { amount, from: v.fromLine.code, to: v.toLine.code, month: v.month })
    : t(locale, 'adj.summary.increase', { amount, line: v.toLine.code, month: v.month });
}

/** The status line of the card. */
export function adjustmentStatusLine(locale: Locale, v: AdjustmentView): string {
  const last = v.steps[v.steps.length - 1];
  switch (v.status) {
    case 'pending_finance':
      return t(locale, 'adj.card.status.pending_finance');
    case 'pending_leader':
      return t(locale, 'adj.card.status.pending_leader');
    case 'approved':
      return t(locale, 'adj.card.status.approved', { who: last ? deciderOf(locale, last) : '?', time: last?.at ?? v.decidedAt ?? '' });
    case 'rejected':
      return t(locale, 'adj.card.status.rejected', { who: last ? deciderOf(locale, last) : '?', time: last?.at ?? v.decidedAt ?? '' });
    case 'cancelled':
      return t(locale, 'adj.card.status.cancelled', { who: mentionOf(v.requester), time: v.decidedAt ?? '' });
  }
}

/** The approval card. Buttons only while a decision is pending; afterwards who decided and when. */
export function adjustmentCard(locale: Locale, v: AdjustmentView): Message {
  const id = formatId('ADJ', v.id);
  const title = t(locale, v.kind === 'transfer' ? 'adj.card.title.transfer' : 'adj.card.title.increase', { id });
  const fields: Field[] = [{ label: t(locale, 'adj.field.requester'), value: mentionOf(v.requester).markup }];
  if (v.kind === 'transfer' && v.fromLine) {
    fields.push({ label: t(locale, 'adj.field.from'), value: lineLabel(v.fromLine) });
    fields.push({ label: t(locale, 'adj.field.to'), value: lineLabel(v.toLine) });
  } else {
    fields.push({ label: t(locale, 'adj.field.line'), value: lineLabel(v.toLine) });
  }
  fields.push({ label: t(locale, 'adj.field.month'), value: v.month });
  fields.push({ label: t(locale, 'adj.field.amount'), value: formatMoney(v.amount, locale) });
  fields.push({ label: t(locale, 'adj.field.reason'), value: esc(v.reason) });

  const sections: Section[] = [];
  if (v.fromLine) sections.push(figuresSection(locale, v.fromLine, v.month));
  sections.push(figuresSection(locale, v.toLine, v.month));

  const context: string[] = [t(locale, 'adj.card.requested_at', { id, time: v.createdAt })];
  for (const s of v.steps) {
    context.push(
      t(locale, `adj.card.history.${s.step}.${s.decision}`, { who: deciderOf(locale, s), time: s.at }) +
        (s.comment ? ` — ${esc(s.comment)}` : ''),
    );
  }

  context.push(...(v.escalations ?? []));
  const status = adjustmentStatusLine(locale, v);
  const pending = v.status === 'pending_finance' || v.status === 'pending_leader';
  return {
    tone: TONES[v.status],
    title,
    text: `**${status}**`,
    fields,
    sections,
    context,
    buttons: pending
      ? [
          { label: t(locale, 'adj.button.approve'), action: actionRef('adj.approve', v.id), style: 'primary' },
          { label: t(locale, 'adj.button.reject'), action: actionRef('adj.reject', v.id), style: 'danger' },
        ]
      : undefined,
    summary: plainText(`${labelled(locale, title, adjustmentSummary(locale, v))} — ${status}`),
  };
}

/** The requester's private confirmation, with a Cancel button while the request is pending. */
export function adjustmentRequestedMessage(locale: Locale, v: AdjustmentView, opts: { noChannel: boolean; noApprovers: boolean }): Message {
  const id = formatId('ADJ', v.id);
  const lines = [t(locale, 'adj.requested.text', { id, summary: markup(adjustmentSummary(locale, v)) })];
  if (opts.noChannel) lines.push(t(locale, opts.noApprovers ? 'adj.requested.no_approvers' : 'adj.requested.no_channel'));
  const text = lines.join('\n');
  return {
    tone: 'success',
    title: t(locale, 'adj.requested.title', { id }),
    text,
    fields: [
      { label: t(locale, 'adj.field.month'), value: v.month },
      { label: t(locale, 'adj.field.amount'), value: formatMoney(v.amount, locale) },
      { label: t(locale, 'adj.field.reason'), value: esc(v.reason) },
    ],
    buttons: [{ label: t(locale, 'adj.button.cancel'), action: actionRef('adj.cancel', v.id) }],
    summary: plainText(lines[0]!),
  };
}

export { plainText as stripMarkup };
