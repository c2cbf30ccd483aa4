// Plan / spent / committed per budget line and month, computed with SQL aggregates (reports run over
// 100k expenses). Committed = what approved campaigns still hold in that month: their commitment minus
// what has already been spent on them in that month (so spend is never counted twice).
import type { Tx } from '../db/client.js';
import type { Minor, Month } from '../domain/types.js';

export interface LineMonth {
  lineId: number;
  code: string;
  name: string;
  ownerId: number | null;
  plan: Minor;
  spent: Minor;
  committed: Minor;
}

interface Row {
  lineId: bigint | number;
  code: string;
  name: string;
  ownerId: bigint | number | null;
  plan: bigint | number | null;
  spent: bigint | number | null;
  committed: bigint | number | null;
}

const num = (v: bigint | number | null): number => (v === null ? 0 : Number(v));

/**
 * Figures for `month` of every line of that month's fiscal year (or only `lineIds`), ordered by code.
 * Campaign statuses that hold budget: approved, running, ended (released once evaluated).
 */
export async function lineFigures(tx: Tx, month: Month, lineIds?: number[]): Promise<LineMonth[]> {
  const year = Number(month.slice(0, 4));
  const filter = lineIds && lineIds.length > 0 ? `AND l.id IN (${lineIds.map((id) => Number(id) | 0).join(',')})` : '';
  const rows = await tx.$queryRawUnsafe<Row[]>(
    `WITH params(m, y) AS (SELECT ?, ?)
     SELECT l.id AS lineId, l.code AS code, l.name AS name, l.ownerId AS ownerId,
            (SELECT a.planned FROM MonthlyAllocation a WHERE a.lineId = l.id AND a.month = p.m) AS plan,
            (SELECT SUM(e.amount) FROM Expense e WHERE e.lineId = l.id AND e.month = p.m) AS spent,
            (SELECT SUM(MAX(0, c.amount - COALESCE(
                (SELECT SUM(e2.amount) FROM Expense e2 WHERE e2.campaignId = c.campaignId AND e2.month = p.m), 0)))
               FROM BudgetCommitment c JOIN Campaign k ON k.id = c.campaignId
              WHERE c.lineId = l.id AND c.month = p.m AND k.status IN ('approved', 'running', 'ended')) AS committed
       FROM params p, BudgetLine l JOIN FiscalYear f ON f.id = l.fiscalYearId
      WHERE f.year = p.y ${filter}
      ORDER BY l.code`,
    month,
    year,
  );
  return rows.map((r) => ({
    lineId: Number(r.lineId),
    code: r.code,
    name: r.name,
    ownerId: r.ownerId === null ? null : Number(r.ownerId),
    plan: num(r.plan),
    spent: num(r.spent),
    committed: num(r.committed),
  }));
}

/** Figures of one line in one month (zeros when the line has no allocation that month). */
export async function oneLineFigures(tx: Tx, lineId: number, month: Month): Promise<LineMonth | null> {
  const [row] = await lineFigures(tx, month, [lineId]);
  return row ?? null;
}

/** Finds a line of `month`'s fiscal year by code (case-insensitive). */
export async function findLineByCode(tx: Tx, code: string, month: Month) {
  const year = Number(month.slice(0, 4));
  return tx.budgetLine.findFirst({ where: { code: code.toUpperCase(), fiscalYear: { year } } });
}
