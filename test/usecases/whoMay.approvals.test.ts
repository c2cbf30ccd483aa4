// The refusals of delegation, the audit trail and the annual plan name who may act too (people, not only roles), in
// both languages, and change nothing: a marketer asking to delegate for someone else, to read a record's trail or to
// export the log, a stand-in on the request their delegator filed, and a drafter or requester deciding their own plan
// or amendment.
import { describe, expect, it } from 'vitest';
import { planAsTsv, seasonalPlan } from '../support/planFixtures.js';
import { expectRefusedNothingWritten, text, world } from './budgetSetup.js';

describe('delegation, audit and plan refusals name who may act', () => {
  it('delegating for someone else, reading a trail, exporting the log: the admins and role holders by name', async () => {
    const w = await world();
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/mkt delegate for <@ULEAD001|Leo> <@UBOB0001|Bob>'), /Only admins \(Ada\) can set or end a delegation for someone else\./);
    expect((await w.core.command(w.alice, '/budget request 500 SEM posters')).ok).toBe(true);
    await expectRefusedNothingWritten(w, () => w.core.command(w.bob, '/audit ADJ-1'), /Ask one of them: finance \(Fay, Finn\) or a leader \(Leo, Lena\) or an admin \(Ada\)\./);
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/audit export'), /Only admins and finance members can export the audit log\. Ask one of them: an admin \(Ada\) or finance \(Fay, Finn\)\./);
    expect((await w.core.command(w.admin, '/mkt lang zh')).ok).toBe(true);
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/audit export'), /请联系：管理员（Ada）或财务（Fay、Finn）/);
  });

  it('a stand-in on the request their delegator filed: the other approvers by name', async () => {
    const w = await world();
    expect((await w.core.command(w.fin, '/mkt delegate <@UBOB0001|Bob> until 2026-11-30')).ok).toBe(true);
    expect((await w.core.command(w.fin, '/budget request 500 SEM posters')).ok).toBe(true);
    await expectRefusedNothingWritten(w, () => w.core.action(w.bob, 'adj.approve:1'), /Fay filed this request, so their stand-in cannot decide it: Finn can\./);
  });

  it('deciding a plan one drafted, or an amendment one asked for: the other approvers by name', async () => {
    const w = await world({ lines: false });
    expect((await w.core.command(w.fin, '/budget plan new 2026')).ok).toBe(true);
    expect((await w.core.command(w.fin, `/budget plan import 2026\n${planAsTsv(seasonalPlan(3))}`)).ok).toBe(true);
    expect((await w.core.command(w.fin, '/budget plan submit 2026')).ok).toBe(true);
    const p = await w.db.read((tx) => tx.budgetPlan.findUniqueOrThrow({ where: { year: 2026 } }));
    await expectRefusedNothingWritten(w, () => w.core.action(w.fin, `plan.approve:${p.id}:1:1`), /Nobody decides a plan they drafted or submitted: Finn can\./);
    expect((await w.core.action(w.fin2, `plan.approve:${p.id}:1:1`)).ok).toBe(true);
    const approved = await w.core.action(w.lead, `plan.approve:${p.id}:1:2`);
    expect(approved.ok, text(approved)).toBe(true);
    expect((await w.core.command(w.fin2, '/budget line add LIVE channel 120000 Livestream studio')).ok).toBe(true);
    await expectRefusedNothingWritten(w, () => w.core.action(w.fin2, 'amd.approve:1:1'), /Nobody decides an amendment they asked for: Fay can\./);
    expect((await w.core.command(w.admin, '/mkt lang zh')).ok).toBe(true);
    await expectRefusedNothingWritten(w, () => w.core.action(w.fin2, 'amd.approve:1:1'), /不能审批自己申请的变更，可由 ?Fay ?审批。/);
  });
});
