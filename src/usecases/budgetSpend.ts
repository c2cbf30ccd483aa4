// Recording actual spend, and the 80 % / 100 % threshold alerts it can raise (once per line and month).
import { DEFAULT_THRESHOLDS, thresholdsCrossed, type LineFigures } from '../domain/budget.js';
import { parseId } from '../domain/ids.js';
import { requireCan } from './whoMay.js';
import { monthOf } from '../domain/time.js';
import type { LocalDate, Minor, Month } from '../domain/types.js';
import type { Tx } from '../db/client.js';
import { spendRecordedMessage, thresholdAlertMessage } from '../messages/builders/budget.js';
import { lineForMonthOrRefuse } from './adjustmentRequest.js';
import { audit } from './audit.js';
import { oneLineFigures } from './budgetFigures.js';
import type { Ctx } from './context.js';
import { directMessage } from './notify.js';
import { actorIdentity, ensurePerson, peopleWithRole, rolesOf } from './people.js';
import type { Outcome } from './types.js';

/** Campaign statuses whose spend can be attributed to them (they hold a commitment on the line). */
const SPENDABLE_CAMPAIGN = ['approved', 'running', 'ended'];

/**
 * Raises the threshold alerts a spend crossed on `lineId`'s `month` (before → after figures), each at most
 * once per line, month and threshold (ThresholdAlert row), and messages every finance member and every
 * requester of adjustments on that line (distinct people), with a "Request more budget" button.
 * Call inside the write that recorded the spend. Returns the thresholds newly raised.
 */
export async function raiseThresholdAlerts(
  tx: Tx,
  ctx: Pick<Ctx, 'locale'>,
  lineId: number,
  month: Month,
  before: LineFigures,
  after: LineFigures,
): Promise<number[]> {
  const crossed = thresholdsCrossed(after.plan, before.spent, after.spent, DEFAULT_THRESHOLDS);
  const raised: number[] = [];
  for (const threshold of crossed) {
    const seen = await tx.thresholdAlert.findUnique({ where: { lineId_month_threshold: { lineId, month, threshold } } });
    if (seen) continue;
    await tx.thresholdAlert.create({ data: { lineId, month, threshold } });
    raised.push(threshold);
  }
  if (raised.length === 0) return raised;

  const line = await tx.budgetLine.findUniqueOrThrow({ where: { id: lineId } });
  const recipients = new Map<number, { platform: string; workspaceId: string; userId: string }>();
  for (const p of await peopleWithRole(tx, 'finance')) recipients.set(p.id, p);
  const requests = await tx.budgetAdjustment.findMany({
    where: { OR: [{ toLineId: lineId }, { fromLineId: lineId }] },
    select: { requester: true },
    distinct: ['requesterId'],
  });
  for (const r of requests) recipients.set(r.requester.id, r.requester);

  for (const threshold of raised) {
    const message = thresholdAlertMessage(ctx.locale, {
      lineId,
      code: line.code,
      name: line.name,
      month,
      threshold,
      plan: after.plan,
      spent: after.spent,
      committed: after.committed,
    });
    for (const [personId, person] of recipients) {
      await directMessage(tx, person, message, { dedupeKey: `alert:${lineId}:${month}:${threshold}:${personId}` });
    }
  }
  return raised;
}

export interface SpendInput {
  amount: Minor;
  code: string;
  date: LocalDate;
  note: string;
}

/** A leading campaign id in the note ("CMP-7 poster print") → that campaign, if it can take spend on the line. */
async function campaignOfNote(tx: Tx, note: string, lineId: number): Promise<number | null> {
  const first = note.trim().split(/\s+/)[0] ?? '';
  if (!/^CMP-?\d+$/i.test(first.normalize('NFKC'))) return null;
  const id = parseId(first.normalize('NFKC'), 'CMP');
  if (id === null) return null;
  const campaign = await tx.campaign.findUnique({ where: { id } });
  if (!campaign || campaign.lineId !== lineId || !SPENDABLE_CAMPAIGN.includes(campaign.status)) return null;
  return campaign.id;
}

/** Checks a spend can be recorded (reads only); returns the line. */
export async function checkSpend(tx: Tx, ctx: Ctx, input: SpendInput) {
  const line = await lineForMonthOrRefuse(tx, input.code, monthOf(input.date));
  await requireCan(tx, ctx, await rolesOf(tx, ctx.deps.config, ctx.actor), 'budget.spend');
  return line;
}

/** `/budget spend`: records an expense, attributes it to a campaign named first in the note, raises alerts. */
export async function recordSpend(ctx: Ctx, input: SpendInput): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const month = monthOf(input.date);
    const line = await checkSpend(tx, ctx, input);
    const campaignId = await campaignOfNote(tx, input.note, line.id);
    const zero = { plan: 0, spent: 0, committed: 0 };
    const before = (await oneLineFigures(tx, line.id, month)) ?? zero;
    const person = await ensurePerson(tx, actorIdentity(ctx.actor));
    const expense = await tx.expense.create({
      data: { lineId: line.id, month, date: input.date, amount: input.amount, note: input.note, recordedById: person.id, campaignId },
    });
    const after = (await oneLineFigures(tx, line.id, month)) ?? zero;
    await audit(tx, {
      actorId: person.id,
      action: 'expense.record',
      entity: 'Expense',
      entityId: expense.id,
      data: { line: line.code, month, date: input.date, amount: input.amount, note: input.note, campaignId },
    });
    const alerts = await raiseThresholdAlerts(tx, ctx, line.id, month, before, after);
    const message = spendRecordedMessage(ctx.locale, {
      expenseId: expense.id,
      amount: input.amount,
      code: line.code,
      date: input.date,
      month,
      campaignId,
      plan: after.plan,
      spent: after.spent,
      committed: after.committed,
      alerts,
    });
    return { ok: true, reply: message, toast: message.summary, locale: ctx.locale };
  });
}
