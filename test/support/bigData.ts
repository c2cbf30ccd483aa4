// A department at scale, written straight into the database (the set-up, not what is tested): budget lines with
// their twelve monthly plans, open risks and agenda topics, with names and texts as long and as hostile as the
// bot accepts (or longer, as older data may be).
import type { Db } from '../../src/db/client.js';
import { hostileText, HOSTILE_NAME } from './hostile.js';

export const lineCode = (i: number) => `L${String(i).padStart(3, '0')}`;

/** A line name: every tenth is hostile markup, the others 120 characters of Chinese. */
export function lineName(i: number): string {
  if (i % 10 === 0) return HOSTILE_NAME;
  return `${'营销预算科目名称'.repeat(15)}`.slice(0, 117) + String(i).padStart(3, '0');
}

/** `n` lines L001…Lnnn in `year`, ¥120,000 a year each (¥10,000 a month), spend on every third line this month. */
export async function seedLines(db: Db, opts: { year: number; n: number; spendMonth?: string; personId?: number }): Promise<void> {
  await db.write(async (tx) => {
    const fy = (await tx.fiscalYear.findUnique({ where: { year: opts.year } })) ?? (await tx.fiscalYear.create({ data: { year: opts.year } }));
    await tx.budgetLine.createMany({
      data: Array.from({ length: opts.n }, (_, k) => ({ fiscalYearId: fy.id, code: lineCode(k + 1), name: lineName(k + 1), annualAmount: 12_000_000 })),
    });
    const lines = await tx.budgetLine.findMany({ where: { fiscalYearId: fy.id }, select: { id: true, code: true } });
    const months = Array.from({ length: 12 }, (_, m) => `${opts.year}-${String(m + 1).padStart(2, '0')}`);
    await tx.monthlyAllocation.createMany({ data: lines.flatMap((l) => months.map((month) => ({ lineId: l.id, month, planned: 1_000_000 }))) });
    if (opts.spendMonth && opts.personId) {
      await tx.expense.createMany({
        data: lines
          .filter((_, k) => k % 3 === 0)
          .map((l) => ({ lineId: l.id, amount: 900_000, date: `${opts.spendMonth}-02`, month: opts.spendMonth!, note: 'seed', recordedById: opts.personId! })),
      });
    }
  });
}

export async function seedPerson(db: Db, p: { platform: string; workspaceId: string; userId: string; displayName?: string }): Promise<number> {
  return db.write(async (tx) => {
    const found = await tx.person.findUnique({ where: { platform_workspaceId_userId: { platform: p.platform, workspaceId: p.workspaceId, userId: p.userId } } });
    return (found ?? (await tx.person.create({ data: { ...p, displayName: p.displayName ?? null } }))).id;
  });
}

/** `n` open high risks with 200-character hostile titles and 3,000-character hostile descriptions. */
export async function seedRisks(db: Db, opts: { n: number; reporterId: number }): Promise<void> {
  await db.write((tx) =>
    tx.risk.createMany({
      data: Array.from({ length: opts.n }, (_, k) => ({
        category: 'market',
        likelihood: 5,
        impact: 4,
        score: 20,
        grade: 'high',
        title: `R${k + 1} ${hostileText(200)}`.slice(0, 200),
        description: hostileText(3000),
        reporterId: opts.reporterId,
        status: 'open',
      })),
    }),
  );
}

/** `n` open agenda topics of 300 hostile characters (the most a topic may have). */
export async function seedTopics(db: Db, opts: { n: number; addedById: number }): Promise<void> {
  await db.write((tx) =>
    tx.agendaTopic.createMany({
      data: Array.from({ length: opts.n }, (_, k) => ({ text: `T${k + 1} ${hostileText(295)}`, addedById: opts.addedById, status: 'open' })),
    }),
  );
}
