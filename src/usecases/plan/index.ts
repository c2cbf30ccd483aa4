// The annual budget plan area: `/budget plan …` and `/budget export`. Files the bot makes (template, export) are
// stored and sent to the person's direct chat through the outbox (src/delivery/files.ts, notify.directFile).
import { XLSX_MIME, storeFile } from '../../delivery/files.js';
import { t } from '../../i18n/index.js';
import { planTemplate } from '../../sheets/template.js';
import { reply, type Area, type Ctx } from '../context.js';
import { directFile } from '../notify.js';
import type { Outcome } from '../types.js';

/** The year a plan command means when none is given: next year from October on (planning season), else this one. */
export function defaultPlanYear(ctx: Ctx): number {
  const [y, m] = ctx.month.split('-').map(Number) as [number, number];
  return m >= 10 ? y + 1 : y;
}

function actorPerson(ctx: Ctx) {
  return { platform: ctx.actor.platform, workspaceId: ctx.actor.workspaceId, userId: ctx.actor.userId };
}

async function sendTemplate(ctx: Ctx, year: number | undefined): Promise<Outcome> {
  const y = year ?? defaultPlanYear(ctx);
  const bytes = await planTemplate(ctx.locale, y);
  const name = ctx.locale === 'en' ? `budget-plan-${y}-template.xlsx` : `${y}年度预算计划模板.xlsx`;
  await ctx.deps.db.write(async (tx) => {
    const file = await storeFile(tx, { name, mime: XLSX_MIME, bytes, title: name });
    const text = t(ctx.locale, 'plan.template.comment', { year: y });
    await directFile(tx, actorPerson(ctx), file, { tone: 'info', text, summary: text });
  });
  const text = t(ctx.locale, 'plan.template.sent');
  return reply(ctx, { tone: 'success', text, summary: text });
}

export const planArea: Area = {
  commands: {
    'plan.template': (ctx, intent) => sendTemplate(ctx, intent.year),
  },
};
