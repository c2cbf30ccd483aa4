// Budget adjustment requests: `/budget request` and the transfer form. The request is checked against the line's
// month (available money, the yearly total), written with its audit record and the outbox rows (the card for the
// approvers, the note to the requester) in one transaction. Decisions: adjustmentDecision.ts.
import { available } from '../domain/budget.js';
import { formatMoney } from '../domain/money.js';
import { requireCan } from './whoMay.js';
import type { AdjustmentKind, Minor, Month } from '../domain/types.js';
import type { Tx } from '../db/client.js';
import { insertRow, sqlRows } from '../db/raw.js';
import { Prisma, type BudgetAdjustment, type BudgetLine } from '../generated/prisma/client.js';
import { adjustmentCard, adjustmentCardKey, adjustmentRequestedMessage } from '../messages/builders/adjustments.js';
import { dmApprovers } from './approvers.js';
import { audit } from './audit.js';
import { refuse, type Ctx } from './context.js';
import { postToPurpose } from './notify.js';
import { actorIdentity, ensurePerson, rolesOf } from './people.js';
import type { Outcome } from './types.js';
import { adjustmentView, figuresOf } from './adjustmentView.js';

export interface AdjustmentInput {
  kind: AdjustmentKind;
  amount: Minor;
  /** Line code of an increase, or the receiving line of a transfer. */
  toCode: string;
  /** Transfer only. */
  fromCode?: string;
  month: Month;
  reason: string;
}

/** Finds a line of `month`'s fiscal year by code, refusing with a message that quotes the code. */
export async function lineForMonthOrRefuse(tx: Tx, code: string, month: Month) {
  const year = Number(month.slice(0, 4));
  const [line] = await sqlRows<BudgetLine[]>(
    tx,
    Prisma.sql`SELECT l."id", l."fiscalYearId", l."code", l."name", l."category", l."annualAmount", l."ownerId", l."createdAt" FROM "BudgetLine" l JOIN "FiscalYear" f ON f."id" = l."fiscalYearId" WHERE f."year" = ${year} AND l."code" = ${code.toUpperCase()}`,
  );
  if (line) return line;
  // Refused: say whether the year or the line is missing.
  if (!(await tx.fiscalYear.findUnique({ where: { year } }))) refuse('budget.error.no_fiscal_year', { month, year });
  refuse('budget.error.unknown_line', { code, year });
}

/** Validation shared by the command and the form; reads only. Returns the lines. */
export async function checkAdjustment(tx: Tx, ctx: Ctx, input: AdjustmentInput) {
  const to = await lineForMonthOrRefuse(tx, input.toCode, input.month);
  let from = null;
  if (input.kind === 'transfer') {
    if (!input.fromCode) refuse('budget.error.unknown_line', { code: '?', year: input.month.slice(0, 4) });
    from = await lineForMonthOrRefuse(tx, input.fromCode, input.month);
    if (from.id === to.id) refuse('budget.error.same_line', { code: to.code });
    const figures = await figuresOf(tx, from.id, input.month);
    const avail = available(figures);
    if (input.amount > avail) {
      refuse('budget.error.exceeds_available', {
        code: from.code,
        month: input.month,
        amount: formatMoney(input.amount, ctx.locale),
        available: formatMoney(Math.max(0, avail), ctx.locale),
      });
    }
  }
  await requireCan(tx, ctx, await rolesOf(tx, ctx.deps.config, ctx.actor), 'budget.request');
  return { to, from };
}

/** Records a request (pending_finance), posts the approval card and answers the requester. */
export async function requestAdjustment(ctx: Ctx, input: AdjustmentInput): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const { to, from } = await checkAdjustment(tx, ctx, input);
    const person = await ensurePerson(tx, actorIdentity(ctx.actor));
    const row = {
      kind: input.kind,
      amount: input.amount,
      fromLineId: from?.id ?? null,
      toLineId: to.id,
      month: input.month,
      reason: input.reason,
      status: 'pending_finance',
      requesterId: person.id,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    const adj: BudgetAdjustment = { id: await insertRow(tx, 'BudgetAdjustment', row), ...row, decidedAt: null, remindedAt: null };
    await audit(tx, {
      actorId: person.id,
      action: 'adjustment.request',
      entity: 'BudgetAdjustment',
      entityId: adj.id,
      data: { kind: adj.kind, amount: adj.amount, toLine: to.code, fromLine: from?.code ?? null, month: adj.month, reason: adj.reason },
    });
    const view = await adjustmentView(tx, { ...adj, requester: person, steps: [] }, ctx.settings.timezone, ctx.locale, { fresh: true });
    const card = adjustmentCard(ctx.locale, view);
    const cardKey = adjustmentCardKey(adj.id);
    const posted = await postToPurpose(tx, 'approvals', card, { cardKey });
    let dmed = 0;
    if (posted === 0) dmed = await dmApprovers(tx, 'finance', ctx.now, card, { cardKey, filedBy: [person.id] });
    const message = adjustmentRequestedMessage(ctx.locale, view, { noChannel: posted === 0, noApprovers: posted === 0 && dmed === 0 });
    return { ok: true, reply: message, toast: message.summary, locale: ctx.locale };
  });
}
