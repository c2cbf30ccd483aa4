// Plan bench: what a person waits for after the ack — `/budget plan import` of a 2,000-row XLSX (read, validate,
// replace the draft), the leader's approval of that plan (2,000 budget lines and 24,000 monthly allocations in the
// decision's transaction) and `/budget export` of a year with 100k expenses (queries, workbook, stored for
// delivery) — through the Core on a temp SQLite file. Side by side with the floor: exceljs alone reading the same
// file. Three rounds each, min / median / max. Target: well under 3 s (a progress note is sent after 1 s).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { openDatabase } from '../src/db/client.js';
import { createCore } from '../src/usecases/core.js';
import type { Actor } from '../src/usecases/types.js';
import { planAsXlsx, seasonalPlan } from '../test/support/planFixtures.js';
import { seed, SIZES } from './reports.js';

const ROUNDS = 3;
type Stats = { min: number; median: number; max: number };

async function rounds(work: (round: number) => Promise<number | void>): Promise<Stats> {
  const ms: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const own = await work(i);
    ms.push(typeof own === 'number' ? own : performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { min: ms[0]!, median: ms[Math.floor(ms.length / 2)]!, max: ms[ms.length - 1]! };
}

const fmt = (r: Stats) => `min ${r.min.toFixed(0)} ms · median ${r.median.toFixed(0)} ms · max ${r.max.toFixed(0)} ms`;

export async function runPlanBench(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mktops-bench-plan-'));
  try {
    const file = path.join(dir, 'bench.db');
    const large = SIZES.find((s) => s.name === 'large')!;
    // Migrate, then seed a year with 100k expenses (same shape as the reports bench).
    (await openDatabase(`file:${file}`)).close?.();
    seed(file, large);
    const db = await openDatabase(`file:${file}`);
    const clock = { now: () => new Date('2026-11-30T02:00:00Z') };
    const core = createCore({ db, clock, config: { timezone: 'Asia/Shanghai', locale: 'zh-CN', adminUsers: ['slack:UADMIN'] } });
    const finance: Actor = { platform: 'slack', workspaceId: 'T1', userId: 'U000001', channelId: 'C1' };
    const finance2: Actor = { ...finance, userId: 'U000002' };
    const leader: Actor = { ...finance, userId: 'U000003' };
    await core.command({ ...finance, userId: 'UADMIN' }, '/mkt role <@U000001> finance');
    await core.command({ ...finance, userId: 'UADMIN' }, '/mkt role <@U000002> finance');
    await core.command({ ...finance, userId: 'UADMIN' }, '/mkt role <@U000003> leader');

    const bytes = await planAsXlsx(seasonalPlan(2000));
    await new ExcelJS.Workbook().xlsx.load(bytes as unknown as ArrayBuffer); // warm-up, not timed
    const floor = await rounds(async () => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    });
    console.log(`baseline: exceljs alone reads the 2,000-row XLSX (${(bytes.length / 1024).toFixed(0)} KB): ${fmt(floor)}`);

    const years = [2027, 2028, 2029];
    for (const y of years) await core.command(finance, `/budget plan new ${y}`);
    const imported = await rounds(async (i) => {
      const out = await core.importPlan!(finance, years[i]!, { name: 'plan-2000.xlsx', bytes });
      if (!out.ok) throw new Error(`import refused: ${out.reply?.summary}`);
    });
    console.log(`import 2,000-row XLSX: ${fmt(imported)}`);

    const approved = await rounds(async (i) => {
      const y = years[i]!;
      await core.command(finance, `/budget plan submit ${y}`);
      const plan = await db.read((tx) => tx.budgetPlan.findUniqueOrThrow({ where: { year: y } }));
      const reviewed = await core.action(finance2, `plan.approve:${plan.id}:1:1`);
      if (!reviewed.ok) throw new Error(`review refused: ${reviewed.reply?.summary}`);
      const t0 = performance.now();
      const out = await core.action(leader, `plan.approve:${plan.id}:1:2`);
      const ms = performance.now() - t0;
      if (!out.ok) throw new Error(`approval refused: ${out.reply?.summary}`);
      return ms;
    });
    console.log(`leader approves the 2,000-line plan (2,000 lines + 24,000 monthly allocations): ${fmt(approved)}`);

    const exported = await rounds(async () => {
      const out = await core.command(finance, '/budget export 2026');
      if (!out.ok) throw new Error(`export refused: ${out.reply?.summary}`);
    });
    console.log(`export 2026 with ${large.expenses.toLocaleString('en')} expenses, ${large.lines} lines, ${large.adjustments} adjustments: ${fmt(exported)}`);
    const exportedPlan = await rounds(async () => {
      const out = await core.command(finance, '/budget export 2027');
      if (!out.ok) throw new Error(`export refused: ${out.reply?.summary}`);
    });
    console.log(`export 2027 (2,000 lines): ${fmt(exportedPlan)}`);
    db.close?.();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
