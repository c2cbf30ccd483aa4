// Builders of the campaigns area: the approval card, its buttons, the list, the shortfall refusal and the evaluation
// (targets vs actuals); the forms are in campaignForms.ts. Pure: every value comes in already loaded.
import { campaignChart } from '../../charts/build.js';
import { formatPercentBp } from '../../domain/budget.js';
import type { KpiComparison } from '../../domain/campaigns.js';
import { formatMoney, formatMoneyShort } from '../../domain/money.js';
import { KPI_KEYS, type CampaignStatus, type KpiKey, type Locale, type Minor, type Month } from '../../domain/types.js';
import { labelled, listOf, t } from '../../i18n/index.js';
import { actionRef } from '../actions.js';
import { pagedList } from '../layout.js';
import { esc, plainText, type Markup } from '../markup.js';
import type { Button, Message, Section } from '../model.js';
import { withChart } from './common.js';
import type { ProposalSnapshot } from './campaignForms.js';

/** How a KPI's number reads: a count, a percentage (3.5 = 3.5 %) or an amount in fen. */
export const KPI_UNITS: Record<KpiKey, 'count' | 'percent' | 'money'> = {
  participants: 'count',
  interactions: 'count',
  conversions: 'count',
  ctr: 'percent',
  conversion_rate: 'percent',
  follower_growth: 'count',
  revenue: 'money',
};

/** The KPI keys the proposal form asks for (all of them, canonical order). */
export const FORM_KPIS: readonly KpiKey[] = KPI_KEYS;

export const kpiField = (key: KpiKey): string => `kpi_${key}`;
export const resultField = (key: KpiKey): string => `result_${key}`;

const GROUP = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatKpi(key: KpiKey, value: number, locale: Locale): string {
  const unit = KPI_UNITS[key];
  if (unit === 'money') return formatMoneyShort(value, locale);
  if (unit === 'percent') return `${GROUP.format(value)}%`;
  return GROUP.format(value);
}

/** Fen as a form's initial text: yuan, no grouping, decimals only when there are fen ("11000", "5000.50"). */
export function moneyInitial(minor: Minor): string {
  return (minor / 100).toFixed(2).replace(/\.00$/, '');
}

/** Plain value for a form's initial text (money in yuan, no grouping). */
export function kpiInitial(key: KpiKey, value: number): string {
  if (KPI_UNITS[key] === 'money') return moneyInitial(value);
  return String(value);
}

export interface CampaignView extends ProposalSnapshot {
  id: number;
  lineName: string;
  /** Effective status as of today (running / ended derived from the dates). */
  status: CampaignStatus;
  /** Mention of the owner. */
  owner: Markup;
  createdAt: string;
  decidedBy?: Markup;
  decidedAt?: string;
  decisionComment?: string | null;
  evaluatedAt?: string;
  commitments?: { month: Month; amount: Minor }[];
  /** While pending after a revision: when, the comment it answered, and the versions before / after. */
  revision?: { at: string; comment: string | null; before: ProposalSnapshot; after: ProposalSnapshot };
  /** "⏫ Escalated after 48 h …" notes, oldest first. */
  escalations?: string[];
}

export interface MonthAvailability {
  month: Month;
  share: Minor;
  available: Minor;
}

export const cmpId = (id: number): string => `CMP-${id}`;

export function label(locale: Locale, prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  const text = t(locale, key);
  return text === key ? value : text;
}

export const statusLabel = (locale: Locale, status: string): string => label(locale, 'campaign.status', status);

function kpiLines(locale: Locale, targets: Partial<Record<KpiKey, number>>): string {
  const lines = KPI_KEYS.filter((k) => targets[k] !== undefined).map(
    (k) => labelled(locale, t(locale, `kpi.${k}`), formatKpi(k, targets[k]!, locale)),
  );
  return lines.length ? lines.join('\n') : t(locale, 'cmp.none');
}

function datesText(locale: Locale, start: string, end: string): string {
  return t(locale, 'cmp.dates', { start, end });
}

/** The revision stamp of a decision button or form: none for the first version (so `cmp.approve:<id>` stays valid). */
export function stamp(revision: number): number[] {
  return revision > 1 ? [revision] : [];
}

/** Approve / request changes / reject, stamped with the revision they were drawn for (an older copy's click is refused). */
export function decisionButtons(locale: Locale, id: number, revision: number): Button[] {
  return [
    { label: t(locale, 'cmp.button.approve'), action: actionRef('cmp.approve', id, ...stamp(revision)), style: 'primary' },
    { label: t(locale, 'cmp.button.changes'), action: actionRef('cmp.changes', id, ...stamp(revision)) },
    { label: t(locale, 'cmp.button.reject'), action: actionRef('cmp.reject', id, ...stamp(revision)), style: 'danger' },
  ];
}

export function closeButton(locale: Locale, id: number): Button {
  return { label: t(locale, 'cmp.button.close'), action: actionRef('cmp.close', id) };
}

function headline(locale: Locale, v: CampaignView): string | undefined {
  const at = v.decidedAt ?? '';
  const by = v.decidedBy ?? '';
  switch (v.status) {
    case 'pending_approval':
      return v.revision ? t(locale, 'cmp.card.revised', { owner: v.owner, at: v.revision.at }) : t(locale, 'cmp.card.proposal', { owner: v.owner });
    case 'rejected':
      return t(locale, 'cmp.card.rejected', { by, at });
    case 'changes_requested':
      return t(locale, 'cmp.card.changes_requested', { by, at });
    case 'evaluated':
      return t(locale, 'cmp.card.evaluated', { at: v.evaluatedAt ?? '' });
    default:
      return v.decidedBy ? t(locale, 'cmp.card.approved', { by, at }) : undefined;
  }
}

/** Names of the fields that differ between two versions of a proposal (snapshot keys, KPI keys as kpi_<key>). */
export function changedFields(before: ProposalSnapshot, after: ProposalSnapshot): string[] {
  const out: string[] = [];
  for (const key of ['name', 'goal', 'theme', 'format', 'startDate', 'endDate', 'lineCode', 'amount'] as const) {
    if (before[key] !== after[key]) out.push(key);
  }
  if ([...before.channels].sort().join(',') !== [...after.channels].sort().join(',')) out.push('channels');
  for (const k of KPI_KEYS) if (before.kpiTargets[k] !== after.kpiTargets[k]) out.push(kpiField(k));
  return out;
}

/** One readable line per changed field: "Budget amount: ¥11,000.00 → ¥9,000.00". */
export function proposalChanges(locale: Locale, before: ProposalSnapshot, after: ProposalSnapshot): string[] {
  const none = t(locale, 'cmp.none');
  const show = (p: ProposalSnapshot, field: string): string => {
    switch (field) {
      case 'goal':
        return label(locale, 'campaign.goal', p.goal);
      case 'format':
        return label(locale, 'campaign.format', p.format);
      case 'channels':
        return p.channels.length ? listOf(locale, p.channels.map((c) => label(locale, 'campaign.channel', c))) : none;
      case 'amount':
        return formatMoney(p.amount, locale);
      case 'name':
      case 'theme':
      case 'startDate':
      case 'endDate':
      case 'lineCode':
        return p[field] || none;
      default: {
        const k = KPI_KEYS.find((x) => kpiField(x) === field)!;
        const value = p.kpiTargets[k];
        return value === undefined ? none : formatKpi(k, value, locale);
      }
    }
  };
  const fieldLabel = (field: string): string => {
    const plain: Record<string, string> = {
      name: 'cmp.field.name',
      goal: 'cmp.field.goal',
      theme: 'cmp.field.theme',
      format: 'cmp.field.format',
      channels: 'cmp.field.channels',
      startDate: 'cmp.field.start',
      endDate: 'cmp.field.end',
      lineCode: 'cmp.field.line',
      amount: 'cmp.field.amount',
    };
    if (plain[field]) return t(locale, plain[field]);
    const k = KPI_KEYS.find((x) => kpiField(x) === field)!;
    return t(locale, 'cmp.field.kpi', { kpi: t(locale, `kpi.${k}`) });
  };
  return changedFields(before, after).map((field) =>
    t(locale, 'cmp.change.line', { field: fieldLabel(field), before: show(before, field), after: show(after, field) }),
  );
}

/**
 * The campaign card: the approval card in the leaders' channel (with `months` availability and decision
 * buttons while pending), and the same card updated in place after each decision, or shown by /campaign show.
 */
export function campaignCard(
  locale: Locale,
  v: CampaignView,
  opts: { months?: MonthAvailability[]; buttons?: Button[] } = {},
): Message {
  const title = t(locale, 'cmp.card.title', { id: cmpId(v.id), name: v.name });
  const lines = [headline(locale, v)];
  if (v.decisionComment) lines.push(t(locale, 'cmp.card.comment', { comment: v.decisionComment }));
  if (v.status === 'pending_approval' && v.revision?.comment) lines.push(t(locale, 'cmp.card.revised.comment', { comment: v.revision.comment }));
  const text = lines.filter(Boolean).join('\n');
  const sections: Section[] = [];
  if (v.status === 'pending_approval' && v.revision) {
    const changes = proposalChanges(locale, v.revision.before, v.revision.after);
    sections.push({ heading: t(locale, 'cmp.card.changes.heading'), text: changes.length ? changes.join('\n') : t(locale, 'cmp.change.none') });
  }
  if (opts.months && opts.months.length) {
    sections.push({
      heading: t(locale, 'cmp.card.budget.heading', { line: v.lineCode }),
      text: opts.months
        .map((m) => {
          const row = t(locale, 'cmp.card.budget.month', {
            month: m.month,
            share: formatMoney(m.share, locale),
            available: formatMoney(m.available, locale),
          });
          const short = m.share - Math.max(0, m.available);
          const mark = short > 0 ? t(locale, 'cmp.card.budget.short', { short: formatMoney(short, locale) }) : t(locale, 'cmp.card.budget.ok');
          return `${row} ${mark}`;
        })
        .join('\n'),
    });
  }
  if (v.commitments && v.commitments.length) {
    sections.push({
      heading: t(locale, 'cmp.card.commitments.heading'),
      text: v.commitments.map((c) => t(locale, 'cmp.card.commitment', { month: c.month, amount: formatMoney(c.amount, locale) })).join('\n'),
    });
  }
  const tone =
    v.status === 'pending_approval' ? 'info' : v.status === 'rejected' ? 'danger' : v.status === 'changes_requested' ? 'warning' : 'success';
  return {
    tone,
    title,
    text: text || undefined,
    fields: [
      { label: t(locale, 'cmp.field.status'), value: statusLabel(locale, v.status) },
      { label: t(locale, 'cmp.field.owner'), value: v.owner.markup },
      { label: t(locale, 'cmp.field.goal'), value: label(locale, 'campaign.goal', v.goal) },
      { label: t(locale, 'cmp.field.theme'), value: v.theme ? esc(v.theme) : t(locale, 'cmp.none') },
      { label: t(locale, 'cmp.field.format'), value: label(locale, 'campaign.format', v.format) },
      {
        label: t(locale, 'cmp.field.channels'),
        value: v.channels.length ? listOf(locale, v.channels.map((c) => label(locale, 'campaign.channel', c))) : t(locale, 'cmp.none'),
      },
      { label: t(locale, 'cmp.field.dates'), value: datesText(locale, v.startDate, v.endDate) },
      { label: t(locale, 'cmp.field.line'), value: esc(`${v.lineCode} ${v.lineName}`) },
      { label: t(locale, 'cmp.field.amount'), value: formatMoney(v.amount, locale) },
      { label: t(locale, 'cmp.field.kpis'), value: kpiLines(locale, v.kpiTargets) },
    ],
    sections: sections.length ? sections : undefined,
    buttons: opts.buttons && opts.buttons.length ? opts.buttons : undefined,
    context: [t(locale, 'cmp.card.context', { id: cmpId(v.id), at: v.createdAt }), ...(v.escalations ?? [])],
    summary: plainText(`${title} · ${statusLabel(locale, v.status)}`),
  };
}

export interface Shortfall {
  month: Month;
  need: Minor;
  available: Minor;
  short: Minor;
}

/**
 * Refusal of an approval for lack of budget: the short months, and `note` (who was asked, who decides). `request`:
 * the button that opens a budget request pre-filled with the first shortfall (only for the campaign's owner).
 */
export function shortfallMessage(
  locale: Locale,
  id: number,
  lineCode: string,
  shortfalls: Shortfall[],
  opts: { note: string; request: boolean; key?: 'cmp.error.shortfall' | 'cmp.shortfall.owner'; leader?: Markup },
): Message {
  const text = t(locale, opts.key ?? 'cmp.error.shortfall', { id: cmpId(id), line: lineCode, ...(opts.leader ? { leader: opts.leader } : {}) });
  return {
    tone: 'danger',
    text,
    sections: [
      {
        heading: t(locale, 'cmp.shortfall.heading'),
        text: [
          ...shortfalls.map((s) =>
            t(locale, 'cmp.shortfall.month', {
              month: s.month,
              need: formatMoney(s.need, locale),
              available: formatMoney(s.available, locale),
              short: formatMoney(s.short, locale),
            }),
          ),
          opts.note,
        ].join('\n'),
      },
    ],
    ...(opts.request
      ? {
          buttons: [
            {
              label: t(locale, 'cmp.button.shortfall', { amount: formatMoney(shortfalls[0]!.short, locale), month: shortfalls[0]!.month }),
              action: actionRef('cmp.shortfall', id),
              style: 'primary' as const,
            },
          ],
        }
      : {}),
    summary: plainText(text),
  };
}

export interface CampaignListItem {
  id: number;
  name: string;
  status: CampaignStatus;
  startDate: string;
  endDate: string;
  amount: Minor;
  owner: Markup;
}

/** `/campaign list`: every matching campaign, a page at a time (the count in the title). */
export function campaignListMessage(locale: Locale, filter: string, items: CampaignListItem[], page = 1): Message {
  const title = t(locale, 'cmp.list.title', { filter: t(locale, `cmp.filter.${filter}`), n: items.length });
  const lines = items.map((c) =>
    t(locale, 'cmp.list.item', {
      id: cmpId(c.id),
      name: c.name,
      status: statusLabel(locale, c.status),
      dates: datesText(locale, c.startDate, c.endDate),
      amount: formatMoneyShort(c.amount, locale),
      owner: c.owner,
    }),
  );
  const { text, buttons } = pagedList(locale, 'campaign.list', lines, page, { arg: filter });
  return {
    tone: 'info',
    title,
    text: lines.length ? text : t(locale, 'cmp.list.empty'),
    ...(buttons.length ? { buttons } : {}),
    context: [t(locale, 'cmp.list.status_note')],
    summary: plainText(title),
  };
}

export interface EvaluationView {
  id: number;
  name: string;
  amount: Minor;
  actualCost: Minor;
  released: Minor;
  lessons: string;
  by: Markup;
  rows: KpiComparison[];
}

/** Targets vs actuals, one row per KPI, then budget vs cost and the lessons. */
export function evaluationMessage(locale: Locale, e: EvaluationView): Message {
  const title = t(locale, 'cmp.eval.title', { id: cmpId(e.id), name: e.name });
  const met = e.rows.filter((r) => r.met).length;
  const summary = t(locale, 'cmp.eval.summary', { met, total: e.rows.length });
  const rows = e.rows.map((r) =>
    t(locale, 'cmp.eval.row', {
      kpi: t(locale, `kpi.${r.key}`),
      target: formatKpi(r.key, r.target, locale),
      actual: r.actual === null ? t(locale, 'cmp.none') : formatKpi(r.key, r.actual, locale),
      ratio: r.ratioBp === null ? t(locale, 'cmp.none') : formatPercentBp(r.ratioBp, locale),
      mark: r.met === null ? '' : r.met ? t(locale, 'cmp.eval.met') : t(locale, 'cmp.eval.missed'),
    }).trimEnd(),
  );
  const costRatio = e.amount > 0 ? formatPercentBp(Math.floor((e.actualCost * 10_000) / e.amount), locale) : t(locale, 'cmp.none');
  const message: Message = {
    tone: met === e.rows.length ? 'success' : 'warning',
    title,
    text: summary,
    sections: [
      { heading: t(locale, 'cmp.eval.heading.kpis'), text: rows.join('\n') || t(locale, 'cmp.none') },
      {
        heading: t(locale, 'cmp.eval.heading.budget'),
        text: [
          t(locale, 'cmp.eval.cost', { amount: formatMoney(e.amount, locale), cost: formatMoney(e.actualCost, locale), ratio: costRatio }),
          t(locale, 'cmp.eval.released', { amount: formatMoney(e.released, locale) }),
        ].join('\n'),
      },
      { heading: t(locale, 'cmp.eval.heading.lessons'), text: esc(e.lessons) },
    ],
    context: [cmpId(e.id), t(locale, 'cmp.eval.by', { by: e.by })],
    summary: plainText(labelled(locale, title, summary)),
  };
  const kpis = e.rows.map((r) => ({
    label: t(locale, `kpi.${r.key}`),
    targetText: formatKpi(r.key, r.target, locale),
    actualText: r.actual === null ? null : formatKpi(r.key, r.actual, locale),
    ratioBp: r.ratioBp,
    met: r.met,
  }));
  return withChart(message, campaignChart(locale, { id: cmpId(e.id), name: e.name, amount: e.amount, actualCost: e.actualCost, kpis }));
}
