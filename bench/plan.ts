// Plan bench: what a person waits for after the ack — `/budget plan import` of a 2,000-row XLSX (read, validate,
// replace the draft) and `/budget export` of a year with 100k expenses (queries, workbook, stored for delivery),
// through the Core on a temp SQLite file. Three rounds each, min / median / max. Target: well under 3 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/client.js';
import { createCore } from '../src/usecases/core.js';
import type { Actor } from '../src/usecases/types.js';
import { planAsXlsx, seasonalPlan } from '../test/support/planFixtures.js';
import { seed, SIZES } from './reports.js';

const ROUNDS = 3;

async function rounds(work: () => Promise<unknown>): Promise<{ min: number; median: number; max: number }> {
  const ms: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await work();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { min: ms[0]!, median: ms[Math.floor(ms.length / 2)]!, max: ms[ms.length - 1]! };
}

const fmt = (r: { min: number; median: number; max: number }) => `min ${r.min.toFixed(0)} ms · median ${r.median.toFixed(0)} ms · max ${r.max.toFixed(0)} ms`;

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

    const bytes = await planAsXlsx(seasonalPlan(2000));
    await core.command(finance, '/budget plan new 2027');
    const imported = await rounds(async () => {
      const out = await core.importPlan!(finance, 2027, { name: 'plan-2000.xlsx', bytes });
      if (!out.ok) throw new Error(`import refused: ${out.reply?.summary}`);
    });
    console.log(`import 2,000-row XLSX (${(bytes.length / 1024).toFixed(0)} KB): ${fmt(imported)}`);

    const exported = await rounds(async () => {
      const out = await core.command(finance, '/budget export 2026');
      if (!out.ok) throw new Error(`export refused: ${out.reply?.summary}`);
    });
    console.log(`export 2026 with ${large.expenses.toLocaleString('en')} expenses, ${large.lines} lines, ${large.adjustments} adjustments: ${fmt(exported)}`);
    db.close?.();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
