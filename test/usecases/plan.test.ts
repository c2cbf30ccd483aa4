// The annual plan through the Core on a real database: draft → import → submit → finance → leader; nobody approves
// their own plan; a late click changes nothing; request changes → v2 with a diff; approval creates the year's lines
// and monthly allocations exactly once; the approved plan is locked; the export has the same numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWorkbook } from '../support/xlsx.js';
import { planAsTsv, planAsXlsx, seasonalPlan } from '../support/planFixtures.js';
import { text, world, type World } from './budgetSetup.js';

let w: World;
beforeAll(async () => {
  w = await world({ lines: false });
});
afterAll(async () => w?.db.close?.());

const plan = seasonalPlan(80);
const cardAction = (o: { reply?: { buttons?: { action: string }[] } }, prefix: string) => o.reply?.buttons?.find((b) => b.action.startsWith(prefix))?.action;

async function counts() {
  return w.db.read(async (tx) => ({
    plans: await tx.budgetPlan.count(),
    planLines: await tx.planLine.count(),
    lines: await tx.budgetLine.count(),
    allocations: await tx.monthlyAllocation.count(),
    audit: await tx.auditLog.count(),
  }));
}

describe('annual plan flow', () => {
  it('draft, import (pasted and file), all-or-nothing refusal', async () => {
    expect(text(await w.core.command(w.alice, '/budget plan 2027'))).toContain('no budget plan for 2027');
    const created = await w.core.command(w.alice, '/budget plan new 2027');
    expect(created.ok, text(created)).toBe(true);
    expect(text(await w.core.command(w.bob, '/budget plan new 2027'))).toContain('already exists');

    const pasted = await w.core.command(w.alice, `/budget plan import 2027\n${planAsTsv(plan)}`);
    expect(pasted.ok, text(pasted)).toBe(true);
    expect(text(pasted)).toContain('Imported 80 lines');

    // A bad import changes nothing: every problem listed, the 80 lines stay.
    const before = await counts();
    const bad = await w.core.command(w.alice, '/budget plan import 2027\ncode,name,category,annual\nA,x,nope,1\nB,y,other,zz');
    expect(bad.ok).toBe(false);
    expect(text(bad)).toContain('Row 2, category: `nope`');
    expect(text(bad)).toContain('Row 3, annual: `zz`');
    expect(await counts()).toEqual(before);

    // Bob (not the drafter, no finance role) cannot change Alice's draft; the XLSX import by the drafter works.
    expect(text(await w.core.command(w.bob, '/budget plan remove 2027 L001'))).toMatch(/Only the drafter \(\w+\) or finance/);
    const file = await w.core.importPlan!(w.alice, 2027, { name: 'plan.xlsx', bytes: await planAsXlsx(plan) });
    expect(file.ok, text(file)).toBe(true);
    const card = await w.core.command(w.alice, '/budget plan 2027');
    expect(text(card)).toContain('80 lines');
    expect(text(card)).toContain('Largest 5 lines');
  });

  it('submit → finance (not the drafter) → leader; approval creates lines and allocations once; locked', async () => {
    const submitted = await w.core.command(w.alice, '/budget plan submit 2027');
    expect(submitted.ok, text(submitted)).toBe(true);
    const view = await w.db.read((tx) => tx.budgetPlan.findUniqueOrThrow({ where: { year: 2027 } }));
    const approve = `plan.approve:${view.id}:1:1`;

    expect(text(await w.core.action(w.lead, approve))).toContain('Only finance');
    expect(text(await w.core.action(w.alice, approve))).toContain('Only finance');
    expect((await w.core.action(w.fin, approve)).ok).toBe(true);
    // The same click again is late: nothing changes.
    const late = await w.core.action(w.fin2, approve);
    expect(late.ok).toBe(false);
    expect(text(late)).toContain('no longer waiting');
    expect((await counts()).lines).toBe(0);

    const leaderApprove = `plan.approve:${view.id}:1:2`;
    const done = await w.core.action(w.lead, leaderApprove);
    expect(done.ok, text(done)).toBe(true);
    expect(text(done)).toContain('80 budget lines');
    const c = await counts();
    expect(c.lines).toBe(80);
    expect(c.allocations).toBe(960);
    const again = await w.core.action(w.lead2, leaderApprove);
    expect(again.ok).toBe(false);
    expect((await counts()).allocations).toBe(960);

    const sem = await w.db.read((tx) => tx.budgetLine.findFirstOrThrow({ where: { code: 'L002' }, include: { allocations: { orderBy: { month: 'asc' } } } }));
    expect(sem.allocations.map((a) => a.planned)).toEqual(plan[1]!.months);
    expect(sem.category).toBe('channel');
    expect(text(await w.core.command(w.alice, '/budget plan line 2027 NEW other 1000 late add'))).toContain('only a draft can change');
  });

  it('request changes opens v2 with what changed; nobody approves what they submitted', async () => {
    await w.core.command(w.bob, '/budget plan new 2028 from 2027');
    await w.core.command(w.bob, '/budget plan remove 2028 L001');
    await w.core.command(w.bob, '/budget plan line 2028 EXTRA activity 12万 New fair');
    await w.core.command(w.bob, '/budget plan submit 2028');
    const p = await w.db.read((tx) => tx.budgetPlan.findUniqueOrThrow({ where: { year: 2028 } }));
    const changes = await w.core.submit(w.fin, `plan.changes:${p.id}:1:1`, { comment: 'Cut events by 10%' });
    expect(changes.ok, text(changes)).toBe(true);
    const after = await w.db.read((tx) => tx.budgetPlan.findUniqueOrThrow({ where: { year: 2028 } }));
    expect([after.status, after.version]).toEqual(['draft', 2]);
    await w.core.command(w.bob, '/budget plan line 2028 EXTRA activity 10万 New fair');
    await w.core.command(w.bob, '/budget plan submit 2028');
    const v2 = await w.core.command(w.bob, '/budget plan 2028');
    expect(text(v2)).toContain('Changes since v1');
    expect(text(v2)).toContain('Changed 1: `EXTRA`');
    expect(text(v2)).toContain('Cut events by 10%');
    const reject = await w.core.submit(w.fin, `plan.reject:${p.id}:2:1`, { comment: '' });
    expect(reject.ok).toBe(false);
  });

  it('export: plan and actual by month with the same numbers as the approved plan', async () => {
    await w.core.command(w.fin, '/budget spend 1234.56 L003 2027-01-15 first spend'); // future year: refused or recorded
    const out = await w.core.command(w.fin, '/budget export 2027');
    expect(out.ok, text(out)).toBe(true);
    const row = await w.db.read((tx) => tx.outboxMessage.findFirstOrThrow({ where: { payload: { contains: '"file":' } }, orderBy: { id: 'desc' } }));
    const fileId = (JSON.parse(row.payload) as { file: { fileId: number } }).file.fileId;
    const stored = await w.db.read((tx) => tx.storedFile.findUniqueOrThrow({ where: { id: fileId } }));
    const book = await readWorkbook(Buffer.from(stored.bytes));
    const planSheet = book.Plan!;
    expect(planSheet[0]!.slice(0, 5)).toEqual(['code', 'name', 'category', 'owner', 'annual']);
    for (const l of plan) {
      const r = planSheet.find((x) => x[0] === l.code)!;
      expect((r.slice(5) as number[]).map((v) => Math.round(v * 100))).toEqual(l.months);
    }
    expect(Object.keys(book)).toEqual(['Plan', 'Actual', 'Variance', 'Commitments', 'Adjustments', 'About']);
    expect(text(await w.core.command(w.fin, '/budget export 2031'))).toContain('no budget lines to export');
  });
});
