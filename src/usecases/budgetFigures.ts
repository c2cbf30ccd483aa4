// Plan / spent / committed per budget line and month, computed with SQL aggregates (reports run over
// 100k expenses). Committed = what approved campaigns still hold in that month: their commitment minus
// what has already been spent on them in that month (so spend is never counted twice).
import type { Tx } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Minor, Month } from '../domain/types.js';
import { sqlRows } from '../db/raw.js';

export interface LineMonth {
  lineId: number;
  code: string;
  name: string;
  ownerId: number | null;
  plan: Minor;
  spent: Minor;
  committed: Minor;
}

/** Integers come back as number or bigint (SQLite), bigint or decimal (PostgreSQL). */
type Integer = bigint | number | string | { toString(): string };

interface Row {
  lineId: Integer;
  code: string;
  name: string;
  ownerId: Integer | null;
  plan: Integer | null;
  spent: Integer | null;
  committed: Integer | null;
}

const num = (v: Integer | null): number => (v === null ? 0 : Number(v));

/**
 * Figures for `month` of every line of that month's fiscal year (or only `lineIds`), ordered by code.
 * Campaign statuses that hold budget: approved, running, ended (released once evaluated).
 */
export async function lineFigures(tx: Tx, month: Month, lineIds?: number[]): Promise<LineMonth[]> {
  const year = Number(month.slice(0, 4));
  const filter = lineIds && lineIds.length > 0 ? Prisma.sql`AND l."id" IN (${Prisma.join(lineIds.map((id) => Number(id) | 0))})` : Prisma.empty;
  // One SQL for SQLite and PostgreSQL: quoted identifiers, placeholders written by Prisma.sql, and "what a campaign
  // still holds" as CASE (SQLite's two-argument MAX is GREATEST on PostgreSQL).
  const campaignSpent = Prisma.sql`COALESCE((SELECT SUM(e2."amount") FROM "Expense" e2 WHERE e2."campaignId" = c."campaignId" AND e2."month" = ${month}), 0)`;
  const rows = await sqlRows<Row[]>(tx, Prisma.sql`
     SELECT l."id" AS "lineId", l."code" AS "code", l."name" AS "name", l."ownerId" AS "ownerId",
            (SELECT a."planned" FROM "MonthlyAllocation" a WHERE a."lineId" = l."id" AND a."month" = ${month}) AS "plan",
            (SELECT SUM(e."amount") FROM "Expense" e WHERE e."lineId" = l."id" AND e."month" = ${month}) AS "spent",
            (SELECT SUM(CASE WHEN c."amount" > ${campaignSpent} THEN c."amount" - ${campaignSpent} ELSE 0 END)
               FROM "BudgetCommitment" c JOIN "Campaign" k ON k."id" = c."campaignId"
              WHERE c."lineId" = l."id" AND c."month" = ${month} AND k."status" IN ('approved', 'running', 'ended')) AS "committed"
       FROM "BudgetLine" l JOIN "FiscalYear" f ON f."id" = l."fiscalYearId"
      WHERE f."year" = ${year} ${filter}
      ORDER BY l."code"`);
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

/**
 * Cumulative plan and actual of the fiscal year of `month`, one point per month from January to `month`: two SQL
 * aggregates grouped by month.
 */
export async function yearToDate(tx: Tx, month: Month): Promise<{ month: Month; plan: Minor; actual: Minor }[]> {
  const year = Number(month.slice(0, 4));
  const from = `${month.slice(0, 4)}-01`;
  // Portable SQL (SQLite and PostgreSQL): quoted identifiers, placeholders written by Prisma.sql.
  const plans = await sqlRows<{ month: string; total: Integer | null }[]>(tx, Prisma.sql`
     SELECT a."month" AS "month", SUM(a."planned") AS "total"
       FROM "MonthlyAllocation" a JOIN "BudgetLine" l ON l."id" = a."lineId" JOIN "FiscalYear" f ON f."id" = l."fiscalYearId"
      WHERE f."year" = ${year} AND a."month" >= ${from} AND a."month" <= ${month}
      GROUP BY a."month"`);
  // One range of the covering (month, lineId, amount) index, checked against the year's few lines. `+e."lineId"`
  // keeps SQLite off the (lineId, month) index, which is not covering: its plan read every expense row of the year
  // (1.8 s at 1M expenses, holding the database that long; 0.13 s now — bench/reports.ts).
  const actuals = await sqlRows<{ month: string; total: Integer | null }[]>(tx, Prisma.sql`
     SELECT e."month" AS "month", SUM(e."amount") AS "total"
       FROM "Expense" e
      WHERE e."month" >= ${from} AND e."month" <= ${month}
        AND +e."lineId" IN (SELECT l."id" FROM "BudgetLine" l JOIN "FiscalYear" f ON f."id" = l."fiscalYearId" WHERE f."year" = ${year})
      GROUP BY e."month"`);
  const planBy = new Map(plans.map((r) => [r.month, num(r.total)]));
  const actualBy = new Map(actuals.map((r) => [r.month, num(r.total)]));
  const points: { month: Month; plan: Minor; actual: Minor }[] = [];
  let plan = 0;
  let actual = 0;
  for (let m = 1; m <= Number(month.slice(5, 7)); m++) {
    const key = `${month.slice(0, 4)}-${String(m).padStart(2, '0')}` as Month;
    plan += planBy.get(key) ?? 0;
    actual += actualBy.get(key) ?? 0;
    points.push({ month: key, plan, actual });
  }
  return points;
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
