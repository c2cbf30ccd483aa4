// Progress notes through the Core: an import or an export still running after progressAfterMs tells the person it is
// under way (in their language, before the result); quick work says nothing extra; a refusal still comes after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createCore } from '../../src/usecases/core.js';
import type { Core, Outcome } from '../../src/usecases/types.js';
import type { Message } from '../../src/messages/model.js';
import { planAsTsv, planAsXlsx, seasonalPlan } from '../support/planFixtures.js';
import { openTempDb } from '../support/tempDb.js';
import { slackUser, text } from './budgetSetup.js';

let db: Db;
let at0: Core; // says "under way" at once
let never: Core; // only after a minute
const fin = slackUser('UFIN0001', 'Fay');
const clock = { now: () => new Date('2026-11-10T02:00:00Z') };

beforeAll(async () => {
  db = await openTempDb();
  const config = { timezone: 'Asia/Shanghai', locale: 'en' as const, adminUsers: ['slack:UFIN0001'] };
  at0 = createCore({ db, clock, config, progressAfterMs: 0 });
  never = createCore({ db, clock, config, progressAfterMs: 60_000 });
  await at0.command(fin, '/budget plan new 2027');
});
afterAll(async () => db?.close?.());

/** Runs `work` with a progress sink; returns the notes and the outcome, in the order they came. */
async function observe(work: (progress: (m: Message) => Promise<void>) => Promise<Outcome>) {
  const order: string[] = [];
  const notes: Message[] = [];
  const outcome = await work(async (m) => {
    notes.push(m);
    order.push('note');
  });
  order.push('result');
  return { notes, outcome, order };
}

describe('progress notes', () => {
  it('pasted rows, a file and an export each say what is under way, then the result', async () => {
    const pasted = await observe((progress) => at0.command(fin, `/budget plan import 2027\n${planAsTsv(seasonalPlan(80))}`, { progress }));
    expect(pasted.notes.map((n) => n.text)).toEqual(['Importing 80 pasted rows into the 2027 draft…']);
    expect(pasted.order).toEqual(['note', 'result']);
    expect(text(pasted.outcome)).toContain('Imported 80 lines');

    const bytes = await planAsXlsx(seasonalPlan(80));
    const file = await observe((progress) => at0.importPlan!(fin, 2027, { name: 'plan-2027.xlsx', bytes }, { progress }));
    expect(file.notes[0]!.text).toMatch(/^Importing plan-2027\.xlsx \(\d+ KB\) into the 2027 draft…$/);
    expect(file.outcome.ok).toBe(true);

    await at0.command(fin, '/budget line add SEM 120000 Search');
    const exported = await observe((progress) => at0.command(fin, '/budget export 2026', { progress }));
    expect(exported.notes.map((n) => n.text)).toEqual(['Building the 2026 workbook…']);
    expect(exported.outcome.ok, text(exported.outcome)).toBe(true);
  });

  it('quick work says nothing extra; a refusal still answers after its note; zh-CN texts', async () => {
    const quick = await observe((progress) => never.command(fin, '/budget plan import 2027\ncode,name,category,annual\nA,x,other,1', { progress }));
    expect(quick.notes).toEqual([]);
    expect(quick.outcome.ok).toBe(true);

    const refused = await observe((progress) => at0.command(fin, '/budget export 2031', { progress }));
    expect(refused.order).toEqual(['note', 'result']);
    expect(refused.outcome.ok).toBe(false);

    await at0.command(fin, '/mkt lang zh');
    const zh = await observe((progress) => at0.command(fin, '/预算 导出 2026', { progress }));
    expect(zh.notes.map((n) => n.text)).toEqual(['正在生成 2026 年预算工作簿……']);
  });
});
