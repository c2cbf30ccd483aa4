// `/budget export [YYYY]`: reads the year (lines, plan and actual by month, commitments, adjustments with their
// steps) with aggregate queries, writes the workbook (src/sheets/export.ts), stores it and sends it to the person.
import { plainText } from '../../messages/markup.js';
import { XLSX_MIME, storeFile } from '../../delivery/files.js';
import { formatId } from '../../domain/ids.js';
import { formatStamp, monthsOfYear } from '../../domain/time.js';
import { t } from '../../i18n/index.js';
import { exportWorkbook, type ExportData, type ExportLine } from '../../sheets/export.js';
import { refuse, reply, type Ctx } from '../context.js';
import { directFile } from '../notify.js';
import type { Outcome } from '../types.js';
import { withProgress } from '../progress.js';

/**
 * SQLite refuses a statement with more than 999 parameters, so lists of ids (a 2,000-line year, thousands of
 * adjustments) are queried in chunks; everything keyed by the year is filtered through the line's relation instead.
 */
const CHUNK = 400;
async function inChunks<T>(ids: readonly number[], load: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await load(ids.slice(i, i + CHUNK))));
  return out;
}

export async function loadExportData(ctx: Ctx, year: number): Promise<ExportData> {
  const tz = ctx.settings.timezone;
  return ctx.deps.db.read(async (tx) => {
    const fy = await tx.fiscalYear.findUnique({ where: { year } });
    const lines = fy ? await tx.budgetLine.findMany({ where: { fiscalYearId: fy.id }, orderBy: { code: 'asc' }, include: { owner: true } }) : [];
    if (!fy || lines.length === 0) refuse('plan.export.no_year', { year });
    const ofYear = { line: { fiscalYearId: fy.id } };
    const ids = lines.map((l) => l.id);
    const months = monthsOfYear(year);
    const index = new Map(months.map((m, i) => [m, i]));
    const byLine = new Map<number, ExportLine>();
    const codeById = new Map<number, string>();
    for (const l of lines) {
      codeById.set(l.id, l.code);
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
    for (const a of await tx.monthlyAllocation.findMany({ where: ofYear, select: { lineId: true, month: true, planned: true } })) {
      const i = index.get(a.month);
      if (i !== undefined) byLine.get(a.lineId)!.plan[i] = a.planned;
    }
    const spent = await tx.expense.groupBy({ by: ['lineId', 'month'], where: ofYear, _sum: { amount: true } });
    for (const s of spent) {
      const i = index.get(s.month);
      if (i !== undefined) byLine.get(s.lineId)!.actual[i] = s._sum.amount ?? 0;
    }
    const commitments = await tx.budgetCommitment.findMany({ where: ofYear, orderBy: [{ campaignId: 'asc' }, { month: 'asc' }] });
    const campaigns = new Map(
      (
        await inChunks([...new Set(commitments.map((c) => c.campaignId))], (chunk) =>
          tx.campaign.findMany({ where: { id: { in: chunk } }, select: { id: true, name: true, status: true } }),
        )
      ).map((c) => [c.id, c]),
    );
    for (const c of commitments) {
      const i = index.get(c.month);
      if (i !== undefined && campaigns.get(c.campaignId)?.status !== 'evaluated') byLine.get(c.lineId)!.committed[i] += c.amount;
    }
    const adjustments = [
      ...new Map(
        (
          await inChunks(ids, (chunk) =>
            tx.budgetAdjustment.findMany({ where: { OR: [{ toLineId: { in: chunk } }, { fromLineId: { in: chunk } }] } }),
          )
        ).map((a) => [a.id, a]),
      ).values(),
    ].sort((a, b) => a.id - b.id);
    const steps = await inChunks(
      adjustments.map((a) => a.id),
      (chunk) => tx.approvalStep.findMany({ where: { adjustmentId: { in: chunk } }, orderBy: { id: 'asc' } }),
    );
    const stepsOf = new Map<number, typeof steps>();
    for (const s of steps) stepsOf.set(s.adjustmentId, [...(stepsOf.get(s.adjustmentId) ?? []), s]);
    const personIds = [...new Set([...adjustments.map((a) => a.requesterId), ...steps.map((s) => s.deciderId)])];
    const people = new Map((await inChunks(personIds, (chunk) => tx.person.findMany({ where: { id: { in: chunk } } }))).map((p) => [p.id, p]));
    const codeOf = (id: number | null) => (id === null ? '' : (codeById.get(id) ?? ''));
    const name = (id: number) => {
      const p = people.get(id);
      return p ? (p.displayName ?? p.userId) : '';
    };
    const plan = await tx.budgetPlan.findUnique({ where: { year } });
    return {
      year,
      planStatus: plan ? `${t(ctx.locale, `plan.status.${plan.status}`)} (v${plan.version})` : '—',
      lines: [...byLine.values()],
      commitments: commitments.map((c) => ({
        campaign: formatId('CMP', c.campaignId),
        name: campaigns.get(c.campaignId)?.name ?? '',
        line: codeOf(c.lineId),
        month: c.month,
        amount: c.amount,
        status: campaigns.get(c.campaignId)?.status ?? '',
      })),
      adjustments: adjustments.map((a) => ({
        id: formatId('ADJ', a.id),
        kind: a.kind,
        amount: a.amount,
        from: codeOf(a.fromLineId),
        to: codeOf(a.toLineId),
        month: a.month,
        status: a.status,
        requester: name(a.requesterId),
        reason: a.reason,
        createdAt: formatStamp(a.createdAt, tz),
        steps: (stepsOf.get(a.id) ?? [])
          .map((s) => `${s.step}: ${s.decision} · ${name(s.deciderId)} · ${formatStamp(s.decidedAt, tz)}${s.comment ? ` · ${s.comment}` : ''}`)
          .join('\n'),
      })),
    };
  });
}

export async function exportYear(ctx: Ctx, year: number): Promise<Outcome> {
  const progress = () => {
    const text = t(ctx.locale, 'plan.progress.export', { year });
    return { tone: 'info' as const, text, summary: plainText(text) };
  };
  return withProgress(ctx, progress, () => buildAndSend(ctx, year));
}

async function buildAndSend(ctx: Ctx, year: number): Promise<Outcome> {
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
