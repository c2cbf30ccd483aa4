// Use-cases of the budget area: status, lines, adjustment requests and their approval flow, spend and
// threshold alerts. The flow itself lives in adjustmentRequest.ts / adjustmentDecision.ts (cards: adjustmentView.ts), spend and alerts in budgetSpend.ts.
import { splitEvenly } from '../domain/budget.js';
import { formatMoney, parseMoney } from '../domain/money.js';
import { canAct } from '../domain/permissions.js';
import { isLocalDate, monthsOfYear, parseLocalDate, parseMonth } from '../domain/time.js';
import { DomainError, type AdjustmentKind, type Month } from '../domain/types.js';
import type { PlanCategory } from '../domain/plan.js';
import { t } from '../i18n/index.js';
import type { Tx } from '../db/client.js';
import {
  budgetLinesMessage,
  budgetStatusMessage,
  lineAddedMessage,
  requestForm,
  spendForm,
  transferForm,
  type LineOption,
} from '../messages/builders/budget.js';
import type { Form } from '../messages/model.js';
import { cancelAdjustment, decideAdjustment, openRejectForm } from './adjustmentDecision.js';
import { checkAdjustment, requestAdjustment, type AdjustmentInput } from './adjustmentRequest.js';
import { showAdjustment } from './adjustmentView.js';
import { audit } from './audit.js';
import { requestAmendment } from './plan/amend.js';
import { lineFigures } from './budgetFigures.js';
import { checkSpend, recordSpend, type SpendInput } from './budgetSpend.js';
import { formRefusal, refuse, reply, type Area, type Ctx } from './context.js';
import { actorIdentity, ensurePerson, rolesOf } from './people.js';
import { whoMay } from './whoMay.js';
import type { FormValues, Outcome } from './types.js';

export { raiseThresholdAlerts, recordSpend } from './budgetSpend.js';
export { decideAdjustment } from './adjustmentDecision.js';
export { requestAdjustment } from './adjustmentRequest.js';
export { adjustmentCardFor, loadAdjustmentView } from './adjustmentView.js';

const MAX_TEXT = 500;

async function linesOfYear(tx: Tx, year: number): Promise<LineOption[]> {
  return tx.budgetLine.findMany({ where: { fiscalYear: { year } }, orderBy: { code: 'asc' }, select: { code: true, name: true } });
}

async function budgetStatus(ctx: Ctx, month: Month, page = 1, opts: { chart?: boolean } = {}): Promise<Outcome> {
  const lines = await ctx.deps.db.read((tx) => lineFigures(tx, month));
  return reply(ctx, budgetStatusMessage(ctx.locale, month, lines, page, opts));
}

async function budgetLines(ctx: Ctx, year = Number(ctx.month.slice(0, 4)), page = 1): Promise<Outcome> {
  const lines = await ctx.deps.db.read((tx) =>
    tx.budgetLine.findMany({ where: { fiscalYear: { year } }, orderBy: { code: 'asc' } }),
  );
  return reply(ctx, budgetLinesMessage(ctx.locale, year, lines, page));
}

async function addLine(ctx: Ctx, code: string, annual: number, name: string, category: PlanCategory | undefined): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
    // SPEC: admin and finance add lines (the permission matrix gives it to finance only).
    if (!canAct(roles, 'budget.line.add')) {
      refuse('budget.error.line_add_forbidden', { who: await whoMay(tx, ctx.locale, ctx.deps.config, { roles: ['admin', 'finance'] }) });
    }
    const year = Number(ctx.month.slice(0, 4));
    code = code.toUpperCase();
    const existing = await tx.budgetLine.findFirst({ where: { code, fiscalYear: { year } } });
    if (existing) refuse('budget.error.duplicate_line', { code, year });
    // A year with a plan: an approved (locked) plan takes the line as an amendment decided by finance and a leader;
    // a plan still in progress takes it in its draft. Without a plan the line is added at once, as before plans.
    const plan = await tx.budgetPlan.findUnique({ where: { year } });
    if (plan?.status === 'approved') return requestAmendment(tx, ctx, plan, { code, name, category: category ?? 'other', annual });
    if (plan) refuse('plan.amend.error.plan_open', { year, status: t(ctx.locale, `plan.status.${plan.status}`) });
    const person = await ensurePerson(tx, actorIdentity(ctx.actor));
    const fy = (await tx.fiscalYear.findUnique({ where: { year } })) ?? (await tx.fiscalYear.create({ data: { year } }));
    const months = splitEvenly(annual, 12);
    const line = await tx.budgetLine.create({
      data: { fiscalYearId: fy.id, code, name, category: category ?? 'other', annualAmount: annual, ownerId: person.id },
    });
    await tx.monthlyAllocation.createMany({
      data: monthsOfYear(year).map((month, i) => ({ lineId: line.id, month, planned: months[i]! })),
    });
    await audit(tx, {
      actorId: person.id,
      action: 'budget.line.add',
      entity: 'BudgetLine',
      entityId: line.id,
      data: { code, name, year, annualAmount: annual, monthly: months },
    });
    return reply(ctx, lineAddedMessage(ctx.locale, { code, name, year, annual, months }));
  });
}

// ---------------------------------------------------------------------------------------------------------
// Forms

function text(values: FormValues, name: string): string {
  const v = values[name];
  const s = Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
  return s.trim();
}

type FieldErrors = Record<string, { key: string; params?: Record<string, string | number> }>;

function requireText(values: FormValues, name: string, errors: FieldErrors): string {
  const v = text(values, name);
  if (!v) errors[name] = { key: 'budget.error.required' };
  else if ([...v].length > MAX_TEXT) errors[name] = { key: 'budget.error.too_long', params: { max: MAX_TEXT, length: [...v].length } };
  return v;
}

function moneyField(values: FormValues, name: string, errors: FieldErrors): number {
  const raw = text(values, name);
  if (!raw) {
    errors[name] = { key: 'budget.error.required' };
    return 0;
  }
  const parsed = parseMoney(raw);
  if (!parsed.ok) {
    errors[name] = { key: parsed.error.key, params: parsed.error.params };
    return 0;
  }
  return parsed.value;
}

function monthField(values: FormValues, name: string, errors: FieldErrors): Month {
  const raw = text(values, name);
  if (!raw) {
    errors[name] = { key: 'budget.error.required' };
    return '';
  }
  const m = parseMonth(raw.normalize('NFKC'));
  if (!m) errors[name] = { key: 'budget.error.bad_month', params: { token: raw } };
  return m ?? '';
}

function codeField(values: FormValues, name: string, errors: FieldErrors): string {
  const raw = text(values, name);
  if (!raw) errors[name] = { key: 'budget.error.required' };
  else if (!/^[A-Za-z0-9_-]{1,20}$/.test(raw.normalize('NFKC'))) errors[name] = { key: 'budget.error.unknown_line', params: { code: raw, year: '' } };
  return raw.normalize('NFKC').toUpperCase();
}

/** Runs a read-only check and turns its refusal into an error on the field it concerns. */
async function checkToFields(ctx: Ctx, errors: FieldErrors, fieldOf: (e: DomainError) => string | null, check: (tx: Tx) => Promise<unknown>): Promise<void> {
  try {
    await ctx.deps.db.read(check);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const field = fieldOf(error);
    if (!field) throw error;
    errors[field] ??= { key: error.code, params: error.params };
  }
}

/** Prefill values for the request form: `line` (code) or `lineId`, `month`, `amount` (as typed) or `amountMinor`, `reason`. */
async function requestPrefill(ctx: Ctx, tx: Tx, prefill: Record<string, string> = {}): Promise<Record<string, string | undefined>> {
  let line: string | undefined = prefill.line;
  if (prefill.lineId && /^\d+$/.test(prefill.lineId)) {
    const found = await tx.budgetLine.findUnique({ where: { id: Number(prefill.lineId) } });
    line = found?.code ?? line;
  }
  const minor = prefill.amountMinor !== undefined ? Number(prefill.amountMinor) : NaN;
  const amount = Number.isSafeInteger(minor) && minor > 0 ? formatMoney(minor, ctx.locale) : prefill.amount;
  return { line, month: prefill.month ?? ctx.month, amount, reason: prefill.reason };
}

const requestFormHandler = {
  async open(ctx: Ctx, _ref: unknown, prefill?: Record<string, string>): Promise<Form> {
    return ctx.deps.db.read(async (tx) => {
      const initial = await requestPrefill(ctx, tx, prefill);
      const year = Number((initial.month && parseMonth(initial.month)) ? initial.month.slice(0, 4) : ctx.month.slice(0, 4));
      return requestForm(ctx.locale, await linesOfYear(tx, year), initial);
    });
  },
  async submit(ctx: Ctx, _ref: unknown, values: FormValues): Promise<Outcome> {
    const errors: FieldErrors = {};
    const toCode = codeField(values, 'line', errors);
    const amount = moneyField(values, 'amount', errors);
    const month = monthField(values, 'month', errors);
    const reason = requireText(values, 'reason', errors);
    const input: AdjustmentInput = { kind: 'increase', amount, toCode, month, reason };
    if (!errors.line) {
      // With a bad month, the line is still checked against this month's year.
      const probe = { ...input, month: errors.month ? ctx.month : month };
      await checkToFields(ctx, errors, (e) => (e.code === 'budget.error.no_fiscal_year' ? 'month' : e.code === 'budget.error.unknown_line' ? 'line' : null), (tx) =>
        checkAdjustment(tx, ctx, probe),
      );
    }
    if (Object.keys(errors).length > 0) return formRefusal(ctx, errors);
    return requestAdjustment(ctx, input);
  },
};

const transferFormHandler = {
  async open(ctx: Ctx, _ref: unknown, prefill?: Record<string, string>): Promise<Form> {
    const lines = await ctx.deps.db.read((tx) => linesOfYear(tx, Number(ctx.month.slice(0, 4))));
    return transferForm(ctx.locale, lines, { month: ctx.month, ...prefill });
  },
  async submit(ctx: Ctx, _ref: unknown, values: FormValues): Promise<Outcome> {
    const errors: FieldErrors = {};
    const fromCode = codeField(values, 'from', errors);
    const toCode = codeField(values, 'to', errors);
    const amount = moneyField(values, 'amount', errors);
    const month = monthField(values, 'month', errors);
    const reason = requireText(values, 'reason', errors);
    if (!errors.from && !errors.to && fromCode === toCode) errors.to = { key: 'budget.error.same_line', params: { code: toCode } };
    const input: AdjustmentInput = { kind: 'transfer' as AdjustmentKind, amount, toCode, fromCode, month, reason };
    if (!errors.from && !errors.to && !errors.month) {
      const fieldOf = (e: DomainError): string | null => {
        if (e.code === 'budget.error.no_fiscal_year') return 'month';
        if (e.code === 'budget.error.unknown_line') return e.params.code === fromCode ? 'from' : 'to';
        if (e.code === 'budget.error.same_line') return 'to';
        if (e.code === 'budget.error.exceeds_available') return errors.amount ? null : 'amount';
        return null;
      };
      // An invalid amount is already reported; check the lines with a placeholder amount then.
      const probe = errors.amount ? { ...input, amount: 0 } : input;
      await checkToFields(ctx, errors, fieldOf, (tx) => checkAdjustment(tx, ctx, probe));
    }
    if (Object.keys(errors).length > 0) return formRefusal(ctx, errors);
    return requestAdjustment(ctx, input);
  },
};

const spendFormHandler = {
  async open(ctx: Ctx, _ref: unknown, prefill?: Record<string, string>): Promise<Form> {
    const lines = await ctx.deps.db.read((tx) => linesOfYear(tx, Number(ctx.month.slice(0, 4))));
    return spendForm(ctx.locale, lines, { date: ctx.today, ...prefill });
  },
  async submit(ctx: Ctx, _ref: unknown, values: FormValues): Promise<Outcome> {
    const errors: FieldErrors = {};
    const code = codeField(values, 'line', errors);
    const amount = moneyField(values, 'amount', errors);
    const rawDate = text(values, 'date');
    let date = '';
    if (!rawDate) errors.date = { key: 'budget.error.required' };
    else {
      date = parseLocalDate(rawDate.normalize('NFKC')) ?? '';
      if (!isLocalDate(date)) errors.date = { key: 'budget.error.bad_date', params: { token: rawDate } };
    }
    const note = requireText(values, 'note', errors);
    const input: SpendInput = { amount, code, date, note };
    if (!errors.line && !errors.date) {
      await checkToFields(ctx, errors, (e) => (e.code === 'budget.error.no_fiscal_year' ? 'date' : e.code === 'budget.error.unknown_line' ? 'line' : null), (tx) =>
        checkSpend(tx, ctx, input),
      );
    }
    if (Object.keys(errors).length > 0) return formRefusal(ctx, errors);
    return recordSpend(ctx, input);
  },
};

// ---------------------------------------------------------------------------------------------------------

export const budgetArea: Area = {
  commands: {
    'budget.status': (ctx, intent) => budgetStatus(ctx, intent.month ?? ctx.month),
    'budget.lines': (ctx) => budgetLines(ctx),
    'budget.chart': (ctx, intent) => budgetStatus(ctx, intent.month ?? ctx.month, 1, { chart: true }),
    'budget.line.add': (ctx, intent) => addLine(ctx, intent.code, intent.annualAmount, intent.name, intent.category),
    'budget.request': (ctx, intent) =>
      requestAdjustment(ctx, { kind: 'increase', amount: intent.amount, toCode: intent.line, month: intent.month ?? ctx.month, reason: intent.reason }),
    'budget.transfer': (ctx, intent) =>
      requestAdjustment(ctx, {
        kind: 'transfer',
        amount: intent.amount,
        fromCode: intent.fromLine,
        toCode: intent.toLine,
        month: intent.month ?? ctx.month,
        reason: intent.reason,
      }),
    'budget.spend': (ctx, intent) =>
      recordSpend(ctx, { amount: intent.amount, code: intent.line, date: intent.date ?? ctx.today, note: intent.note }),
    'budget.show': (ctx, intent) => showAdjustment(ctx, intent.id),
    'budget.cancel': (ctx, intent) => cancelAdjustment(ctx, intent.id),
  },
  actions: {
    'adj.approve': (ctx, ref) => decideAdjustment(ctx, ref.args[0], 'approved'),
    'adj.reject': async (ctx, ref) => {
      const form = await openRejectForm(ctx, ref.args[0]);
      return 'fields' in form ? { ok: true, openForm: form, locale: ctx.locale } : form;
    },
    'adj.cancel': (ctx, ref) => cancelAdjustment(ctx, ref.args[0]),
    'alert.request': async (ctx, ref) => {
      // Imported lazily: core.ts imports this module (a static import would make a cycle at load time).
      const { openFormOutcome } = await import('./core.js');
      return openFormOutcome(ctx, { kind: 'budget.request', args: [] }, { lineId: String(ref.args[0]), month: ref.args[1] });
    },
  },
  pages: {
    'budget.status': (ctx, page, arg) => budgetStatus(ctx, parseMonth(arg) ?? ctx.month, page),
    'budget.lines': (ctx, page, arg) => budgetLines(ctx, /^\d{4}$/.test(arg) ? Number(arg) : undefined, page),
  },
  forms: {
    'budget.request': requestFormHandler,
    'budget.transfer': transferFormHandler,
    'budget.spend': spendFormHandler,
    'adj.reject': {
      open: (ctx, ref) => openRejectForm(ctx, ref.args[0]),
      async submit(ctx, ref, values) {
        const errors: FieldErrors = {};
        const reason = requireText(values, 'reason', errors);
        if (Object.keys(errors).length > 0) return formRefusal(ctx, errors);
        return decideAdjustment(ctx, ref.args[0], 'rejected', reason);
      },
    },
  },
};
