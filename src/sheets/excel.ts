// exceljs is loaded on first use (an import, an export, a template): it adds ~26 MiB and 0.3 s to a process that
// may never touch a spreadsheet.
import type ExcelJS from 'exceljs';

let loaded: Promise<typeof ExcelJS> | undefined;

export function loadExcel(): Promise<typeof ExcelJS> {
  loaded ??= import('exceljs').then((m) => (m as unknown as { default: typeof ExcelJS }).default ?? (m as unknown as typeof ExcelJS));
  return loaded;
}
