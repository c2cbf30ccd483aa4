// Builders of the campaign forms: the proposal (new and revised, with what changed), the leader's decision
// (reject / request changes, with a comment) and the close form (actual results and lessons). Pure.
import { formatMoney } from '../../domain/money.js';
import {
  CAMPAIGN_CHANNELS,
  CAMPAIGN_FORMATS,
  CAMPAIGN_GOALS,
  KPI_KEYS,
  type KpiKey,
  type Locale,
  type Minor,
} from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import { actionRef, formRef } from '../actions.js';
import { esc, type Markup } from '../markup.js';
import type { Button, Form, FormField } from '../model.js';
import { FORM_KPIS, KPI_UNITS, cmpId, formatKpi, kpiField, kpiInitial, label, moneyInitial, resultField, stamp } from './campaigns.js';

export interface LineOption {
  code: string;
  name: string;
}

/** The fields of the proposal form (new and revise). `values` pre-fill them; `errors` are per-field texts. */
function proposalFields(locale: Locale, lines: LineOption[], values: Record<string, string>, errors: Record<string, string>): FormField[] {
  const opt = (prefix: string, list: readonly string[]) => list.map((v) => ({ value: v, label: label(locale, prefix, v) }));
  const f = (field: FormField): FormField => {
    const out: FormField = { ...field };
    if (values[field.name] !== undefined && values[field.name] !== '') out.initial = values[field.name];
    if (errors[field.name]) out.error = errors[field.name];
    return out;
  };
  return [
    f({ kind: 'text', name: 'name', label: t(locale, 'cmp.field.name'), required: true, maxLength: 100 }),
    f({ kind: 'select', name: 'goal', label: t(locale, 'cmp.field.goal'), required: true, options: opt('campaign.goal', CAMPAIGN_GOALS) }),
    f({ kind: 'text', name: 'theme', label: t(locale, 'cmp.field.theme'), required: true, maxLength: 200 }),
    f({ kind: 'select', name: 'format', label: t(locale, 'cmp.field.format'), required: true, options: opt('campaign.format', CAMPAIGN_FORMATS) }),
    f({ kind: 'multiselect', name: 'channels', label: t(locale, 'cmp.field.channels'), required: true, options: opt('campaign.channel', CAMPAIGN_CHANNELS) }),
    f({ kind: 'date', name: 'start', label: t(locale, 'cmp.field.start'), required: true }),
    f({ kind: 'date', name: 'end', label: t(locale, 'cmp.field.end'), required: true }),
    f({
      kind: 'select',
      name: 'line',
      label: t(locale, 'cmp.field.line'),
      required: true,
      hint: t(locale, 'cmp.field.line.hint'),
      options: lines.map((l) => ({ value: l.code, label: esc(`${l.code} · ${l.name}`) })),
      searchHint: t(locale, 'core.choice.hint', { n: lines.length }),
    }),
    f({ kind: 'money', name: 'amount', label: t(locale, 'cmp.field.amount'), required: true, hint: t(locale, 'cmp.field.amount.hint') }),
    ...FORM_KPIS.map((k) =>
      f({
        kind: KPI_UNITS[k] === 'money' ? 'money' : 'number',
        name: kpiField(k),
        label: t(locale, 'cmp.field.kpi', { kpi: t(locale, `kpi.${k}`) }),
        hint: t(locale, `cmp.field.kpi.hint.${KPI_UNITS[k]}`),
      }),
    ),
  ];
}

/** The proposal form. `values` re-fills a refused submission; `errors` are per-field texts. */
export function campaignNewForm(
  locale: Locale,
  lines: LineOption[],
  values: Record<string, string> = {},
  errors: Record<string, string> = {},
): Form {
  return {
    id: formRef('campaign.new'),
    title: t(locale, 'cmp.form.new.title'),
    submitLabel: t(locale, 'cmp.form.new.submit'),
    intro: t(locale, 'cmp.form.new.intro'),
    fields: proposalFields(locale, lines, values, errors),
  };
}

/** What a proposal says, as stored: compared before / after a revision. */
export interface ProposalSnapshot {
  name: string;
  goal: string;
  theme: string;
  format: string;
  channels: string[];
  startDate: string;
  endDate: string;
  lineCode: string;
  amount: Minor;
  kpiTargets: Partial<Record<KpiKey, number>>;
}

/** The form values showing `p` (money in yuan, KPIs as typed, channels comma-joined). */
export function proposalFormValues(p: ProposalSnapshot): Record<string, string> {
  const values: Record<string, string> = {
    name: p.name,
    goal: p.goal,
    theme: p.theme,
    format: p.format,
    channels: p.channels.join(','),
    start: p.startDate,
    end: p.endDate,
    line: p.lineCode,
    amount: moneyInitial(p.amount),
  };
  for (const k of FORM_KPIS) if (p.kpiTargets[k] !== undefined) values[kpiField(k)] = kpiInitial(k, p.kpiTargets[k]!);
  return values;
}

/**
 * The revise form of a campaign a leader sent back: the proposal fields pre-filled with its current values,
 * the leader's comment as intro so the owner sees what to change.
 */
export function campaignReviseForm(
  locale: Locale,
  lines: LineOption[],
  v: { id: number; name: string; by: Markup; at: string; comment: string },
  values: Record<string, string>,
  errors: Record<string, string> = {},
): Form {
  return {
    id: formRef('campaign.revise', v.id),
    title: t(locale, 'cmp.form.revise.title', { id: cmpId(v.id) }),
    submitLabel: t(locale, 'cmp.form.revise.submit'),
    intro: t(locale, 'cmp.form.revise.intro', { id: cmpId(v.id), name: v.name, by: v.by, at: v.at, comment: v.comment }),
    fields: proposalFields(locale, lines, values, errors),
  };
}

export function reviseButton(locale: Locale, id: number): Button {
  return { label: t(locale, 'cmp.button.revise'), action: actionRef('cmp.revise', id), style: 'primary' };
}

/** Reject / request-changes form: one required comment. */
export function campaignDecisionForm(
  locale: Locale,
  kind: 'cmp.reject' | 'cmp.changes',
  v: { id: number; revision: number; name: string; owner: Markup; amount: Minor },
): Form {
  const which = kind === 'cmp.reject' ? 'reject' : 'changes';
  return {
    id: formRef(kind, v.id, ...stamp(v.revision)),
    title: t(locale, `cmp.form.${which}.title`, { id: cmpId(v.id) }),
    submitLabel: t(locale, `cmp.form.${which}.submit`),
    intro: t(locale, 'cmp.form.decision.intro', { id: cmpId(v.id), name: v.name, owner: v.owner, amount: formatMoney(v.amount, locale) }),
    fields: [
      { kind: 'textarea', name: 'comment', label: t(locale, 'cmp.field.comment'), required: true, hint: t(locale, 'cmp.field.comment.hint'), maxLength: 1000 },
    ],
  };
}

/** The close (evaluation) form: one actual per targeted KPI, the actual cost and lessons learned. */
export function campaignCloseForm(
  locale: Locale,
  v: { id: number; name: string; kpiTargets: Partial<Record<KpiKey, number>> },
): Form {
  const kpis = KPI_KEYS.filter((k) => v.kpiTargets[k] !== undefined);
  return {
    id: formRef('campaign.close', v.id),
    title: t(locale, 'cmp.form.close.title', { id: cmpId(v.id) }),
    submitLabel: t(locale, 'cmp.form.close.submit'),
    intro: t(locale, 'cmp.form.close.intro', { name: v.name }),
    fields: [
      ...kpis.map(
        (k): FormField => ({
          kind: KPI_UNITS[k] === 'money' ? 'money' : 'number',
          name: resultField(k),
          label: t(locale, 'cmp.field.result', { kpi: t(locale, `kpi.${k}`) }),
          required: true,
          hint: t(locale, 'cmp.field.result.hint', { target: formatKpi(k, v.kpiTargets[k]!, locale) }),
        }),
      ),
      { kind: 'money', name: 'actual_cost', label: t(locale, 'cmp.field.actual_cost'), required: true },
      { kind: 'textarea', name: 'lessons', label: t(locale, 'cmp.field.lessons'), required: true, maxLength: 2000 },
    ],
  };
}
