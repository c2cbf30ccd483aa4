// A campaign proposed and revised: the form's values parsed and checked (KPIs, dates, channels, the budget line),
// the proposal written and its card posted to the leaders; a proposal sent back with changes revised in place
// (same CMP id) and resubmitted.
import { markup } from '../../messages/markup.js';
import type { Tx } from '../../db/client.js';
import { canResubmit, effectiveStatus, MAX_CAMPAIGN_DAYS } from '../../domain/campaigns.js';
import { parseMoney } from '../../domain/money.js';
import { whoMay } from '../whoMay.js';
import { daysBetween, parseLocalDate } from '../../domain/time.js';
import {
  CAMPAIGN_CHANNELS,
  CAMPAIGN_FORMATS,
  CAMPAIGN_GOALS,
  type CampaignStatus,
  type KpiKey,
} from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import {
  campaignCard,
  changedFields,
  cmpId,
  decisionButtons,
  FORM_KPIS,
  kpiField,
  KPI_UNITS,
  statusLabel,
} from '../../messages/builders/campaigns.js';
import {
  campaignReviseForm,
  proposalFormValues,
  type ProposalSnapshot,
} from '../../messages/builders/campaignForms.js';
import { noticeMessage } from '../../messages/builders/common.js';
import type { Message } from '../../messages/model.js';
import { dmApprovers } from '../approvers.js';
import { audit } from '../audit.js';
import { findLineByCode } from '../budgetFigures.js';
import {
  campaignView,
  FormInvalid,
  list,
  loadCampaign,
  proposalSnapshot,
  str,
  tooLong,
  when,
  type CampaignRow,
  type FieldErrors,
  type RevisionAudit,
} from '../campaignSupport.js';
import { formRefusal, refuse, reply, type Ctx } from '../context.js';
import { postToPurpose, updateCard } from '../notify.js';
import { actorIdentity, ensurePerson, findPerson, mention } from '../people.js';
import type { FormValues, Outcome } from '../types.js';
import { MAX_COUNT, cardKey, monthAvailability } from './common.js';

// ---------------------------------------------------------------------------------------------- values

export type KpiParse = { ok: true; value: number } | { ok: false; key: string; params: Record<string, string | number> };

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

export type Proposal = ProposalSnapshot;

/** The Campaign columns a proposal sets (on creation and on revision). */
export function proposalColumns(p: Proposal, lineId: number) {
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
export function parseProposal(ctx: Ctx, values: FormValues): { proposal: Proposal; errors: FieldErrors } {
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
export async function validateProposal(tx: Tx, ctx: Ctx, parsed: { proposal: Proposal; errors: FieldErrors }) {
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
export async function writeForm(ctx: Ctx, work: (tx: Tx) => Promise<Outcome>): Promise<Outcome> {
  try {
    return await ctx.deps.db.write(work);
  } catch (error) {
    if (error instanceof FormInvalid) return formRefusal(ctx, error.errors);
    throw error;
  }
}

// ------------------------------------------------------------------------------------------ proposal

export async function linesForForm(tx: Tx, ctx: Ctx) {
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
export async function postApprovalCard(tx: Tx, ctx: Ctx, id: number, ownerId: number): Promise<number> {
  const card = await approvalCard(tx, ctx, id);
  const sent = await postToPurpose(tx, 'leaders', card, { cardKey: cardKey(id) });
  return sent > 0 ? sent : dmApprovers(tx, 'leader', ctx.now, card, { filedBy: [ownerId], cardKey: cardKey(id) });
}

/** The approval card of a pending campaign as the leaders see it (also what an escalation sends). */
export async function campaignApprovalCard(tx: Tx, ctx: Ctx, id: number): Promise<Message> {
  return approvalCard(tx, ctx, id);
}

export async function approvalCard(tx: Tx, ctx: Ctx, id: number): Promise<Message> {
  const row = (await loadCampaign(tx, id))!;
  const months = await monthAvailability(tx, row);
  return campaignCard(ctx.locale, await campaignView(tx, ctx, row), { months, buttons: decisionButtons(ctx.locale, id, row.revision) });
}

export async function submitProposal(ctx: Ctx, values: FormValues): Promise<Outcome> {
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
export async function reviseGuard(tx: Tx, ctx: Ctx, id: number): Promise<CampaignRow> {
  const c = await loadCampaign(tx, id);
  if (!c) refuse('core.error.not_found', { id: cmpId(id) });
  const person = await findPerson(tx, ctx.actor);
  if (!person || person.id !== c.ownerId) {
    refuse('cmp.error.revise_forbidden', { id: cmpId(id), who: await whoMay(tx, ctx.locale, ctx.deps.config, { people: [{ as: 'owner', person: c.owner }] }) });
  }
  assertRevisable(ctx, c);
  return c;
}

export function assertRevisable(ctx: Ctx, c: CampaignRow): void {
  if (canResubmit(c.status as CampaignStatus)) return;
  const status = effectiveStatus(c.status as CampaignStatus, c.startDate, c.endDate, ctx.today);
  refuse('cmp.error.cannot_revise', { id: cmpId(c.id), status: statusLabel(ctx.locale, status) });
}

/** The proposal form pre-filled with the campaign's current values, the leader's comment as intro. */
export async function reviseForm(ctx: Ctx, id: number, prefill?: Record<string, string>) {
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

export async function submitRevision(ctx: Ctx, id: number, values: FormValues): Promise<Outcome> {
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
