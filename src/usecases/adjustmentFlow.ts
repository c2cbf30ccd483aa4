// Budget adjustment requests and their two-step approval (SPEC "Budget adjustments: the approval flow").
// Every decision is compare-and-set on the status; the final approval executes the change to the monthly
// plans in the same transaction as the status change, the ApprovalStep row, the audit record and the outbox
// rows (card update + message to the requester).
import {
  applyAdjustment,
  canCancel,
  raisesYearlyTotal,
  roleForStep,
  stepFor,
  statusAfterApproval,
  type Step,
} from '../domain/adjustments.js';
import { available } from '../domain/budget.js';
import { formatId } from '../domain/ids.js';
import { formatMoney } from '../domain/money.js';
import { holderNames, requireCan } from './whoMay.js';
import { formatStamp } from '../domain/time.js';

/** Kept for callers that stamp times through this module: the same format as everywhere (the zone named). */
export { formatStamp as localStamp } from '../domain/time.js';
import type { AdjustmentKind, AdjustmentStatus, Locale, Minor, Month } from '../domain/types.js';
import type { Tx } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { clausesOf, t } from '../i18n/index.js';
import { markup, plainText } from '../messages/markup.js';
import {
  adjustmentCard,
  adjustmentCardKey,
  adjustmentRequestedMessage,
  adjustmentSummary,
  deciderOf,
  mentionOf,
  stripMarkup,
  type AdjustmentView,
  type LineMonthFigures,
} from '../messages/builders/adjustments.js';
import { rejectForm } from '../messages/builders/budget.js';
import type { Form, Message } from '../messages/model.js';
import { behalfData, checkAuthority, deciderText, decidingAs, dmApprovers, otherApprovers, type DecisionCheck } from './approvers.js';
import { audit } from './audit.js';
import { escalationNotes } from './escalation.js';
import { oneLineFigures } from './budgetFigures.js';
import { refuse, type Ctx } from './context.js';
import { directMessage, messageRole, postToPurpose, updateCard } from './notify.js';
import { actorIdentity, ensurePerson, findPerson, nameOf, peopleWithRole, rolesOf } from './people.js';
import type { Outcome } from './types.js';

async function figuresOf(tx: Tx, lineId: number, month: Month): Promise<LineMonthFigures> {
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
async function adjustmentView(tx: Tx, adj: AdjustmentRow, tz: string, locale: Locale, opts: { fresh?: boolean } = {}): Promise<AdjustmentView> {
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

async function viewOrRefuse(tx: Tx, ctx: Ctx, id: number): Promise<AdjustmentView> {
  const view = await loadAdjustmentView(tx, id, ctx.settings.timezone, ctx.locale);
  if (!view) refuse('core.error.not_found', { id: formatId('ADJ', id) });
  return view;
}

/** The current card of an adjustment (for the scheduler's reminders, `/budget show`, …). */
export async function adjustmentCardFor(tx: Tx, ctx: Ctx, id: number): Promise<Message | null> {
  const view = await loadAdjustmentView(tx, id, ctx.settings.timezone, ctx.locale);
  return view ? adjustmentCard(ctx.locale, view) : null;
}

// ---------------------------------------------------------------------------------------------------------
// Request

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
  const line = await tx.budgetLine.findFirst({ where: { fiscalYear: { year }, code: code.toUpperCase() } });
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
    const adj = await tx.budgetAdjustment.create({
      data: {
        kind: input.kind,
        amount: input.amount,
        fromLineId: from?.id ?? null,
        toLineId: to.id,
        month: input.month,
        reason: input.reason,
        status: 'pending_finance',
        requesterId: person.id,
        createdAt: ctx.now,
      },
    });
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

// ---------------------------------------------------------------------------------------------------------
// Decisions

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

/** `/budget show ADJ-n`: the card as it stands (buttons only while pending). */
export async function showAdjustment(ctx: Ctx, id: number): Promise<Outcome> {
  return ctx.deps.db.read(async (tx) => {
    const view = await viewOrRefuse(tx, ctx, id);
    const card = adjustmentCard(ctx.locale, view);
    return { ok: true, reply: card, locale: ctx.locale };
  });
}
