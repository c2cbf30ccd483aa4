// What each scheduled job posts. A body runs inside the write that marks its JobRun done: it only reads and
// enqueues outbox rows (and marks reminded/escalated rows), so its posts commit exactly when the run does. A body
// that finds nowhere to post throws NoDestination: the period is recorded as skipped, not done.
//
// Who receives what:
//   weekly-agenda   → every chat bound as `team` (the agenda engineer's collectAgenda + agendaMessage); the
//                     topics it listed are then marked done.
//   monthly-budget  → every chat bound as `leaders` + a DM to each finance member; leaders are DMed
//                     instead when no leaders chat is bound.
//   monthly-report  → last month's variance report to every `team` chat (card VAR-<month>, updated in place
//                     when reasons come in) + a DM to the owner of each line beyond ±10 %. Without a team
//                     chat, finance and leaders get the report by DM.
//   reminders       → approvals pending > reminder_hours: DM finance (pending_finance) or leaders
//                     (pending_leader), at most once per local day per request (remindedAt); falls back to
//                     the approvals chat when nobody holds the role. High risks unowned for 24 h: re-posted
//                     once to the leaders chat (DM leaders when unbound), escalatedAt set. Campaigns ended
//                     ≥ 7 days ago and not evaluated: DM their owner once. Annual plans and plan amendments
//                     waiting for a decision: like approvals (usecases/plan/reminders.ts).
import type { Tx } from '../db/client.js';
import { formatId } from '../domain/ids.js';
import { addDays, formatStamp, localDate, startOfLocalDayUtc } from '../domain/time.js';
import { coveredPeriod } from './periods.js';
import type { Role } from '../domain/types.js';
import { t } from '../i18n/index.js';
import {
  adjustmentReminderMessage,
  campaignEvaluationReminder,
  riskEscalationMessage,
  varianceOwnerCardKey,
  varianceOwnerMessage,
  varianceReportCardKey,
} from '../messages/builders/reports.js';
import type { Message } from '../messages/model.js';
import { agendaMessage, collectAgenda, markAgendaTopicsDone } from '../usecases/agenda.js';
import { directMessage, postToPurpose } from '../usecases/notify.js';
import { peopleWithRole } from '../usecases/people.js';
import { remindPlans } from '../usecases/plan/reminders.js';
import { standInPeople } from '../usecases/approvers.js';
import { monthlyBudgetMessageFor, varianceReportMessageFor } from '../usecases/reports.js';
import type { JobName, Settings } from '../usecases/settings.js';
import type { CoreConfig } from '../usecases/types.js';

export interface JobContext {
  job: JobName;
  /** "2026-W48", "2026-11" or "2026-11-30" (see cron.ts). */
  period: string;
  now: Date;
  late: boolean;
  /** The scheduled instant this run stands for (null for `npm run job`). */
  scheduledAt: Date | null;
  /** Settings in force, with a valid time zone. */
  settings: Settings;
  config: CoreConfig;
}

/** Counts of what the job did, for logs and the CLI. */
export type JobSummary = Record<string, number>;
export type JobBody = (tx: Tx, ctx: JobContext) => Promise<JobSummary>;

/**
 * Thrown by a job body that found nowhere to post (no chat bound, nobody to message): its transaction rolls back
 * and the period stays open (JobRun `skipped`) for a later run, instead of being consumed with nothing posted.
 */
export class NoDestination extends Error {
  constructor(readonly purpose: string) {
    super(`nowhere to post (no ${purpose} chat bound)`);
    this.name = 'NoDestination';
  }
}

function lateNote(ctx: JobContext): string | undefined {
  if (!ctx.late || !ctx.scheduledAt) return undefined;
  const tz = ctx.settings.timezone;
  return t(ctx.settings.locale, 'sched.late', { at: formatStamp(ctx.scheduledAt, tz) });
}

function withContext(message: Message, note: string | undefined): Message {
  return note ? { ...message, context: [...(message.context ?? []), note] } : message;
}

/** DMs everyone holding any of `roles` once (a person with two roles gets one message). */
async function dmRoles(tx: Tx, roles: Role[], message: Message, opts: { dedupeKey: string; cardKey?: string; except?: number | number[] }): Promise<number> {
  const seen = new Set<number>();
  const except = new Set(opts.except === undefined ? [] : Array.isArray(opts.except) ? opts.except : [opts.except]);
  for (const role of roles) {
    for (const person of await peopleWithRole(tx, role)) {
      if (seen.has(person.id) || except.has(person.id)) continue;
      seen.add(person.id);
      await directMessage(tx, person, message, { cardKey: opts.cardKey, dedupeKey: `${opts.dedupeKey}:${person.id}` });
    }
  }
  return seen.size;
}

/** DMs the people who decide a step needing `role`: its holders and their stand-ins (delegations), once each. */
async function dmDeciders(tx: Tx, role: Role, now: Date, message: Message, opts: { dedupeKey: string; cardKey?: string; except?: number | number[] }): Promise<number> {
  let sent = await dmRoles(tx, [role], message, opts);
  if (role !== 'finance' && role !== 'leader') return sent;
  const except = opts.except === undefined ? [] : Array.isArray(opts.except) ? opts.except : [opts.except];
  for (const p of await standInPeople(tx, role, now, except)) {
    // Someone who also holds the role already has this message (same dedupe key): enqueue skips it.
    await directMessage(tx, p, message, { cardKey: opts.cardKey, dedupeKey: `${opts.dedupeKey}:${p.id}` });
    sent++;
  }
  return sent;
}

export const weeklyAgenda: JobBody = async (tx, ctx) => {
  const tz = ctx.settings.timezone;
  const today = localDate(ctx.now, tz);
  const data = await collectAgenda(tx, { today, month: today.slice(0, 7), now: ctx.now, settings: ctx.settings });
  const message = withContext(agendaMessage(ctx.settings.locale, data), lateNote(ctx));
  const channels = await postToPurpose(tx, 'team', message, { dedupeKey: `weekly-agenda:${ctx.period}` });
  if (channels === 0) throw new NoDestination('team');
  // Topics listed on a posted agenda are now discussed.
  const topicsClosed = await markAgendaTopicsDone(tx, data.topics.items.map((i) => i.id), ctx.now);
  return { channels, topicsClosed };
};

export const monthlyBudget: JobBody = async (tx, ctx) => {
  const month = ctx.period;
  const message = await monthlyBudgetMessageFor(tx, ctx.settings.locale, month, lateNote(ctx));
  const channels = await postToPurpose(tx, 'leaders', message, { dedupeKey: `monthly-budget:${ctx.period}` });
  const roles: Role[] = channels > 0 ? ['finance'] : ['finance', 'leader'];
  const dms = await dmRoles(tx, roles, message, { dedupeKey: `monthly-budget:${ctx.period}:dm` });
  if (channels + dms === 0) throw new NoDestination('leaders');
  return { channels, dms };
};

export const monthlyReport: JobBody = async (tx, ctx) => {
  const month = coveredPeriod('monthly-report', ctx.period);
  const locale = ctx.settings.locale;
  const { view, message } = await varianceReportMessageFor(tx, locale, month, lateNote(ctx));
  const cardKey = varianceReportCardKey(month);
  const channels = await postToPurpose(tx, 'team', message, { cardKey, dedupeKey: `monthly-report:${ctx.period}` });
  let dms = 0;
  if (channels === 0) dms += await dmRoles(tx, ['finance', 'leader'], message, { cardKey, dedupeKey: `monthly-report:${ctx.period}:dm` });
  const ownerIds = [...new Set(view.lines.filter((l) => l.beyond && !l.explanation && l.owner).map((l) => l.lineId))];
  if (ownerIds.length > 0) {
    const lines = await tx.budgetLine.findMany({ where: { id: { in: ownerIds } }, include: { owner: true } });
    for (const line of lines) {
      const lineView = view.lines.find((l) => l.lineId === line.id);
      if (!line.owner || !lineView) continue;
      await directMessage(tx, line.owner, varianceOwnerMessage(locale, month, lineView), {
        cardKey: varianceOwnerCardKey(line.id, month),
        dedupeKey: `monthly-report:${ctx.period}:owner:${line.id}`,
      });
      dms++;
    }
  }
  if (channels + dms === 0) throw new NoDestination('team');
  return { channels, dms, beyond: view.lines.filter((l) => l.beyond).length };
};

const HOUR = 3_600_000;

export const reminders: JobBody = async (tx, ctx) => {
  const { now, period } = ctx;
  const tz = ctx.settings.timezone;
  const locale = ctx.settings.locale;
  const today = localDate(now, tz);
  const startOfToday = startOfLocalDayUtc(today, tz);
  const cutoff = new Date(now.getTime() - ctx.settings.reminderHours * HOUR);
  let adjustments = 0;
  let risks = 0;
  let campaigns = 0;

  // 1. Approvals waiting longer than reminder_hours, at most one reminder per request and local day.
  const pending = await tx.budgetAdjustment.findMany({
    where: {
      status: { in: ['pending_finance', 'pending_leader'] },
      createdAt: { lte: cutoff },
      OR: [{ remindedAt: null }, { remindedAt: { lt: startOfToday } }],
    },
    include: { requester: true, steps: true },
    orderBy: { id: 'asc' },
  });
  const lineCodes = new Map(
    (await tx.budgetLine.findMany({ where: { id: { in: [...new Set(pending.map((a) => a.toLineId))] } }, select: { id: true, code: true } })).map((l) => [l.id, l.code]),
  );
  for (const a of pending) {
    // Waiting since it reached its current step: the finance decision for pending_leader.
    const since = a.status === 'pending_leader' ? (a.steps.find((s) => s.step === 'finance')?.decidedAt ?? a.createdAt) : a.createdAt;
    if (since.getTime() > cutoff.getTime()) continue;
    const message = adjustmentReminderMessage(locale, {
      id: a.id,
      amount: a.amount,
      lineCode: lineCodes.get(a.toLineId) ?? '?',
      month: a.month,
      reason: a.reason,
      requester: a.requester,
      status: a.status,
      hours: Math.floor((now.getTime() - since.getTime()) / HOUR),
    });
    const cardKey = formatId('ADJ', a.id); // the approval card's key: a decision updates these copies too
    const dedupeKey = `reminders:${period}:${cardKey}`;
    const role: Role = a.status === 'pending_leader' ? 'leader' : 'finance';
    // Stand-ins for that step (delegations) are reminded too.
    const sent = await dmDeciders(tx, role, now, message, { cardKey, dedupeKey, except: a.requesterId });
    if (sent === 0) await postToPurpose(tx, 'approvals', message, { cardKey, dedupeKey });
    await tx.budgetAdjustment.update({ where: { id: a.id }, data: { remindedAt: now } });
    adjustments++;
  }

  // 2. High risks nobody owns 24 h after being reported: re-escalated once.
  const riskCutoff = new Date(now.getTime() - 24 * HOUR);
  const unowned = await tx.risk.findMany({
    where: { grade: 'high', ownerId: null, status: { in: ['open', 'mitigating'] }, createdAt: { lte: riskCutoff } },
    include: { reporter: true },
    orderBy: { id: 'asc' },
  });
  for (const r of unowned) {
    // escalatedAt may hold the immediate post at filing time; a re-escalation is one set ≥ 24 h after filing.
    if (r.escalatedAt && r.escalatedAt.getTime() >= r.createdAt.getTime() + 24 * HOUR) continue;
    const message = riskEscalationMessage(locale, {
      id: r.id,
      title: r.title,
      score: r.score,
      reporter: r.reporter,
      hours: Math.floor((now.getTime() - r.createdAt.getTime()) / HOUR),
    });
    const cardKey = formatId('RSK', r.id);
    const dedupeKey = `reminders:escalation:${cardKey}`;
    const channels = await postToPurpose(tx, 'leaders', message, { cardKey, dedupeKey });
    if (channels === 0) await dmRoles(tx, ['leader'], message, { cardKey, dedupeKey });
    await tx.risk.update({ where: { id: r.id }, data: { escalatedAt: now } });
    risks++;
  }

  // 3. Campaigns that ended 7+ days ago (within the last month) and still lack an evaluation: DM the owner once.
  const endedBy = addDays(today, -7);
  const ended = await tx.campaign.findMany({
    where: {
      status: { in: ['approved', 'running', 'ended'] },
      evaluatedAt: null,
      endDate: { lte: endedBy, gte: addDays(today, -37) },
    },
    include: { owner: true },
    orderBy: { id: 'asc' },
  });
  for (const c of ended) {
    const dedupeKey = `reminders:evaluation:${formatId('CMP', c.id)}`;
    if (await tx.outboxMessage.findUnique({ where: { dedupeKey }, select: { id: true } })) continue;
    const days = Math.round((Date.parse(today) - Date.parse(c.endDate)) / (24 * HOUR));
    await directMessage(tx, c.owner, campaignEvaluationReminder(locale, { id: c.id, name: c.name, endDate: c.endDate, days }), { dedupeKey });
    campaigns++;
  }

  // 4. Annual plans and plan amendments waiting for finance or a leader, like adjustments (src/usecases/plan/reminders.ts).
  const planned = await remindPlans(tx, {
    now,
    cutoff,
    startOfToday,
    period,
    locale,
    timezone: tz,
    dmRole: (role, message, opts) => dmDeciders(tx, role, now, message, opts),
  });
  return { adjustments, risks, campaigns, ...planned };
};

export const JOBS: Record<JobName, JobBody> = {
  'weekly-agenda': weeklyAgenda,
  'monthly-budget': monthlyBudget,
  'monthly-report': monthlyReport,
  reminders,
};
