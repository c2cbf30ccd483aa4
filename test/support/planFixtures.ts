// A realistic annual plan for tests and the bench: `n` lines over the four categories with seasonal months
// (spring launch, 618, Double 11 peaks), as XLSX bytes, as pasted tab-separated cells, and as the expected figures.
import ExcelJS from 'exceljs';

export interface FixtureLine {
  code: string;
  name: string;
  category: 'activity' | 'channel' | 'staff' | 'other';
  /** Fen, January first. */
  months: number[];
}

const CATEGORIES = ['activity', 'channel', 'staff', 'other'] as const;
const SEASON = [0.6, 0.5, 1.0, 1.1, 0.9, 1.6, 0.8, 0.7, 0.9, 1.0, 2.2, 1.4];

export function seasonalPlan(n = 80): FixtureLine[] {
  return Array.from({ length: n }, (_, i) => {
    const category = CATEGORIES[i % 4]!;
    const base = 10_000 + ((i * 7919) % 90_000); // yuan a month
    const months = SEASON.map((s, m) => Math.round(base * (category === 'staff' ? 1 : s) * 100) + ((i + m) % 3) * 37);
    return { code: `L${String(i + 1).padStart(3, '0')}`, name: `线 ${i + 1} ${category}`, category, months };
  });
}

const HEADER = ['code', 'name', 'category', 'owner', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];

/** Amounts in yuan with 2 decimals, as finance types them. */
const yuan = (fen: number) => (fen / 100).toFixed(2);

export function planAsTsv(lines: FixtureLine[]): string {
  return [HEADER.join('\t'), ...lines.map((l) => [l.code, l.name, l.category, '', ...l.months.map(yuan)].join('\t'))].join('\n');
}

export async function planAsXlsx(lines: FixtureLine[], opts: { chinese?: boolean } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(opts.chinese ? '预算计划' : 'Plan');
  sheet.addRow(opts.chinese ? ['科目代码', '科目名称', '类别', '负责人', ...Array.from({ length: 12 }, (_, i) => `${i + 1}月`)] : HEADER);
  for (const l of lines) sheet.addRow([l.code, l.name, l.category, '', ...l.months.map((f) => f / 100)]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * `n` lines whose five largest carry `name` (e.g. typed text full of markup), so it shows on the plan card; `bump`
 * changes every amount (a v2 where all lines changed).
 */
export function namedPlan(n: number, name: string, bump = 0): FixtureLine[] {
  return seasonalPlan(n).map((l, i) =>
    i < 5 ? { ...l, name: `${name} ${i + 1}`, months: l.months.map((m) => m * 20 + bump) } : { ...l, months: l.months.map((m) => m + bump) },
  );
}
