// Closing a campaign with its actual results: the evaluation against the KPI targets and the budget, the
// commitment released (policy 四: evaluated after the end).
import { compareKpis } from '../../domain/campaigns.js';
import { parseMoney } from '../../domain/money.js';
import { KPI_KEYS, type KpiKey } from '../../domain/types.js';
import { cmpId, evaluationMessage, resultField, statusLabel } from '../../messages/builders/campaigns.js';
import { campaignCloseForm } from '../../messages/builders/campaignForms.js';
import { audit } from '../audit.js';
import { FormInvalid, HOLDING_STATUSES, parseJson, str, tooLong, type FieldErrors } from '../campaignSupport.js';
import { refuse, reply, type Ctx } from '../context.js';
import { directMessage, postToPurpose, updateCard } from '../notify.js';
import { actorIdentity, ensurePerson, mention } from '../people.js';
import type { FormValues, Outcome } from '../types.js';
import { cardKey, closeGuard, currentCard } from './common.js';
import { parseKpiValue, writeForm } from './proposal.js';

// --------------------------------------------------------------------------------------------- close

export async function openCloseForm(ctx: Ctx, id: number): Promise<Outcome> {
  const form = await ctx.deps.db.read(async (tx) => {
    const c = await closeGuard(tx, ctx, id);
    return campaignCloseForm(ctx.locale, { id, name: c.name, kpiTargets: parseJson(c.kpiTargets, {}) });
  });
  return { ok: true, openForm: form, locale: ctx.locale };
}

export async function submitClose(ctx: Ctx, id: number, values: FormValues): Promise<Outcome> {
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
