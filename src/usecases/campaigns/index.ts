// Use-cases of the campaigns area (policy 四), one file per step — proposal.ts, decision.ts, evaluation.ts, list.ts
// (common.ts: guards and cards they share): propose → leader decides (approval commits budget per month)
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
import { CAMPAIGN_LIST_FILTERS, type CampaignListFilter } from '../../commands/intents.js';
import { campaignNewForm } from '../../messages/builders/campaignForms.js';
import type { Area } from '../context.js';
import { approve, decideWithComment, openDecisionForm, openShortfallRequest } from './decision.js';
import { openCloseForm, submitClose } from './evaluation.js';
import { listCampaigns, showCampaign } from './list.js';
import { linesForForm, reviseForm, submitProposal, submitRevision } from './proposal.js';

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

export { campaignApprovalCard, parseKpiValue } from './proposal.js';
