// Builders of the risks area: the risk card (leaders' / team channel), report and strategy forms, the list.
import { RISK_CATEGORIES, RISK_STRATEGIES, type Locale, type RiskGrade, type RiskStatus } from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import { actionRef, formRef } from '../actions.js';
import { pagedList } from '../layout.js';
import { esc, plainText, type Markup } from '../markup.js';
import type { Button, Form, FormField, Message } from '../model.js';

export const rskId = (id: number): string => `RSK-${id}`;

export interface RiskView {
  id: number;
  category: string;
  likelihood: number;
  impact: number;
  score: number;
  grade: RiskGrade;
  title: string;
  description: string | null;
  campaign: string | null;
  reporter: Markup;
  owner: Markup | null;
  strategy: string | null;
  dueDate: string | null;
  status: RiskStatus;
  closeNote: string | null;
  createdAt: string;
  closedAt: string | null;
}

function label(locale: Locale, prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  const text = t(locale, key);
  return text === key ? value : text;
}

export const gradeLabel = (locale: Locale, grade: string): string => label(locale, 'risk.grade', grade);

export function scoreText(locale: Locale, r: { likelihood: number; impact: number; score: number; grade: string }): string {
  return t(locale, 'rsk.score', { likelihood: r.likelihood, impact: r.impact, score: r.score, grade: gradeLabel(locale, r.grade) });
}

/** Take ownership (only while nobody owns it) and set strategy, while the risk is still open. */
export function riskButtons(locale: Locale, r: { id: number; owner: Markup | null; status: RiskStatus }): Button[] {
  if (r.status !== 'open' && r.status !== 'mitigating') return [];
  const buttons: Button[] = [];
  if (!r.owner) buttons.push({ label: t(locale, 'rsk.button.own'), action: actionRef('rsk.own', r.id), style: 'primary' });
  buttons.push({ label: t(locale, 'rsk.button.strategy'), action: actionRef('rsk.strategy', r.id) });
  return buttons;
}

export function riskCard(locale: Locale, r: RiskView, opts: { buttons?: boolean } = {}): Message {
  const title = t(locale, 'rsk.card.title', { grade: gradeLabel(locale, r.grade), id: rskId(r.id), title: r.title });
  const lines: string[] = [];
  if (r.status === 'open' && !r.owner && (r.grade === 'high' || r.grade === 'medium')) lines.push(t(locale, `rsk.card.intro.${r.grade}`));
  if (r.owner) lines.push(t(locale, 'rsk.card.owned', { by: r.owner }));
  if (r.strategy) lines.push(t(locale, 'rsk.card.strategy', { strategy: label(locale, 'risk.strategy', r.strategy), due: r.dueDate ?? t(locale, 'rsk.none') }));
  if (r.status === 'closed') lines.push(t(locale, 'rsk.card.closed', { at: r.closedAt ?? '', note: r.closeNote ?? '' }));
  if (r.description) lines.push(esc(r.description));
  const fields = [
    { label: t(locale, 'rsk.field.category'), value: label(locale, 'risk.category', r.category) },
    { label: t(locale, 'rsk.field.score'), value: scoreText(locale, r) },
    { label: t(locale, 'rsk.field.status'), value: label(locale, 'risk.status', r.status) },
    { label: t(locale, 'rsk.field.reporter'), value: r.reporter.markup },
    { label: t(locale, 'rsk.field.owner'), value: r.owner?.markup ?? t(locale, 'rsk.owner.none') },
  ];
  if (r.campaign) fields.push({ label: t(locale, 'rsk.field.campaign'), value: esc(r.campaign) });
  if (r.dueDate) fields.push({ label: t(locale, 'rsk.field.due'), value: r.dueDate });
  const buttons = opts.buttons === false ? [] : riskButtons(locale, r);
  return {
    tone: r.status === 'closed' || r.status === 'accepted' ? 'neutral' : r.grade === 'high' ? 'danger' : r.grade === 'medium' ? 'warning' : 'info',
    title,
    text: lines.length ? lines.join('\n') : undefined,
    fields,
    buttons: buttons.length ? buttons : undefined,
    context: [t(locale, 'rsk.card.context', { id: rskId(r.id), at: r.createdAt })],
    summary: plainText(`${title} · ${label(locale, 'risk.status', r.status)}`),
  };
}

const scale = ['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v }));

function fill(field: FormField, values: Record<string, string>, errors: Record<string, string>): FormField {
  const out: FormField = { ...field };
  if (values[field.name]) out.initial = values[field.name];
  if (errors[field.name]) out.error = errors[field.name];
  return out;
}

export function riskReportForm(locale: Locale, values: Record<string, string> = {}, errors: Record<string, string> = {}): Form {
  const f = (field: FormField) => fill(field, values, errors);
  return {
    id: formRef('risk.report'),
    title: t(locale, 'rsk.form.report.title'),
    submitLabel: t(locale, 'rsk.form.report.submit'),
    intro: t(locale, 'rsk.form.report.intro'),
    fields: [
      f({
        kind: 'select',
        name: 'category',
        label: t(locale, 'rsk.field.category'),
        required: true,
        options: RISK_CATEGORIES.map((c) => ({ value: c, label: label(locale, 'risk.category', c) })),
      }),
      f({ kind: 'select', name: 'likelihood', label: t(locale, 'rsk.field.likelihood'), required: true, options: scale, hint: t(locale, 'rsk.field.likelihood.hint') }),
      f({ kind: 'select', name: 'impact', label: t(locale, 'rsk.field.impact'), required: true, options: scale, hint: t(locale, 'rsk.field.impact.hint') }),
      f({ kind: 'text', name: 'title', label: t(locale, 'rsk.field.title'), required: true, maxLength: 200 }),
      f({ kind: 'textarea', name: 'description', label: t(locale, 'rsk.field.description'), maxLength: 2000 }),
      f({ kind: 'text', name: 'campaign', label: t(locale, 'rsk.field.campaign'), hint: t(locale, 'rsk.field.campaign.hint'), maxLength: 20 }),
      f({ kind: 'date', name: 'due', label: t(locale, 'rsk.field.due'), hint: t(locale, 'rsk.field.due.hint') }),
    ],
  };
}

export function riskStrategyForm(
  locale: Locale,
  r: { id: number; title: string; likelihood: number; impact: number; score: number; grade: string; strategy: string | null; dueDate: string | null },
): Form {
  return {
    id: formRef('risk.strategy', r.id),
    title: t(locale, 'rsk.form.strategy.title', { id: rskId(r.id) }),
    submitLabel: t(locale, 'rsk.form.strategy.submit'),
    intro: t(locale, 'rsk.form.strategy.intro', { id: rskId(r.id), title: r.title, score: scoreText(locale, r) }),
    fields: [
      {
        kind: 'select',
        name: 'strategy',
        label: t(locale, 'rsk.field.strategy'),
        required: true,
        options: RISK_STRATEGIES.map((s) => ({ value: s, label: label(locale, 'risk.strategy', s) })),
        ...(r.strategy ? { initial: r.strategy } : {}),
      },
      { kind: 'date', name: 'due', label: t(locale, 'rsk.field.due'), hint: t(locale, 'rsk.field.due.hint'), ...(r.dueDate ? { initial: r.dueDate } : {}) },
      { kind: 'textarea', name: 'note', label: t(locale, 'rsk.field.note'), maxLength: 1000 },
    ],
  };
}

export interface RiskListItem {
  id: number;
  grade: RiskGrade;
  score: number;
  title: string;
  status: RiskStatus;
  owner: Markup | null;
  dueDate: string | null;
}

/** `/risk list`: every matching risk, highest score first, a page at a time (the count in the title). */
export function riskListMessage(locale: Locale, filter: string, items: RiskListItem[], page = 1): Message {
  const title = t(locale, 'rsk.list.title', { filter: t(locale, `rsk.filter.${filter}`), n: items.length });
  const lines = items.map(
    (r) =>
      t(locale, 'rsk.list.item', {
        id: rskId(r.id),
        grade: gradeLabel(locale, r.grade),
        score: r.score,
        title: r.title,
        status: label(locale, 'risk.status', r.status),
        owner: r.owner ?? t(locale, 'rsk.owner.none'),
      }) + (r.dueDate ? t(locale, 'rsk.list.due', { date: r.dueDate }) : ''),
  );
  const { text, buttons } = pagedList(locale, 'risk.list', lines, page, { arg: filter });
  return {
    tone: 'info',
    title,
    text: lines.length ? text : t(locale, 'rsk.list.empty'),
    ...(buttons.length ? { buttons } : {}),
    summary: plainText(title),
  };
}
