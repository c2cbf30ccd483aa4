// A budget adjustment as people see it: its card (the figures of its line and month, its steps and who decided),
// loaded for a card update, an escalation or `/budget show ADJ-n`.
import type { Step } from '../domain/adjustments.js';
import { formatId } from '../domain/ids.js';
import { formatStamp } from '../domain/time.js';
import type { AdjustmentKind, AdjustmentStatus, Locale, Month } from '../domain/types.js';
import type { Tx } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { adjustmentCard, type AdjustmentView, type LineMonthFigures } from '../messages/builders/adjustments.js';
import type { Message } from '../messages/model.js';
import { escalationNotes } from './escalation.js';
import { oneLineFigures } from './budgetFigures.js';
import { refuse, type Ctx } from './context.js';
import type { Outcome } from './types.js';

export async function figuresOf(tx: Tx, lineId: number, month: Month): Promise<LineMonthFigures> {
  const f = await oneLineFigures(tx, lineId, month);
  if (f) return f;
  const line = await tx.budgetLine.findUniqueOrThrow({ where: { id: lineId } });
  return { code: line.code, name: line.name, plan: 0, spent: 0, committed: 0 };
}

const VIEW_INCLUDE = { requester: true, steps: { include: { decider: true }, orderBy: { id: 'asc' } } } as const;
type AdjustmentRow = Prisma.BudgetAdjustmentGetPayload<{ include: typeof VIEW_INCLUDE }>;

/** Everything the card shows, read fresh (figures as of now). */
export async function loadAdjustmentView(tx: Tx, id: number, tz: string, locale: Locale): Promise<AdjustmentView | null> {
  const adj = await tx.budgetAdjustment.findUnique({ where: { id }, include: VIEW_INCLUDE });
  return adj ? adjustmentView(tx, adj, tz, locale) : null;
}

/**
 * The card's view of an adjustment row (with its requester and steps). `fresh`: the row was created in this
 * transaction — no step decided, no escalation in the audit log yet — so only the line figures are read.
 */
export async function adjustmentView(tx: Tx, adj: AdjustmentRow, tz: string, locale: Locale, opts: { fresh?: boolean } = {}): Promise<AdjustmentView> {
  const behalfIds = adj.steps.map((s) => s.onBehalfOfId).filter((x): x is number => x !== null);
  const behalf = new Map((behalfIds.length ? await tx.person.findMany({ where: { id: { in: behalfIds } } }) : []).map((p) => [p.id, p]));
  return {
    id: adj.id,
    kind: adj.kind as AdjustmentKind,
    amount: adj.amount,
    month: adj.month,
    reason: adj.reason,
    status: adj.status as AdjustmentStatus,
    requester: adj.requester,
    toLine: await figuresOf(tx, adj.toLineId, adj.month),
    fromLine: adj.fromLineId === null ? null : await figuresOf(tx, adj.fromLineId, adj.month),
    steps: adj.steps.map((s) => ({
      step: s.step as Step,
      decision: s.decision as 'approved' | 'rejected',
      decider: s.decider,
      onBehalfOf: s.onBehalfOfId !== null ? (behalf.get(s.onBehalfOfId) ?? null) : null,
      at: formatStamp(s.decidedAt, tz),
      comment: s.comment,
    })),
    createdAt: formatStamp(adj.createdAt, tz),
    decidedAt: adj.decidedAt ? formatStamp(adj.decidedAt, tz) : null,
    escalations: opts.fresh ? [] : await escalationNotes(tx, 'BudgetAdjustment', adj.id, locale, tz),
  };
}

export async function viewOrRefuse(tx: Tx, ctx: Ctx, id: number): Promise<AdjustmentView> {
  const view = await loadAdjustmentView(tx, id, ctx.settings.timezone, ctx.locale);
  if (!view) refuse('core.error.not_found', { id: formatId('ADJ', id) });
  return view;
}

/** The current card of an adjustment (for the scheduler's reminders, `/budget show`, …). */
export async function adjustmentCardFor(tx: Tx, ctx: Ctx, id: number): Promise<Message | null> {
  const view = await loadAdjustmentView(tx, id, ctx.settings.timezone, ctx.locale);
  return view ? adjustmentCard(ctx.locale, view) : null;
}

/** `/budget show ADJ-n`: the card as it stands (buttons only while pending). */
export async function showAdjustment(ctx: Ctx, id: number): Promise<Outcome> {
  return ctx.deps.db.read(async (tx) => {
    const view = await viewOrRefuse(tx, ctx, id);
    const card = adjustmentCard(ctx.locale, view);
    return { ok: true, reply: card, locale: ctx.locale };
  });
}
