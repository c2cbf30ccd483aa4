// What the campaign use-cases share: the card key, the budget a campaign would take per month, the guards of a
// decision (stale card, authority, still pending) and of closing, and the current card.
import { plainText } from '../../messages/markup.js';
import type { Tx } from '../../db/client.js';
import { available } from '../../domain/budget.js';
import { canClose, canDecide, splitCommitment } from '../../domain/campaigns.js';
import { canAct } from '../../domain/permissions.js';
import { whoMay } from '../whoMay.js';
import type { CampaignStatus, Minor } from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import {
  campaignCard,
  cmpId,
  statusLabel,
  type MonthAvailability,
  type Shortfall,
} from '../../messages/builders/campaigns.js';
import type { Button, Message } from '../../messages/model.js';
import { checkAuthority, otherApprovers, type DecisionCheck } from '../approvers.js';
import { oneLineFigures } from '../budgetFigures.js';
import { campaignView, loadCampaign, when, type CampaignRow } from '../campaignSupport.js';
import { refuse, type Ctx } from '../context.js';
import { findPerson, nameOf, rolesOf } from '../people.js';
import type { Outcome } from '../types.js';
import { approvalCard } from './proposal.js';

export const cardKey = (id: number): string => `CMP-${id}`;
/** Largest count KPI we accept (a sanity cap, like MONEY_CAP for amounts). */
export const MAX_COUNT = 1_000_000_000_000;

// -------------------------------------------------------------------------------------------- budget

/** Share of each month and what the line still has available (before this campaign is committed). */
export async function monthAvailability(tx: Tx, c: { lineId: number; amount: Minor; startDate: string; endDate: string }): Promise<MonthAvailability[]> {
  const out: MonthAvailability[] = [];
  for (const part of splitCommitment(c.amount, c.startDate, c.endDate)) {
    const fig = await oneLineFigures(tx, c.lineId, part.month);
    out.push({ month: part.month, share: part.amount, available: fig ? available(fig) : 0 });
  }
  return out;
}

export function shortfallsOf(months: MonthAvailability[]): Shortfall[] {
  return months
    .filter((m) => m.share > Math.max(0, m.available))
    .map((m) => ({ month: m.month, need: m.share, available: m.available, short: m.share - Math.max(0, m.available) }));
}

// ------------------------------------------------------------------------------------------- guards

/**
 * A click on a copy of the card drawn for an older revision (the owner revised it since): not decided; the person
 * is shown the current card (and Feishu replaces the clicked copy with it). Buttons without a stamp are revision 1.
 */
export async function staleCard(tx: Tx, ctx: Ctx, c: CampaignRow, revision: number | undefined): Promise<Outcome | null> {
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
export async function decideGuard(tx: Tx, ctx: Ctx, id: number): Promise<{ c: CampaignRow; check: DecisionCheck }> {
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

export async function assertPending(tx: Tx, ctx: Ctx, c: CampaignRow): Promise<void> {
  if (canDecide(c.status as CampaignStatus)) return;
  const status = statusLabel(ctx.locale, c.status);
  const decider = c.decidedById ? await tx.person.findUnique({ where: { id: c.decidedById } }) : null;
  if (decider && c.decidedAt) {
    refuse('cmp.error.already_decided', { id: cmpId(c.id), status, by: nameOf(decider), at: when(ctx, c.decidedAt) });
  }
  refuse('cmp.error.not_pending', { id: cmpId(c.id), status });
}

/** Owner or leader, on an approved / running / ended campaign. */
export async function closeGuard(tx: Tx, ctx: Ctx, id: number): Promise<CampaignRow> {
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

export async function currentCard(tx: Tx, ctx: Ctx, id: number, buttons: Button[] = []): Promise<Message> {
  const c = await loadCampaign(tx, id);
  const view = await campaignView(tx, ctx, c!, { commitments: true });
  return campaignCard(ctx.locale, view, { buttons });
}
