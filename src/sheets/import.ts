// Reading a plan from a spreadsheet: pasted cells (tab-separated, from Excel) or CSV text with csv-parse, XLSX with
// exceljs. All or nothing: either every row is a valid plan line, or the import is refused with every bad row's
// number, column and value. Files are checked before they are parsed: size, type (no xlsm, no binaries named .csv),
// and for XLSX the zip's declared sizes (a zip bomb is refused before exceljs inflates it). Pure: no database.
import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { loadExcel } from './excel.js';
import { parseMoney } from '../domain/money.js';
import { LINE_CODE, MAX_PLAN_LINES, parseCategory, resolveHeader, splitAnnual, sum, type PlanColumn, type PlanLineDraft } from '../domain/plan.js';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Inflated size and compression ratio beyond which an XLSX is taken for a zip bomb. */
const MAX_INFLATED_BYTES = 60 * 1024 * 1024;
const MAX_RATIO = 200;
const MAX_NAME = 120;

/** A refusal of the whole file (i18n key under plan.import.*). */
export interface FileRefusal {
  key: string;
  params?: Record<string, string | number>;
}

/** One bad cell: 1-based row number as the spreadsheet shows it, the column as headed, the value as given. */
export interface RowProblem {
  row: number;
  column: string;
  value: string;
  key: string;
  params?: Record<string, string | number>;
}

export type PlanImport = { ok: true; lines: PlanLineDraft[] } | { ok: false; refusal?: FileRefusal; problems: RowProblem[] };

/** A cell as read: text, or a number (XLSX numeric cells, in yuan), or a formula (refused). */
type Cell = string | number | { formula: string } | null;

// ------------------------------------------------------------------------------------------------ text

/** Pasted rows or a CSV file's text → cells. Tab-separated when the header row has a tab, else comma-separated. */
export function cellsOfText(text: string): { ok: true; rows: Cell[][] } | { ok: false; refusal: FileRefusal } {
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes('\t') ? '\t' : firstLine.includes('，') && !firstLine.includes(',') ? '，' : ',';
  try {
    const rows = parseCsv(clean, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
      // Cells copied from Excel are not quoted; a stray quote is data there.
      quote: delimiter === '\t' ? false : '"',
      bom: true,
      max_record_size: 64 * 1024,
    }) as string[][];
    return { ok: true, rows: rows.map((r) => r.map((c) => (c.startsWith('=') ? { formula: c } : c))) };
  } catch (error) {
    const e = error as { lines?: number; code?: string };
    return { ok: false, refusal: { key: 'plan.import.bad_csv', params: { row: e.lines ?? 0, detail: String(e.code ?? 'CSV') } } };
  }
}

/** Bytes of a .csv/.tsv/.txt file → text, refusing binaries (UTF-8, or GB18030 as Chinese Excel saves CSV). */
export function decodeTextFile(bytes: Buffer): { ok: true; text: string } | { ok: false; refusal: FileRefusal } {
  if (bytes.includes(0)) return { ok: false, refusal: { key: 'plan.import.binary' } };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    try {
      text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    } catch {
      return { ok: false, refusal: { key: 'plan.import.binary' } };
    }
  }
  // Control characters other than tab / line breaks mean this is not a text file.
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) return { ok: false, refusal: { key: 'plan.import.binary' } };
  return { ok: true, text };
}

// ------------------------------------------------------------------------------------------------ xlsx

/**
 * Checks a zip's central directory without inflating anything: a valid zip, no macros (xl/vbaProject.bin), and
 * declared inflated sizes within limits (a zip bomb is refused here).
 */
export function checkXlsxContainer(bytes: Buffer): FileRefusal | null {
  if (bytes.length < 22 || bytes.readUInt32LE(0) !== 0x04034b50) return { key: 'plan.import.not_xlsx' };
  const from = Math.max(0, bytes.length - 22 - 65_535);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= from; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { key: 'plan.import.not_xlsx' };
  const entries = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  let inflated = 0;
  let compressed = 0;
  let workbook = false;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) return { key: 'plan.import.not_xlsx' };
    const csize = bytes.readUInt32LE(at + 20);
    const usize = bytes.readUInt32LE(at + 24);
    const nameLen = bytes.readUInt16LE(at + 28);
    const extraLen = bytes.readUInt16LE(at + 30);
    const commentLen = bytes.readUInt16LE(at + 32);
    const name = bytes.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    if (/vbaProject\.bin$/i.test(name)) return { key: 'plan.import.macros' };
    if (name === 'xl/workbook.xml') workbook = true;
    if (csize === 0xffffffff || usize === 0xffffffff) return { key: 'plan.import.zip_bomb' };
    inflated += usize;
    compressed += csize;
    at += 46 + nameLen + extraLen + commentLen;
  }
  if (inflated > MAX_INFLATED_BYTES || (compressed > 0 && inflated / compressed > MAX_RATIO && inflated > 1024 * 1024)) {
    return { key: 'plan.import.zip_bomb' };
  }
  return workbook ? null : { key: 'plan.import.not_xlsx' };
}

function cellOf(value: ExcelJS.CellValue, type: ExcelJS.ValueType, types: typeof ExcelJS.ValueType): Cell {
  if (type === types.Formula || type === types.SharedString) {
    if (type === types.Formula) {
      const f = value as { formula?: string; sharedFormula?: string };
      return { formula: `=${f.formula ?? f.sharedFormula ?? ''}` };
    }
  }
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) return { formula: `=${String((value as { formula?: string }).formula ?? '')}` };
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
    if ('text' in value) return String((value as { text: unknown }).text).trim();
    if ('error' in value) return String((value as { error: unknown }).error);
  }
  return String(value);
}

async function cellsOfXlsx(bytes: Buffer): Promise<{ ok: true; rows: Cell[][] } | { ok: false; refusal: FileRefusal }> {
  const container = checkXlsxContainer(bytes);
  if (container) return { ok: false, refusal: container };
  const X = await loadExcel();
  const types = X.ValueType;
  const wb = new X.Workbook();
  try {
    await wb.xlsx.load(bytes as never);
  } catch {
    return { ok: false, refusal: { key: 'plan.import.not_xlsx' } };
  }
  const sheets = wb.worksheets;
  const sheet = sheets.find((s) => ['plan', '预算计划', '计划'].includes(s.name.trim().toLowerCase())) ?? sheets[0];
  if (!sheet) return { ok: false, refusal: { key: 'plan.import.empty' } };
  if (sheet.actualRowCount > MAX_PLAN_LINES + 50) return { ok: false, refusal: { key: 'plan.import.too_many_rows', params: { max: MAX_PLAN_LINES } } };
  const rows: Cell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellOf(cell.value, cell.type, types);
    });
    rows[n - 1] = cells;
  });
  return { ok: true, rows: Array.from(rows, (r) => r ?? []) };
}

// ------------------------------------------------------------------------------------------------ entry points

/** A file a person gave the bot. */
export async function readPlanFile(file: { name: string; bytes: Buffer }, opts: OwnerOptions = {}): Promise<PlanImport> {
  if (file.bytes.length > MAX_IMPORT_BYTES) return refused({ key: 'plan.import.too_large', params: { max: '5 MB' } });
  if (file.bytes.length === 0) return refused({ key: 'plan.import.empty' });
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  if (ext === 'xlsx') {
    const cells = await cellsOfXlsx(file.bytes);
    return cells.ok ? planFromCells(cells.rows, opts) : refused(cells.refusal);
  }
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') {
    if (file.bytes.readUInt32LE?.(0) === 0x04034b50) return refused({ key: 'plan.import.binary' });
    const text = decodeTextFile(file.bytes);
    if (!text.ok) return refused(text.refusal);
    return planFromText(text.text, opts);
  }
  return refused({ key: 'plan.import.unsupported_type', params: { ext: ext ? `.${ext}` : file.name.slice(0, 40) } });
}

/** Rows pasted after the command. */
export function planFromText(text: string, opts: OwnerOptions = {}): PlanImport {
  const cells = cellsOfText(text);
  return cells.ok ? planFromCells(cells.rows, opts) : refused(cells.refusal);
}

function refused(refusal: FileRefusal): PlanImport {
  return { ok: false, refusal, problems: [] };
}

export interface OwnerOptions {
  /** Turns an owner cell into a platform user id, or null when it names nobody this platform knows. */
  owner?: (raw: string) => string | null;
}

/** Default owner reading: `<@U123>`, `<@U123|name>`, `@U123`, or a bare id (U…/W… on Slack, ou_… on Feishu, a playground name). */
export function defaultOwner(raw: string): string | null {
  const s = raw.trim();
  const m = /^<@([A-Za-z0-9_:-]+)(?:\|[^>]*)?>$/.exec(s) ?? /^@?([A-Za-z0-9_-]{2,64})$/.exec(s);
  return m ? m[1]!.split(':').pop()! : null;
}

function text(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'object') return cell.formula;
  return String(cell);
}

/** A money cell → fen. Numeric XLSX cells are yuan; text goes through the same parser as `/budget`. */
function money(cell: Cell): { ok: true; value: number } | { ok: false; key: string; params?: Record<string, string | number> } {
  if (typeof cell === 'number') {
    const fen = Math.round(cell * 100);
    if (!Number.isFinite(cell) || cell < 0 || Math.abs(cell * 100 - fen) > 1e-6) return { ok: false, key: 'plan.import.bad_amount' };
    if (fen > 100_000_000 * 100) return { ok: false, key: 'plan.import.bad_amount' };
    return { ok: true, value: fen };
  }
  const parsed = parseMoney(text(cell), { allowZero: true });
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, key: parsed.error.key, params: parsed.error.params };
}

const MAX_PROBLEMS_KEPT = 200;

/** Cells (header row first) → plan lines, or every problem found. */
export function planFromCells(rows: Cell[][], opts: OwnerOptions = {}): PlanImport {
  const ownerOf = opts.owner ?? defaultOwner;
  const problems: RowProblem[] = [];
  const problem = (p: RowProblem) => {
    if (problems.length < MAX_PROBLEMS_KEPT) problems.push(p);
  };
  const isEmpty = (r: Cell[] | undefined) => !r || r.every((c) => text(c).trim() === '');
  let h = 0;
  while (h < rows.length && isEmpty(rows[h])) h++;
  if (h >= rows.length) return refused({ key: 'plan.import.empty' });

  // Header row.
  const header = rows[h]!;
  const columns = new Map<PlanColumn | number, number>();
  const headed: string[] = header.map((c) => text(c));
  headed.forEach((raw, i) => {
    const col = resolveHeader(raw);
    if (col === null) return;
    if (columns.has(col)) problem({ row: h + 1, column: raw, value: raw, key: 'plan.import.duplicate_column' });
    else columns.set(col, i);
  });
  const monthCols = Array.from({ length: 12 }, (_, m) => columns.get(m));
  const hasMonths = monthCols.some((c) => c !== undefined);
  for (const need of ['code', 'name', 'category'] as const) {
    if (!columns.has(need)) problem({ row: h + 1, column: need, value: '', key: 'plan.import.missing_column' });
  }
  if (!columns.has('annual') && !hasMonths) problem({ row: h + 1, column: 'annual / 1..12', value: '', key: 'plan.import.missing_amounts' });
  if (problems.length) return { ok: false, problems };

  const dataRows = rows.length - h - 1 - rows.slice(h + 1).filter(isEmpty).length;
  if (dataRows > MAX_PLAN_LINES) return refused({ key: 'plan.import.too_many_rows', params: { max: MAX_PLAN_LINES } });
  if (dataRows === 0) return refused({ key: 'plan.import.no_rows' });

  const lines: PlanLineDraft[] = [];
  const seen = new Map<string, number>();
  for (let r = h + 1; r < rows.length; r++) {
    const row = rows[r]!;
    if (isEmpty(row)) continue;
    const rowNo = r + 1;
    const at = (col: PlanColumn | number) => {
      const i = columns.get(col);
      return i === undefined ? null : (row[i] ?? null);
    };
    const colName = (col: PlanColumn | number) => headed[columns.get(col)!] ?? String(col);
    let bad = false;
    const flag = (col: PlanColumn | number, key: string, params?: Record<string, string | number>) => {
      bad = true;
      problem({ row: rowNo, column: colName(col), value: text(at(col)), key, params });
    };
    // Formulas anywhere in the row are refused, cell by cell.
    for (const [i, c] of row.entries()) {
      if (c && typeof c === 'object') {
        bad = true;
        problem({ row: rowNo, column: headed[i] ?? `#${i + 1}`, value: c.formula, key: 'plan.import.formula' });
      }
    }
    if (bad) continue;

    const code = text(at('code')).normalize('NFKC').trim().toUpperCase();
    if (!LINE_CODE.test(code)) flag('code', code ? 'plan.import.bad_code' : 'plan.import.required');
    else if (seen.has(code)) flag('code', 'plan.import.duplicate_code', { first: seen.get(code)! });
    else seen.set(code, rowNo);

    const name = text(at('name')).trim();
    if (!name) flag('name', 'plan.import.required');
    else if ([...name].length > MAX_NAME) flag('name', 'plan.import.too_long', { max: MAX_NAME });
    else if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/.test(name)) flag('name', 'plan.import.control_char');

    const catRaw = text(at('category'));
    const category = parseCategory(catRaw);
    if (!category) flag('category', catRaw.trim() ? 'plan.import.bad_category' : 'plan.import.required');

    let owner: string | null = null;
    const ownerRaw = columns.has('owner') ? text(at('owner')).trim() : '';
    if (ownerRaw) {
      owner = ownerOf(ownerRaw);
      if (!owner) flag('owner', 'plan.import.bad_owner');
    }

    let months: number[] | null = null;
    if (hasMonths && monthCols.some((c) => c !== undefined && text(row[c] ?? null).trim() !== '')) {
      months = [];
      for (let m = 0; m < 12; m++) {
        const c = monthCols[m];
        const cell = c === undefined ? null : (row[c] ?? null);
        if (text(cell).trim() === '') {
          months.push(0);
          continue;
        }
        const v = money(cell);
        if (!v.ok) {
          flag(m, 'plan.import.bad_amount');
          months.push(0);
        } else months.push(v.value);
      }
    }
    const annualCell = at('annual');
    let annual: number | null = null;
    if (text(annualCell).trim() !== '') {
      const v = money(annualCell);
      if (!v.ok) flag('annual', 'plan.import.bad_amount');
      else annual = v.value;
    }
    if (!months && annual === null && text(annualCell).trim() === '') {
      bad = true;
      problem({ row: rowNo, column: columns.has('annual') ? colName('annual') : '1..12', value: '', key: 'plan.import.no_amount' });
    }
    if (months && annual !== null && sum(months) !== annual && !bad) {
      flag('annual', 'plan.import.sum_mismatch', { sum: (sum(months) / 100).toFixed(2) });
    }
    if (bad || !category) continue;
    lines.push({ code, name, category, owner, months: months ?? splitAnnual(annual!) });
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, lines };
}
