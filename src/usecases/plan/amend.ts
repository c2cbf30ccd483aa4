// Plan amendments: `/budget line add` on a year whose plan is approved does not add the line at once — the plan is
// locked — but asks for it (AMD-3). Finance reviews, then a leader approves, like the plan; the leader's approval
// creates the budget line and its monthly allocations in the decision's transaction, exactly once (compare-and-set
// on status with lineId still null). Every step writes an audit record; the card AMD-<id> is updated in place.
import { splitEvenly } from '../../domain/budget.js';
import { formatMoney } from '../../domain/money.js';
import { sum, type PlanCategory } from '../../domain/plan.js';
import { monthsOfYear } from '../../domain/time.js';
import type { Tx } from '../../db/client.js';
import type { Locale } from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import { amendmentCard, amendmentCardKey, type AmendmentStatus, type AmendmentView } from '../../messages/builders/planAmendment.js';
import { markup, plainText } from '../../messages/markup.js';
import type { Form, Message } from '../../messages/model.js';
import { formatStamp as localStamp } from '../../domain/time.js';
import { behalfData, deciderText, decidingAs, dmApprovers, otherApprovers } from '../approvers.js';
import { audit } from '../audit.js';
import { escalationNotes } from '../escalation.js';
import { formRefusal, refuse, reply, type Ctx } from '../context.js';
import { directMessage, messageRole, postToPurpose, updateCard } from '../notify.js';
import { actorIdentity, ensurePerson, mention, rolesOf } from '../people.js';
import { whoMay } from '../whoMay.js';
import type { FormValues, Outcome } from '../types.js';
import { parseMonths } from './flow.js';

type AmendmentRow = NonNullable<Awaited<ReturnType<Tx['planAmendment']['findUnique']>>>;
type PlanRow = NonNullable<Awaited<ReturnType<Tx['budgetPlan']['findUnique']>>>;

export const OPEN_AMENDMENT: AmendmentStatus[] = ['pending_finance', 'pending_leader'];

/** The approved plan's total plus every approved amendment of the year (what the year's budget was planned at). */
async function yearTotal(tx: Tx, plan: PlanRow, exceptId?: number): Promise<number> {
  const lines = await tx.planLine.aggregate({ where: { planId: plan.id }, _sum: { annual: true } });
  const amended = await tx.planAmendment.aggregate({ where: { planId: plan.id, status: 'approved', ...(exceptId ? { id: { not: exceptId } } : {}) }, _sum: { annual: true } });
  return (lines._sum.annual ?? 0) + (amended._sum.annual ?? 0);
}

export async function loadAmendmentView(tx: Tx, a: AmendmentRow, tz: string, locale: Locale = 'en'): Promise<AmendmentView> {
  const steps = await tx.planAmendmentStep.findMany({ where: { amendmentId: a.id }, orderBy: { id: 'asc' } });
  const ids = [a.requesterId, ...steps.flatMap((s) => (s.onBehalfOfId !== null ? [s.deciderId, s.onBehalfOfId] : [s.deciderId]))];
  const people = new Map((await tx.person.findMany({ where: { id: { in: ids } } })).map((p) => [p.id, p]));
  const who = (id: number) => (people.get(id) ? mention(people.get(id)!) : markup('—'));
  const plan = await tx.budgetPlan.findUniqueOrThrow({ where: { id: a.planId } });
  return {
    id: a.id,
    year: a.year,
    code: a.code,
    name: a.name,
    category: a.category as PlanCategory,
    months: parseMonths(a.months),
    annual: a.annual,
    status: a.status as AmendmentStatus,
    requester: who(a.requesterId),
    createdAt: localStamp(a.createdAt, tz),
    steps: steps.map((s) => ({
      step: s.step as 'finance' | 'leader',
      decision: s.decision as 'approved' | 'rejected',
      who: s.onBehalfOfId !== null && people.get(s.deciderId) ? deciderText(locale, people.get(s.deciderId)!, people.get(s.onBehalfOfId)) : who(s.deciderId),
      at: localStamp(s.decidedAt, tz),
      comment: s.comment,
    })),
    yearTotal: await yearTotal(tx, plan, a.id),
    escalations: await escalationNotes(tx, 'PlanAmendment', a.id, locale, tz),
  };
}

/**
 * `/budget line add` on a year whose plan is approved (called inside the command's write, after its permission
 * and duplicate checks): records the amendment and sends its card to the approvals chat (finance by DM without one).
 */
export async function requestAmendment(
  tx: Tx,
  ctx: Ctx,
  plan: PlanRow,
  line: { code: string; name: string; category: PlanCategory; annual: number },
): Promise<Outcome> {
  const open = await tx.planAmendment.findFirst({ where: { year: plan.year, code: line.code, status: { in: OPEN_AMENDMENT } } });
  if (open) refuse('plan.amend.error.pending', { code: line.code, id: amendmentCardKey(open.id) });
  const person = await ensurePerson(tx, actorIdentity(ctx.actor));
  const months = splitEvenly(line.annual, 12);
  const row = await tx.planAmendment.create({
    data: {
      planId: plan.id,
      year: plan.year,
      code: line.code,
      name: line.name,
      category: line.category,
      months: JSON.stringify(months),
      annual: line.annual,
      status: 'pending_finance',
      requesterId: person.id,
      createdAt: ctx.now,
    },
  });
  await audit(tx, {
    actorId: person.id,
    action: 'plan.amend.request',
    entity: 'PlanAmendment',
    entityId: row.id,
    data: { year: plan.year, code: line.code, name: line.name, category: line.category, annual: line.annual },
  });
  const card = amendmentCard(ctx.locale, await loadAmendmentView(tx, row, ctx.settings.timezone, ctx.locale));
  const cardKey = amendmentCardKey(row.id);
  const posted = await postToPurpose(tx, 'approvals', card, { cardKey });
  if (posted === 0) await dmApprovers(tx, 'finance', ctx.now, card, { cardKey, filedBy: [person.id] });
  const text = t(ctx.locale, 'plan.amend.requested', { year: plan.year, code: line.code, annual: formatMoney(line.annual, ctx.locale), id: cardKey });
  return reply(ctx, { tone: 'info', text, summary: plainText(text) });
}

const STEP_OF: Partial<Record<AmendmentStatus, { step: 'finance' | 'leader'; no: number }>> = {
  pending_finance: { step: 'finance', no: 1 },
  pending_leader: { step: 'leader', no: 2 },
};

function already(ctx: Ctx, a: AmendmentRow): string {
  return t(ctx.locale, 'plan.amend.already', { id: amendmentCardKey(a.id), status: t(ctx.locale, `plan.amend.status.${a.status}`) });
}

/** A finance (step 1) or leader (step 2) decision on amendment `id`. */
export async function decideAmendment(ctx: Ctx, id: number, stepNo: number, decision: 'approved' | 'rejected', comment?: string): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const a = await tx.planAmendment.findUnique({ where: { id } });
    if (!a) refuse('core.error.not_found', { id: amendmentCardKey(id) });
    const cardKey = amendmentCardKey(a.id);
    const step = STEP_OF[a.status as AmendmentStatus];
    if (!step || step.no !== stepNo) {
      const text = already(ctx, a);
      const card = amendmentCard(ctx.locale, await loadAmendmentView(tx, a, ctx.settings.timezone, ctx.locale));
      return { ok: false, reply: { tone: 'warning', text, summary: plainText(text) }, toast: plainText(text), updatedCard: { cardKey, message: card }, locale: ctx.locale };
    }
    // The step's role or a stand-in for it (delegation), never on one's own request nor on the delegator's.
    const as = await decidingAs(tx, ctx, {
      role: step.step,
      filedBy: [a.requesterId],
      noRole: { key: `plan.amend.error.${step.step}_only`, who: async () => ({ who: await whoMay(tx, ctx.locale, ctx.deps.config, { roles: [step.step] }) }) },
      ownRequestKey: 'plan.amend.error.self_decision',
      ownRequestParams: async () => ({ who: await otherApprovers(tx, ctx, step.step, [a.requesterId]) }),
    });
    const person = as.decider;
    if (decision === 'rejected' && !comment) refuse('plan.error.comment_required');

    const next: AmendmentStatus = decision === 'rejected' ? 'rejected' : step.step === 'finance' ? 'pending_leader' : 'approved';
    const final = next !== 'pending_leader';
    const won = await tx.planAmendment.updateMany({
      where: { id: a.id, status: a.status, lineId: null },
      data: { status: next, ...(final ? { decidedAt: ctx.now } : {}) },
    });
    if (won.count !== 1) {
      const fresh = await tx.planAmendment.findUniqueOrThrow({ where: { id: a.id } });
      const text = already(ctx, fresh);
      return { ok: false, reply: { tone: 'warning', text, summary: plainText(text) }, toast: plainText(text), locale: ctx.locale };
    }
    await tx.planAmendmentStep.create({ data: { amendmentId: a.id, step: step.step, decision, deciderId: person.id, onBehalfOfId: as.onBehalfOf?.id ?? null, comment: comment ?? null, decidedAt: ctx.now } });
    await audit(tx, { actorId: person.id, action: `plan.amend.${step.step}.${decision}`, entity: 'PlanAmendment', entityId: a.id, data: { year: a.year, code: a.code, annual: a.annual, comment: comment ?? undefined, from: a.status, to: next, ...behalfData(as) } });
    if (next === 'approved') await createAmendedLine(tx, a, person.id);

    const fresh = await tx.planAmendment.findUniqueOrThrow({ where: { id: a.id } });
    const view = await loadAmendmentView(tx, fresh, ctx.settings.timezone, ctx.locale);
    const card = amendmentCard(ctx.locale, view);
    await updateCard(tx, cardKey, card);
    if (next === 'pending_leader') await dmApprovers(tx, 'leader', ctx.now, card, { cardKey, filedBy: [a.requesterId] });

    const params = { id: cardKey, code: a.code, year: a.year, annual: formatMoney(a.annual, ctx.locale), who: deciderText(ctx.locale, person, as.onBehalfOf), comment: comment ?? '' };
    const notice: Message = (() => {
      const text = t(ctx.locale, `plan.amend.notice.${step.step}.${decision}`, params);
      return { tone: next === 'approved' ? 'success' : next === 'rejected' ? 'danger' : 'info', text, summary: plainText(text) };
    })();
    // The requester always hears; on the final approval, the finance reviewer too.
    const told = new Set<number>([person.id]);
    const tell = async (pid: number) => {
      if (told.has(pid)) return;
      told.add(pid);
      const p = await tx.person.findUnique({ where: { id: pid } });
      if (p) await directMessage(tx, p, notice);
    };
    await tell(a.requesterId);
    if (next === 'approved') for (const s of await tx.planAmendmentStep.findMany({ where: { amendmentId: a.id } })) await tell(s.deciderId);

    const text = t(ctx.locale, `plan.amend.decided.${step.step}.${decision}`, params);
    return { ok: true, reply: { tone: 'success', text, summary: plainText(text) }, toast: plainText(text), updatedCard: { cardKey, message: card }, locale: ctx.locale };
  });
}

/** The approved amendment becomes a budget line of its year with its monthly allocations (once: lineId is set). */
async function createAmendedLine(tx: Tx, a: AmendmentRow, deciderId: number): Promise<void> {
  const fy = (await tx.fiscalYear.findUnique({ where: { year: a.year } })) ?? (await tx.fiscalYear.create({ data: { year: a.year } }));
  const exists = await tx.budgetLine.findUnique({ where: { fiscalYearId_code: { fiscalYearId: fy.id, code: a.code } } });
  if (exists) refuse('plan.amend.error.line_exists', { year: a.year, code: a.code, id: amendmentCardKey(a.id) });
  const months = parseMonths(a.months);
  const line = await tx.budgetLine.create({
    data: { fiscalYearId: fy.id, code: a.code, name: a.name, category: a.category, annualAmount: sum(months), ownerId: a.requesterId },
  });
  await tx.monthlyAllocation.createMany({ data: monthsOfYear(a.year).map((month, i) => ({ lineId: line.id, month, planned: months[i] ?? 0 })) });
  await tx.planAmendment.update({ where: { id: a.id }, data: { lineId: line.id } });
  await audit(tx, {
    actorId: deciderId,
    action: 'budget.line.add',
    entity: 'BudgetLine',
    entityId: line.id,
    data: { code: a.code, name: a.name, year: a.year, annualAmount: a.annual, monthly: months, amendment: amendmentCardKey(a.id) },
  });
}

// ------------------------------------------------------------------------------------------------ reject form

export function amendmentRejectForm(ctx: Ctx, id: number, step: number): Form {
  return {
    id: `amd.reject:${id}:${step}`,
    title: t(ctx.locale, 'plan.amend.form.reject.title', { id: amendmentCardKey(id) }),
    submitLabel: t(ctx.locale, 'plan.amend.form.submit'),
    fields: [{ kind: 'textarea', name: 'comment', label: t(ctx.locale, 'plan.amend.form.reason'), required: true, maxLength: 500 }],
  };
}

export async function submitAmendmentReject(ctx: Ctx, id: number, step: number, values: FormValues): Promise<Outcome> {
  const raw = values.comment;
  const comment = (Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? '')).trim();
  if (!comment) return formRefusal(ctx, { comment: { key: 'plan.error.comment_required' } });
  if ([...comment].length > 500) return formRefusal(ctx, { comment: { key: 'budget.error.too_long', params: { max: 500, length: [...comment].length } } });
  return decideAmendment(ctx, id, step, 'rejected', comment);
}

/** For the plan card: approved amendments (count, total) and those waiting. */
export async function amendmentSummary(tx: Tx, planId: number): Promise<{ approved: number; total: number; pending: number }> {
  const approved = await tx.planAmendment.aggregate({ where: { planId, status: 'approved' }, _count: true, _sum: { annual: true } });
  const pending = await tx.planAmendment.count({ where: { planId, status: { in: OPEN_AMENDMENT } } });
  return { approved: approved._count, total: approved._sum.annual ?? 0, pending };
}
