// Scheduled-post messages: the monthly variance report (with "Explain variance" buttons), the owner's
// request for a reason, the variance form, the monthly budget summary and the reminders. Pure: data in.
import { formatId } from '../../domain/ids.js';
import { formatMoney } from '../../domain/money.js';
import { budgetUseChart, varianceChart } from '../../charts/build.js';
import { formatSignedPercentBp, formatPercentBp, variance } from '../../domain/budget.js';
import type { Locale, Minor, Month } from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import type { StatusLine } from './budget.js';
import { actionRef, formRef } from '../actions.js';
import { paginate, pageButtons, pageLine, worstSize, type Page } from '../layout.js';
import { personRef, plainText, type Markup } from '../markup.js';
import type { Button, Form, Message, Section } from '../model.js';
import { withChart } from './common.js';

export interface PersonView {
  platform: string;
  userId: string;
  displayName: string | null;
}

export function mentionOfPerson(p: PersonView): Markup {
  return personRef(p);
}

export interface VarianceLineView {
  lineId: number;
  code: string;
  name: string;
  owner: PersonView | null;
  plan: Minor;
  actual: Minor;
  variance: Minor;
  /** Variance / plan in bp (truncated toward zero); null when there is no plan. */
  percentBp: number | null;
  /** |variance| > 10 % of plan (or spend against no plan): a reason is asked for. */
  beyond: boolean;
  explanation: { reason: string; by: PersonView } | null;
}

export interface VarianceReportView {
  month: Month;
  lines: VarianceLineView[];
  total: { plan: Minor; actual: Minor; variance: Minor; percentBp: number | null };
  /** Cumulative plan and actual of the fiscal year, one point per month from January to `month`. */
  ytd?: { month: Month; plan: Minor; actual: Minor }[];
}

/** Card key of the report of `month`: every posted copy is updated in place when a reason is given. */
export function varianceReportCardKey(month: Month): string {
  return `VAR-${month}`;
}

/** Card key of the DM asking a line's owner for a reason. */
export function varianceOwnerCardKey(lineId: number, month: Month): string {
  return `VAR-${month}-L${lineId}`;
}

/** Signed money: "+¥1,000.00", "-¥500.00", "¥0.00". */
export function formatSignedMoney(minor: Minor, locale: Locale): string {
  return minor > 0 ? `+${formatMoney(minor, locale)}` : formatMoney(minor, locale);
}

function percentText(locale: Locale, bp: number | null): string {
  return bp === null ? t(locale, 'sched.report.no_plan') : formatSignedPercentBp(bp, locale);
}

/** Lines beyond ±10 % shown with their own reason and button (the rest are named; their owners were asked by DM). */
const MAX_BEYOND_SECTIONS = 6;
const BEYOND_BUDGET = 3_000;
/** A short list inside a summary (overspent lines, lines ≥ 80 %): the rest is counted, and all are in /budget. */
const SHORT_LIST_BUDGET = 2_500;

/** A page of `lines` under `heading` (with "Showing a–b of n" when there is more than one page). */
function pagedSection(locale: Locale, heading: string, lines: string[], page: Page<string>): Section {
  if (lines.length === 0) return { heading, text: t(locale, 'sched.none') };
  return { heading: page.pages > 1 ? `${heading} · ${pageLine(locale, page)}` : heading, text: page.items.join('\n') };
}

/** The first lines that fit a short budget, then "… and N more". */
function shortList(locale: Locale, heading: string, lines: string[]): Section {
  if (lines.length === 0) return { heading, text: t(locale, 'sched.none') };
  const shown = paginate(lines, 1, worstSize, { budget: SHORT_LIST_BUDGET, max: 50 }).items;
  if (lines.length > shown.length) shown.push(t(locale, 'sched.more', { count: lines.length - shown.length }));
  return { heading, text: shown.join('\n') };
}

function explainButton(locale: Locale, line: VarianceLineView, month: Month): Button {
  return {
    label: t(locale, line.explanation ? 'sched.report.edit_button' : 'sched.report.explain_button'),
    action: actionRef('var.explain', line.lineId, month),
    style: line.explanation ? undefined : 'primary',
  };
}

function lineVars(locale: Locale, l: { code: string; name: string; plan: Minor; actual: Minor; variance: Minor; percentBp: number | null }) {
  return {
    code: l.code,
    name: l.name,
    plan: formatMoney(l.plan, locale),
    actual: formatMoney(l.actual, locale),
    variance: formatSignedMoney(l.variance, locale),
    percent: percentText(locale, l.percentBp),
  };
}

/**
 * The monthly variance report: every line's plan vs actual (a page at a time: buttons send the other pages), the
 * total, and the lines beyond ±10 % with their reason and an "Explain" button (the first few; the others are
 * named, and each owner was asked by DM). Posted once and updated in place, so it always fits one message.
 */
export function varianceReportMessage(locale: Locale, view: VarianceReportView, opts: { lateNote?: string; page?: number } = {}): Message {
  const beyond = view.lines.filter((l) => l.beyond);
  const totalVars = lineVars(locale, { code: '', name: '', ...view.total });
  const sections: Section[] = [];
  const buttons: Button[] = [];
  if (view.lines.length === 0) {
    sections.push({ text: t(locale, 'sched.no_lines', { month: view.month }) });
  } else {
    const rows = view.lines.map((l) => t(locale, 'sched.report.line', { marker: l.beyond ? '⚠ ' : '', ...lineVars(locale, l) }));
    const page = paginate(rows, opts.page ?? 1, worstSize);
    sections.push(pagedSection(locale, t(locale, 'sched.report.lines_heading'), rows, page));
    const ytd = view.ytd?.at(-1);
    const ytdText = ytd
      ? t(locale, 'sched.report.ytd', { from: `${view.month.slice(0, 4)}-01`, month: view.month, ...lineVars(locale, { code: '', name: '', ...ytd, ...variance(ytd.plan, ytd.actual) }) })
      : undefined;
    sections.push({ text: [t(locale, 'sched.report.total', totalVars), ytdText].filter(Boolean).join('\n') });
    buttons.push(...pageButtons(locale, 'report.variance', page, view.month));
  }
  const detailed = paginate(beyond, 1, (l) => worstSize(`${l.code}${l.name}${l.explanation?.reason ?? ''}`) + 200, {
    budget: BEYOND_BUDGET,
    max: MAX_BEYOND_SECTIONS,
  }).items;
  for (const line of detailed) {
    const vars = lineVars(locale, line);
    const text = [
      line.owner ? t(locale, 'sched.report.owner', { owner: mentionOfPerson(line.owner) }) : t(locale, 'sched.report.no_owner'),
      line.explanation
        ? t(locale, 'sched.report.reason', { by: mentionOfPerson(line.explanation.by), reason: line.explanation.reason })
        : t(locale, 'sched.report.reason_missing'),
    ].join('\n');
    sections.push({
      heading: t(locale, 'sched.report.beyond_heading', { code: vars.code, name: vars.name, variance: vars.variance, percent: vars.percent }),
      text,
      buttons: [explainButton(locale, line, view.month)],
    });
  }
  if (beyond.length > detailed.length) {
    const rest = beyond.slice(detailed.length).map((l) => l.code);
    const codes = rest.slice(0, 20).join(', ') + (rest.length > 20 ? ` ${t(locale, 'sched.more', { count: rest.length - 20 })}` : '');
    sections.push({ text: t(locale, 'sched.report.beyond_more', { n: rest.length, codes }) });
  }
  const message: Message = {
    tone: beyond.some((l) => !l.explanation) ? 'warning' : 'info',
    title: t(locale, 'sched.report.title', { month: view.month }),
    text: t(locale, 'sched.report.intro', { month: view.month }),
    sections,
    ...(buttons.length ? { buttons } : {}),
    context: opts.lateNote ? [opts.lateNote] : undefined,
    summary: plainText(
      t(locale, 'sched.report.summary', {
        month: view.month,
        plan: totalVars.plan,
        actual: totalVars.actual,
        variance: totalVars.variance,
        percent: totalVars.percent,
        beyond: beyond.length,
      }),
    ),
  };
  // The chart goes with the report's first page (a page turned later shows the text only).
  return (opts.page ?? 1) === 1 ? withChart(message, varianceChart(locale, { month: view.month, lines: view.lines, ytd: view.ytd })) : message;
}

/** DM to a line's owner asking for the reason (updated in place once a reason is given). */
export function varianceOwnerMessage(locale: Locale, month: Month, line: VarianceLineView): Message {
  const vars = lineVars(locale, line);
  const title = t(locale, 'sched.report.owner_dm.title', { code: line.code, month });
  return {
    tone: line.explanation ? 'success' : 'warning',
    title,
    text: t(locale, 'sched.report.owner_dm.text', { ...vars }),
    context: line.explanation
      ? [t(locale, 'sched.report.owner_dm.explained', { by: mentionOfPerson(line.explanation.by), reason: line.explanation.reason })]
      : undefined,
    buttons: [explainButton(locale, line, month)],
    summary: plainText(title),
  };
}

export const VARIANCE_REASON_MAX = 1000;

export function varianceForm(locale: Locale, month: Month, line: VarianceLineView, current: string | null): Form {
  return {
    id: formRef('var.explain', line.lineId, month),
    title: t(locale, 'var.form.title', { code: line.code, month }),
    submitLabel: t(locale, 'var.form.submit'),
    intro: t(locale, 'var.form.intro', lineVars(locale, line)),
    fields: [
      {
        kind: 'textarea',
        name: 'reason',
        label: t(locale, 'var.form.reason'),
        hint: t(locale, 'var.form.reason_hint'),
        required: true,
        maxLength: VARIANCE_REASON_MAX,
        initial: current ?? undefined,
      },
    ],
  };
}

// ---- monthly budget summary ----

export type BudgetLineView = StatusLine;

export interface MonthlyBudgetView {
  month: Month;
  previous: Month;
  lines: BudgetLineView[];
  /** Last month's lines whose spend exceeded plan. */
  overspent: BudgetLineView[];
  /** Lines at ≥ 80 % (this month: spent + committed; last month: spent, below 100 %). */
  high: { month: Month; line: BudgetLineView; usedBp: number }[];
}

/**
 * The 1st-of-month budget summary: this month's plan per line (a page at a time), the total, last month's
 * overspends and the lines at ≥ 80 % (the first that fit, then how many more), with request buttons.
 */
export function monthlyBudgetMessage(locale: Locale, view: MonthlyBudgetView, opts: { lateNote?: string; page?: number } = {}): Message {
  const money = (m: Minor) => formatMoney(m, locale);
  const plan = view.lines.reduce((s, l) => s + l.plan, 0);
  const committed = view.lines.reduce((s, l) => s + l.committed, 0);
  const sections: Section[] = [];
  const planRows = view.lines.map((l) => t(locale, 'sched.budget.plan_line', { code: l.code, name: l.name, plan: money(l.plan), committed: money(l.committed) }));
  const page = paginate(planRows, opts.page ?? 1, worstSize);
  sections.push(pagedSection(locale, t(locale, 'sched.budget.plan_heading', { month: view.month }), planRows, page));
  if (view.lines.length > 0) sections.push({ text: t(locale, 'sched.budget.total_line', { plan: money(plan), committed: money(committed) }) });
  const overRows = view.overspent.map((l) =>
    t(locale, 'sched.budget.over_line', {
      code: l.code,
      name: l.name,
      spent: money(l.spent),
      plan: money(l.plan),
      over: money(l.spent - l.plan),
      percent: l.plan > 0 ? formatPercentBp(Number((BigInt(l.spent) * 10_000n) / BigInt(l.plan)), locale) : t(locale, 'sched.report.no_plan'),
    }),
  );
  sections.push(shortList(locale, t(locale, 'sched.budget.over_heading', { month: view.previous }), overRows));
  const highRows = view.high.map((h) =>
    t(locale, 'sched.budget.high_line', {
      code: h.line.code,
      name: h.line.name,
      month: h.month,
      used: money(h.month === view.month ? h.line.spent + h.line.committed : h.line.spent),
      plan: money(h.line.plan),
      percent: formatPercentBp(h.usedBp, locale),
    }),
  );
  const highSection = shortList(locale, t(locale, 'sched.budget.high_heading'), highRows);
  const requestButtons: Button[] = view.high
    .filter((h) => h.month === view.month)
    .slice(0, 5)
    .map((h) => ({ label: t(locale, 'sched.budget.request_button', { code: h.line.code }), action: actionRef('alert.request', h.line.lineId, h.month) }));
  if (requestButtons.length > 0) highSection.buttons = requestButtons;
  sections.push(highSection);
  const buttons = pageButtons(locale, 'report.budget', page, view.month);
  const message: Message = {
    tone: view.overspent.length > 0 || view.high.length > 0 ? 'warning' : 'info',
    title: t(locale, 'sched.budget.title', { month: view.month }),
    sections,
    ...(buttons.length ? { buttons } : {}),
    context: opts.lateNote ? [opts.lateNote] : undefined,
    summary: plainText(
      t(locale, 'sched.budget.summary', {
        month: view.month,
        plan: money(plan),
        lines: view.lines.length,
        over: view.overspent.length,
        previous: view.previous,
      }),
    ),
  };
  return (opts.page ?? 1) === 1 ? withChart(message, budgetUseChart(locale, view.month, view.lines)) : message;
}

// ---- reminders ----

export function adjustmentReminderMessage(
  locale: Locale,
  a: { id: number; amount: Minor; lineCode: string; month: Month; reason: string; requester: PersonView; status: string; hours: number },
): Message {
  const id = formatId('ADJ', a.id);
  const title = t(locale, 'sched.remind.adj.title', { id });
  return {
    tone: 'warning',
    title,
    text: t(locale, 'sched.remind.adj.text', {
      requester: mentionOfPerson(a.requester),
      amount: formatMoney(a.amount, locale),
      line: a.lineCode,
      month: a.month,
      hours: a.hours,
      reason: a.reason,
    }),
    context: [t(locale, a.status === 'pending_leader' ? 'sched.remind.adj.step_leader' : 'sched.remind.adj.step_finance'), id],
    buttons: [
      { label: t(locale, 'sched.remind.adj.approve'), action: actionRef('adj.approve', a.id), style: 'primary' },
      { label: t(locale, 'sched.remind.adj.reject'), action: actionRef('adj.reject', a.id), style: 'danger' },
    ],
    summary: plainText(title),
  };
}

export function riskEscalationMessage(
  locale: Locale,
  r: { id: number; title: string; score: number; reporter: PersonView; hours: number },
): Message {
  const id = formatId('RSK', r.id);
  const title = t(locale, 'sched.remind.risk.title', { id });
  return {
    tone: 'danger',
    title,
    text: t(locale, 'sched.remind.risk.text', { title: r.title, score: r.score, reporter: mentionOfPerson(r.reporter), hours: r.hours }),
    context: [id],
    buttons: [
      { label: t(locale, 'sched.remind.risk.own'), action: actionRef('rsk.own', r.id), style: 'primary' },
      { label: t(locale, 'sched.remind.risk.strategy'), action: actionRef('rsk.strategy', r.id) },
    ],
    summary: plainText(title),
  };
}

export function campaignEvaluationReminder(locale: Locale, c: { id: number; name: string; endDate: string; days: number }): Message {
  const id = formatId('CMP', c.id);
  const title = t(locale, 'sched.remind.cmp.title', { id });
  return {
    tone: 'warning',
    title,
    text: t(locale, 'sched.remind.cmp.text', { name: c.name, endDate: c.endDate, days: c.days }),
    context: [id],
    buttons: [{ label: t(locale, 'sched.remind.cmp.close'), action: actionRef('cmp.close', c.id), style: 'primary' }],
    summary: plainText(title),
  };
}
