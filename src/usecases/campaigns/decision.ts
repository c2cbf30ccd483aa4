// The leader's decision on a proposal: approve (commits the budget per month, or refuses with the shortfall and a
// request button for the owner), reject or request changes (with a comment); stand-ins decide on behalf.
import { plainText } from '../../messages/markup.js';
import type { Tx } from '../../db/client.js';
import { formatMoney } from '../../domain/money.js';
import { whoMay } from '../whoMay.js';
import type { CampaignStatus } from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import { closeButton, cmpId, shortfallMessage } from '../../messages/builders/campaigns.js';
import { campaignDecisionForm, reviseButton } from '../../messages/builders/campaignForms.js';
import { noticeMessage } from '../../messages/builders/common.js';
import { behalfData, deciderText, decidingAs } from '../approvers.js';
import { audit } from '../audit.js';
import { loadCampaign, str, tooLong, yuanString, type CampaignRow } from '../campaignSupport.js';
import { formRefusal, refuse, reply, type Ctx } from '../context.js';
import { raisesYearlyTotal, statusAfterApproval } from '../../domain/adjustments.js';
import { directMessage, updateCard } from '../notify.js';
import { actorIdentity, ensurePerson, findPerson, mention, nameOf } from '../people.js';
import type { FormValues, Outcome } from '../types.js';
import {
  assertPending,
  cardKey,
  currentCard,
  decideGuard,
  monthAvailability,
  shortfallsOf,
  staleCard,
} from './common.js';

// ------------------------------------------------------------------------------------------ decisions

export async function approve(ctx: Ctx, id: number, revision: number | undefined): Promise<Outcome> {
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

export async function decideWithComment(ctx: Ctx, kind: 'cmp.reject' | 'cmp.changes', id: number, revision: number | undefined, values: FormValues): Promise<Outcome> {
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

export async function openDecisionForm(ctx: Ctx, kind: 'cmp.reject' | 'cmp.changes', id: number, revision: number | undefined): Promise<Outcome> {
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
export async function shortfallApprovers(tx: Tx, ctx: Ctx, c: CampaignRow, amount: number): Promise<string> {
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

export async function openShortfallRequest(ctx: Ctx, id: number): Promise<Outcome> {
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
  const { openFormOutcome } = await import('../core.js');
  return openFormOutcome(ctx, { kind: 'budget.request', args: [] }, {
    line: found.c.line.code,
    amount: yuanString(first.short),
    month: first.month,
    reason: plainText(t(ctx.locale, 'cmp.shortfall.reason', { id: cmpId(id), name: found.c.name })),
  });
}
