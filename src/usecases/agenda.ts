// Use-cases of the weekly sync agenda (policy 六(三)) and the reusable pair for the scheduler:
// collectAgenda(tx, …) gathers the content with counts and small indexed lists (never loading all rows),
// agendaMessage(locale, data) renders it (src/messages/builders/agenda.ts).
//
// Decisions:
// - Topics are numbered in the order they were added (id order); `/agenda remove <n>` uses that number.
// - `/agenda post` posts the agenda now and leaves the topics open; the scheduled weekly run decides what
//   to close (markAgendaTopicsDone is exported for it).
import { paginate, worstSize } from '../messages/layout.js';
import { esc, markup, type Markup } from '../messages/markup.js';
import type { Tx } from '../db/client.js';
import { insertRow, sqlRows } from '../db/raw.js';
import { Prisma } from '../generated/prisma/client.js';
import { EVALUATION_GRACE_DAYS } from '../domain/campaigns.js';
import { requireCan, whoMay } from './whoMay.js';
import { addDays, addMonths, weekdayOf } from '../domain/time.js';
import type { LocalDate, Month, RiskGrade } from '../domain/types.js';
import { t } from '../i18n/index.js';
import {
  agendaMessage,
  agendaTopicsMessage,
  TOPICS_BUDGET,
  type AgendaApproval,
  type AgendaBudgetLine,
  type AgendaCampaign,
  type AgendaData,
  type AgendaRisk,
} from '../messages/builders/agenda.js';
import { noticeMessage } from '../messages/builders/common.js';
import { audit } from './audit.js';
import { lineFigures } from './budgetFigures.js';
import { HOLDING_STATUSES } from './campaignSupport.js';
import { refuse, reply, type Area, type Ctx } from './context.js';
import { postToPurpose } from './notify.js';
import { actorIdentity, ensurePerson, findPerson, mention, nameOf, rolesOf } from './people.js';
import type { Settings } from './settings.js';
import type { Outcome } from './types.js';

export { agendaMessage };
export type { AgendaData };

/** Items listed per section; the rest is summarised as "and N more". */
export const AGENDA_SECTION_LIMIT = 10;
const TOPIC_LIMIT = 15;
/** A topic line's own words and number around its text (worstSize). */
const TOPIC_OVERHEAD = 120;
const TOPIC_MAX = 300;
const OPEN_RISK = ['open', 'mitigating'];
const PENDING_ADJ = ['pending_finance', 'pending_leader'];

type Who = { platform: string; userId: string; displayName: string | null };
const who = (p: Who | null | undefined): Markup | null => (p ? mention(p) : null);
const hoursSince = (now: Date, at: Date): number => Math.max(0, (now.getTime() - at.getTime()) / 3_600_000);

export async function collectAgenda(
  tx: Tx,
  ctx: { today: LocalDate; month: Month; now: Date; settings: Settings },
): Promise<AgendaData> {
  const { today, month, now } = ctx;
  const weekOf = addDays(today, 1 - weekdayOf(today));
  const weekEnd = addDays(weekOf, 6);
  const lastMonth = addMonths(month, -1);
  const take = AGENDA_SECTION_LIMIT;

  // Pending approvals: budget adjustments waiting for finance / a leader, campaigns waiting for a leader.
  const [adjCount, adjRows, cmpCount, cmpRows] = await Promise.all([
    tx.budgetAdjustment.count({ where: { status: { in: PENDING_ADJ } } }),
    tx.budgetAdjustment.findMany({ where: { status: { in: PENDING_ADJ } }, orderBy: { createdAt: 'asc' }, take }),
    tx.campaign.count({ where: { status: 'pending_approval' } }),
    tx.campaign.findMany({ where: { status: 'pending_approval' }, orderBy: { createdAt: 'asc' }, take }),
  ]);
  const lineIds = [...new Set(adjRows.map((a) => a.toLineId))];
  const lineCodes = new Map(
    (await tx.budgetLine.findMany({ where: { id: { in: lineIds } }, select: { id: true, code: true } })).map((l) => [l.id, l.code]),
  );
  const approvals: (AgendaApproval & { at: number })[] = [
    ...adjRows.map((a) => ({
      kind: 'adjustment' as const,
      id: a.id,
      adjKind: a.kind,
      amount: a.amount,
      line: lineCodes.get(a.toLineId) ?? '?',
      month: a.month,
      status: a.status,
      ageHours: hoursSince(now, a.createdAt),
      at: a.createdAt.getTime(),
    })),
    ...cmpRows.map((c) => ({
      kind: 'campaign' as const,
      id: c.id,
      name: c.name,
      amount: c.amount,
      ageHours: hoursSince(now, c.createdAt),
      at: c.createdAt.getTime(),
    })),
  ];
  approvals.sort((a, b) => a.at - b.at);

  // Budget this month: one aggregate query over all lines of the fiscal year.
  const figures = await lineFigures(tx, month);
  const lines: AgendaBudgetLine[] = figures.map((f) => {
    const pctBp = f.plan > 0 ? Math.floor((f.spent * 10_000) / f.plan) : null;
    return { code: f.code, name: f.name, plan: f.plan, spent: f.spent, pctBp, flagged: pctBp === null ? f.spent > 0 : pctBp >= 8_000 };
  });
  const flagged = lines.filter((l) => l.flagged).sort((a, b) => (b.pctBp ?? Infinity) - (a.pctBp ?? Infinity));
  const budgetItems = [...flagged, ...lines.filter((l) => !l.flagged)].slice(0, take);

  // Campaigns by the calendar (status stays `approved` until evaluated; see campaigns.ts).
  const held = { in: HOLDING_STATUSES };
  const evaluationDue = addDays(today, -EVALUATION_GRACE_DAYS);
  const campaignList = async (where: object, orderBy: object) => {
    const [total, rows] = await Promise.all([
      tx.campaign.count({ where }),
      tx.campaign.findMany({ where, orderBy, take, include: { owner: true } }),
    ]);
    const items: AgendaCampaign[] = rows.map((c) => ({ id: c.id, name: c.name, startDate: c.startDate, endDate: c.endDate, owner: mention(c.owner) }));
    return { total, items };
  };
  const running = await campaignList({ status: held, startDate: { lte: today }, endDate: { gte: today } }, { endDate: 'asc' });
  const starting = await campaignList({ status: held, startDate: { gt: today, lte: weekEnd } }, { startDate: 'asc' });
  const awaiting = await campaignList({ status: held, endDate: { lt: evaluationDue } }, { endDate: 'asc' });

  // Risks: open high / medium counts, the top ones, and overdue actions.
  const riskItem = (r: { id: number; grade: string; score: number; title: string; dueDate: string | null; owner: Who | null }): AgendaRisk => ({
    id: r.id,
    grade: r.grade as RiskGrade,
    score: r.score,
    title: r.title,
    owner: who(r.owner),
    dueDate: r.dueDate,
  });
  const [high, medium, topRisks, overdueCount, overdueRows] = await Promise.all([
    tx.risk.count({ where: { status: { in: OPEN_RISK }, grade: 'high' } }),
    tx.risk.count({ where: { status: { in: OPEN_RISK }, grade: 'medium' } }),
    tx.risk.findMany({
      where: { status: { in: OPEN_RISK }, grade: { in: ['high', 'medium'] } },
      orderBy: [{ score: 'desc' }, { createdAt: 'asc' }],
      take,
      include: { owner: true },
    }),
    tx.risk.count({ where: { status: { in: OPEN_RISK }, dueDate: { not: null, lt: today } } }),
    tx.risk.findMany({
      where: { status: { in: OPEN_RISK }, dueDate: { not: null, lt: today } },
      orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
      take,
      include: { owner: true },
    }),
  ]);

  // Topics added with /agenda add, numbered in order.
  const [topicCount, topicRows] = await Promise.all([
    tx.agendaTopic.count({ where: { status: 'open' } }),
    tx.agendaTopic.findMany({ where: { status: 'open' }, orderBy: { id: 'asc' }, take: TOPIC_LIMIT, include: { addedBy: true } }),
  ]);

  // Variance explanations stored for last month.
  const [varCount, varRows] = await Promise.all([
    tx.varianceExplanation.count({ where: { month: lastMonth } }),
    tx.varianceExplanation.findMany({ where: { month: lastMonth }, orderBy: { id: 'asc' }, take }),
  ]);
  const [varLines, varPeople] = await Promise.all([
    tx.budgetLine.findMany({ where: { id: { in: varRows.map((v) => v.lineId) } }, select: { id: true, code: true } }),
    tx.person.findMany({ where: { id: { in: varRows.map((v) => v.byId) } } }),
  ]);

  return {
    weekOf,
    today,
    month,
    lastMonth,
    approvals: { total: adjCount + cmpCount, items: approvals.slice(0, take).map(({ at: _at, ...a }) => a) },
    budget: { total: lines.length, items: budgetItems, flagged: flagged.length },
    running,
    starting,
    awaiting,
    risks: { total: high + medium, items: topRisks.map(riskItem), high, medium },
    overdue: { total: overdueCount, items: overdueRows.map(riskItem) },
    topics: {
      total: topicCount,
      // As many as the agenda shows whole (the scheduled run closes exactly those); the others wait for next week.
      items: paginate(topicRows, 1, (x) => worstSize(esc(x.text)) + TOPIC_OVERHEAD, { budget: TOPICS_BUDGET, max: TOPIC_LIMIT }).items.map((x, i) => ({
        n: i + 1,
        id: x.id,
        text: x.text,
        by: mention(x.addedBy),
      })),
    },
    variance: {
      total: varCount,
      items: varRows.map((v) => ({
        code: varLines.find((l) => l.id === v.lineId)?.code ?? '?',
        reason: v.reason,
        by: who(varPeople.find((p) => p.id === v.byId)) ?? markup('?'),
      })),
    },
  };
}

/** Marks topics as discussed (for the scheduled weekly run, after posting the agenda that listed them). */
export async function markAgendaTopicsDone(tx: Tx, topicIds: number[], now: Date): Promise<number> {
  if (topicIds.length === 0) return 0;
  const r = await tx.agendaTopic.updateMany({ where: { id: { in: topicIds }, status: 'open' }, data: { status: 'done', closedAt: now } });
  return r.count;
}

/** Every open topic (numbered like `/agenda remove <n>`), a page at a time. */
async function topics(ctx: Ctx, page: number): Promise<Outcome> {
  const rows = await ctx.deps.db.read((tx) => tx.agendaTopic.findMany({ where: { status: 'open' }, orderBy: { id: 'asc' }, include: { addedBy: true } }));
  const items = rows.map((x, i) => ({ n: i + 1, id: x.id, text: x.text, by: mention(x.addedBy) }));
  return reply(ctx, agendaTopicsMessage(ctx.locale, items, page));
}

async function show(ctx: Ctx): Promise<Outcome> {
  const data = await ctx.deps.db.read((tx) => collectAgenda(tx, ctx));
  return reply(ctx, agendaMessage(ctx.locale, data, { preview: true }));
}

async function add(ctx: Ctx, raw: string): Promise<Outcome> {
  const text = raw.trim();
  if (!text) refuse('agenda.error.empty_topic');
  if (text.length > TOPIC_MAX) refuse('agenda.error.topic_too_long', { len: text.length, max: TOPIC_MAX });
  return ctx.deps.db.write(async (tx) => {
    const person = await ensurePerson(tx, actorIdentity(ctx.actor));
    const id = await insertRow(tx, 'AgendaTopic', { text, addedById: person.id, status: 'open', createdAt: ctx.now, closedAt: null });
    await audit(tx, { actorId: person.id, action: 'agenda.add', entity: 'agendaTopic', entityId: id, data: { text } });
    // The topic's number on the agenda: open topics up to it (the (status, id) index).
    const [{ n }] = await sqlRows<[{ n: number }]>(tx, Prisma.sql`SELECT COUNT(*) AS "n" FROM "AgendaTopic" WHERE "status" = 'open' AND "id" <= ${id}`);
    return reply(ctx, noticeMessage(t(ctx.locale, 'agenda.added', { n, text })));
  });
}

async function remove(ctx: Ctx, n: number): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    const [topic] = await tx.agendaTopic.findMany({
      where: { status: 'open' },
      orderBy: { id: 'asc' },
      skip: Math.max(0, n - 1),
      take: 1,
      include: { addedBy: true },
    });
    if (!topic || n < 1) {
      refuse('agenda.error.bad_number', { token: n, count: await tx.agendaTopic.count({ where: { status: 'open' } }) });
    }
    const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
    const person = await findPerson(tx, ctx.actor);
    if (person?.id !== topic.addedById && !roles.has('admin')) {
      refuse('agenda.error.not_adder', { n, who: await whoMay(tx, ctx.locale, ctx.deps.config, { people: [{ as: 'adder', person: topic.addedBy }], roles: ['admin'] }) });
    }
    const actor = await ensurePerson(tx, actorIdentity(ctx.actor));
    const won = await tx.agendaTopic.updateMany({ where: { id: topic.id, status: 'open' }, data: { status: 'removed', closedAt: ctx.now } });
    if (won.count === 0) refuse('core.error.bad_action');
    await audit(tx, { actorId: actor.id, action: 'agenda.remove', entity: 'agendaTopic', entityId: topic.id, data: { n, text: topic.text } });
    return reply(ctx, noticeMessage(t(ctx.locale, 'agenda.removed', { n, text: topic.text })));
  });
}

async function post(ctx: Ctx): Promise<Outcome> {
  return ctx.deps.db.write(async (tx) => {
    await requireCan(tx, ctx, await rolesOf(tx, ctx.deps.config, ctx.actor), 'agenda.post');
    const data = await collectAgenda(tx, ctx);
    const sent = await postToPurpose(tx, 'team', agendaMessage(ctx.locale, data));
    if (sent === 0) refuse('agenda.error.no_team_channel');
    const actor = await ensurePerson(tx, actorIdentity(ctx.actor));
    await audit(tx, { actorId: actor.id, action: 'agenda.post', entity: 'agenda', entityId: data.weekOf, data: { channels: sent } });
    return reply(ctx, noticeMessage(t(ctx.locale, 'agenda.posted', { n: sent })));
  });
}

export const agendaArea: Area = {
  commands: {
    'agenda.show': (ctx) => show(ctx),
    'agenda.add': (ctx, intent) => add(ctx, intent.topic),
    'agenda.remove': (ctx, intent) => remove(ctx, intent.n),
    'agenda.post': (ctx) => post(ctx),
  },
  pages: {
    'agenda.topics': (ctx, page) => topics(ctx, page),
  },
};
