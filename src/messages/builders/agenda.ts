// The weekly sync agenda (policy 六(三)): one message built from AgendaData (collected by
// src/usecases/agenda.ts collectAgenda). Pure, so the scheduler and /agenda render the same thing.
import { formatPercentBp } from '../../domain/budget.js';
import { formatMoney, formatMoneyShort } from '../../domain/money.js';
import type { LocalDate, Locale, Minor, Month, RiskGrade } from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import { actionRef } from '../actions.js';
import { pagedList, paginate, worstSize } from '../layout.js';
import { plainText, type Markup } from '../markup.js';
import type { Button, Message, Section } from '../model.js';

export interface Listed<T> {
  /** How many there are in all (the list holds at most a few). */
  total: number;
  items: T[];
}

export type AgendaApproval =
  | { kind: 'adjustment'; id: number; adjKind: string; amount: Minor; line: string; month: Month; status: string; ageHours: number }
  | { kind: 'campaign'; id: number; name: string; amount: Minor; ageHours: number };

export interface AgendaBudgetLine {
  code: string;
  name: string;
  plan: Minor;
  spent: Minor;
  /** spent / plan in basis points, null without a plan. */
  pctBp: number | null;
  /** ≥ 80 % of plan used (or spend against no plan). */
  flagged: boolean;
}

export interface AgendaCampaign {
  id: number;
  name: string;
  startDate: LocalDate;
  endDate: LocalDate;
  owner: Markup;
}

export interface AgendaRisk {
  id: number;
  grade: RiskGrade;
  score: number;
  title: string;
  owner: Markup | null;
  dueDate: LocalDate | null;
}

export interface AgendaTopicItem {
  /** Number shown in the list, used by `/agenda remove <n>`. */
  n: number;
  id: number;
  text: string;
  by: Markup;
}

export interface AgendaData {
  /** Monday of the agenda's week. */
  weekOf: LocalDate;
  today: LocalDate;
  month: Month;
  lastMonth: Month;
  approvals: Listed<AgendaApproval>;
  budget: Listed<AgendaBudgetLine> & { flagged: number };
  running: Listed<AgendaCampaign>;
  starting: Listed<AgendaCampaign>;
  awaiting: Listed<AgendaCampaign>;
  risks: Listed<AgendaRisk> & { high: number; medium: number };
  overdue: Listed<AgendaRisk>;
  topics: Listed<AgendaTopicItem>;
  variance: Listed<{ code: string; reason: string; by: Markup }>;
}

function age(locale: Locale, hours: number): string {
  return hours < 48 ? t(locale, 'agenda.age.hours', { n: Math.max(0, Math.floor(hours)) }) : t(locale, 'agenda.age.days', { n: Math.floor(hours / 24) });
}

/** What one section of the agenda may take (worstSize): the whole agenda stays one message on every platform. */
const SECTION_BUDGET = 2_000;

/** What the topics may take: they are closed once a scheduled agenda lists them, so the list is cut where it is read. */
export const TOPICS_BUDGET = 4_000;

/**
 * A section's items, as many as fit its budget (at least one), then "… and N more" (the full list is a button
 * away). Topics are fitted when collected (see TOPICS_BUDGET) and shown whole.
 */
function listText<T>(locale: Locale, list: Listed<T>, line: (item: T) => string, budget = SECTION_BUDGET): string {
  if (list.total === 0) return t(locale, 'agenda.none');
  const shown = paginate(list.items.map(line), 1, worstSize, { budget, max: list.items.length }).items;
  if (list.total > shown.length) shown.push(t(locale, 'agenda.more', { n: list.total - shown.length }));
  return shown.join('\n');
}

function label(locale: Locale, key: string, fallback: string): string {
  const text = t(locale, key);
  return text === key ? fallback : text;
}

export function agendaMessage(locale: Locale, data: AgendaData, opts: { preview?: boolean } = {}): Message {
  const title = t(locale, 'agenda.title', { date: data.weekOf });
  const campaign = (c: AgendaCampaign) =>
    t(locale, 'agenda.campaign.item', {
      id: `CMP-${c.id}`,
      name: c.name,
      dates: t(locale, 'agenda.campaign.dates', { start: c.startDate, end: c.endDate }),
      owner: c.owner,
    });
  const none = t(locale, 'agenda.owner.none');
  const sections: Section[] = [
    {
      heading: t(locale, 'agenda.section.approvals', { n: data.approvals.total }),
      text: listText(locale, data.approvals, (a) =>
        a.kind === 'adjustment'
          ? t(locale, 'agenda.approval.adjustment', {
              id: `ADJ-${a.id}`,
              kind: label(locale, `agenda.kind.${a.adjKind}`, a.adjKind),
              amount: formatMoneyShort(a.amount, locale),
              line: a.line,
              month: a.month,
              status: label(locale, `adjustment.status.${a.status}`, a.status),
              age: age(locale, a.ageHours),
            })
          : t(locale, 'agenda.approval.campaign', {
              id: `CMP-${a.id}`,
              name: a.name,
              amount: formatMoneyShort(a.amount, locale),
              age: age(locale, a.ageHours),
            }),
      ),
    },
    {
      heading: t(locale, 'agenda.section.budget', { month: data.month }),
      text: [
        listText(locale, data.budget, (l) =>
          (l.pctBp === null
            ? t(locale, 'agenda.budget.line.noplan', { code: l.code, name: l.name, spent: formatMoney(l.spent, locale) })
            : t(locale, 'agenda.budget.line', {
                code: l.code,
                name: l.name,
                spent: formatMoney(l.spent, locale),
                plan: formatMoney(l.plan, locale),
                pct: formatPercentBp(l.pctBp, locale),
              })) + (l.flagged ? t(locale, 'agenda.budget.flag') : ''),
        ),
        ...(data.budget.flagged > 0 ? [t(locale, 'agenda.budget.flagged', { n: data.budget.flagged })] : []),
      ].join('\n'),
    },
    { heading: t(locale, 'agenda.section.running', { n: data.running.total }), text: listText(locale, data.running, campaign) },
    { heading: t(locale, 'agenda.section.starting', { n: data.starting.total }), text: listText(locale, data.starting, campaign) },
    { heading: t(locale, 'agenda.section.awaiting', { n: data.awaiting.total }), text: listText(locale, data.awaiting, campaign) },
    {
      heading: t(locale, 'agenda.section.risks', { high: data.risks.high, medium: data.risks.medium }),
      text: listText(locale, data.risks, (r) =>
        t(locale, 'agenda.risk.item', {
          id: `RSK-${r.id}`,
          grade: label(locale, `risk.grade.${r.grade}`, r.grade),
          score: r.score,
          title: r.title,
          owner: r.owner ?? none,
        }),
      ),
    },
    {
      heading: t(locale, 'agenda.section.overdue', { n: data.overdue.total }),
      text: listText(locale, data.overdue, (r) =>
        t(locale, 'agenda.overdue.item', { id: `RSK-${r.id}`, title: r.title, due: r.dueDate ?? '', owner: r.owner ?? none }),
      ),
    },
    {
      heading: t(locale, 'agenda.section.topics', { n: data.topics.total }),
      text:
        data.topics.total === 0
          ? t(locale, 'agenda.topics.hint')
          : listText(locale, data.topics, (x) => t(locale, 'agenda.topic.item', { n: x.n, text: x.text, by: x.by }), Infinity),
    },
  ];
  if (data.variance.total > 0) {
    sections.push({
      heading: t(locale, 'agenda.section.variance', { month: data.lastMonth }),
      text: listText(locale, data.variance, (v) => t(locale, 'agenda.variance.item', v)),
    });
  }
  // The whole lists, a page at a time, for what the agenda only starts.
  const buttons: Button[] = [];
  if (data.topics.total > 0) buttons.push({ label: t(locale, 'agenda.button.topics', { n: data.topics.total }), action: actionRef('page', 'agenda.topics', 1) });
  if (data.risks.total > 0) buttons.push({ label: t(locale, 'agenda.button.risks', { n: data.risks.total }), action: actionRef('page', 'risk.list', 1, 'open') });
  return {
    tone: 'info',
    title,
    text: opts.preview ? t(locale, 'agenda.preview', { date: data.today }) : undefined,
    sections,
    ...(buttons.length ? { buttons } : {}),
    summary: plainText(title),
  };
}

/** Every open topic, numbered as `/agenda remove <n>` counts them, a page at a time. */
export function agendaTopicsMessage(locale: Locale, topics: AgendaTopicItem[], page = 1): Message {
  const title = t(locale, 'agenda.topics.title', { n: topics.length });
  const lines = topics.map((x) => t(locale, 'agenda.topic.item', { n: x.n, text: x.text, by: x.by }));
  const { text, buttons } = pagedList(locale, 'agenda.topics', lines, page);
  return {
    tone: 'info',
    title,
    text: lines.length ? text : t(locale, 'agenda.topics.hint'),
    ...(buttons.length ? { buttons } : {}),
    summary: plainText(title),
  };
}
