// `/budget export [YYYY]`: reads the year (lines, plan and actual by month, commitments, adjustments with their
// steps) with aggregate queries, writes the workbook (src/sheets/export.ts), stores it and sends it to the person.
import { plainText } from '../../messages/markup.js';
import { XLSX_MIME, storeFile } from '../../delivery/files.js';
import { formatId } from '../../domain/ids.js';
import { monthsOfYear } from '../../domain/time.js';
import { t } from '../../i18n/index.js';
import { exportWorkbook, type ExportData, type ExportLine } from '../../sheets/export.js';
import { localStamp } from '../adjustmentFlow.js';
import { refuse, reply, type Ctx } from '../context.js';
import { directFile } from '../notify.js';
import type { Outcome } from '../types.js';

export async function loadExportData(ctx: Ctx, year: number): Promise<ExportData> {
  const tz = ctx.settings.timezone;
  return ctx.deps.db.read(async (tx) => {
    const fy = await tx.fiscalYear.findUnique({ where: { year } });
    const lines = fy ? await tx.budgetLine.findMany({ where: { fiscalYearId: fy.id }, orderBy: { code: 'asc' }, include: { owner: true } }) : [];
    if (lines.length === 0) refuse('plan.export.no_year', { year });
    const ids = lines.map((l) => l.id);
    const months = monthsOfYear(year);
    const index = new Map(months.map((m, i) => [m, i]));
    const byLine = new Map<number, ExportLine>();
    for (const l of lines) {
      byLine.set(l.id, {
        code: l.code,
        name: l.name,
        category: t(ctx.locale, `plan.category.${l.category}`),
        owner: l.owner?.displayName ?? l.owner?.userId ?? '',
        plan: Array(12).fill(0),
        actual: Array(12).fill(0),
        committed: Array(12).fill(0),
      });
    }
    for (const a of await tx.monthlyAllocation.findMany({ where: { lineId: { in: ids } } })) {
      const i = index.get(a.month);
      if (i !== undefined) byLine.get(a.lineId)!.plan[i] = a.planned;
    }
    const spent = await tx.expense.groupBy({ by: ['lineId', 'month'], where: { lineId: { in: ids } }, _sum: { amount: true } });
    for (const s of spent) {
      const i = index.get(s.month);
      if (i !== undefined) byLine.get(s.lineId)!.actual[i] = s._sum.amount ?? 0;
    }
    const commitments = await tx.budgetCommitment.findMany({ where: { lineId: { in: ids } }, include: { campaign: true, line: true }, orderBy: [{ campaignId: 'asc' }, { month: 'asc' }] });
    for (const c of commitments) {
      const i = index.get(c.month);
      if (i !== undefined && c.campaign.status !== 'evaluated') byLine.get(c.lineId)!.committed[i] += c.amount;
    }
    const adjustments = await tx.budgetAdjustment.findMany({
      where: { OR: [{ toLineId: { in: ids } }, { fromLineId: { in: ids } }] },
      include: { requester: true, steps: { include: { decider: true }, orderBy: { id: 'asc' } } },
      orderBy: { id: 'asc' },
    });
    const codeOf = (id: number | null) => (id === null ? '' : (lines.find((l) => l.id === id)?.code ?? ''));
    const name = (p: { displayName: string | null; userId: string }) => p.displayName ?? p.userId;
    const plan = await tx.budgetPlan.findUnique({ where: { year } });
    return {
      year,
      planStatus: plan ? `${t(ctx.locale, `plan.status.${plan.status}`)} (v${plan.version})` : '—',
      lines: [...byLine.values()],
      commitments: commitments.map((c) => ({
        campaign: formatId('CMP', c.campaignId),
        name: c.campaign.name,
        line: c.line.code,
        month: c.month,
        amount: c.amount,
        status: c.campaign.status,
      })),
      adjustments: adjustments.map((a) => ({
        id: formatId('ADJ', a.id),
        kind: a.kind,
        amount: a.amount,
        from: codeOf(a.fromLineId),
        to: codeOf(a.toLineId),
        month: a.month,
        status: a.status,
        requester: name(a.requester),
        reason: a.reason,
        createdAt: localStamp(a.createdAt, tz),
        steps: a.steps.map((s) => `${s.step}: ${s.decision} · ${name(s.decider)} · ${localStamp(s.decidedAt, tz)}${s.comment ? ` · ${s.comment}` : ''}`).join('\n'),
      })),
    };
  });
}

export async function exportYear(ctx: Ctx, year: number): Promise<Outcome> {
  const data = await loadExportData(ctx, year);
  const bytes = await exportWorkbook(ctx.locale, data);
  const name = ctx.locale === 'en' ? `budget-${year}.xlsx` : `${year}年预算.xlsx`;
  await ctx.deps.db.write(async (tx) => {
    const file = await storeFile(tx, { name, mime: XLSX_MIME, bytes, title: name });
    const text = t(ctx.locale, 'plan.export.comment', { year });
    await directFile(tx, { platform: ctx.actor.platform, workspaceId: ctx.actor.workspaceId, userId: ctx.actor.userId }, file, { tone: 'info', text, summary: plainText(text) });
  });
  const text = t(ctx.locale, 'plan.export.sent', { year });
  return reply(ctx, { tone: 'success', text, summary: plainText(text) });
}
