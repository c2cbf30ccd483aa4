// `/budget export [YYYY]`: the workbook finance would otherwise rebuild by hand — plan by month, actual by month,
// variance, commitments, and adjustments with their approval steps. Written with exceljs; amounts are numbers in
// yuan with two decimals (so the numbers add up in Excel), one row per line and a total row.
import type ExcelJS from 'exceljs';
import { loadExcel } from './excel.js';
import type { Locale } from '../domain/types.js';
import { t } from '../i18n/index.js';
import { planHeaders } from './template.js';

export interface ExportLine {
  code: string;
  name: string;
  category: string;
  owner: string;
  plan: number[];
  actual: number[];
  committed: number[];
}

export interface ExportAdjustment {
  id: string;
  kind: string;
  amount: number;
  from: string;
  to: string;
  month: string;
  status: string;
  requester: string;
  reason: string;
  createdAt: string;
  steps: string;
}

export interface ExportCommitment {
  campaign: string;
  name: string;
  line: string;
  month: string;
  amount: number;
  status: string;
}

export interface ExportData {
  year: number;
  planStatus: string;
  lines: ExportLine[];
  commitments: ExportCommitment[];
  adjustments: ExportAdjustment[];
}

const MONEY = '#,##0.00';
const yuan = (fen: number) => Math.round(fen) / 100;
const total = (v: number[]) => v.reduce((a, b) => a + b, 0);

function monthSheet(wb: ExcelJS.Workbook, locale: Locale, name: string, lines: ExportLine[], pick: (l: ExportLine) => number[]): void {
  const sheet = wb.addWorksheet(name);
  // Same columns as the template, so an export's plan sheet can be imported again as next year's draft.
  sheet.addRow(planHeaders(locale));
  for (const l of lines) {
    const months = pick(l);
    sheet.addRow([l.code, l.name, l.category, l.owner, yuan(total(months)), ...months.map(yuan)]);
  }
  const sums = Array.from({ length: 12 }, (_, i) => total(lines.map((l) => pick(l)[i] ?? 0)));
  sheet.addRow([t(locale, 'plan.export.total'), '', '', '', yuan(total(sums)), ...sums.map(yuan)]).font = { bold: true };
  finish(sheet, 5);
}

function finish(sheet: ExcelJS.Worksheet, firstMoneyCol: number, lastMoneyCol?: number): void {
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1, xSplit: 2 }];
  sheet.columns.forEach((col, i) => {
    col.width = i === 1 ? 28 : 14;
    if (i + 1 >= firstMoneyCol && (lastMoneyCol === undefined || i + 1 <= lastMoneyCol)) col.numFmt = MONEY;
  });
}

export async function exportWorkbook(locale: Locale, data: ExportData): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'mktops';
  monthSheet(wb, locale, t(locale, 'plan.export.sheet.plan'), data.lines, (l) => l.plan);
  monthSheet(wb, locale, t(locale, 'plan.export.sheet.actual'), data.lines, (l) => l.actual);

  const variance = wb.addWorksheet(t(locale, 'plan.export.sheet.variance'));
  variance.addRow(['plan', 'actual', 'committed', 'variance', 'used'].reduce<string[]>((row, k) => [...row, t(locale, `plan.export.col.${k}`)], [t(locale, 'plan.column.code'), t(locale, 'plan.column.name'), t(locale, 'plan.column.category')]));
  for (const l of data.lines) {
    const p = total(l.plan);
    const a = total(l.actual);
    variance.addRow([l.code, l.name, l.category, yuan(p), yuan(a), yuan(total(l.committed)), yuan(p - a), p > 0 ? Math.round((a / p) * 1000) / 10 : null]);
  }
  const P = total(data.lines.map((l) => total(l.plan)));
  const A = total(data.lines.map((l) => total(l.actual)));
  variance.addRow([t(locale, 'plan.export.total'), '', '', yuan(P), yuan(A), yuan(total(data.lines.map((l) => total(l.committed)))), yuan(P - A), P > 0 ? Math.round((A / P) * 1000) / 10 : null]).font = { bold: true };
  finish(variance, 4, 7);

  const commitments = wb.addWorksheet(t(locale, 'plan.export.sheet.commitments'));
  commitments.addRow(['campaign', 'campaign_name', 'line', 'month', 'amount', 'status'].map((k) => t(locale, `plan.export.col.${k}`)));
  for (const c of data.commitments) commitments.addRow([c.campaign, c.name, c.line, c.month, yuan(c.amount), c.status]);
  finish(commitments, 5, 5);

  const adjustments = wb.addWorksheet(t(locale, 'plan.export.sheet.adjustments'));
  adjustments.addRow(['id', 'kind', 'amount', 'from', 'to', 'month', 'status', 'requester', 'reason', 'created', 'steps'].map((k) => t(locale, `plan.export.col.${k}`)));
  for (const a of data.adjustments) adjustments.addRow([a.id, a.kind, yuan(a.amount), a.from, a.to, a.month, a.status, a.requester, a.reason, a.createdAt, a.steps]);
  finish(adjustments, 3, 3);
  adjustments.getColumn(9).width = 40;
  adjustments.getColumn(11).width = 60;

  const about = wb.addWorksheet(t(locale, 'plan.export.sheet.about'));
  about.getColumn(1).width = 100;
  about.addRow([t(locale, 'plan.export.about', { year: data.year, status: data.planStatus })]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
