// Decisions on budget adjustments and their two-step approval. Every decision is compare-and-set on the status; the
// final approval executes the change to the monthly plans in the same transaction as the status change, the
// ApprovalStep row, the audit record and the outbox rows (card update + message to the requester).
import {
  applyAdjustment,
  canCancel,
  raisesYearlyTotal,
  roleForStep,
  stepFor,
  statusAfterApproval,
} from '../domain/adjustments.js';
import { available } from '../domain/budget.js';
import { formatId } from '../domain/ids.js';
import { formatMoney } from '../domain/money.js';
import { holderNames, requireCan } from './whoMay.js';
import type { AdjustmentKind, AdjustmentStatus, Minor, Month } from '../domain/types.js';
import type { Tx } from '../db/client.js';
import { clausesOf, t } from '../i18n/index.js';
import { markup, plainText } from '../messages/markup.js';
import {
  adjustmentCard,
  adjustmentCardKey,
  adjustmentSummary,
  deciderOf,
  mentionOf,
  stripMarkup,
} from '../messages/builders/adjustments.js';
import { rejectForm } from '../messages/builders/budget.js';
import type { Form, Message } from '../messages/model.js';
import {
  behalfData,
  checkAuthority,
  deciderText,
  decidingAs,
  dmApprovers,
  otherApprovers,
  type DecisionCheck,
} from './approvers.js';
import { audit } from './audit.js';
import { refuse, type Ctx } from './context.js';
import { directMessage, updateCard } from './notify.js';
import { findPerson, rolesOf } from './people.js';
import type { Outcome } from './types.js';
import { figuresOf, loadAdjustmentView, viewOrRefuse } from './adjustmentView.js';

/** "ADJ-3 was already approved by X at T": who made the decision that is in force, and when. */
async function alreadyDecided(tx: Tx, ctx: Ctx, id: number): Promise<Outcome> {
  const view = await viewOrRefuse(tx, ctx, id);
  const last = view.steps[view.steps.length - 1];
  const key =
    view.status === 'cancelled'
      ? 'adj.already.cancelled'
      : view.status === 'pending_leader'
        ? 'adj.already.pending_leader'
        : view.status === 'pending_finance'
          ? 'adj.already.pending_finance'
          : `adj.already.${view.status}`;
  const who = view.status === 'cancelled' ? mentionOf(view.requester) : last ? deciderOf(ctx.locale, last) : null;
  const text = t(ctx.locale, key, {
    id: formatId('ADJ', id),
    who: who ?? '?',
    time: view.status === 'cancelled' ? (view.decidedAt ?? '') : (last?.at ?? view.decidedAt ?? ''),
  });
  const reply: Message = { tone: 'warning', text, summary: stripMarkup(text) };
  return {
    ok: false,
    reply,
    toast: reply.summary,
    updatedCard: { cardKey: adjustmentCardKey(id), message: adjustmentCard(ctx.locale, view) },
    locale: ctx.locale,
  };
}

/** Checks that the actor may decide the pending step of `adj`; reads only. Returns the step and the decider. */
async function checkDecider(tx: Tx, ctx: Ctx, adj: { id: number; status: string; requesterId: number }) {
  const step = stepFor(adj.status as AdjustmentStatus);
  if (!step) return null;
  const role = roleForStep(step) as 'finance' | 'leader';
  const check: DecisionCheck = {
    role,
    filedBy: [adj.requesterId],
    noRole: {
      key: 'adj.error.wrong_role',
      params: { id: formatId('ADJ', adj.id), role: t(ctx.locale, `role.${role}`) },
      who: async () => ({ names: await holderNames(tx, ctx.locale, ctx.deps.config, role) }),
    },
    ownRequestKey: 'adj.error.self_decision',
    // Nobody decides their own request: say who else may.
    ownRequestParams: async () => ({ id: formatId('ADJ', adj.id), who: await otherApprovers(tx, ctx, role, [adj.requesterId]) }),
  };
  await checkAuthority(tx, ctx, check);
  return { step, role, check };
}

interface Executed {
  toLine: string;
  toBefore: Minor;
  toAfter: Minor;
  fromLine?: string;
  fromBefore?: Minor;
  fromAfter?: Minor;
  annualBefore?: Minor;
  annualAfter?: Minor;
}

async function allocation(tx: Tx, lineId: number, month: Month) {
  return tx.monthlyAllocation.findUnique({ where: { lineId_month: { lineId, month } } });
}

async function setPlan(tx: Tx, lineId: number, month: Month, planned: Minor): Promise<void> {
  await tx.monthlyAllocation.upsert({
    where: { lineId_month: { lineId, month } },
    create: { lineId, month, planned },
    update: { planned },
  });
}

async function plannedTotal(tx: Tx, lineId: number): Promise<Minor> {
  const agg = await tx.monthlyAllocation.aggregate({ where: { lineId }, _sum: { planned: true } });
  return agg._sum.planned ?? 0;
}

/** Executes an approved adjustment on the monthly plans. Throws (rolling everything back) when it cannot. */
async function execute(
  tx: Tx,
  adj: { kind: string; amount: Minor; month: Month; toLineId: number; fromLineId: number | null },
): Promise<Executed> {
  const toLine = await tx.budgetLine.findUniqueOrThrow({ where: { id: adj.toLineId } });
  const toBefore = (await allocation(tx, adj.toLineId, adj.month))?.planned ?? 0;
  if (adj.kind === 'transfer' && adj.fromLineId !== null) {
    const fromLine = await tx.budgetLine.findUniqueOrThrow({ where: { id: adj.fromLineId } });
    const fromFig = await figuresOf(tx, adj.fromLineId, adj.month);
    const result = applyAdjustment({
      kind: 'transfer',
      amount: adj.amount,
      toPlan: toBefore,
      fromPlan: fromFig.plan,
      fromAvailable: available(fromFig),
    });
    await setPlan(tx, adj.fromLineId, adj.month, result.fromPlan!);
    await setPlan(tx, adj.toLineId, adj.month, result.toPlan);
    return { toLine: toLine.code, toBefore, toAfter: result.toPlan, fromLine: fromLine.code, fromBefore: fromFig.plan, fromAfter: result.fromPlan! };
  }
  const result = applyAdjustment({ kind: 'increase', amount: adj.amount, toPlan: toBefore });
  await setPlan(tx, adj.toLineId, adj.month, result.toPlan);
  const total = await plannedTotal(tx, adj.toLineId);
  const executed: Executed = { toLine: toLine.code, toBefore, toAfter: result.toPlan };
  if (total > toLine.annualAmount) {
    await tx.budgetLine.update({ where: { id: toLine.id }, data: { annualAmount: total } });
    executed.annualBefore = toLine.annualAmount;
    executed.annualAfter = total;
  }
  return executed;
}

function changeText(ctx: Ctx, month: Month, e: Executed): string {
  const m = (v: Minor) => formatMoney(v, ctx.locale);
  const parts = [t(ctx.locale, 'adj.change.plan', { code: e.toLine, month, before: m(e.toBefore), after: m(e.toAfter) })];
  if (e.fromLine !== undefined) {
    parts.unshift(t(ctx.locale, 'adj.change.plan', { code: e.fromLine, month, before: m(e.fromBefore!), after: m(e.fromAfter!) }));
  }
  if (e.annualAfter !== undefined) {
    parts.push(t(ctx.locale, 'adj.change.annual', { code: e.toLine, before: m(e.annualBefore!), after: m(e.annualAfter) }));
  }
  return clausesOf(ctx.locale, parts);
}

/**
 * Approves or rejects the pending step of adjustment `id` as the actor. Compare-and-set on the status: when
 * somebody else decided first, answers "already … by X at T" and changes nothing.
 */
export async function decideAdjustment(ctx: Ctx, id: number, decision: 'approved' | 'rejected', comment?: string): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const adj = await tx.budgetAdjustment.findUnique({ where: { id } });
    if (!adj) refuse('core.error.not_found', { id: formatId('ADJ', id) });
    const check = await checkDecider(tx, ctx, adj);
    if (!check) return alreadyDecided(tx, ctx, id);
    const { step } = check;
    const ref = formatId('ADJ', id);
    const as = await decidingAs(tx, ctx, check.check);

    let next: AdjustmentStatus;
    if (decision === 'rejected') next = 'rejected';
    else {
      const linePlannedTotal = adj.kind === 'increase' ? await plannedTotal(tx, adj.toLineId) : 0;
      const toLine = await tx.budgetLine.findUniqueOrThrow({ where: { id: adj.toLineId } });
      next = statusAfterApproval(step, {
        amount: adj.amount,
        leaderThreshold: ctx.settings.leaderThreshold,
        raisesYearlyTotal: raisesYearlyTotal({
          kind: adj.kind as AdjustmentKind,
          amount: adj.amount,
          lineAnnualAmount: toLine.annualAmount,
          linePlannedTotal,
        }),
      });
    }
    const final = next !== 'pending_leader';
    const won = await tx.budgetAdjustment.updateMany({
      where: { id, status: adj.status },
      data: { status: next, ...(final ? { decidedAt: ctx.now } : {}) },
    });
    if (won.count === 0) return alreadyDecided(tx, ctx, id);

    const decider = as.decider;
    await tx.approvalStep.create({
      data: { adjustmentId: id, step, decision, deciderId: decider.id, onBehalfOfId: as.onBehalfOf?.id ?? null, comment: comment ?? null, decidedAt: ctx.now },
    });
    const executed = next === 'approved' ? await execute(tx, adj) : null;
    await audit(tx, {
      actorId: decider.id,
      action: `adjustment.${decision === 'rejected' ? 'reject' : 'approve'}`,
      entity: 'BudgetAdjustment',
      entityId: id,
      data: { step, from: adj.status, to: next, comment: comment ?? null, executed, ...behalfData(as) },
    });

    const view = (await loadAdjustmentView(tx, id, ctx.settings.timezone, ctx.locale))!;
    const card = adjustmentCard(ctx.locale, view);
    const cardKey = adjustmentCardKey(id);
    await updateCard(tx, cardKey, card);
    if (next === 'pending_leader') {
      // Without an approvals channel the card only went to finance members: leaders get their own copy.
      const bound = await tx.channelBinding.count({ where: { purpose: 'approvals' } });
      if (bound === 0) await dmApprovers(tx, 'leader', ctx.now, card, { cardKey, filedBy: [adj.requesterId] });
    }

    const who = deciderText(ctx.locale, decider, as.onBehalfOf);
    const summary = markup(adjustmentSummary(ctx.locale, view));
    const change = markup(executed ? changeText(ctx, adj.month, executed) : '');
    let requesterText: string;
    let replyText: string;
    if (next === 'pending_leader') {
      requesterText = t(ctx.locale, 'adj.notify.pending_leader', { id: ref, who, summary });
      replyText = t(ctx.locale, 'adj.reply.pending_leader', { id: ref });
    } else if (next === 'approved') {
      requesterText = t(ctx.locale, 'adj.notify.approved', { id: ref, who, summary, change });
      replyText = t(ctx.locale, 'adj.reply.approved', { id: ref, change });
    } else {
      requesterText = t(ctx.locale, 'adj.notify.rejected', { id: ref, who, summary, reason: comment ?? '' });
      replyText = t(ctx.locale, 'adj.reply.rejected', { id: ref });
    }
    const requester = await tx.person.findUniqueOrThrow({ where: { id: adj.requesterId } });
    await directMessage(tx, requester, {
      tone: next === 'rejected' ? 'danger' : 'success',
      title: card.title,
      text: requesterText,
      summary: stripMarkup(requesterText),
    });
    const reply: Message = { tone: 'success', text: replyText, summary: stripMarkup(replyText) };
    return { ok: true, reply, toast: reply.summary, updatedCard: { cardKey, message: card }, locale: ctx.locale };
  });
}

/** The reject button: opens the reason form, or answers at once when the click cannot succeed. */
export async function openRejectForm(ctx: Ctx, id: number): Promise<Form | Outcome> {
  return ctx.deps.db.read(async (tx) => {
    const adj = await tx.budgetAdjustment.findUnique({ where: { id } });
    if (!adj) refuse('core.error.not_found', { id: formatId('ADJ', id) });
    const check = await checkDecider(tx, ctx, adj);
    if (!check) return alreadyDecided(tx, ctx, id);
    const view = (await loadAdjustmentView(tx, id, ctx.settings.timezone, ctx.locale))!;
    return rejectForm(ctx.locale, id, adjustmentSummary(ctx.locale, view));
  });
}

/** The requester withdraws a pending request. */
export async function cancelAdjustment(ctx: Ctx, id: number): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const adj = await tx.budgetAdjustment.findUnique({ where: { id }, include: { requester: true } });
    if (!adj) refuse('core.error.not_found', { id: formatId('ADJ', id) });
    const person = await findPerson(tx, ctx.actor);
    if (!person || person.id !== adj.requesterId) {
      refuse('adj.error.not_requester', { id: formatId('ADJ', id), who: adj.requester.displayName ?? adj.requester.userId });
    }
    await requireCan(tx, ctx, await rolesOf(tx, ctx.deps.config, ctx.actor), 'adjustment.cancel');
    if (!canCancel(adj.status as AdjustmentStatus)) return alreadyDecided(tx, ctx, id);
    const won = await tx.budgetAdjustment.updateMany({
      where: { id, status: adj.status },
      data: { status: 'cancelled', decidedAt: ctx.now },
    });
    if (won.count === 0) return alreadyDecided(tx, ctx, id);
    await audit(tx, {
      actorId: person.id,
      action: 'adjustment.cancel',
      entity: 'BudgetAdjustment',
      entityId: id,
      data: { from: adj.status, to: 'cancelled' },
    });
    const view = (await loadAdjustmentView(tx, id, ctx.settings.timezone, ctx.locale))!;
    const card = adjustmentCard(ctx.locale, view);
    const cardKey = adjustmentCardKey(id);
    await updateCard(tx, cardKey, card);
    const text = t(ctx.locale, 'adj.reply.cancelled', { id: formatId('ADJ', id) });
    const reply: Message = { tone: 'success', text, summary: plainText(text) };
    return { ok: true, reply, toast: reply.summary, updatedCard: { cardKey, message: card }, locale: ctx.locale };
  });
}
