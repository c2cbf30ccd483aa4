// The plan template: an XLSX with the header row the importer reads, one example row, and a sheet of notes in the
// person's language. Written with exceljs.
import type ExcelJS from 'exceljs';
import { loadExcel } from './excel.js';
import { PLAN_CATEGORIES } from '../domain/plan.js';
import type { Locale } from '../domain/types.js';
import { t } from '../i18n/index.js';

/** Header cells of a plan sheet in `locale` (the importer accepts both languages). */
export function planHeaders(locale: Locale): string[] {
  const months = Array.from({ length: 12 }, (_, i) => (locale === 'en' ? String(i + 1) : `${i + 1}月`));
  return [...['code', 'name', 'category', 'owner', 'annual'].map((c) => t(locale, `plan.column.${c}`)), ...months];
}

export async function planTemplate(locale: Locale, year: number): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'mktops';
  const sheet = wb.addWorksheet(t(locale, 'plan.sheet.plan'));
  sheet.addRow(planHeaders(locale));
  // Example: a seasonal activity line given month by month (its annual cell is left for the sum).
  const months = [0, 0, 20_000, 0, 0, 30_000, 0, 0, 0, 0, 50_000, 20_000];
  sheet.addRow(['EVT-01', t(locale, 'plan.template.example_name'), t(locale, 'plan.category.activity'), '', null, ...months]);
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1, xSplit: 2 }];
  sheet.columns.forEach((col, i) => (col.width = i === 1 ? 28 : i < 5 ? 14 : 10));

  const notes = wb.addWorksheet(t(locale, 'plan.sheet.notes'));
  notes.getColumn(1).width = 110;
  const lines = [
    t(locale, 'plan.template.note.title', { year }),
    '',
    t(locale, 'plan.template.note.columns'),
    t(locale, 'plan.template.note.categories', {
      list: PLAN_CATEGORIES.map((c) => `${c} = ${t(locale, `plan.category.${c}`)}`).join(locale === 'en' ? ', ' : '，'),
    }),
    t(locale, 'plan.template.note.amounts'),
    t(locale, 'plan.template.note.owner'),
    t(locale, 'plan.template.note.limits'),
    t(locale, 'plan.template.note.import'),
  ];
  for (const line of lines) notes.addRow([line]);
  notes.getRow(1).font = { bold: true, size: 13 };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
