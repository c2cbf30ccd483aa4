// The reports area: the monthly variance report and budget summary (built from SQL aggregates, never by
// looping over expenses), and the "Explain variance" button → form → stored reason (VarianceExplanation,
// one per line and month) which updates every posted copy of the report in place.
import { z } from 'zod';
import type { Tx } from '../db/client.js';
import { percentUsedBp, usedBp, variance } from '../domain/budget.js';
import { addMonths, parseMonth } from '../domain/time.js';
import type { Locale, Month } from '../domain/types.js';
import { t } from '../i18n/index.js';
import { formRef } from '../messages/actions.js';
import { noticeMessage } from '../messages/builders/common.js';
import {
  monthlyBudgetMessage,
  varianceForm,
  varianceOwnerCardKey,
  varianceOwnerMessage,
  varianceReportCardKey,
  varianceReportMessage,
  VARIANCE_REASON_MAX,
  type BudgetLineView,
  type MonthlyBudgetView,
  type PersonView,
  type VarianceLineView,
  type VarianceReportView,
} from '../messages/builders/reports.js';
import type { Message } from '../messages/model.js';
import { audit } from './audit.js';
import { lineFigures, yearToDate } from './budgetFigures.js';
import { formRefusal, refusal, refuse, reply, type Area, type Ctx } from './context.js';
import { updateCard } from './notify.js';
import { actorIdentity, ensurePerson, rolesOf } from './people.js';
import { whoMay } from './whoMay.js';

async function personViews(tx: Tx, ids: (number | null)[]): Promise<Map<number, PersonView>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await tx.person.findMany({ where: { id: { in: wanted } }, select: { id: true, platform: true, userId: true, displayName: true } });
  return new Map(rows.map((p) => [p.id, { platform: p.platform, userId: p.userId, displayName: p.displayName }]));
}

/**
 * Plan vs actual of every line of `month`'s fiscal year, with variance, % and stored reasons. One SQL
 * aggregate for the figures, one query for the reasons, one for the people.
 */
export async function varianceReport(tx: Tx, month: Month, lineIds?: number[]): Promise<VarianceReportView> {
  const figures = await lineFigures(tx, month, lineIds);
  const explanations = await tx.varianceExplanation.findMany({
    where: { month, ...(lineIds ? { lineId: { in: lineIds } } : {}) },
  });
  const byLine = new Map(explanations.map((e) => [e.lineId, e]));
  const people = await personViews(tx, [...figures.map((f) => f.ownerId), ...explanations.map((e) => e.byId)]);
  const unknown: PersonView = { platform: 'local', userId: '?', displayName: null };
  const lines: VarianceLineView[] = figures.map((f) => {
    const v = variance(f.plan, f.spent);
    const e = byLine.get(f.lineId);
    return {
      lineId: f.lineId,
      code: f.code,
      name: f.name,
      owner: f.ownerId === null ? null : (people.get(f.ownerId) ?? null),
      plan: f.plan,
      actual: f.spent,
      variance: v.variance,
      percentBp: v.percentBp,
      beyond: v.beyond,
      explanation: e ? { reason: e.reason, by: people.get(e.byId) ?? unknown } : null,
    };
  });
  const plan = lines.reduce((s, l) => s + l.plan, 0);
  const actual = lines.reduce((s, l) => s + l.actual, 0);
  const total = variance(plan, actual);
  // The whole report (not one line's form) shows the year to date too.
  const ytd = lineIds ? undefined : await yearToDate(tx, month);
  return { month, lines, total: { plan, actual, variance: total.variance, percentBp: total.percentBp }, ...(ytd ? { ytd } : {}) };
}

/** The 1st-of-month budget summary: this month's plan per line, last month's overspends, lines ≥ 80 %. */
export async function monthlyBudgetView(tx: Tx, month: Month): Promise<MonthlyBudgetView> {
  const previous = addMonths(month, -1);
  const toView = (f: Awaited<ReturnType<typeof lineFigures>>[number]): BudgetLineView => ({
    lineId: f.lineId,
    code: f.code,
    name: f.name,
    plan: f.plan,
    spent: f.spent,
    committed: f.committed,
  });
  const now = (await lineFigures(tx, month)).map(toView);
  const before = (await lineFigures(tx, previous)).map(toView);
  const overspent = before.filter((l) => l.spent > l.plan);
  const high: MonthlyBudgetView['high'] = [];
  for (const l of now) {
    const bp = usedBp(l);
    if (bp !== null && bp >= 8_000) high.push({ month, line: l, usedBp: bp });
  }
  for (const l of before) {
    const bp = percentUsedBp(l);
    if (bp !== null && bp >= 8_000 && l.spent <= l.plan) high.push({ month: previous, line: l, usedBp: bp });
  }
  return { month, previous, lines: now, overspent, high };
}

export async function varianceReportMessageFor(tx: Tx, locale: Locale, month: Month, lateNote?: string): Promise<{ view: VarianceReportView; message: Message }> {
  const view = await varianceReport(tx, month);
  return { view, message: varianceReportMessage(locale, view, { lateNote }) };
}

export async function monthlyBudgetMessageFor(tx: Tx, locale: Locale, month: Month, lateNote?: string): Promise<Message> {
  return monthlyBudgetMessage(locale, await monthlyBudgetView(tx, month), { lateNote });
}

// ---- Explain variance: button → form → stored reason ----

/** Refuses with who may explain (the line's owner, finance, a leader) unless the actor is one of them. */
async function requireMayExplain(tx: Tx, ctx: Ctx, line: { code: string; ownerId: number | null }): Promise<void> {
  if (await mayExplain(tx, ctx, line.ownerId)) return;
  const owner = line.ownerId === null ? null : await tx.person.findUnique({ where: { id: line.ownerId } });
  refuse('var.error.not_allowed', { code: line.code, who: await whoMay(tx, ctx.locale, ctx.deps.config, { people: [{ as: 'line_owner', person: owner }], roles: ['finance', 'leader'] }) });
}

async function mayExplain(tx: Tx, ctx: Ctx, ownerId: number | null): Promise<boolean> {
  const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
  if (roles.has('finance') || roles.has('leader')) return true;
  if (ownerId === null) return false;
  const me = await tx.person.findUnique({
    where: { platform_workspaceId_userId: { platform: ctx.actor.platform, workspaceId: ctx.actor.workspaceId, userId: ctx.actor.userId } },
  });
  return me?.id === ownerId;
}

const reasonSchema = z.string().trim().min(1, 'var.error.reason_required').max(VARIANCE_REASON_MAX, 'var.error.reason_too_long');

async function openVarianceForm(ctx: Ctx, lineId: number, month: Month) {
  return ctx.deps.db.read(async (tx) => {
    const line = await tx.budgetLine.findUnique({ where: { id: lineId } });
    if (!line) return refusal(ctx, 'var.error.no_line');
    if (month >= ctx.month) return refusal(ctx, 'var.error.future_month', { month });
    await requireMayExplain(tx, ctx, line);
    const [view] = (await varianceReport(tx, month, [lineId])).lines;
    if (!view) return refusal(ctx, 'var.error.no_line');
    return varianceForm(ctx.locale, month, view, view.explanation?.reason ?? null);
  });
}

export const reportsArea: Area = {
  // The other pages of a posted report, sent to the person who asked.
  pages: {
    'report.variance': async (ctx, page, arg) => {
      const month = parseMonth(arg) ?? addMonths(ctx.month, -1);
      const view = await ctx.deps.db.read((tx) => varianceReport(tx, month));
      return reply(ctx, varianceReportMessage(ctx.locale, view, { page }));
    },
    'report.budget': async (ctx, page, arg) => {
      const view = await ctx.deps.db.read((tx) => monthlyBudgetView(tx, parseMonth(arg) ?? ctx.month));
      return reply(ctx, monthlyBudgetMessage(ctx.locale, view, { page }));
    },
  },
  actions: {
    // Not via core's openFormOutcome: importing core here would make a module cycle (core imports this area).
    'var.explain': async (ctx, ref) => {
      const form = await openVarianceForm(ctx, ref.args[0], ref.args[1]);
      return 'fields' in form ? { ok: true, openForm: form, locale: ctx.locale } : form;
    },
  },
  forms: {
    'var.explain': {
      open: (ctx, ref) => openVarianceForm(ctx, ref.args[0], ref.args[1]),
      async submit(ctx, ref, values) {
        const [lineId, month] = ref.args;
        const parsed = reasonSchema.safeParse(typeof values.reason === 'string' ? values.reason : '');
        if (!parsed.success) {
          const key = parsed.error.issues[0]?.message ?? 'var.error.reason_required';
          const length = [...(typeof values.reason === 'string' ? values.reason.trim() : '')].length;
          return formRefusal(ctx, { reason: { key, params: { max: VARIANCE_REASON_MAX, length } } });
        }
        const reason = parsed.data;
        return ctx.deps.db.write(async (tx) => {
          const line = await tx.budgetLine.findUnique({ where: { id: lineId } });
          if (!line) refuse('var.error.no_line');
          if (month >= ctx.month) refuse('var.error.future_month', { month });
          await requireMayExplain(tx, ctx, line);
          const me = await ensurePerson(tx, actorIdentity(ctx.actor));
          const previous = await tx.varianceExplanation.findUnique({ where: { lineId_month: { lineId, month } } });
          await tx.varianceExplanation.upsert({
            where: { lineId_month: { lineId, month } },
            create: { lineId, month, reason, byId: me.id },
            update: { reason, byId: me.id, createdAt: ctx.now },
          });
          await audit(tx, {
            actorId: me.id,
            action: previous ? 'variance.explanation.updated' : 'variance.explained',
            entity: 'BudgetLine',
            entityId: lineId,
            data: { month, reason, previous: previous?.reason ?? null },
          });
          // Every posted copy of the report, and the owner's DM, now show the reason (no stale "Explain" ask).
          const { view, message } = await varianceReportMessageFor(tx, ctx.locale, month);
          await updateCard(tx, varianceReportCardKey(month), message);
          const lineView = view.lines.find((l) => l.lineId === lineId);
          if (lineView) await updateCard(tx, varianceOwnerCardKey(lineId, month), varianceOwnerMessage(ctx.locale, month, lineView));
          // The Outcome comes out of the write: the answer commits with the change (and the delivery's done mark).
          return reply(ctx, noticeMessage(t(ctx.locale, 'var.saved', { code: line.code, month })));
        });
      },
    },
  },
};

/** For callers that want the form reference of a line's explanation (e.g. the agenda). */
export function varianceFormRef(lineId: number, month: Month): string {
  return formRef('var.explain', lineId, month);
}
