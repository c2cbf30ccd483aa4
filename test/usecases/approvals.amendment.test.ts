// Plan amendments (AMD-n) follow the same approval rules: a stand-in decides on behalf of the delegator, never on
// the delegator's own request; a waiting amendment is escalated once; `/audit AMD-1` shows it all.
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/scheduler/index.js';
import { planAsTsv, seasonalPlan } from '../support/planFixtures.js';
import { expectRefusedNothingWritten, outbox, text, world } from './budgetSetup.js';

describe('plan amendments: delegation, escalation and the audit trail', () => {
  it('Fay’s stand-in approves Finn’s amendment after it was escalated; /audit AMD-1 names both', async () => {
    const w = await world({ lines: false });
    expect((await w.core.command(w.alice, '/budget plan new 2026')).ok).toBe(true);
    expect((await w.core.command(w.alice, `/budget plan import 2026\n${planAsTsv(seasonalPlan(3))}`)).ok).toBe(true);
    expect((await w.core.command(w.alice, '/budget plan submit 2026')).ok).toBe(true);
    const p = await w.db.read((tx) => tx.budgetPlan.findUniqueOrThrow({ where: { year: 2026 } }));
    expect((await w.core.action(w.fin, `plan.approve:${p.id}:1:1`)).ok).toBe(true);
    expect((await w.core.action(w.lead, `plan.approve:${p.id}:1:2`)).ok).toBe(true);

    expect((await w.core.command(w.fin, '/mkt delegate <@UBOB0001|Bob> finance')).ok).toBe(true);
    expect((await w.core.command(w.fin2, '/budget line add LIVE channel 120000 Livestream studio')).ok).toBe(true); // AMD-1 by Finn
    expect((await w.core.command(w.fin, '/budget line add POP channel 60000 Pop-up stores')).ok).toBe(true); // AMD-2 by Fay
    // The stand-in got the card by DM (no approvals chat), like finance.
    expect((await outbox(w.db)).some((r) => r.target === 'UBOB0001' && r.cardKey === 'AMD-1')).toBe(true);
    await expectRefusedNothingWritten(w, () => w.core.action(w.bob, 'amd.approve:2:1'), /Fay filed this request, so their stand-in cannot decide it/);

    const s = createScheduler({ db: w.db, config: { timezone: 'Asia/Shanghai', locale: 'en', adminUsers: [] }, clock: w.clock, timers: false });
    w.clock.set('2026-11-12T03:00:00Z'); // 49 h later
    expect((await s.events()).map((r) => r.key).sort()).toEqual(['AMD-1:finance', 'AMD-2:finance']);
    expect((await s.events()).filter((r) => r.status === 'done')).toEqual([]);

    const o = await w.core.action(w.bob, 'amd.approve:1:1');
    expect(o.ok, text(o)).toBe(true);
    const card = JSON.stringify(o.updatedCard?.message);
    expect(card).toContain('<@slack:UBOB0001|Bob> on behalf of <@slack:UFIN0001|Fay>');
    expect(card).toContain('Escalated after 48 h waiting for finance review');
    const step = await w.db.read((tx) => tx.planAmendmentStep.findFirstOrThrow({ where: { amendmentId: 1 } }));
    expect(step.onBehalfOfId).not.toBeNull();

    const audit = await w.core.command(w.fin2, '/audit AMD-1');
    const lines = audit.reply!.text!.split('\n');
    expect(lines[0]).toContain('asked to add line LIVE “Livestream studio” to 2026: ¥120,000.00 a year; status — → ');
    expect(lines[1]).toContain('the bot · escalated after 48 h waiting for finance review');
    expect(lines[2]).toContain('<@slack:UBOB0001|Bob> on behalf of <@slack:UFIN0001|Fay> · finance approved; status ');
    expect(lines[2]).toContain('as stand-in under DLG-1');
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/audit AMD-1'), /Only finance, leaders, admins and the people on AMD-1/);
  });
});
