// Budget messages: this month's status per line, the list of lines, spend confirmations, threshold alerts and
// the request / transfer / spend forms. Pure builders: figures come in, localized messages go out.
import { available, formatPercentBp, percentUsedBp, type LineFigures } from '../../domain/budget.js';
import { formatId } from '../../domain/ids.js';
import { formatMoney } from '../../domain/money.js';
import type { Locale, LocalDate, Minor, Month } from '../../domain/types.js';
import { labelled, listOf, t } from '../../i18n/index.js';
import { actionRef, formRef } from '../actions.js';
import { pagedList, paginate, pageButtons, pageLine, worstSize } from '../layout.js';
import { esc, plainText } from '../markup.js';
import type { Form, Message } from '../model.js';
import { budgetUseChart } from '../../charts/build.js';
import { withChart } from './common.js';

/** A budget line's figures for one month, as shown in status and summary messages. */
export interface StatusLine extends LineFigures {
  lineId: number;
  code: string;
  name: string;
}

/** Lines at or above this share of plan (spent / plan, basis points) are flagged. */
export const FLAG_BP = 8_000;

function percentText(locale: Locale, l: { plan: Minor; spent: Minor; committed: Minor }): string {
  const bp = percentUsedBp(l);
  return bp === null ? t(locale, 'budget.status.no_plan') : formatPercentBp(bp, locale);
}

function isFlagged(l: { plan: Minor; spent: Minor; committed: Minor }): boolean {
  const bp = percentUsedBp(l);
  return bp === null ? l.spent > 0 : bp >= FLAG_BP;
}

function figuresText(locale: Locale, l: { plan: Minor; spent: Minor; committed: Minor }): string {
  return t(locale, 'budget.status.figures', {
    plan: formatMoney(l.plan, locale),
    spent: formatMoney(l.spent, locale),
    committed: formatMoney(l.committed, locale),
    available: formatMoney(available(l), locale),
    percent: percentText(locale, l),
  });
}

/** At most this many codes named in a list of codes, then "and N more". */
const CODES_SHOWN = 20;

function codeList(locale: Locale, codes: string[]): string {
  const shown = listOf(locale, codes.slice(0, CODES_SHOWN));
  return codes.length > CODES_SHOWN ? `${shown} ${t(locale, 'budget.status.and_more', { n: codes.length - CODES_SHOWN })}` : shown;
}

function statusItem(locale: Locale, l: StatusLine): string {
  const mark = available(l) < 0 ? ` ${t(locale, 'budget.status.over')}` : isFlagged(l) ? ` ${t(locale, 'budget.status.flag')}` : '';
  return `**${esc(l.code)}** — ${esc(l.name)}${mark}\n${figuresText(locale, l)}`;
}

/**
 * `/budget`: plan, spent, committed, available and % used per line for one month, lines ≥ 80 % flagged. The total
 * and the flagged lines head every page; the lines come a page at a time (buttons to the others).
 */
export function budgetStatusMessage(locale: Locale, month: Month, lines: StatusLine[], page = 1, opts: { chart?: boolean } = {}): Message {
  const message = statusMessage(locale, month, lines, page);
  // `/budget chart`: the budget-use chart of the same lines (or the note why there is none), with the first page.
  return opts.chart && page === 1 ? withChart(message, budgetUseChart(locale, month, lines)) : message;
}

function statusMessage(locale: Locale, month: Month, lines: StatusLine[], page: number): Message {
  const title = t(locale, 'budget.status.title', { month });
  if (lines.length === 0) {
    const text = t(locale, 'budget.status.empty', { year: month.slice(0, 4) });
    return { tone: 'info', title, text, summary: plainText(labelled(locale, title, text)) };
  }
  const total = lines.reduce(
    (s, l) => ({ plan: s.plan + l.plan, spent: s.spent + l.spent, committed: s.committed + l.committed }),
    { plan: 0, spent: 0, committed: 0 },
  );
  const flaggedCodes = lines.filter(isFlagged).map((l) => l.code);
  const head = [`**${t(locale, 'budget.status.total')}** — ${figuresText(locale, total)}`];
  if (flaggedCodes.length > 0) head.push(t(locale, 'budget.status.flagged', { codes: codeList(locale, flaggedCodes) }));
  const items = lines.map((l) => statusItem(locale, l));
  const p = paginate(items, page, worstSize);
  return {
    tone: flaggedCodes.length > 0 ? 'warning' : 'info',
    title,
    text: head.join('\n'),
    sections: [{ heading: p.pages > 1 ? pageLine(locale, p) : undefined, text: p.items.join('\n') }],
    buttons: [
      ...pageButtons(locale, 'budget.status', p, month),
      { label: t(locale, 'budget.button.request'), action: actionRef('form.open', 'budget.request') },
      { label: t(locale, 'budget.button.transfer'), action: actionRef('form.open', 'budget.transfer') },
      { label: t(locale, 'budget.button.spend'), action: actionRef('form.open', 'budget.spend') },
    ],
    summary: plainText(labelled(locale, title, t(locale, 'budget.status.summary', { n: lines.length, plan: formatMoney(total.plan, locale), spent: formatMoney(total.spent, locale) }))),
  };
}

export interface LineListItem {
  code: string;
  name: string;
  annualAmount: Minor;
}

/** `/budget lines`: every line of the year with its annual amount, a page at a time, with the count and total. */
export function budgetLinesMessage(locale: Locale, year: number, lines: LineListItem[], page = 1): Message {
  const title = t(locale, 'budget.lines.title', { year });
  if (lines.length === 0) {
    const text = t(locale, 'budget.status.empty', { year });
    return { tone: 'info', title, text, summary: plainText(labelled(locale, title, text)) };
  }
  const annual = lines.reduce((s, l) => s + l.annualAmount, 0);
  const total = t(locale, 'budget.lines.total', { n: lines.length, annual: formatMoney(annual, locale) });
  const items = lines.map((l) => t(locale, 'budget.lines.item', { code: l.code, name: l.name, annual: formatMoney(l.annualAmount, locale) }));
  const { text, buttons } = pagedList(locale, 'budget.lines', items, page, { arg: String(year), max: 40 });
  return {
    tone: 'info',
    title,
    text: `${total}\n${text}`,
    ...(buttons.length ? { buttons } : {}),
    summary: plainText(labelled(locale, title, total)),
  };
}

/** Threshold alert for finance and the line's requesters, with a one-click budget request. */
export function thresholdAlertMessage(
  locale: Locale,
  a: { lineId: number; code: string; name: string; month: Month; threshold: number; plan: Minor; spent: Minor; committed: Minor },
): Message {
  const title = t(locale, a.threshold >= 100 ? 'budget.alert.title_over' : 'budget.alert.title', {
    code: a.code,
    month: a.month,
    threshold: a.threshold,
  });
  const text = t(locale, 'budget.alert.text', {
    code: a.code,
    name: a.name,
    month: a.month,
    percent: percentText(locale, a),
    spent: formatMoney(a.spent, locale),
    plan: formatMoney(a.plan, locale),
    committed: formatMoney(a.committed, locale),
    available: formatMoney(available(a), locale),
  });
  return {
    tone: a.threshold >= 100 ? 'danger' : 'warning',
    title,
    text,
    buttons: [{ label: t(locale, 'budget.alert.button'), action: actionRef('alert.request', a.lineId, a.month), style: 'primary' }],
    summary: plainText(labelled(locale, title, text)),
  };
}

/** Confirmation of `/budget spend`. */
export function spendRecordedMessage(
  locale: Locale,
  s: { expenseId: number; amount: Minor; code: string; date: LocalDate; month: Month; campaignId: number | null; plan: Minor; spent: Minor; committed: Minor; alerts: number[] },
): Message {
  const id = formatId('EXP', s.expenseId);
  const lines = [
    t(locale, 'budget.spend.recorded', { id, amount: formatMoney(s.amount, locale), code: s.code, date: s.date }),
    t(locale, 'budget.spend.now', { code: s.code, month: s.month, spent: formatMoney(s.spent, locale), plan: formatMoney(s.plan, locale), percent: percentText(locale, s) }),
  ];
  if (s.campaignId !== null) lines.push(t(locale, 'budget.spend.campaign', { campaign: formatId('CMP', s.campaignId) }));
  for (const threshold of s.alerts) lines.push(t(locale, 'budget.spend.alerted', { threshold }));
  return { tone: s.alerts.length > 0 ? 'warning' : 'success', title: t(locale, 'core.ok.title'), text: lines.join('\n'), summary: plainText(lines[0]!) };
}

/** Confirmation of `/budget line add`. */
export function lineAddedMessage(locale: Locale, l: { code: string; name: string; year: number; annual: Minor; months: Minor[] }): Message {
  const text = t(locale, 'budget.line.added', {
    code: l.code,
    name: l.name,
    year: l.year,
    annual: formatMoney(l.annual, locale),
    monthly: formatMoney(l.months[0] ?? 0, locale),
  });
  return { tone: 'success', title: t(locale, 'core.ok.title'), text, summary: plainText(text) };
}

export interface LineOption {
  code: string;
  name: string;
}

function searchHint(locale: Locale, lines: LineOption[]): string {
  return t(locale, 'core.choice.hint', { n: lines.length });
}

function lineOptions(lines: LineOption[]): { value: string; label: string }[] {
  return lines.map((l) => ({ value: l.code, label: esc(`${l.code} — ${l.name}`) }));
}

type Initial = Record<string, string | undefined>;

/** Form `budget.request`: line, amount, month, reason. */
export function requestForm(locale: Locale, lines: LineOption[], initial: Initial, errors: Record<string, string> = {}): Form {
  return {
    id: formRef('budget.request'),
    title: t(locale, 'budget.form.request.title'),
    submitLabel: t(locale, 'budget.form.submit_request'),
    intro: t(locale, 'budget.form.request.intro'),
    fields: [
      { kind: 'select', name: 'line', label: t(locale, 'budget.form.line'), required: true, options: lineOptions(lines), searchHint: searchHint(locale, lines), initial: initial.line, error: errors.line },
      { kind: 'money', name: 'amount', label: t(locale, 'budget.form.amount'), required: true, placeholder: t(locale, 'budget.form.amount_placeholder'), initial: initial.amount, error: errors.amount },
      { kind: 'text', name: 'month', label: t(locale, 'budget.form.month'), required: true, placeholder: 'YYYY-MM', initial: initial.month, error: errors.month, maxLength: 10 },
      { kind: 'textarea', name: 'reason', label: t(locale, 'budget.form.reason'), required: true, initial: initial.reason, error: errors.reason, maxLength: 500 },
    ],
  };
}

/** Form `budget.transfer`: from, to, amount, month, reason. */
export function transferForm(locale: Locale, lines: LineOption[], initial: Initial, errors: Record<string, string> = {}): Form {
  return {
    id: formRef('budget.transfer'),
    title: t(locale, 'budget.form.transfer.title'),
    submitLabel: t(locale, 'budget.form.submit_request'),
    intro: t(locale, 'budget.form.transfer.intro'),
    fields: [
      { kind: 'select', name: 'from', label: t(locale, 'budget.form.from'), required: true, options: lineOptions(lines), searchHint: searchHint(locale, lines), initial: initial.from, error: errors.from },
      { kind: 'select', name: 'to', label: t(locale, 'budget.form.to'), required: true, options: lineOptions(lines), searchHint: searchHint(locale, lines), initial: initial.to, error: errors.to },
      { kind: 'money', name: 'amount', label: t(locale, 'budget.form.amount'), required: true, placeholder: t(locale, 'budget.form.amount_placeholder'), initial: initial.amount, error: errors.amount },
      { kind: 'text', name: 'month', label: t(locale, 'budget.form.month'), required: true, placeholder: 'YYYY-MM', initial: initial.month, error: errors.month, maxLength: 10 },
      { kind: 'textarea', name: 'reason', label: t(locale, 'budget.form.reason'), required: true, initial: initial.reason, error: errors.reason, maxLength: 500 },
    ],
  };
}

/** Form `budget.spend`: line, amount, date, note. */
export function spendForm(locale: Locale, lines: LineOption[], initial: Initial, errors: Record<string, string> = {}): Form {
  return {
    id: formRef('budget.spend'),
    title: t(locale, 'budget.form.spend.title'),
    submitLabel: t(locale, 'budget.form.submit_spend'),
    fields: [
      { kind: 'select', name: 'line', label: t(locale, 'budget.form.line'), required: true, options: lineOptions(lines), searchHint: searchHint(locale, lines), initial: initial.line, error: errors.line },
      { kind: 'money', name: 'amount', label: t(locale, 'budget.form.amount'), required: true, placeholder: t(locale, 'budget.form.amount_placeholder'), initial: initial.amount, error: errors.amount },
      { kind: 'date', name: 'date', label: t(locale, 'budget.form.date'), required: true, initial: initial.date, error: errors.date },
      { kind: 'textarea', name: 'note', label: t(locale, 'budget.form.note'), required: true, hint: t(locale, 'budget.form.note_hint'), initial: initial.note, error: errors.note, maxLength: 500 },
    ],
  };
}

/** Form `adj.reject:<id>`: a required reason. */
export function rejectForm(locale: Locale, id: number, summary: string): Form {
  return {
    id: formRef('adj.reject', id),
    title: t(locale, 'adj.reject.title', { id: formatId('ADJ', id) }),
    submitLabel: t(locale, 'adj.reject.submit'),
    intro: summary,
    fields: [{ kind: 'textarea', name: 'reason', label: t(locale, 'adj.reject.reason'), required: true, maxLength: 500 }],
  };
}
