// Reading campaigns: the paged list by filter and one campaign's card.
import type { CampaignListFilter } from '../../commands/intents.js';
import { canClose, canDecide, canResubmit, effectiveStatus } from '../../domain/campaigns.js';
import { canAct } from '../../domain/permissions.js';
import type { CampaignStatus } from '../../domain/types.js';
import { Prisma } from '../../generated/prisma/client.js';
import { sqlRows } from '../../db/raw.js';
import {
  campaignCard,
  campaignListMessage,
  closeButton,
  cmpId,
  decisionButtons,
  type MonthAvailability,
} from '../../messages/builders/campaigns.js';
import { reviseButton } from '../../messages/builders/campaignForms.js';
import type { Button } from '../../messages/model.js';
import { mayDecide } from '../approvers.js';
import { campaignView, HOLDING_STATUSES, loadCampaign } from '../campaignSupport.js';
import { refuse, reply, type Ctx } from '../context.js';
import { findPerson, mention, rolesOf } from '../people.js';
import type { Outcome } from '../types.js';
import { monthAvailability } from './common.js';

// ---------------------------------------------------------------------------------------- list / show

/** The campaigns a list filter shows (`c` is the Campaign row), as SQL. */
export function filterSql(filter: CampaignListFilter, today: string): Prisma.Sql {
  const holding = Prisma.join(HOLDING_STATUSES);
  switch (filter) {
    case 'pending':
      return Prisma.sql`c."status" = 'pending_approval'`;
    case 'approved':
      return Prisma.sql`c."status" IN (${holding}) AND c."startDate" > ${today}`;
    case 'running':
      return Prisma.sql`c."status" IN (${holding}) AND c."startDate" <= ${today} AND c."endDate" >= ${today}`;
    case 'ended':
      return Prisma.sql`c."status" IN (${holding}) AND c."endDate" < ${today}`;
    case 'evaluated':
      return Prisma.sql`c."status" = 'evaluated'`;
    case 'active':
      return Prisma.sql`c."status" IN (${Prisma.join(['pending_approval', 'changes_requested', ...HOLDING_STATUSES])})`;
    default:
      return Prisma.sql`1 = 1`;
  }
}

interface ListRow {
  id: number;
  name: string;
  status: string;
  startDate: string;
  endDate: string;
  amount: number;
  platform: string;
  userId: string;
  displayName: string | null;
}

export async function listCampaigns(ctx: Ctx, filter: CampaignListFilter, page = 1): Promise<Outcome> {
  const message = await ctx.deps.db.read(async (tx) => {
    const rows = await sqlRows<ListRow[]>(
      tx,
      Prisma.sql`SELECT c."id", c."name", c."status", c."startDate", c."endDate", c."amount", p."platform", p."userId", p."displayName" FROM "Campaign" c JOIN "Person" p ON p."id" = c."ownerId" WHERE ${filterSql(filter, ctx.today)} ORDER BY c."id" DESC`,
    );
    const items = rows.map((c) => ({
      id: c.id,
      name: c.name,
      status: effectiveStatus(c.status as CampaignStatus, c.startDate, c.endDate, ctx.today),
      startDate: c.startDate,
      endDate: c.endDate,
      amount: c.amount,
      owner: mention(c),
    }));
    return campaignListMessage(ctx.locale, filter, items, page);
  });
  return reply(ctx, message);
}

export async function showCampaign(ctx: Ctx, id: number): Promise<Outcome> {
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
