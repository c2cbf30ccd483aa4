// The annual plan's life: a draft (v1) edited by its drafter or finance, submitted to finance, then to a leader;
// "request changes" reopens the draft as the next version; a leader's approval creates the fiscal year's lines and
// monthly allocations in the decision's transaction (exactly once: compare-and-set on status and version); an
// approved plan is locked. Every change writes an audit record; the card PLAN-<year> is updated in place.
import { markup, plainText } from '../../messages/markup.js';
import { diffPlans, sum, type PlanCategory, type PlanLineDraft, type PlanStatus } from '../../domain/plan.js';
import { formatStamp, monthsOfYear } from '../../domain/time.js';
import type { Locale, Role } from '../../domain/types.js';
import type { Tx } from '../../db/client.js';
import { t } from '../../i18n/index.js';
import { planCard, planCardKey, type PlanHistoryEntry, type PlanView } from '../../messages/builders/plan.js';
import type { Message } from '../../messages/model.js';
import { behalfData, deciderText, decidingAs, dmApprovers, otherApprovers } from '../approvers.js';
import { audit } from '../audit.js';
import { escalationNotes } from '../escalation.js';
import { refuse, reply, type Ctx } from '../context.js';
import { directMessage, messageRole, postToPurpose, updateCard } from '../notify.js';
import { actorIdentity, ensurePerson, mention, rolesOf } from '../people.js';
import { whoMay } from '../whoMay.js';
import type { Outcome } from '../types.js';
import { amendmentSummary } from './amend.js';
import { insertRows } from '../../db/bulk.js';

type PlanRow = NonNullable<Awaited<ReturnType<Tx['budgetPlan']['findUnique']>>>;

export function parseMonths(json: string): number[] {
  const v = JSON.parse(json) as unknown;
  return Array.isArray(v) && v.length === 12 ? v.map(Number) : Array.from({ length: 12 }, () => 0);
}

export async function planLines(tx: Tx, planId: number): Promise<PlanLineDraft[]> {
  const rows = await tx.planLine.findMany({ where: { planId }, orderBy: { code: 'asc' }, include: { owner: true } });
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    category: r.category as PlanCategory,
    owner: r.owner?.userId ?? null,
    months: parseMonths(r.months),
  }));
}

const HISTORY: Record<string, string> = {
  'plan.new': 'created',
  'plan.import': 'imported',
  'plan.submit': 'submitted',
  'plan.finance.approved': 'finance_approved',
  'plan.leader.approved': 'approved',
  'plan.finance.rejected': 'rejected',
  'plan.leader.rejected': 'rejected',
  'plan.finance.changes_requested': 'changes_requested',
  'plan.leader.changes_requested': 'changes_requested',
  'plan.migrated': 'migrated',
};

export async function loadPlanView(tx: Tx, plan: PlanRow, tz: string, locale: Locale = 'en'): Promise<PlanView> {
  const lines = await planLines(tx, plan.id);
  const entries = await tx.auditLog.findMany({ where: { entity: 'BudgetPlan', entityId: String(plan.id) }, orderBy: { id: 'asc' } });
  const people = new Map(
    (await tx.person.findMany({ where: { id: { in: entries.flatMap((e) => [e.actorId, (JSON.parse(e.data) as { onBehalfOfId?: number }).onBehalfOfId ?? null]).filter((x): x is number => typeof x === 'number') } } })).map((p) => [p.id, p]),
  );
  const history: PlanHistoryEntry[] = [];
  for (const e of entries) {
    const what = HISTORY[e.action];
    if (!what) continue;
    const data = JSON.parse(e.data) as { version?: number; comment?: string; onBehalfOfId?: number };
    const actor = e.actorId !== null ? people.get(e.actorId) : undefined;
    const who = actor ? deciderText(locale, actor, data.onBehalfOfId !== undefined ? people.get(data.onBehalfOfId) : null) : markup('—');
    history.push({ what, who, at: formatStamp(e.at, tz), version: data.version ?? plan.version, comment: data.comment ?? null });
  }
  let diff = null;
  if (plan.version > 1) {
    const prev = await tx.planVersion.findUnique({ where: { planId_version: { planId: plan.id, version: plan.version - 1 } } });
    if (prev) diff = diffPlans(JSON.parse(prev.lines) as PlanLineDraft[], lines);
  }
  const amendments = plan.status === 'approved' ? await amendmentSummary(tx, plan.id) : null;
  const escalations = await escalationNotes(tx, 'BudgetPlan', plan.id, locale, tz);
  return { id: plan.id, year: plan.year, status: plan.status as PlanStatus, version: plan.version, lines, history, diff, amendments, escalations };
}

/** The plan of `year`, or a refusal that says how to start one. */
async function planOrRefuse(tx: Tx, year: number): Promise<PlanRow> {
  const plan = await tx.budgetPlan.findUnique({ where: { year } });
  if (!plan) refuse('plan.error.no_plan', { year });
  return plan;
}

/** Draft edits: the drafter, finance or an admin, and only while the plan is a draft. */
async function editableDraft(tx: Tx, ctx: Ctx, year: number) {
  const plan = await planOrRefuse(tx, year);
  if (plan.status !== 'draft') refuse('plan.error.locked', { year, status: t(ctx.locale, `plan.status.${plan.status}`) });
  const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
  const person = await ensurePerson(tx, actorIdentity(ctx.actor));
  if (plan.drafterId !== person.id && !roles.has('finance') && !roles.has('admin')) {
    const drafter = plan.drafterId === null ? null : await tx.person.findUnique({ where: { id: plan.drafterId } });
    refuse('plan.error.edit_forbidden', { year, who: await whoMay(tx, ctx.locale, ctx.deps.config, { people: [{ as: 'drafter', person: drafter }], roles: ['finance', 'admin'] }) });
  }
  return { plan, person };
}

/** A plan's lines written in bulk (a 2,000-line import is a few statements; src/db/bulk.ts). */
async function writeLines(tx: Tx, ctx: Ctx, planId: number, lines: readonly PlanLineDraft[]): Promise<void> {
  const owners = new Map<string, number>();
  for (const owner of new Set(lines.map((l) => l.owner).filter((o): o is string => Boolean(o)))) {
    const p = await ensurePerson(tx, { platform: ctx.actor.platform, workspaceId: ctx.actor.workspaceId, userId: owner });
    owners.set(owner, p.id);
  }
  await insertRows(
    tx,
    'PlanLine',
    ['planId', 'code', 'name', 'category', 'ownerId', 'months', 'annual'],
    lines.map((l) => [planId, l.code, l.name, l.category, l.owner ? (owners.get(l.owner) ?? null) : null, JSON.stringify(l.months), sum(l.months)]),
  );
}

function cardMessage(ctx: Ctx, view: PlanView): Message {
  return planCard(ctx.locale, view);
}

async function refreshCard(tx: Tx, ctx: Ctx, planId: number): Promise<PlanView> {
  const plan = await tx.budgetPlan.findUniqueOrThrow({ where: { id: planId } });
  const view = await loadPlanView(tx, plan, ctx.settings.timezone, ctx.locale);
  await updateCard(tx, planCardKey(plan.year), cardMessage(ctx, view));
  return view;
}

// ---------------------------------------------------------------------------------------------------------

export async function showPlan(ctx: Ctx, year: number | undefined, fallbackYear: number): Promise<Outcome> {
  return ctx.deps.db.read(async (tx) => {
    let plan = year ? await tx.budgetPlan.findUnique({ where: { year } }) : null;
    if (!year) {
      plan =
        (await tx.budgetPlan.findFirst({ where: { status: { in: ['draft', 'pending_finance', 'pending_leader'] } }, orderBy: { year: 'asc' } })) ??
        (await tx.budgetPlan.findUnique({ where: { year: Number(ctx.month.slice(0, 4)) } }));
    }
    if (!plan) refuse('plan.error.no_plan', { year: year ?? fallbackYear });
    return reply(ctx, planCard(ctx.locale, await loadPlanView(tx, plan, ctx.settings.timezone, ctx.locale), { buttons: false }));
  });
}

export async function newPlan(ctx: Ctx, year: number, from: number | undefined): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const existing = await tx.budgetPlan.findUnique({ where: { year } });
    if (existing && existing.status !== 'rejected') {
      refuse('plan.error.exists', { year, status: t(ctx.locale, `plan.status.${existing.status}`), version: existing.version });
    }
    const person = await ensurePerson(tx, actorIdentity(ctx.actor));
    let lines: PlanLineDraft[] = [];
    if (from !== undefined) {
      const fy = await tx.fiscalYear.findUnique({ where: { year: from }, include: { lines: { include: { allocations: true, owner: true }, orderBy: { code: 'asc' } } } });
      if (!fy || fy.lines.length === 0) refuse('plan.error.no_lines_to_copy', { year: from });
      lines = fy.lines.map((l) => {
        const byMonth = new Map(l.allocations.map((a) => [Number(a.month.slice(5)) - 1, a.planned]));
        return { code: l.code, name: l.name, category: (l.category as PlanCategory) ?? 'other', owner: l.owner?.userId ?? null, months: Array.from({ length: 12 }, (_, i) => byMonth.get(i) ?? 0) };
      });
    }
    let plan: PlanRow;
    if (existing) {
      // A rejected plan starts again as the next version's draft.
      await tx.planLine.deleteMany({ where: { planId: existing.id } });
      plan = await tx.budgetPlan.update({ where: { id: existing.id }, data: { status: 'draft', version: existing.version + 1, drafterId: person.id, submittedById: null, submittedAt: null, decidedAt: null } });
    } else {
      plan = await tx.budgetPlan.create({ data: { year, status: 'draft', version: 1, drafterId: person.id } });
    }
    await writeLines(tx, ctx, plan.id, lines);
    await audit(tx, { actorId: person.id, action: 'plan.new', entity: 'BudgetPlan', entityId: plan.id, data: { year, version: plan.version, from: from ?? null, lines: lines.length } });
    const view = await loadPlanView(tx, plan, ctx.settings.timezone, ctx.locale);
    const text = t(ctx.locale, from !== undefined ? 'plan.created_from' : 'plan.created', { year, from: from ?? '', n: lines.length });
    return reply(ctx, { ...planCard(ctx.locale, view, { buttons: false }), text, summary: plainText(text) });
  });
}

/** Replaces a draft's lines as a whole (an import). */
export async function replaceDraftLines(ctx: Ctx, year: number, lines: readonly PlanLineDraft[], source: string): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const { plan, person } = await editableDraft(tx, ctx, year);
    await tx.planLine.deleteMany({ where: { planId: plan.id } });
    await writeLines(tx, ctx, plan.id, lines);
    await tx.budgetPlan.update({ where: { id: plan.id }, data: { updatedAt: ctx.now } });
    const total = sum(lines.flatMap((l) => l.months));
    await audit(tx, { actorId: person.id, action: 'plan.import', entity: 'BudgetPlan', entityId: plan.id, data: { year, version: plan.version, lines: lines.length, total, source } });
    const view = await loadPlanView(tx, plan, ctx.settings.timezone, ctx.locale);
    const text = t(ctx.locale, 'plan.imported', { year, n: lines.length, total: formatTotal(ctx, total), source });
    return reply(ctx, { ...planCard(ctx.locale, view, { buttons: false }), text, summary: plainText(text) });
  });
}

function formatTotal(ctx: Ctx, v: number): string {
  return new Intl.NumberFormat(ctx.locale === 'en' ? 'en-US' : 'zh-CN', { style: 'currency', currency: 'CNY' }).format(v / 100);
}

export async function setDraftLine(ctx: Ctx, year: number, line: PlanLineDraft): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const { plan, person } = await editableDraft(tx, ctx, year);
    const existing = await tx.planLine.findUnique({ where: { planId_code: { planId: plan.id, code: line.code } } });
    if (existing) await tx.planLine.delete({ where: { id: existing.id } });
    else if ((await tx.planLine.count({ where: { planId: plan.id } })) >= 2000) refuse('plan.error.too_many_lines', { max: 2000 });
    await writeLines(tx, ctx, plan.id, [line]);
    await audit(tx, { actorId: person.id, action: 'plan.line', entity: 'BudgetPlan', entityId: plan.id, data: { year, version: plan.version, code: line.code, annual: sum(line.months), replaced: Boolean(existing) } });
    const text = t(ctx.locale, existing ? 'plan.line_replaced' : 'plan.line_added', { year, code: line.code, annual: formatTotal(ctx, sum(line.months)) });
    return reply(ctx, { tone: 'success', text, summary: plainText(text) });
  });
}

export async function removeDraftLine(ctx: Ctx, year: number, code: string): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const { plan, person } = await editableDraft(tx, ctx, year);
    const existing = await tx.planLine.findUnique({ where: { planId_code: { planId: plan.id, code } } });
    if (!existing) refuse('plan.error.unknown_line', { year, code });
    await tx.planLine.delete({ where: { id: existing.id } });
    await audit(tx, { actorId: person.id, action: 'plan.remove', entity: 'BudgetPlan', entityId: plan.id, data: { year, version: plan.version, code } });
    const text = t(ctx.locale, 'plan.line_removed', { year, code });
    return reply(ctx, { tone: 'success', text, summary: plainText(text) });
  });
}

export async function submitPlan(ctx: Ctx, year: number): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const plan = await planOrRefuse(tx, year);
    if (plan.status !== 'draft') refuse('plan.error.locked', { year, status: t(ctx.locale, `plan.status.${plan.status}`) });
    const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
    const person = await ensurePerson(tx, actorIdentity(ctx.actor));
    if (plan.drafterId !== person.id && !roles.has('finance')) {
      const drafter = plan.drafterId === null ? null : await tx.person.findUnique({ where: { id: plan.drafterId } });
      refuse('plan.error.submit_forbidden', { year, who: await whoMay(tx, ctx.locale, ctx.deps.config, { people: [{ as: 'drafter', person: drafter }], roles: ['finance'] }) });
    }
    const lines = await planLines(tx, plan.id);
    if (lines.length === 0) refuse('plan.error.empty', { year });
    const won = await tx.budgetPlan.updateMany({
      where: { id: plan.id, status: 'draft', version: plan.version },
      data: { status: 'pending_finance', submittedById: person.id, submittedAt: ctx.now },
    });
    if (won.count !== 1) refuse('plan.error.changed', { year });
    await tx.planVersion.upsert({
      where: { planId_version: { planId: plan.id, version: plan.version } },
      create: { planId: plan.id, version: plan.version, lines: JSON.stringify(lines), submittedById: person.id },
      update: { lines: JSON.stringify(lines), submittedById: person.id },
    });
    await audit(tx, { actorId: person.id, action: 'plan.submit', entity: 'BudgetPlan', entityId: plan.id, data: { year, version: plan.version, lines: lines.length, total: sum(lines.flatMap((l) => l.months)) } });
    const fresh = await tx.budgetPlan.findUniqueOrThrow({ where: { id: plan.id } });
    const view = await loadPlanView(tx, fresh, ctx.settings.timezone, ctx.locale);
    const card = cardMessage(ctx, view);
    const cardKey = planCardKey(year);
    // One card per plan and chat: a resubmission (v2+) updates the card already posted, in place (buttons, what
    // changed), and a short note in the approvals chat tells the approvers it is back; the first submission posts it.
    const shown = await tx.outboxMessage.count({ where: { cardKey, kind: { in: ['post', 'dm'] } } });
    if (shown > 0) {
      await updateCard(tx, cardKey, card);
      const text = t(ctx.locale, 'plan.resubmitted', { year, version: plan.version, key: cardKey });
      const note: Message = { tone: 'info', text, summary: plainText(text) };
      const noted = await postToPurpose(tx, 'approvals', note);
      if (noted === 0) await dmApprovers(tx, 'finance', ctx.now, note, { filedBy: [plan.drafterId, person.id] });
    } else {
      const posted = await postToPurpose(tx, 'approvals', card, { cardKey: cardKey });
      if (posted === 0) await dmApprovers(tx, 'finance', ctx.now, card, { cardKey, filedBy: [plan.drafterId, person.id] });
    }
    const text = t(ctx.locale, 'plan.submitted', { year, version: plan.version });
    return reply(ctx, { tone: 'success', text, summary: plainText(text) });
  });
}

export type PlanDecision = 'approved' | 'rejected' | 'changes_requested';

const STEP_OF: Partial<Record<PlanStatus, { step: 'finance' | 'leader'; role: Role }>> = {
  pending_finance: { step: 'finance', role: 'finance' },
  pending_leader: { step: 'leader', role: 'leader' },
};

/** A finance or leader decision on version `version` of plan `planId`. */
export async function decidePlan(ctx: Ctx, planId: number, version: number, stepNo: number, decision: PlanDecision, comment?: string): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const plan = await tx.budgetPlan.findUnique({ where: { id: planId } });
    if (!plan) refuse('core.error.not_found', { id: `PLAN-${planId}` });
    const step = STEP_OF[plan.status as PlanStatus];
    if (!step || plan.version !== version || (step.step === 'finance' ? 1 : 2) !== stepNo) {
      const text = t(ctx.locale, 'plan.already', { key: planCardKey(plan.year), status: t(ctx.locale, `plan.status.${plan.status}`), version: plan.version });
      const view = await loadPlanView(tx, plan, ctx.settings.timezone, ctx.locale);
      return { ok: false, reply: { tone: 'warning', text, summary: plainText(text) }, toast: plainText(text), updatedCard: { cardKey: planCardKey(plan.year), message: cardMessage(ctx, view) }, locale: ctx.locale };
    }
    // The step's role or a stand-in for it (delegation); never on a plan one drafted or submitted, nor one the
    // delegator drafted or submitted.
    const as = await decidingAs(tx, ctx, {
      role: step.step,
      filedBy: [plan.drafterId, plan.submittedById],
      noRole: { key: `plan.error.${step.step}_only`, who: async () => ({ who: await whoMay(tx, ctx.locale, ctx.deps.config, { roles: [step.role] }) }) },
      ownRequestKey: 'plan.error.self_decision',
      ownRequestParams: async () => ({ who: await otherApprovers(tx, ctx, step.step, [plan.drafterId, plan.submittedById]) }),
    });
    const person = as.decider;
    if (decision !== 'approved' && !comment) refuse('plan.error.comment_required');

    const next: PlanStatus = decision === 'rejected' ? 'rejected' : decision === 'changes_requested' ? 'draft' : step.step === 'finance' ? 'pending_leader' : 'approved';
    const final = next === 'approved' || next === 'rejected';
    const won = await tx.budgetPlan.updateMany({
      where: { id: plan.id, status: plan.status, version },
      data: { status: next, ...(decision === 'changes_requested' ? { version: version + 1 } : {}), ...(final ? { decidedAt: ctx.now } : {}) },
    });
    if (won.count !== 1) return decidePlanRace(tx, ctx, plan.id);
    await tx.planStep.create({ data: { planId: plan.id, version, step: step.step, decision, deciderId: person.id, onBehalfOfId: as.onBehalfOf?.id ?? null, comment: comment ?? null, decidedAt: ctx.now } });
    await audit(tx, { actorId: person.id, action: `plan.${step.step}.${decision}`, entity: 'BudgetPlan', entityId: plan.id, data: { year: plan.year, version, comment: comment ?? undefined, ...behalfData(as) } });

    let created = 0;
    if (next === 'approved') created = await createYearLines(tx, plan.id, plan.year);

    const view = await refreshCard(tx, ctx, plan.id);
    const cardKey = planCardKey(plan.year);
    // Who hears about it: the drafter and submitter always; the leaders when it reaches their step; everyone who
    // took part when it is approved.
    const notice = (key: string): Message => {
      const text = t(ctx.locale, key, { year: plan.year, version, who: deciderText(ctx.locale, person, as.onBehalfOf), comment: comment ?? '' });
      return { tone: next === 'approved' ? 'success' : next === 'rejected' ? 'danger' : 'info', text, summary: plainText(text) };
    };
    const told = new Set<number>([person.id]);
    const tell = async (id: number | null, message: Message) => {
      if (id === null || told.has(id)) return;
      told.add(id);
      const p = await tx.person.findUnique({ where: { id } });
      if (p) await directMessage(tx, p, message);
    };
    const key = `plan.notice.${step.step}.${decision}`;
    await tell(plan.drafterId, notice(key));
    await tell(plan.submittedById, notice(key));
    if (next === 'pending_leader') await dmApprovers(tx, 'leader', ctx.now, { ...cardMessage(ctx, view) }, { cardKey, filedBy: [plan.drafterId, plan.submittedById, person.id] });
    if (next === 'approved') {
      const steps = await tx.planStep.findMany({ where: { planId: plan.id, version } });
      for (const s of steps) await tell(s.deciderId, notice(key));
    }
    const text = t(ctx.locale, `plan.decided.${step.step}.${decision}`, { year: plan.year, version, lines: created });
    return { ok: true, reply: { tone: 'success', text, summary: plainText(text) }, toast: plainText(text), updatedCard: { cardKey, message: cardMessage(ctx, view) }, locale: ctx.locale };
  });
}

async function decidePlanRace(tx: Tx, ctx: Ctx, planId: number): Promise<Outcome> {
  const plan = await tx.budgetPlan.findUniqueOrThrow({ where: { id: planId } });
  const text = t(ctx.locale, 'plan.already', { key: planCardKey(plan.year), status: t(ctx.locale, `plan.status.${plan.status}`), version: plan.version });
  return { ok: false, reply: { tone: 'warning', text, summary: plainText(text) }, toast: plainText(text), locale: ctx.locale };
}

/**
 * The approved plan becomes the fiscal year's budget lines and monthly allocations (inside the approval's
 * transaction). A line that already exists in that year (e.g. added before the plan) takes the plan's figures; new
 * lines and their allocations are written in batches (a 2,000-line plan is a few dozen statements, not 26,000).
 */
async function createYearLines(tx: Tx, planId: number, year: number): Promise<number> {
  const fy = (await tx.fiscalYear.findUnique({ where: { year } })) ?? (await tx.fiscalYear.create({ data: { year } }));
  const rows = await tx.planLine.findMany({ where: { planId }, orderBy: { code: 'asc' } });
  const months = monthsOfYear(year);
  const existing = new Map((await tx.budgetLine.findMany({ where: { fiscalYearId: fy.id }, select: { id: true, code: true } })).map((l) => [l.code, l.id]));
  const fresh = rows.filter((r) => !existing.has(r.code));
  for (const r of rows.filter((x) => existing.has(x.code))) {
    const lineId = existing.get(r.code)!;
    const plan = parseMonths(r.months);
    await tx.budgetLine.update({ where: { id: lineId }, data: { name: r.name, category: r.category, annualAmount: r.annual, ownerId: r.ownerId } });
    for (const [i, month] of months.entries()) {
      await tx.monthlyAllocation.upsert({
        where: { lineId_month: { lineId, month } },
        create: { lineId, month, planned: plan[i]! },
        update: { planned: plan[i]! },
      });
    }
  }
  const now = new Date();
  await insertRows(
    tx,
    'BudgetLine',
    ['fiscalYearId', 'code', 'name', 'category', 'annualAmount', 'ownerId', 'createdAt'],
    fresh.map((r) => [fy.id, r.code, r.name, r.category, r.annual, r.ownerId, now]),
  );
  const ids = new Map((await tx.budgetLine.findMany({ where: { fiscalYearId: fy.id }, select: { id: true, code: true } })).map((l) => [l.code, l.id]));
  await insertRows(
    tx,
    'MonthlyAllocation',
    ['lineId', 'month', 'planned', 'updatedAt'],
    fresh.flatMap((r) => {
      const plan = parseMonths(r.months);
      return months.map((month, m) => [ids.get(r.code)!, month, plan[m]!, now]);
    }),
  );
  return rows.length;
}
