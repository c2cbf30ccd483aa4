// Use-cases of the risks area (policy 八): report (inline or form) → 5×5 score and grade → high to the
// leaders' channel at once, medium to the team channel, low to the register → take ownership / set strategy →
// close. Every change is compare-and-set and updates the risk's card (cardKey RSK-<id>) in place.
//
// Decisions:
// - Take ownership: leaders and the reporter (the card's button sits in the leaders' channel).
// - Set strategy: leaders, the owner, or the reporter while nobody owns it; whoever sets it on an unowned
//   risk becomes its owner. A due date is required except for `accept` (which is final: status accepted).
// - The strategy note is kept in the audit record and in the notification, not on the risk row.
import { esc } from '../messages/markup.js';
import { RISK_LIST_FILTERS, type RiskListFilter } from '../commands/intents.js';
import type { Tx } from '../db/client.js';
import { insertRow } from '../db/raw.js';
import { parseId } from '../domain/ids.js';
import { canAct } from '../domain/permissions.js';
import { announceTo, canCloseRisk, scoreRisk, statusForStrategy } from '../domain/risks.js';
import { parseLocalDate } from '../domain/time.js';
import {
  RISK_CATEGORIES,
  RISK_STRATEGIES,
  type RiskCategory,
  type RiskGrade,
  type RiskStatus,
  type RiskStrategy,
} from '../domain/types.js';
import type { Prisma, Risk } from '../generated/prisma/client.js';
import { t } from '../i18n/index.js';
import { noticeMessage } from '../messages/builders/common.js';
import { riskCard, riskListMessage, riskReportForm, riskStrategyForm, rskId, type RiskView } from '../messages/builders/risks.js';
import type { Message } from '../messages/model.js';
import { audit } from './audit.js';
import { FormInvalid, str, tooLong, when, type FieldErrors } from './campaignSupport.js';
import { formRefusal, refuse, reply, type Area, type Ctx } from './context.js';
import { directMessage, messageRole, postToPurpose, updateCard } from './notify.js';
import { actorIdentity, ensurePerson, findPerson, mention, nameOf, rolesOf } from './people.js';
import { whoMay } from './whoMay.js';
import type { FormValues, Outcome } from './types.js';

const cardKey = (id: number): string => `RSK-${id}`;
const OPEN: RiskStatus[] = ['open', 'mitigating'];
const TITLE_MAX = 200;

interface NewRisk {
  category: RiskCategory;
  likelihood: number;
  impact: number;
  title: string;
  description: string | null;
  campaignId: number | null;
  dueDate: string | null;
}

async function loadRisk(tx: Tx, id: number) {
  return tx.risk.findUnique({ where: { id }, include: { owner: true, reporter: true } });
}
type RiskRow = NonNullable<Awaited<ReturnType<typeof loadRisk>>>;

function riskView(ctx: Ctx, r: RiskRow): RiskView {
  return {
    id: r.id,
    category: r.category,
    likelihood: r.likelihood,
    impact: r.impact,
    score: r.score,
    grade: r.grade as RiskGrade,
    title: r.title,
    description: r.description,
    campaign: r.campaignId ? `CMP-${r.campaignId}` : null,
    reporter: mention(r.reporter),
    owner: r.owner ? mention(r.owner) : null,
    strategy: r.strategy,
    dueDate: r.dueDate,
    status: r.status as RiskStatus,
    closeNote: r.closeNote,
    createdAt: when(ctx, r.createdAt),
    closedAt: r.closedAt ? when(ctx, r.closedAt) : null,
  };
}

async function currentCard(tx: Tx, ctx: Ctx, id: number): Promise<Message> {
  return riskCard(ctx.locale, riskView(ctx, (await loadRisk(tx, id))!));
}

/** A whole number 1–5 typed or picked; null otherwise. */
function scale(raw: string): number | null {
  return /^[1-5]$/.test(raw.trim()) ? Number(raw.trim()) : null;
}

// -------------------------------------------------------------------------------------------- report

async function createRisk(ctx: Ctx, tx: Tx, input: NewRisk): Promise<Outcome> {
  const { score, grade } = scoreRisk(input.likelihood, input.impact);
  const reporter = await ensurePerson(tx, actorIdentity(ctx.actor));
  const row = {
    category: input.category,
    likelihood: input.likelihood,
    impact: input.impact,
    score,
    grade,
    title: input.title,
    description: input.description,
    campaignId: input.campaignId,
    dueDate: input.dueDate,
    reporterId: reporter.id,
    status: 'open',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  const risk: Risk = { id: await insertRow(tx, 'Risk', row), ...row, ownerId: null, strategy: null, closeNote: null, closedAt: null, escalatedAt: null };
  await audit(tx, { actorId: reporter.id, action: 'risk.report', entity: 'risk', entityId: risk.id, data: { ...input, score, grade } });

  const purpose = announceTo(grade);
  let sent = 0;
  if (purpose) {
    // The row just written, with its reporter: a new risk has no owner yet (nothing to read back).
    const card = riskCard(ctx.locale, riskView(ctx, { ...risk, owner: null, reporter }));
    sent = await postToPurpose(tx, purpose, card, { cardKey: cardKey(risk.id) });
    if (sent === 0 && purpose === 'leaders') sent = await messageRole(tx, 'leader', card, { cardKey: cardKey(risk.id) });
  }
  const params = {
    id: rskId(risk.id),
    score,
    grade: t(ctx.locale, `risk.grade.${grade}`),
    // The command's word (`/mkt channel team here`) and the channel's name in the person's language.
    purpose: purpose ?? '',
    purposeName: purpose ? t(ctx.locale, `channel.purpose.${purpose}`) : '',
  };
  const key = purpose && sent === 0 ? 'rsk.reported.unannounced' : `rsk.reported.${grade}`;
  return reply(ctx, noticeMessage(t(ctx.locale, key, params), { tone: purpose && sent === 0 ? 'warning' : 'success' }));
}

async function reportInline(ctx: Ctx, intent: { category: string; likelihood: number; impact: number; title: string }): Promise<Outcome> {
  if (!(RISK_CATEGORIES as readonly string[]).includes(intent.category)) refuse('rsk.error.bad_category', { token: intent.category });
  for (const v of [intent.likelihood, intent.impact]) {
    if (!Number.isInteger(v) || v < 1 || v > 5) refuse('rsk.error.bad_scale', { token: String(v) });
  }
  const title = intent.title.trim();
  if (!title) refuse('rsk.error.empty_title');
  if (tooLong(title, TITLE_MAX)) refuse('rsk.error.too_long', tooLong(title, TITLE_MAX)!);
  return ctx.deps.db.write((tx) =>
    createRisk(ctx, tx, {
      category: intent.category as RiskCategory,
      likelihood: intent.likelihood,
      impact: intent.impact,
      title,
      description: null,
      campaignId: null,
      dueDate: null,
    }),
  );
}

async function reportForm(ctx: Ctx, values: FormValues): Promise<Outcome> {
  const errors: FieldErrors = {};
  const category = str(values, 'category');
  if (!category) errors.category = { key: 'rsk.error.required' };
  else if (!(RISK_CATEGORIES as readonly string[]).includes(category)) errors.category = { key: 'rsk.error.bad_category', params: { token: category } };
  const pick = (name: string): number => {
    const raw = str(values, name);
    const n = scale(raw);
    if (!raw) errors[name] = { key: 'rsk.error.required' };
    else if (n === null) errors[name] = { key: 'rsk.error.bad_scale', params: { token: raw } };
    return n ?? 0;
  };
  const likelihood = pick('likelihood');
  const impact = pick('impact');
  const title = str(values, 'title');
  if (!title) errors.title = { key: 'rsk.error.required' };
  else if (tooLong(title, TITLE_MAX)) errors.title = { key: 'rsk.error.too_long', params: tooLong(title, TITLE_MAX)! };
  const description = str(values, 'description');
  if (tooLong(description, 2000)) errors.description = { key: 'rsk.error.too_long', params: tooLong(description, 2000)! };
  const rawCampaign = str(values, 'campaign');
  const campaignId = rawCampaign ? parseId(rawCampaign, 'CMP') : null;
  if (rawCampaign && campaignId === null) errors.campaign = { key: 'rsk.error.bad_campaign', params: { token: rawCampaign } };
  const rawDue = str(values, 'due');
  const dueDate = rawDue ? parseLocalDate(rawDue) : null;
  if (rawDue && !dueDate) errors.due = { key: 'rsk.error.bad_date', params: { token: rawDue } };
  else if (dueDate && dueDate < ctx.today) errors.due = { key: 'rsk.error.past_date', params: { date: dueDate, today: ctx.today } };

  try {
    return await ctx.deps.db.write(async (tx) => {
      if (campaignId !== null && !(await tx.campaign.findUnique({ where: { id: campaignId }, select: { id: true } }))) {
        errors.campaign = { key: 'rsk.error.unknown_campaign', params: { id: `CMP-${campaignId}` } };
      }
      if (Object.keys(errors).length > 0) throw new FormInvalid(errors);
      return createRisk(ctx, tx, {
        category: category as RiskCategory,
        likelihood,
        impact,
        title,
        description: description || null,
        campaignId,
        dueDate,
      });
    });
  } catch (error) {
    if (error instanceof FormInvalid) return formRefusal(ctx, error.errors);
    throw error;
  }
}

// ------------------------------------------------------------------------------------- ownership

async function takeOwnership(ctx: Ctx, id: number): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const r = await loadRisk(tx, id);
    if (!r) refuse('core.error.not_found', { id: rskId(id) });
    const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
    const person = await findPerson(tx, ctx.actor);
    if (!canAct(roles, 'risk.own') && person?.id !== r.reporterId) {
      refuse('rsk.error.own_forbidden', { id: rskId(id), who: await whoMay(tx, ctx.locale, ctx.deps.config, { people: [{ as: 'reporter', person: r.reporter }], roles: ['leader'] }) });
    }
    if (!canCloseRisk(r.status as RiskStatus)) refuse('rsk.error.not_open', { id: rskId(id), status: t(ctx.locale, `risk.status.${r.status}`) });
    if (r.owner) refuse('rsk.error.already_owned', { id: rskId(id), by: nameOf(r.owner) });
    const owner = await ensurePerson(tx, actorIdentity(ctx.actor));
    const won = await tx.risk.updateMany({ where: { id, ownerId: null, status: { in: OPEN } }, data: { ownerId: owner.id } });
    if (won.count === 0) {
      const now = (await loadRisk(tx, id))!;
      refuse('rsk.error.already_owned', { id: rskId(id), by: now.owner ? nameOf(now.owner) : '?' });
    }
    await audit(tx, { actorId: owner.id, action: 'risk.own', entity: 'risk', entityId: id });
    const card = await currentCard(tx, ctx, id);
    await updateCard(tx, cardKey(id), card);
    if (r.reporterId !== owner.id) {
      await directMessage(tx, r.reporter, noticeMessage(t(ctx.locale, 'rsk.owned.notify', { by: mention(owner), id: rskId(id), title: r.title })));
    }
    return reply(ctx, noticeMessage(t(ctx.locale, 'rsk.owned.reply', { id: rskId(id) })), { updatedCard: { cardKey: cardKey(id), message: card } });
  });
}

// -------------------------------------------------------------------------------------- strategy

async function strategyGuard(tx: Tx, ctx: Ctx, id: number): Promise<{ r: RiskRow; personId: number | null }> {
  const r = await loadRisk(tx, id);
  if (!r) refuse('core.error.not_found', { id: rskId(id) });
  const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
  const person = await findPerson(tx, ctx.actor);
  const isOwner = person !== null && (r.ownerId === person.id || (r.ownerId === null && r.reporterId === person.id));
  if (!canAct(roles, 'risk.strategy', { isOwner })) {
    const mayOwn = r.owner ? { as: 'owner', person: r.owner } : { as: 'reporter', person: r.reporter };
    refuse('rsk.error.strategy_forbidden', { id: rskId(id), who: await whoMay(tx, ctx.locale, ctx.deps.config, { people: [mayOwn], roles: ['leader'] }) });
  }
  if (!canCloseRisk(r.status as RiskStatus)) refuse('rsk.error.not_open', { id: rskId(id), status: t(ctx.locale, `risk.status.${r.status}`) });
  return { r, personId: person?.id ?? null };
}

async function openStrategyForm(ctx: Ctx, id: number): Promise<Outcome> {
  const form = await ctx.deps.db.read(async (tx) => riskStrategyForm(ctx.locale, (await strategyGuard(tx, ctx, id)).r));
  return { ok: true, openForm: form, locale: ctx.locale };
}

async function submitStrategy(ctx: Ctx, id: number, values: FormValues): Promise<Outcome> {
  const errors: FieldErrors = {};
  const strategy = str(values, 'strategy');
  if (!strategy) errors.strategy = { key: 'rsk.error.required' };
  else if (!(RISK_STRATEGIES as readonly string[]).includes(strategy)) errors.strategy = { key: 'rsk.error.bad_option', params: { token: strategy } };
  const rawDue = str(values, 'due');
  const dueDate = rawDue ? parseLocalDate(rawDue) : null;
  if (rawDue && !dueDate) errors.due = { key: 'rsk.error.bad_date', params: { token: rawDue } };
  else if (dueDate && dueDate < ctx.today) errors.due = { key: 'rsk.error.past_date', params: { date: dueDate, today: ctx.today } };
  else if (!rawDue && strategy && strategy !== 'accept') errors.due = { key: 'rsk.error.due_required' };
  const note = str(values, 'note');
  if (tooLong(note, 1000)) errors.note = { key: 'rsk.error.too_long', params: tooLong(note, 1000)! };
  if (Object.keys(errors).length > 0) return formRefusal(ctx, errors);

  return ctx.deps.db.write(async (tx) => {
    const { r } = await strategyGuard(tx, ctx, id);
    const actor = await ensurePerson(tx, actorIdentity(ctx.actor));
    const status = statusForStrategy(r.status as RiskStatus, strategy as RiskStrategy);
    const won = await tx.risk.updateMany({
      where: { id, status: r.status, ownerId: r.ownerId },
      data: { strategy, dueDate, status, ownerId: r.ownerId ?? actor.id },
    });
    if (won.count === 0) refuse('core.error.bad_action');
    await audit(tx, { actorId: actor.id, action: 'risk.strategy', entity: 'risk', entityId: id, data: { strategy, dueDate, note: note || null, status } });
    const card = await currentCard(tx, ctx, id);
    await updateCard(tx, cardKey(id), card);
    const params = {
      id: rskId(id),
      title: r.title,
      by: mention(actor),
      strategy: t(ctx.locale, `risk.strategy.${strategy}`),
      due: dueDate ?? t(ctx.locale, 'rsk.none'),
      status: t(ctx.locale, `risk.status.${status}`),
    };
    if (r.reporterId !== actor.id) {
      const text = t(ctx.locale, 'rsk.strategy.notify', params) + (note ? `\n${esc(note)}` : '');
      await directMessage(tx, r.reporter, noticeMessage(text));
    }
    return reply(ctx, noticeMessage(t(ctx.locale, 'rsk.strategy.reply', params)), { updatedCard: { cardKey: cardKey(id), message: card } });
  });
}

// ----------------------------------------------------------------------------------------- close

async function closeRisk(ctx: Ctx, id: number, rawNote: string): Promise<Outcome> {
  const note = rawNote.trim();
  return ctx.deps.db.write(async (tx) => {
    const r = await loadRisk(tx, id);
    if (!r) refuse('core.error.not_found', { id: rskId(id) });
    const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
    const person = await findPerson(tx, ctx.actor);
    if (!canAct(roles, 'risk.close', { isOwner: person !== null && person.id === r.ownerId })) {
      refuse('rsk.error.close_forbidden', { id: rskId(id), who: await whoMay(tx, ctx.locale, ctx.deps.config, { people: [{ as: 'owner', person: r.owner }], roles: ['leader'] }) });
    }
    if (!canCloseRisk(r.status as RiskStatus)) refuse('rsk.error.not_open', { id: rskId(id), status: t(ctx.locale, `risk.status.${r.status}`) });
    if (!note) refuse('rsk.error.note_required');
    const closer = await ensurePerson(tx, actorIdentity(ctx.actor));
    const won = await tx.risk.updateMany({
      where: { id, status: { in: OPEN } },
      data: { status: 'closed', closeNote: note, closedAt: ctx.now },
    });
    if (won.count === 0) refuse('rsk.error.not_open', { id: rskId(id), status: t(ctx.locale, 'risk.status.closed') });
    await audit(tx, { actorId: closer.id, action: 'risk.close', entity: 'risk', entityId: id, data: { note } });
    const card = await currentCard(tx, ctx, id);
    await updateCard(tx, cardKey(id), card);
    const text = t(ctx.locale, 'rsk.closed.notify', { id: rskId(id), title: r.title, by: mention(closer), note });
    if (r.reporterId !== closer.id) await directMessage(tx, r.reporter, noticeMessage(text));
    if (r.owner && r.ownerId !== closer.id && r.ownerId !== r.reporterId) await directMessage(tx, r.owner, noticeMessage(text));
    return reply(ctx, noticeMessage(t(ctx.locale, 'rsk.closed.reply', { id: rskId(id) })), { updatedCard: { cardKey: cardKey(id), message: card } });
  });
}

// ------------------------------------------------------------------------------------------ list

function listWhere(filter: RiskListFilter): Prisma.RiskWhereInput {
  if (filter === 'all') return {};
  if (filter === 'open') return { status: { in: OPEN } };
  return { status: { in: OPEN }, grade: filter };
}

async function listRisks(ctx: Ctx, filter: RiskListFilter, page = 1): Promise<Outcome> {
  const message = await ctx.deps.db.read(async (tx) => {
    const rows = await tx.risk.findMany({ where: listWhere(filter), orderBy: [{ score: 'desc' }, { id: 'desc' }], include: { owner: true } });
    return riskListMessage(
      ctx.locale,
      filter,
      rows.map((r) => ({
        id: r.id,
        grade: r.grade as RiskGrade,
        score: r.score,
        title: r.title,
        status: r.status as RiskStatus,
        owner: r.owner ? mention(r.owner) : null,
        dueDate: r.dueDate,
      })),
      page,
    );
  });
  return reply(ctx, message);
}

// ------------------------------------------------------------------------------------------ area

export const risksArea: Area = {
  commands: {
    'risk.report': (ctx, intent) => reportInline(ctx, intent),
    'risk.list': (ctx, intent) => listRisks(ctx, intent.filter),
    'risk.close': (ctx, intent) => closeRisk(ctx, intent.id, intent.note),
  },
  pages: {
    'risk.list': (ctx, page, arg) => listRisks(ctx, (RISK_LIST_FILTERS as readonly string[]).includes(arg) ? (arg as RiskListFilter) : 'open', page),
  },
  actions: {
    'rsk.own': (ctx, ref) => takeOwnership(ctx, ref.args[0]),
    'rsk.strategy': (ctx, ref) => openStrategyForm(ctx, ref.args[0]),
  },
  forms: {
    'risk.report': {
      async open(ctx, _ref, prefill) {
        return riskReportForm(ctx.locale, prefill ?? {});
      },
      submit: (ctx, _ref, values) => reportForm(ctx, values),
    },
    'risk.strategy': {
      async open(ctx, ref) {
        return openStrategyForm(ctx, ref.args[0]);
      },
      submit: (ctx, ref, values) => submitStrategy(ctx, ref.args[0], values),
    },
  },
};
