// Use-cases of the campaigns area (policy 四): propose → leader decides (approval commits budget per month)
// → running / ended (derived from the dates) → close with actual results → evaluated (commitment released).
//
// Decisions:
// - `running` and `ended` are computed on read with effectiveStatus(today) and never persisted: the stored
//   status stays `approved` until the campaign is evaluated. Lists and the agenda filter on the dates in SQL.
// - A `changes_requested` proposal goes back to its owner, who revises it in place (same CMP id, form
//   campaign.revise:<id> validated exactly like campaign.new) and resubmits it: compare-and-set
//   changes_requested → pending_approval, the previous decision is cleared (kept in the audit log), and the
//   leaders' card is updated in place with the new version, what changed, and the decision buttons again.
// - A campaign must end in the fiscal year it starts in (its budget line belongs to that year), and may not
//   start in the past.
// - Closing deletes the campaign's BudgetCommitment rows (the released amount is kept in the audit record).
import { markup, plainText } from '../messages/markup.js';
import { CAMPAIGN_LIST_FILTERS, type CampaignListFilter } from '../commands/intents.js';
import type { Tx } from '../db/client.js';
import { available } from '../domain/budget.js';
import {
  canClose,
  canDecide,
  canResubmit,
  compareKpis,
  effectiveStatus,
  MAX_CAMPAIGN_DAYS,
  splitCommitment,
} from '../domain/campaigns.js';
import { formatMoney, parseMoney } from '../domain/money.js';
import { canAct } from '../domain/permissions.js';
import { requireCan, whoMay } from './whoMay.js';
import { daysBetween, parseLocalDate } from '../domain/time.js';
import {
  CAMPAIGN_CHANNELS,
  CAMPAIGN_FORMATS,
  CAMPAIGN_GOALS,
  KPI_KEYS,
  type CampaignStatus,
  type KpiKey,
  type Minor,
} from '../domain/types.js';
import type { Prisma } from '../generated/prisma/client.js';
import { t } from '../i18n/index.js';
import {
  campaignCard,
  campaignListMessage,
  changedFields,
  closeButton,
  cmpId,
  decisionButtons,
  evaluationMessage,
  FORM_KPIS,
  kpiField,
  KPI_UNITS,
  resultField,
  shortfallMessage,
  statusLabel,
  type MonthAvailability,
  type Shortfall,
} from '../messages/builders/campaigns.js';
import {
  campaignCloseForm,
  campaignDecisionForm,
  campaignNewForm,
  campaignReviseForm,
  proposalFormValues,
  reviseButton,
  type ProposalSnapshot,
} from '../messages/builders/campaignForms.js';
import { noticeMessage } from '../messages/builders/common.js';
import type { Button, Message } from '../messages/model.js';
import { behalfData, checkAuthority, deciderText, decidingAs, dmApprovers, mayDecide, otherApprovers, type DecisionCheck } from './approvers.js';
import { audit } from './audit.js';
import { findLineByCode, oneLineFigures } from './budgetFigures.js';
import {
  campaignView,
  FormInvalid,
  HOLDING_STATUSES,
  list,
  loadCampaign,
  parseJson,
  proposalSnapshot,
  str,
  tooLong,
  when,
  yuanString,
  type CampaignRow,
  type FieldErrors,
  type RevisionAudit,
} from './campaignSupport.js';
import { formRefusal, refuse, reply, type Area, type Ctx } from './context.js';
import { raisesYearlyTotal, statusAfterApproval } from '../domain/adjustments.js';
import { directMessage, messageRole, postToPurpose, updateCard } from './notify.js';
import { actorIdentity, ensurePerson, findPerson, mention, nameOf, peopleWithRole, rolesOf } from './people.js';
import type { FormValues, Outcome } from './types.js';

const cardKey = (id: number): string => `CMP-${id}`;
/** Largest count KPI we accept (a sanity cap, like MONEY_CAP for amounts). */
const MAX_COUNT = 1_000_000_000_000;

// ---------------------------------------------------------------------------------------------- values

type KpiParse = { ok: true; value: number } | { ok: false; key: string; params: Record<string, string | number> };

/** Parses a KPI number as typed: counts are whole numbers, rates percentages (≤ 2 decimals), revenue money. */
export function parseKpiValue(key: KpiKey, raw: string, opts: { allowZero?: boolean } = {}): KpiParse {
  const unit = KPI_UNITS[key];
  if (unit === 'money') {
    const r = parseMoney(raw, { allowZero: opts.allowZero ?? true });
    return r.ok ? { ok: true, value: r.value } : { ok: false, key: r.error.key, params: r.error.params };
  }
  if (unit === 'percent') {
    const s = raw.replace(/\s*[%％]$/, '');
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(s) || Number(s) > 100) return { ok: false, key: 'cmp.error.bad_percent', params: { token: raw } };
    return { ok: true, value: Number(s) };
  }
  const s = raw.replace(/,/g, '');
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (!Number.isSafeInteger(n) || n > MAX_COUNT) return { ok: false, key: 'cmp.error.too_big', params: { token: raw } };
    return { ok: true, value: n };
  }
  if (/^\d*\.\d+$/.test(s)) return { ok: false, key: 'cmp.error.not_integer', params: { token: raw } };
  return { ok: false, key: 'cmp.error.bad_number', params: { token: raw } };
}

type Proposal = ProposalSnapshot;

/** The Campaign columns a proposal sets (on creation and on revision). */
function proposalColumns(p: Proposal, lineId: number) {
  return {
    name: p.name,
    goal: p.goal,
    theme: p.theme,
    format: p.format,
    channels: JSON.stringify(p.channels),
    startDate: p.startDate,
    endDate: p.endDate,
    lineId,
    amount: p.amount,
    kpiTargets: JSON.stringify(p.kpiTargets),
  };
}

/** Validates every field of the proposal form that needs no database; collects one error per field. */
function parseProposal(ctx: Ctx, values: FormValues): { proposal: Proposal; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const required = (name: string, max: number): string => {
    const v = str(values, name);
    if (!v) errors[name] = { key: 'cmp.error.required' };
    else if (tooLong(v, max)) errors[name] = { key: 'cmp.error.too_long', params: tooLong(v, max)! };
    return v;
  };
  const choice = (name: string, options: readonly string[]): string => {
    const v = str(values, name);
    if (!v) errors[name] = { key: 'cmp.error.required' };
    else if (!options.includes(v)) errors[name] = { key: 'cmp.error.bad_option', params: { token: v } };
    return v;
  };
  const name = required('name', 100);
  const theme = required('theme', 200);
  const goal = choice('goal', CAMPAIGN_GOALS);
  const format = choice('format', CAMPAIGN_FORMATS);
  const channels = list(values, 'channels');
  if (channels.length === 0) errors.channels = { key: 'cmp.error.required' };
  else {
    const bad = channels.find((c) => !(CAMPAIGN_CHANNELS as readonly string[]).includes(c));
    if (bad) errors.channels = { key: 'cmp.error.bad_option', params: { token: bad } };
  }

  const date = (field: string): string | null => {
    const raw = str(values, field);
    if (!raw) {
      errors[field] = { key: 'cmp.error.required' };
      return null;
    }
    const d = parseLocalDate(raw);
    if (!d) errors[field] = { key: 'cmp.error.bad_date', params: { token: raw } };
    return d;
  };
  const start = date('start');
  const end = date('end');
  if (start && start < ctx.today) errors.start = { key: 'cmp.error.start_past', params: { start, today: ctx.today } };
  if (start && end) {
    if (end < start) errors.end = { key: 'cmp.error.end_before_start', params: { start, end } };
    else if (daysBetween(start, end) + 1 > MAX_CAMPAIGN_DAYS)
      errors.end = { key: 'cmp.error.too_many_days', params: { maxDays: MAX_CAMPAIGN_DAYS, start, end, days: daysBetween(start, end) + 1 } };
    else if (end.slice(0, 4) !== start.slice(0, 4)) errors.end = { key: 'cmp.error.cross_year', params: { year: start.slice(0, 4) } };
  }

  const lineCode = str(values, 'line');
  if (!lineCode) errors.line = { key: 'cmp.error.required' };

  let amount = 0;
  const rawAmount = str(values, 'amount');
  if (!rawAmount) errors.amount = { key: 'cmp.error.required' };
  else {
    const m = parseMoney(rawAmount);
    if (m.ok) amount = m.value;
    else errors.amount = { key: m.error.key, params: m.error.params };
  }

  const kpiTargets: Partial<Record<KpiKey, number>> = {};
  for (const key of FORM_KPIS) {
    const raw = str(values, kpiField(key));
    if (!raw) continue;
    const r = parseKpiValue(key, raw, { allowZero: false });
    if (r.ok) kpiTargets[key] = r.value;
    else errors[kpiField(key)] = { key: r.key, params: r.params };
  }
  const kpiErrors = FORM_KPIS.some((k) => errors[kpiField(k)]);
  if (!kpiErrors && Object.keys(kpiTargets).length === 0) errors[kpiField(FORM_KPIS[0]!)] = { key: 'cmp.error.no_kpi' };

  return {
    proposal: { name, goal, theme, format, channels, startDate: start ?? '', endDate: end ?? '', lineCode, amount, kpiTargets },
    errors,
  };
}

/**
 * The whole validation of a proposal form (campaign.new and campaign.revise): the field checks of
 * parseProposal plus the budget line of the start date's fiscal year. Throws FormInvalid with every error.
 */
async function validateProposal(tx: Tx, ctx: Ctx, parsed: { proposal: Proposal; errors: FieldErrors }) {
  const { proposal: p } = parsed;
  const errors: FieldErrors = { ...parsed.errors };
  let line = null;
  if (p.lineCode) {
    const month = (p.startDate || ctx.today).slice(0, 7);
    line = await findLineByCode(tx, p.lineCode, month);
    if (!line) errors.line = { key: 'cmp.error.unknown_line', params: { token: p.lineCode, year: month.slice(0, 4) } };
  }
  if (Object.keys(errors).length > 0 || !line) throw new FormInvalid(errors);
  return { p, line };
}

/** Runs `work` in a write; per-field errors thrown inside become a form refusal (and roll everything back). */
async function writeForm(ctx: Ctx, work: (tx: Tx) => Promise<Outcome>): Promise<Outcome> {
  try {
    return await ctx.deps.db.write(work);
  } catch (error) {
    if (error instanceof FormInvalid) return formRefusal(ctx, error.errors);
    throw error;
  }
}

// -------------------------------------------------------------------------------------------- budget

/** Share of each month and what the line still has available (before this campaign is committed). */
async function monthAvailability(tx: Tx, c: { lineId: number; amount: Minor; startDate: string; endDate: string }): Promise<MonthAvailability[]> {
  const out: MonthAvailability[] = [];
  for (const part of splitCommitment(c.amount, c.startDate, c.endDate)) {
    const fig = await oneLineFigures(tx, c.lineId, part.month);
    out.push({ month: part.month, share: part.amount, available: fig ? available(fig) : 0 });
  }
  return out;
}

function shortfallsOf(months: MonthAvailability[]): Shortfall[] {
  return months
    .filter((m) => m.share > Math.max(0, m.available))
    .map((m) => ({ month: m.month, need: m.share, available: m.available, short: m.share - Math.max(0, m.available) }));
}

// ------------------------------------------------------------------------------------------- guards

/**
 * A click on a copy of the card drawn for an older revision (the owner revised it since): not decided; the person
 * is shown the current card (and Feishu replaces the clicked copy with it). Buttons without a stamp are revision 1.
 */
async function staleCard(tx: Tx, ctx: Ctx, c: CampaignRow, revision: number | undefined): Promise<Outcome | null> {
  if ((revision ?? 1) === c.revision) return null;
  const card = await approvalCard(tx, ctx, c.id);
  const warning = t(ctx.locale, 'cmp.error.stale_card', { id: cmpId(c.id) });
  return {
    ok: false,
    reply: { ...card, tone: 'warning', text: card.text ? `${warning}\n\n${card.text}` : warning, summary: plainText(warning) },
    toast: plainText(warning),
    updatedCard: { cardKey: cardKey(c.id), message: card },
    locale: ctx.locale,
  };
}

/** A leader may decide a pending proposal of someone else. Reads only; throws the refusal. */
async function decideGuard(tx: Tx, ctx: Ctx, id: number): Promise<{ c: CampaignRow; check: DecisionCheck }> {
  const c = await loadCampaign(tx, id);
  if (!c) refuse('core.error.not_found', { id: cmpId(id) });
  // A leader, or a leader's stand-in (delegation), on someone else's proposal.
  const check: DecisionCheck = {
    role: 'leader',
    filedBy: [c.ownerId],
    noRole: { key: 'error.forbidden', who: async () => ({ who: await whoMay(tx, ctx.locale, ctx.deps.config, { roles: ['leader'] }) }) },
    ownRequestKey: 'cmp.error.self_decision',
    // Nobody decides their own proposal: say who else may.
    ownRequestParams: async () => ({ id: cmpId(id), who: await otherApprovers(tx, ctx, 'leader', [c.ownerId]) }),
  };
  await checkAuthority(tx, ctx, check);
  await assertPending(tx, ctx, c);
  return { c, check };
}

async function assertPending(tx: Tx, ctx: Ctx, c: CampaignRow): Promise<void> {
  if (canDecide(c.status as CampaignStatus)) return;
  const status = statusLabel(ctx.locale, c.status);
  const decider = c.decidedById ? await tx.person.findUnique({ where: { id: c.decidedById } }) : null;
  if (decider && c.decidedAt) {
    refuse('cmp.error.already_decided', { id: cmpId(c.id), status, by: nameOf(decider), at: when(ctx, c.decidedAt) });
  }
  refuse('cmp.error.not_pending', { id: cmpId(c.id), status });
}

/** Owner or leader, on an approved / running / ended campaign. */
async function closeGuard(tx: Tx, ctx: Ctx, id: number): Promise<CampaignRow> {
  const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
  const c = await loadCampaign(tx, id);
  if (!c) refuse('core.error.not_found', { id: cmpId(id) });
  const person = await findPerson(tx, ctx.actor);
  if (!canAct(roles, 'campaign.close', { isOwner: person?.id === c.ownerId })) {
    refuse('cmp.error.close_forbidden', { id: cmpId(id), who: await whoMay(tx, ctx.locale, ctx.deps.config, { people: [{ as: 'owner', person: c.owner }], roles: ['leader'] }) });
  }
  if (!canClose(c.status as CampaignStatus)) refuse('cmp.error.cannot_close', { id: cmpId(id), status: statusLabel(ctx.locale, c.status) });
  // Evaluated against what happened: not before it started.
  if (c.startDate > ctx.today) refuse('cmp.error.not_started', { id: cmpId(id), start: c.startDate });
  return c;
}

// --------------------------------------------------------------------------------------------- cards

async function currentCard(tx: Tx, ctx: Ctx, id: number, buttons: Button[] = []): Promise<Message> {
  const c = await loadCampaign(tx, id);
  const view = await campaignView(tx, ctx, c!, { commitments: true });
  return campaignCard(ctx.locale, view, { buttons });
}

// ------------------------------------------------------------------------------------------ proposal

async function linesForForm(tx: Tx, ctx: Ctx) {
  const year = Number(ctx.today.slice(0, 4));
  const rows = await tx.budgetLine.findMany({
    where: { fiscalYear: { year: { in: [year, year + 1] } } },
    select: { code: true, name: true },
    orderBy: [{ code: 'asc' }, { id: 'asc' }],
  });
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.code) ? false : (seen.add(r.code), true)));
}

/**
 * Sends the approval card of pending campaign `id` (availability per month, decision buttons) to the leaders'
 * chats, or by DM to every leader but the owner when none is bound. Returns how many it went to.
 */
async function postApprovalCard(tx: Tx, ctx: Ctx, id: number, ownerId: number): Promise<number> {
  const card = await approvalCard(tx, ctx, id);
  const sent = await postToPurpose(tx, 'leaders', card, { cardKey: cardKey(id) });
  return sent > 0 ? sent : dmApprovers(tx, 'leader', ctx.now, card, { filedBy: [ownerId], cardKey: cardKey(id) });
}

/** The approval card of a pending campaign as the leaders see it (also what an escalation sends). */
export async function campaignApprovalCard(tx: Tx, ctx: Ctx, id: number): Promise<Message> {
  return approvalCard(tx, ctx, id);
}

async function approvalCard(tx: Tx, ctx: Ctx, id: number): Promise<Message> {
  const row = (await loadCampaign(tx, id))!;
  const months = await monthAvailability(tx, row);
  return campaignCard(ctx.locale, await campaignView(tx, ctx, row), { months, buttons: decisionButtons(ctx.locale, id, row.revision) });
}

async function submitProposal(ctx: Ctx, values: FormValues): Promise<Outcome> {
  const parsed = parseProposal(ctx, values);
  return writeForm(ctx, async (tx) => {
    const { p, line } = await validateProposal(tx, ctx, parsed);
    const owner = await ensurePerson(tx, actorIdentity(ctx.actor));
    const c = await tx.campaign.create({
      data: {
        ...proposalColumns(p, line.id),
        status: 'pending_approval',
        ownerId: owner.id,
        createdAt: ctx.now,
      },
    });
    await audit(tx, { actorId: owner.id, action: 'campaign.propose', entity: 'campaign', entityId: c.id, data: { ...p, lineId: line.id } });

    const sent = await postApprovalCard(tx, ctx, c.id, owner.id);
    const key = sent > 0 ? 'cmp.created' : 'cmp.created.nobody';
    return reply(ctx, noticeMessage(t(ctx.locale, key, { id: cmpId(c.id), name: p.name }), { tone: sent > 0 ? 'success' : 'warning' }));
  });
}

// ------------------------------------------------------------------------------------------- revise

/** Only the owner revises, and only a campaign a leader sent back. Reads only; throws the refusal. */
async function reviseGuard(tx: Tx, ctx: Ctx, id: number): Promise<CampaignRow> {
  const c = await loadCampaign(tx, id);
  if (!c) refuse('core.error.not_found', { id: cmpId(id) });
  const person = await findPerson(tx, ctx.actor);
  if (!person || person.id !== c.ownerId) {
    refuse('cmp.error.revise_forbidden', { id: cmpId(id), who: await whoMay(tx, ctx.locale, ctx.deps.config, { people: [{ as: 'owner', person: c.owner }] }) });
  }
  assertRevisable(ctx, c);
  return c;
}

function assertRevisable(ctx: Ctx, c: CampaignRow): void {
  if (canResubmit(c.status as CampaignStatus)) return;
  const status = effectiveStatus(c.status as CampaignStatus, c.startDate, c.endDate, ctx.today);
  refuse('cmp.error.cannot_revise', { id: cmpId(c.id), status: statusLabel(ctx.locale, status) });
}

/** The proposal form pre-filled with the campaign's current values, the leader's comment as intro. */
async function reviseForm(ctx: Ctx, id: number, prefill?: Record<string, string>) {
  return ctx.deps.db.read(async (tx) => {
    const c = await reviseGuard(tx, ctx, id);
    const decider = c.decidedById ? await tx.person.findUnique({ where: { id: c.decidedById } }) : null;
    const lines = await linesForForm(tx, ctx);
    return campaignReviseForm(
      ctx.locale,
      lines,
      {
        id,
        name: c.name,
        by: decider ? mention(decider) : markup(t(ctx.locale, 'cmp.none')),
        at: c.decidedAt ? when(ctx, c.decidedAt) : '',
        comment: c.decisionComment ?? '',
      },
      { ...proposalFormValues(proposalSnapshot(c)), ...prefill },
    );
  });
}

async function submitRevision(ctx: Ctx, id: number, values: FormValues): Promise<Outcome> {
  const parsed = parseProposal(ctx, values);
  return writeForm(ctx, async (tx) => {
    // Who and what first: a refused person or status is told so, whatever the fields say.
    const c = await reviseGuard(tx, ctx, id);
    const { p, line } = await validateProposal(tx, ctx, parsed);
    const owner = await ensurePerson(tx, actorIdentity(ctx.actor));
    const won = await tx.campaign.updateMany({
      where: { id, status: 'changes_requested', ownerId: owner.id },
      data: {
        ...proposalColumns(p, line.id),
        status: 'pending_approval',
        decidedById: null,
        decidedAt: null,
        decisionComment: null,
        // Buttons drawn for the previous version are refused from now on ("this card changed").
        revision: { increment: 1 },
      },
    });
    if (won.count === 0) {
      const now = (await loadCampaign(tx, id))!;
      assertRevisable(ctx, now);
      refuse('cmp.error.revise_forbidden', { id: cmpId(id), who: await whoMay(tx, ctx.locale, ctx.deps.config, { people: [{ as: 'owner', person: now.owner }] }) });
    }

    const before = proposalSnapshot(c);
    const after = proposalSnapshot((await loadCampaign(tx, id))!);
    const revision: RevisionAudit = { at: ctx.now.toISOString(), comment: c.decisionComment, changed: changedFields(before, after), before, after };
    await audit(tx, {
      actorId: owner.id,
      action: 'campaign.revise',
      entity: 'campaign',
      entityId: id,
      data: { ...revision, requestedById: c.decidedById, lineId: line.id },
    });

    // The card the leaders already have shows the new version with the decision buttons again.
    const posted = await tx.outboxMessage.count({ where: { cardKey: cardKey(id), kind: { in: ['post', 'dm'] } } });
    let sent = posted;
    if (posted > 0) await updateCard(tx, cardKey(id), await approvalCard(tx, ctx, id));
    else sent = await postApprovalCard(tx, ctx, id, owner.id);
    const key = sent > 0 ? 'cmp.revised.reply' : 'cmp.revised.nobody';
    return reply(ctx, noticeMessage(t(ctx.locale, key, { id: cmpId(id), name: p.name }), { tone: sent > 0 ? 'success' : 'warning' }));
  });
}

// ------------------------------------------------------------------------------------------ decisions

async function approve(ctx: Ctx, id: number, revision: number | undefined): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const { c, check } = await decideGuard(tx, ctx, id);
    const stale = await staleCard(tx, ctx, c, revision);
    if (stale) return stale;
    const months = await monthAvailability(tx, c);
    const shortfalls = shortfallsOf(months);
    if (shortfalls.length > 0) {
      // Refused: the campaign stays pending. Its owner is the one to ask for the missing budget (a leader filing it
      // could not approve their own request): they get the button by DM, once per shortfall; the leader is told so.
      const approvers = await shortfallApprovers(tx, ctx, c, shortfalls[0]!.short);
      const leader = await ensurePerson(tx, actorIdentity(ctx.actor));
      const dm = shortfallMessage(ctx.locale, c.id, c.line.code, shortfalls, {
        key: 'cmp.shortfall.owner',
        leader: mention(leader),
        request: true,
        note: t(ctx.locale, 'cmp.shortfall.owner_hint', { approvers }),
      });
      const first = shortfalls[0]!;
      await directMessage(tx, c.owner, dm, { dedupeKey: `cmp.shortfall:${c.id}:${c.revision}:${first.month}:${first.short}` });
      const message = shortfallMessage(ctx.locale, c.id, c.line.code, shortfalls, {
        request: false,
        note: t(ctx.locale, 'cmp.shortfall.asked', { owner: nameOf(c.owner), approvers }),
      });
      return { ok: false, reply: message, toast: message.summary, locale: ctx.locale };
    }
    const as = await decidingAs(tx, ctx, check);
    const decider = as.decider;
    const won = await tx.campaign.updateMany({
      where: { id, status: 'pending_approval', revision: c.revision },
      data: { status: 'approved', decidedById: decider.id, decidedOnBehalfOfId: as.onBehalfOf?.id ?? null, decidedAt: ctx.now },
    });
    if (won.count === 0) {
      // Decided or revised meanwhile (another instance): say so, change nothing.
      const now = (await loadCampaign(tx, id))!;
      await assertPending(tx, ctx, now);
      const stale = await staleCard(tx, ctx, now, revision);
      if (stale) return stale;
    }
    const parts = months.filter((m) => m.share > 0);
    for (const m of parts) {
      await tx.budgetCommitment.create({ data: { campaignId: id, lineId: c.lineId, month: m.month, amount: m.share } });
    }
    await audit(tx, {
      actorId: decider.id,
      action: 'campaign.approve',
      entity: 'campaign',
      entityId: id,
      data: { commitments: parts.map((m) => ({ month: m.month, amount: m.share })), lineId: c.lineId, ...behalfData(as) },
    });
    const card = await currentCard(tx, ctx, id, [closeButton(ctx.locale, id)]);
    await updateCard(tx, cardKey(id), card);
    const params = { id: cmpId(id), name: c.name, by: deciderText(ctx.locale, decider, as.onBehalfOf), amount: formatMoney(c.amount, ctx.locale), line: c.line.code };
    await directMessage(tx, c.owner, noticeMessage(t(ctx.locale, 'cmp.approved.owner', params)));
    return reply(ctx, noticeMessage(t(ctx.locale, 'cmp.approved.reply', params)), {
      updatedCard: { cardKey: cardKey(id), message: card },
    });
  });
}

async function decideWithComment(ctx: Ctx, kind: 'cmp.reject' | 'cmp.changes', id: number, revision: number | undefined, values: FormValues): Promise<Outcome> {
  const comment = str(values, 'comment');
  if (!comment) return formRefusal(ctx, { comment: { key: 'cmp.error.required' } });
  if (tooLong(comment, 1000)) return formRefusal(ctx, { comment: { key: 'cmp.error.too_long', params: tooLong(comment, 1000)! } });
  const status: CampaignStatus = kind === 'cmp.reject' ? 'rejected' : 'changes_requested';
  return ctx.deps.db.write(async (tx) => {
    const { c, check } = await decideGuard(tx, ctx, id);
    const stale = await staleCard(tx, ctx, c, revision);
    if (stale) return stale;
    const as = await decidingAs(tx, ctx, check);
    const decider = as.decider;
    const won = await tx.campaign.updateMany({
      where: { id, status: 'pending_approval', revision: c.revision },
      data: { status, decidedById: decider.id, decidedOnBehalfOfId: as.onBehalfOf?.id ?? null, decidedAt: ctx.now, decisionComment: comment },
    });
    if (won.count === 0) {
      // Decided or revised meanwhile (another instance): say so, change nothing.
      const now = (await loadCampaign(tx, id))!;
      await assertPending(tx, ctx, now);
      const stale = await staleCard(tx, ctx, now, revision);
      if (stale) return stale;
    }
    await audit(tx, { actorId: decider.id, action: `campaign.${status}`, entity: 'campaign', entityId: id, data: { comment, ...behalfData(as) } });
    const card = await currentCard(tx, ctx, id);
    await updateCard(tx, cardKey(id), card);
    const params = { id: cmpId(id), name: c.name, by: deciderText(ctx.locale, decider, as.onBehalfOf), comment };
    // Changes requested: the owner gets the button that opens the proposal pre-filled for revision.
    const buttons = status === 'changes_requested' ? [reviseButton(ctx.locale, id)] : undefined;
    await directMessage(tx, c.owner, noticeMessage(t(ctx.locale, `cmp.${status}.owner`, params), { tone: 'warning', buttons }));
    return reply(ctx, noticeMessage(t(ctx.locale, `cmp.${status}.reply`, params)), {
      updatedCard: { cardKey: cardKey(id), message: card },
    });
  });
}

async function openDecisionForm(ctx: Ctx, kind: 'cmp.reject' | 'cmp.changes', id: number, revision: number | undefined): Promise<Outcome> {
  return ctx.deps.db.read(async (tx) => {
    const { c } = await decideGuard(tx, ctx, id);
    const stale = await staleCard(tx, ctx, c, revision);
    if (stale) return stale;
    const form = campaignDecisionForm(ctx.locale, kind, { id, revision: c.revision, name: c.name, owner: mention(c.owner), amount: c.amount });
    return { ok: true, openForm: form, locale: ctx.locale };
  });
}

/**
 * Who decides a budget request for `amount` on the campaign's line: finance, then a leader when the amount reaches
 * the leader threshold or raises the line's yearly total (the same routing as the request itself, domain/adjustments).
 */
async function shortfallApprovers(tx: Tx, ctx: Ctx, c: CampaignRow, amount: number): Promise<string> {
  const planned = await tx.monthlyAllocation.aggregate({ where: { lineId: c.lineId }, _sum: { planned: true } });
  const route = {
    amount,
    leaderThreshold: ctx.settings.leaderThreshold,
    raisesYearlyTotal: raisesYearlyTotal({ kind: 'increase', amount, lineAnnualAmount: c.line.annualAmount, linePlannedTotal: planned._sum.planned ?? 0 }),
  };
  const finance = await whoMay(tx, ctx.locale, ctx.deps.config, { roles: ['finance'] });
  if (statusAfterApproval('finance', route) !== 'pending_leader') return finance;
  const leader = await whoMay(tx, ctx.locale, ctx.deps.config, { roles: ['leader'] });
  return plainText(t(ctx.locale, 'cmp.shortfall.approvers_both', { finance, leader }));
}

async function openShortfallRequest(ctx: Ctx, id: number): Promise<Outcome> {
  const found = await ctx.deps.db.read(async (tx) => {
    const c = await loadCampaign(tx, id);
    if (!c) refuse('core.error.not_found', { id: cmpId(id) });
    // The owner asks for the missing budget (anyone else — a leader — could not see it through: see approve()).
    const person = await findPerson(tx, ctx.actor);
    if (person?.id !== c.ownerId) {
      refuse('cmp.error.shortfall_owner', { id: cmpId(id), who: await whoMay(tx, ctx.locale, ctx.deps.config, { people: [{ as: 'owner', person: c.owner }] }) });
    }
    return { c, shortfalls: shortfallsOf(await monthAvailability(tx, c)) };
  });
  const first = found.shortfalls[0];
  if (!first) return reply(ctx, noticeMessage(t(ctx.locale, 'cmp.shortfall.none', { id: cmpId(id) })));
  // Imported lazily: core.ts imports this module to register the area.
  const { openFormOutcome } = await import('./core.js');
  return openFormOutcome(ctx, { kind: 'budget.request', args: [] }, {
    line: found.c.line.code,
    amount: yuanString(first.short),
    month: first.month,
    reason: plainText(t(ctx.locale, 'cmp.shortfall.reason', { id: cmpId(id), name: found.c.name })),
  });
}

// --------------------------------------------------------------------------------------------- close

async function openCloseForm(ctx: Ctx, id: number): Promise<Outcome> {
  const form = await ctx.deps.db.read(async (tx) => {
    const c = await closeGuard(tx, ctx, id);
    return campaignCloseForm(ctx.locale, { id, name: c.name, kpiTargets: parseJson(c.kpiTargets, {}) });
  });
  return { ok: true, openForm: form, locale: ctx.locale };
}

async function submitClose(ctx: Ctx, id: number, values: FormValues): Promise<Outcome> {
  return writeForm(ctx, async (tx) => {
    const c = await closeGuard(tx, ctx, id);
    const targets = parseJson<Partial<Record<KpiKey, number>>>(c.kpiTargets, {});
    const errors: FieldErrors = {};
    const actuals: Partial<Record<KpiKey, number>> = {};
    for (const key of KPI_KEYS) {
      if (targets[key] === undefined) continue;
      const raw = str(values, resultField(key));
      if (!raw) {
        errors[resultField(key)] = { key: 'cmp.error.required' };
        continue;
      }
      const r = parseKpiValue(key, raw, { allowZero: true });
      if (r.ok) actuals[key] = r.value;
      else errors[resultField(key)] = { key: r.key, params: r.params };
    }
    let actualCost = 0;
    const rawCost = str(values, 'actual_cost');
    if (!rawCost) errors.actual_cost = { key: 'cmp.error.required' };
    else {
      const m = parseMoney(rawCost, { allowZero: true });
      if (m.ok) actualCost = m.value;
      else errors.actual_cost = { key: m.error.key, params: m.error.params };
    }
    const lessons = str(values, 'lessons');
    if (!lessons) errors.lessons = { key: 'cmp.error.required' };
    else if (tooLong(lessons, 2000)) errors.lessons = { key: 'cmp.error.too_long', params: tooLong(lessons, 2000)! };
    if (Object.keys(errors).length > 0) throw new FormInvalid(errors);

    const closer = await ensurePerson(tx, actorIdentity(ctx.actor));
    const won = await tx.campaign.updateMany({
      where: { id, status: { in: HOLDING_STATUSES } },
      data: { status: 'evaluated', results: JSON.stringify(actuals), actualCost, lessons, evaluatedAt: ctx.now },
    });
    if (won.count === 0) refuse('cmp.error.cannot_close', { id: cmpId(id), status: statusLabel(ctx.locale, 'evaluated') });
    const held = await tx.budgetCommitment.aggregate({ where: { campaignId: id }, _sum: { amount: true } });
    const released = held._sum.amount ?? 0;
    await tx.budgetCommitment.deleteMany({ where: { campaignId: id } });
    await audit(tx, {
      actorId: closer.id,
      action: 'campaign.evaluate',
      entity: 'campaign',
      entityId: id,
      data: { results: actuals, actualCost, lessons, released },
    });

    const evaluation = evaluationMessage(ctx.locale, {
      id,
      name: c.name,
      amount: c.amount,
      actualCost,
      released,
      lessons,
      by: mention(closer),
      rows: compareKpis(targets, actuals),
    });
    await updateCard(tx, cardKey(id), await currentCard(tx, ctx, id));
    if (c.ownerId !== closer.id) await directMessage(tx, c.owner, evaluation);
    await postToPurpose(tx, 'team', evaluation);
    return reply(ctx, evaluation);
  });
}

// ---------------------------------------------------------------------------------------- list / show

function filterWhere(filter: CampaignListFilter, today: string): Prisma.CampaignWhereInput {
  switch (filter) {
    case 'pending':
      return { status: 'pending_approval' };
    case 'approved':
      return { status: { in: HOLDING_STATUSES }, startDate: { gt: today } };
    case 'running':
      return { status: { in: HOLDING_STATUSES }, startDate: { lte: today }, endDate: { gte: today } };
    case 'ended':
      return { status: { in: HOLDING_STATUSES }, endDate: { lt: today } };
    case 'evaluated':
      return { status: 'evaluated' };
    case 'active':
      return { status: { in: ['pending_approval', 'changes_requested', ...HOLDING_STATUSES] } };
    default:
      return {};
  }
}

async function listCampaigns(ctx: Ctx, filter: CampaignListFilter, page = 1): Promise<Outcome> {
  const message = await ctx.deps.db.read(async (tx) => {
    const rows = await tx.campaign.findMany({ where: filterWhere(filter, ctx.today), orderBy: { id: 'desc' }, include: { owner: true } });
    const items = rows.map((c) => ({
      id: c.id,
      name: c.name,
      status: effectiveStatus(c.status as CampaignStatus, c.startDate, c.endDate, ctx.today),
      startDate: c.startDate,
      endDate: c.endDate,
      amount: c.amount,
      owner: mention(c.owner),
    }));
    return campaignListMessage(ctx.locale, filter, items, page);
  });
  return reply(ctx, message);
}

async function showCampaign(ctx: Ctx, id: number): Promise<Outcome> {
  const message = await ctx.deps.db.read(async (tx) => {
    const c = await loadCampaign(tx, id);
    if (!c) refuse('core.error.not_found', { id: cmpId(id) });
    const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
    const person = await findPerson(tx, ctx.actor);
    const isOwner = person?.id === c.ownerId;
    const view = await campaignView(tx, ctx, c, { commitments: true });
    const buttons: Button[] = [];
    let months: MonthAvailability[] | undefined;
    if (canDecide(c.status as CampaignStatus)) {
      months = await monthAvailability(tx, c);
      if (await mayDecide(tx, ctx, 'leader', [c.ownerId])) buttons.push(...decisionButtons(ctx.locale, id, c.revision));
    }
    if (canResubmit(c.status as CampaignStatus) && isOwner) buttons.push(reviseButton(ctx.locale, id));
    if (canClose(c.status as CampaignStatus) && canAct(roles, 'campaign.close', { isOwner })) buttons.push(closeButton(ctx.locale, id));
    return campaignCard(ctx.locale, view, { months, buttons });
  });
  return reply(ctx, message);
}

// ------------------------------------------------------------------------------------------------ area

export const campaignsArea: Area = {
  commands: {
    'campaign.list': (ctx, intent) => listCampaigns(ctx, intent.filter),
    'campaign.show': (ctx, intent) => showCampaign(ctx, intent.id),
    'campaign.close': (ctx, intent) => openCloseForm(ctx, intent.id),
  },
  pages: {
    'campaign.list': (ctx, page, arg) =>
      listCampaigns(ctx, (CAMPAIGN_LIST_FILTERS as readonly string[]).includes(arg) ? (arg as CampaignListFilter) : 'active', page),
  },
  actions: {
    'cmp.approve': (ctx, ref) => approve(ctx, ref.args[0], ref.args[1]),
    'cmp.reject': (ctx, ref) => openDecisionForm(ctx, 'cmp.reject', ref.args[0], ref.args[1]),
    'cmp.changes': (ctx, ref) => openDecisionForm(ctx, 'cmp.changes', ref.args[0], ref.args[1]),
    'cmp.shortfall': (ctx, ref) => openShortfallRequest(ctx, ref.args[0]),
    'cmp.close': (ctx, ref) => openCloseForm(ctx, ref.args[0]),
    'cmp.revise': async (ctx, ref) => ({ ok: true, openForm: await reviseForm(ctx, ref.args[0]), locale: ctx.locale }),
  },
  forms: {
    'campaign.new': {
      async open(ctx, _ref, prefill) {
        const lines = await ctx.deps.db.read((tx) => linesForForm(tx, ctx));
        return campaignNewForm(ctx.locale, lines, prefill ?? {});
      },
      submit: (ctx, _ref, values) => submitProposal(ctx, values),
    },
    'campaign.revise': {
      open: (ctx, ref, prefill) => reviseForm(ctx, ref.args[0], prefill),
      submit: (ctx, ref, values) => submitRevision(ctx, ref.args[0], values),
    },
    'cmp.reject': {
      async open(ctx, ref) {
        return openDecisionForm(ctx, 'cmp.reject', ref.args[0], ref.args[1]);
      },
      submit: (ctx, ref, values) => decideWithComment(ctx, 'cmp.reject', ref.args[0], ref.args[1], values),
    },
    'cmp.changes': {
      async open(ctx, ref) {
        return openDecisionForm(ctx, 'cmp.changes', ref.args[0], ref.args[1]);
      },
      submit: (ctx, ref, values) => decideWithComment(ctx, 'cmp.changes', ref.args[0], ref.args[1], values),
    },
    'campaign.close': {
      async open(ctx, ref) {
        return openCloseForm(ctx, ref.args[0]);
      },
      submit: (ctx, ref, values) => submitClose(ctx, ref.args[0], values),
    },
  },
};
