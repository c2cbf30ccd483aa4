// Reminders for annual plans and plan amendments waiting for a decision longer than reminder_hours, run by the
// scheduler's `reminders` job like those of budget adjustments: once per local day per item (remindedAt), to
// finance or the leaders by step (never to the person who drafted, submitted or asked), falling back to the
// approvals chat when nobody holds the role. The reminder is the decision card itself, with a line saying how long
// it has waited, and shares the card's key: a decision updates these copies in place too.
import type { Tx } from '../../db/client.js';
import { formatMoney } from '../../domain/money.js';
import { sum } from '../../domain/plan.js';
import type { Locale, Role } from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import { planCard, planCardKey } from '../../messages/builders/plan.js';
import { amendmentCard, amendmentCardKey } from '../../messages/builders/planAmendment.js';
import { plainText } from '../../messages/markup.js';
import type { Message } from '../../messages/model.js';
import { postToPurpose } from '../notify.js';
import { loadPlanView } from './flow.js';
import { loadAmendmentView, OPEN_AMENDMENT } from './amend.js';

const HOUR = 3_600_000;

export interface PlanReminderContext {
  now: Date;
  /** Items waiting since before this instant are reminded. */
  cutoff: Date;
  /** Start of the local day: an item reminded since then is not reminded again today. */
  startOfToday: Date;
  period: string;
  locale: Locale;
  timezone: string;
  /** DMs everyone holding `role` and their stand-ins, except the people in `except`; returns how many were sent. */
  dmRole(role: Role, message: Message, opts: { cardKey: string; dedupeKey: string; except: number[] }): Promise<number>;
}

function withReminder(card: Message, title: string, text: string): Message {
  return { ...card, tone: 'warning', text: card.text ? `${text}\n${card.text}` : text, summary: plainText(title), context: [...(card.context ?? []), title] };
}

async function send(tx: Tx, ctx: PlanReminderContext, role: Role, message: Message, cardKey: string, except: number[]): Promise<void> {
  const dedupeKey = `reminders:${ctx.period}:${cardKey}`;
  const sent = await ctx.dmRole(role, message, { cardKey, dedupeKey, except });
  if (sent === 0) await postToPurpose(tx, 'approvals', message, { cardKey, dedupeKey });
}

const remindable = (ctx: PlanReminderContext) => ({ OR: [{ remindedAt: null }, { remindedAt: { lt: ctx.startOfToday } }] });

export async function remindPlans(tx: Tx, ctx: PlanReminderContext): Promise<{ plans: number; amendments: number }> {
  let plans = 0;
  let amendments = 0;
  const { locale } = ctx;

  const waiting = await tx.budgetPlan.findMany({ where: { status: { in: ['pending_finance', 'pending_leader'] }, ...remindable(ctx) }, orderBy: { id: 'asc' } });
  for (const plan of waiting) {
    const financeStep =
      plan.status === 'pending_leader'
        ? await tx.planStep.findUnique({ where: { planId_version_step: { planId: plan.id, version: plan.version, step: 'finance' } } })
        : null;
    const since = financeStep?.decidedAt ?? plan.submittedAt ?? plan.updatedAt;
    if (since.getTime() > ctx.cutoff.getTime()) continue;
    const step = plan.status === 'pending_leader' ? 'leader' : 'finance';
    const view = await loadPlanView(tx, plan, ctx.timezone, ctx.locale);
    const params = {
      year: plan.year,
      version: plan.version,
      total: formatMoney(sum(view.lines.map((l) => sum(l.months))), locale),
      lines: view.lines.length,
      hours: Math.floor((ctx.now.getTime() - since.getTime()) / HOUR),
      step: t(locale, `sched.remind.step.${step}`),
    };
    const title = t(locale, 'sched.remind.plan.title', params);
    const message = withReminder(planCard(locale, view), title, t(locale, 'sched.remind.plan.text', params));
    const except = [plan.drafterId, plan.submittedById].filter((x): x is number => x !== null);
    await send(tx, ctx, step, message, planCardKey(plan.year), except);
    await tx.budgetPlan.update({ where: { id: plan.id }, data: { remindedAt: ctx.now } });
    plans++;
  }

  const open = await tx.planAmendment.findMany({ where: { status: { in: OPEN_AMENDMENT }, ...remindable(ctx) }, orderBy: { id: 'asc' } });
  for (const a of open) {
    const financeStep = a.status === 'pending_leader' ? await tx.planAmendmentStep.findUnique({ where: { amendmentId_step: { amendmentId: a.id, step: 'finance' } } }) : null;
    const since = financeStep?.decidedAt ?? a.createdAt;
    if (since.getTime() > ctx.cutoff.getTime()) continue;
    const step = a.status === 'pending_leader' ? 'leader' : 'finance';
    const view = await loadAmendmentView(tx, a, ctx.timezone, ctx.locale);
    const params = {
      id: amendmentCardKey(a.id),
      code: a.code,
      year: a.year,
      annual: formatMoney(a.annual, locale),
      who: view.requester,
      hours: Math.floor((ctx.now.getTime() - since.getTime()) / HOUR),
      step: t(locale, `sched.remind.step.${step}`),
    };
    const title = t(locale, 'sched.remind.amend.title', params);
    const message = withReminder(amendmentCard(locale, view), title, t(locale, 'sched.remind.amend.text', params));
    await send(tx, ctx, step, message, amendmentCardKey(a.id), [a.requesterId]);
    await tx.planAmendment.update({ where: { id: a.id }, data: { remindedAt: ctx.now } });
    amendments++;
  }
  return { plans, amendments };
}
