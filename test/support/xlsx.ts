// Reading a workbook the bot sent, like finance would open it (exceljs).
import ExcelJS from 'exceljs';

/** Every sheet as rows of cell values (strings/numbers), header row included. */
export async function readWorkbook(bytes: Buffer): Promise<Record<string, unknown[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  const out: Record<string, unknown[][]> = {};
  wb.eachSheet((sheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const values = (row.values as unknown[]).slice(1);
      rows.push(values.map((v) => (v && typeof v === 'object' && 'result' in (v as object) ? (v as { result: unknown }).result : v)));
    });
    out[sheet.name] = rows;
  });
  return out;
}
