// The plan importer's corpus of good and bad input: pasted cells, CSV, XLSX; every refusal says row, column and value.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkXlsxContainer, planFromText, readPlanFile } from '../../src/sheets/import.js';
import { planAsTsv, planAsXlsx, seasonalPlan } from '../support/planFixtures.js';

const plan = seasonalPlan(80);

async function xlsx(rows: unknown[][], edit?: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Plan');
  for (const r of rows) ws.addRow(r);
  edit?.(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('plan import: good input', () => {
  it('80 seasonal lines from XLSX (English and Chinese headers) and from pasted cells give the same fen', async () => {
    for (const bytes of [await planAsXlsx(plan), await planAsXlsx(plan, { chinese: true })]) {
      const r = await readPlanFile({ name: 'plan.xlsx', bytes });
      expect(r.ok, JSON.stringify(r).slice(0, 300)).toBe(true);
      if (r.ok) expect(r.lines.map((l) => [l.code, l.category, l.months])).toEqual(plan.map((l) => [l.code, l.category, l.months]));
    }
    const pasted = planFromText(planAsTsv(plan));
    expect(pasted.ok).toBe(true);
    if (pasted.ok) expect(pasted.lines.map((l) => l.months)).toEqual(plan.map((l) => l.months));
  });

  it('annual only is split evenly, remainder on the last months; amounts like 5万, ¥1,200.50, 50k; Chinese categories; owners', () => {
    const r = planFromText('科目代码,科目名称,类别,负责人,全年\nsem,搜索广告,渠道运营,<@U123|lee>,"¥1,200.05"\nKOL,达人,活动费用,,5万\nHR,人员,staff,ou_abc,50k');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lines[0]).toMatchObject({ code: 'SEM', category: 'channel', owner: 'U123' });
    expect(r.lines[0]!.months.slice(0, 7).every((v) => v === 10000)).toBe(true);
    expect(r.lines[0]!.months.slice(7).every((v) => v === 10001)).toBe(true);
    expect(r.lines[0]!.months.reduce((a, b) => a + b)).toBe(120005);
    expect(r.lines[1]!.months.reduce((a, b) => a + b)).toBe(5_000_000);
    expect(r.lines[2]).toMatchObject({ owner: 'ou_abc', category: 'staff' });
  });
});

describe('plan import: bad rows are all reported, nothing is taken', () => {
  it('row number, column and value for each bad cell', () => {
    const r = planFromText(
      ['code\tname\tcategory\tannual\tJan', 'OK1\tfine\tother\t1200\t', 'bad code!\tx\tother\t1', 'DUP\ta\tfoo\t1', 'DUP\tb\tother\tabc', 'NOAMT\tc\tother\t\t', 'SUM\td\tother\t100\t50'].join('\n'),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.row, p.column, p.value, p.key])).toEqual([
      [3, 'code', 'bad code!', 'plan.import.bad_code'],
      [4, 'category', 'foo', 'plan.import.bad_category'],
      [5, 'code', 'DUP', 'plan.import.duplicate_code'],
      [5, 'annual', 'abc', 'plan.import.bad_amount'],
      [6, 'annual', '', 'plan.import.no_amount'],
      [7, 'annual', '100', 'plan.import.sum_mismatch'],
    ]);
  });

  it('a header without the required columns, and a formula typed into a CSV cell', () => {
    const r = planFromText('code,title\nA,x');
    expect(!r.ok && r.problems.map((p) => p.key)).toEqual(['plan.import.missing_column', 'plan.import.missing_column', 'plan.import.missing_amounts']);
    const f = planFromText('code,name,category,annual\nA,x,other,=1+1');
    expect(!f.ok && f.problems[0]).toMatchObject({ row: 2, column: 'annual', value: '=1+1', key: 'plan.import.formula' });
  });
});

describe('plan import: bad files are refused before anything is read', () => {
  it('formulas in an XLSX, xlsm (macros), a zip bomb, a binary named .csv, other types, too large, too many rows, empty', async () => {
    const formula = await xlsx([['code', 'name', 'category', 'annual'], ['A', 'x', 'other', 1]], (ws) => {
      ws.getCell('D2').value = { formula: 'SUM(1,2)', result: 3 } as never;
    });
    const rf = await readPlanFile({ name: 'p.xlsx', bytes: formula });
    expect(!rf.ok && rf.problems[0]).toMatchObject({ row: 2, column: 'annual', value: '=SUM(1,2)', key: 'plan.import.formula' });

    const good = await planAsXlsx(plan.slice(0, 3));
    const macro = renameEntry(good, 'xl/theme/theme1.xml', 'xl/x/vbaProject.bin');
    expect((await readPlanFile({ name: 'p.xlsx', bytes: macro })) as unknown).toMatchObject({ ok: false, refusal: { key: 'plan.import.macros' } });
    expect(await readPlanFile({ name: 'p.xlsm', bytes: good })).toMatchObject({ ok: false, refusal: { key: 'plan.import.unsupported_type', params: { ext: '.xlsm' } } });

    const bomb = declareHuge(good);
    expect(checkXlsxContainer(bomb)).toEqual({ key: 'plan.import.zip_bomb' });
    expect(await readPlanFile({ name: 'p.xlsx', bytes: bomb })).toMatchObject({ ok: false, refusal: { key: 'plan.import.zip_bomb' } });

    expect(await readPlanFile({ name: 'p.csv', bytes: good })).toMatchObject({ ok: false, refusal: { key: 'plan.import.binary' } });
    expect(await readPlanFile({ name: 'p.csv', bytes: Buffer.from([0x63, 0x6f, 0x00, 0xff, 0x10]) })).toMatchObject({ ok: false, refusal: { key: 'plan.import.binary' } });
    expect(await readPlanFile({ name: 'p.xlsx', bytes: Buffer.from('code,name\nA,b') })).toMatchObject({ ok: false, refusal: { key: 'plan.import.not_xlsx' } });
    expect(await readPlanFile({ name: 'p.pdf', bytes: Buffer.from('%PDF') })).toMatchObject({ ok: false, refusal: { key: 'plan.import.unsupported_type' } });
    expect(await readPlanFile({ name: 'p.csv', bytes: Buffer.alloc(5 * 1024 * 1024 + 1, 0x41) })).toMatchObject({ ok: false, refusal: { key: 'plan.import.too_large' } });
    expect(await readPlanFile({ name: 'p.csv', bytes: Buffer.alloc(0) })).toMatchObject({ ok: false, refusal: { key: 'plan.import.empty' } });
    const many = ['code,name,category,annual', ...Array.from({ length: 2001 }, (_, i) => `C${i},n,other,1`)].join('\n');
    expect(planFromText(many)).toMatchObject({ ok: false, refusal: { key: 'plan.import.too_many_rows' } });
    expect(planFromText('code,name,category,annual\n')).toMatchObject({ ok: false, refusal: { key: 'plan.import.no_rows' } });
    // A CSV saved by Chinese Excel (GB18030) is read, not refused.
    const gbk = new Uint8Array([...Buffer.from('code,name,category,annual\nA,'), 0xcb, 0xd1, 0xcb, 0xf7, ...Buffer.from(',other,100')]);
    const g = await readPlanFile({ name: 'p.csv', bytes: Buffer.from(gbk) });
    expect(g.ok && g.lines[0]!.name).toBe('搜索');
  });
});

/** Renames a zip entry in both headers (names of the same length). */
function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  expect(to.length).toBe(from.length);
  return Buffer.from(zip.toString('latin1').split(from).join(to), 'latin1');
}

/** Rewrites the central directory so one entry claims 4 GB uncompressed. */
function declareHuge(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  const cd = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  out.writeUInt32LE(0xfffffff0, cd + 24);
  return out;
}
