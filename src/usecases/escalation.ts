// Escalation on timeout: a decision that has waited longer than `escalate_hours` working hours at its step is
// escalated once per record and step — finance step: every finance member (and stand-in) by DM plus one post of the
// live card in the leaders' chat; leader step: every leader (and stand-in) by DM. The scheduler finds what is due
// and runs each escalation under its exactly-once ledger (src/scheduler/escalation.ts); this module knows what is
// pending where, and what an escalation writes. Every copy it sends carries the card key, so later decisions update
// those copies in place too; the card itself says "escalated after 48 h" from then on.
import type { Tx } from '../db/client.js';
import { isOverdue, workingHoursBetween } from '../domain/workHours.js';
import { formatStamp } from '../domain/time.js';
import type { Locale } from '../domain/types.js';
import { adjustmentCard, adjustmentCardKey } from '../messages/builders/adjustments.js';
import { escalatedCopy, escalationNote } from '../messages/builders/approvals.js';
import { planCard, planCardKey } from '../messages/builders/plan.js';
import type { Message } from '../messages/model.js';
import { loadAdjustmentView } from './adjustmentView.js';
import { approversOf, dmApprovers } from './approvers.js';
import { audit } from './audit.js';
import { campaignApprovalCard } from './campaigns/index.js';
import type { Ctx } from './context.js';
import { postToPurpose, updateCard } from './notify.js';
import { loadPlanView } from './plan/flow.js';
import { loadAmendmentView } from './plan/amend.js';
import { amendmentCard, amendmentCardKey } from '../messages/builders/planAmendment.js';
import type { Settings } from './settings.js';

export type Step = 'finance' | 'leader';

/** A decision waiting at one step. `key` names it in the ledger: one escalation per record, step (and round). */
export interface PendingDecision {
  key: string;
  cardKey: string;
  entity: 'BudgetAdjustment' | 'campaign' | 'BudgetPlan' | 'PlanAmendment';
  entityId: number;
  step: Step;
  /** When it reached this step. */
  since: Date;
  filedBy: (number | null)[];
}


/** The escalation notes a card shows ("⏫ Escalated after 48 h waiting for finance (…)"), from the audit log. */
export async function escalationNotes(tx: Tx, entity: PendingDecision['entity'], entityId: number, locale: Locale, tz: string): Promise<string[]> {
  const rows = await tx.auditLog.findMany({ where: { entity, entityId: String(entityId), action: 'approval.escalate' }, orderBy: { id: 'asc' } });
  return rows.map((r) => {
    const d = JSON.parse(r.data) as { step: Step; hours: number };
    return escalationNote(locale, { step: d.step, hours: d.hours, at: formatStamp(r.at, tz) });
  });
}

/** Every decision pending now, with the instant it reached its step. */
export async function pendingDecisions(tx: Tx): Promise<PendingDecision[]> {
  const out: PendingDecision[] = [];
  const adjustments = await tx.budgetAdjustment.findMany({ where: { status: { in: ['pending_finance', 'pending_leader'] } }, include: { steps: true }, orderBy: { id: 'asc' } });
  for (const a of adjustments) {
    const step: Step = a.status === 'pending_leader' ? 'leader' : 'finance';
    const since = step === 'leader' ? (a.steps.find((s) => s.step === 'finance')?.decidedAt ?? a.createdAt) : a.createdAt;
    out.push({ key: `ADJ-${a.id}:${step}`, cardKey: adjustmentCardKey(a.id), entity: 'BudgetAdjustment', entityId: a.id, step, since, filedBy: [a.requesterId] });
  }
  const campaigns = await tx.campaign.findMany({ where: { status: 'pending_approval' }, orderBy: { id: 'asc' } });
  for (const c of campaigns) {
    // A revised campaign waits again from its resubmission: each round is its own escalation.
    const revisions = await tx.auditLog.findMany({ where: { entity: 'campaign', entityId: String(c.id), action: 'campaign.revise' }, orderBy: { id: 'asc' }, select: { at: true } });
    const since = revisions.length > 0 ? revisions[revisions.length - 1]!.at : c.createdAt;
    out.push({ key: `CMP-${c.id}:leader:r${revisions.length}`, cardKey: `CMP-${c.id}`, entity: 'campaign', entityId: c.id, step: 'leader', since, filedBy: [c.ownerId] });
  }
  const plans = await tx.budgetPlan.findMany({ where: { status: { in: ['pending_finance', 'pending_leader'] } }, orderBy: { id: 'asc' } });
  for (const p of plans) {
    const step: Step = p.status === 'pending_leader' ? 'leader' : 'finance';
    const financeStep = step === 'leader' ? await tx.planStep.findFirst({ where: { planId: p.id, version: p.version, step: 'finance' } }) : null;
    const since = financeStep?.decidedAt ?? p.submittedAt ?? p.updatedAt;
    out.push({ key: `${planCardKey(p.year)}:v${p.version}:${step}`, cardKey: planCardKey(p.year), entity: 'BudgetPlan', entityId: p.id, step, since, filedBy: [p.drafterId, p.submittedById] });
  }
  const amendments = await tx.planAmendment.findMany({ where: { status: { in: ['pending_finance', 'pending_leader'] } }, include: { steps: true }, orderBy: { id: 'asc' } });
  for (const a of amendments) {
    const step: Step = a.status === 'pending_leader' ? 'leader' : 'finance';
    const since = step === 'leader' ? (a.steps.find((s) => s.step === 'finance')?.decidedAt ?? a.createdAt) : a.createdAt;
    out.push({ key: `${amendmentCardKey(a.id)}:${step}`, cardKey: amendmentCardKey(a.id), entity: 'PlanAmendment', entityId: a.id, step, since, filedBy: [a.requesterId] });
  }
  return out;
}

/** The decisions whose wait at their step has reached the step's escalate_hours (working hours only, if set). */
export function overdue(list: PendingDecision[], settings: Settings, now: Date): PendingDecision[] {
  return list.filter((p) => isOverdue(p.since, now, settings.escalateHours[p.step], settings.workHours, settings.timezone));
}

/** The live card of a pending decision, as its area builds it (escalation notes included). */
async function liveCard(tx: Tx, ctx: Ctx, p: PendingDecision): Promise<Message | null> {
  const tz = ctx.settings.timezone;
  if (p.entity === 'BudgetAdjustment') {
    const view = await loadAdjustmentView(tx, p.entityId, tz, ctx.locale);
    return view ? adjustmentCard(ctx.locale, view) : null;
  }
  if (p.entity === 'campaign') return campaignApprovalCard(tx, ctx, p.entityId);
  if (p.entity === 'PlanAmendment') {
    const a = await tx.planAmendment.findUnique({ where: { id: p.entityId } });
    return a ? amendmentCard(ctx.locale, await loadAmendmentView(tx, a, tz, ctx.locale)) : null;
  }
  const plan = await tx.budgetPlan.findUnique({ where: { id: p.entityId } });
  return plan ? planCard(ctx.locale, await loadPlanView(tx, plan, tz, ctx.locale)) : null;
}

/**
 * Escalates `p` (inside the scheduler's ledger claim for it). Re-reads the record: when it moved on meanwhile, writes
 * nothing. Returns how many people and chats it went to.
 */
export async function escalate(tx: Tx, ctx: Ctx, p: PendingDecision): Promise<{ dms: number; posts: number } | null> {
  const current = (await pendingDecisions(tx)).find((x) => x.key === p.key);
  if (!current) return null;
  const hours = ctx.settings.escalateHours[p.step];
  const waited = workingHoursBetween(current.since, ctx.now, ctx.settings.workHours, ctx.settings.timezone);
  // Who it goes to, counted first: the audit entry (written before the card is built, so the card already says
  // "escalated after 48 h") names them.
  const approvers = await approversOf(tx, p.step, ctx.now, current.filedBy);
  const leaderChats = p.step === 'finance' ? await tx.channelBinding.count({ where: { purpose: 'leaders' } }) : 0;
  const leadersByDm = p.step === 'finance' && leaderChats === 0 ? await approversOf(tx, 'leader', ctx.now, current.filedBy) : [];
  await audit(tx, {
    actorId: null,
    at: ctx.now,
    action: 'approval.escalate',
    entity: p.entity,
    entityId: p.entityId,
    data: { step: p.step, hours, waited, since: current.since.toISOString(), key: p.key, dms: approvers.length + leadersByDm.length, posts: leaderChats },
  });
  const card = await liveCard(tx, ctx, current);
  if (!card) return null;
  // Copies already out (the approvals chat, earlier DMs) show the escalation too.
  await updateCard(tx, p.cardKey, card);
  const copy = escalatedCopy(ctx.locale, card, { step: p.step, hours, key: p.cardKey });
  let dms = await dmApprovers(tx, p.step, ctx.now, copy, { cardKey: p.cardKey, dedupeKey: `escalation:${p.key}`, filedBy: current.filedBy });
  let posts = 0;
  if (p.step === 'finance') {
    posts = await postToPurpose(tx, 'leaders', copy, { cardKey: p.cardKey, dedupeKey: `escalation:${p.key}:leaders` });
    // Without a leaders' chat the leaders hear of it by DM, as with every other leaders' post.
    if (posts === 0) dms += await dmApprovers(tx, 'leader', ctx.now, copy, { cardKey: p.cardKey, dedupeKey: `escalation:${p.key}:leaders`, filedBy: current.filedBy });
  }
  return { dms, posts };
}
