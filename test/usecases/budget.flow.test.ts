// The budget adjustment flow end to end, through Core like an adapter calls it.
import { describe, expect, it } from 'vitest';
import { adjustment, counts, expectRefusedNothingWritten, outbox, plan, text, world } from './budgetSetup.js';

describe('budget adjustment: request → finance → leader → executed', () => {
  it('runs the full two-step flow, changes the plan once, audits and notifies every step', async () => {
    const w = await world();
    // An approvals channel is bound, so the card is posted there.
    expect((await w.core.command({ ...w.admin, channelId: 'CAPPROVE1' }, '/mkt channel approvals here')).ok).toBe(true);

    const req = await w.core.command(w.alice, '/budget request 6万 SEM 2026-11 Double 11 extra push');
    expect(req.ok, text(req)).toBe(true);
    expect(text(req)).toContain('ADJ-1');
    expect(req.reply?.buttons?.[0]?.action).toBe('adj.cancel:1');
    expect((await adjustment(w.db, 1)).status).toBe('pending_finance');

    const posted = (await outbox(w.db)).filter((r) => r.cardKey === 'ADJ-1' && r.kind === 'post');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.target).toBe('CAPPROVE1');
    const card = JSON.parse(posted[0]!.payload).message;
    expect(card.fields.map((f: { value: string }) => f.value)).toEqual(
      expect.arrayContaining(['<@slack:UALICE01|Alice>', 'SEM — Search engine marketing', '2026-11', '¥60,000.00', 'Double 11 extra push']),
    );
    expect(JSON.stringify(card.sections)).toContain('¥10,000.00'); // plan of the month
    expect(card.buttons.map((b: { action: string; style: string }) => [b.action, b.style])).toEqual([
      ['adj.approve:1', 'primary'],
      ['adj.reject:1', 'danger'],
    ]);

    // Finance: ¥60,000 ≥ the ¥50,000 threshold → waits for a leader; nothing executed yet.
    const f = await w.core.action(w.fin, 'adj.approve:1');
    expect(f.ok, text(f)).toBe(true);
    expect(f.updatedCard?.cardKey).toBe('ADJ-1');
    expect(f.updatedCard?.message.text).toMatch(/waiting for a leader/);
    expect(f.updatedCard?.message.buttons).toHaveLength(2);
    expect((await adjustment(w.db, 1)).status).toBe('pending_leader');
    expect(await plan(w.db, 'SEM', '2026-11')).toBe(1_000_000);

    // The finance member cannot take the leader step too.
    await expectRefusedNothingWritten(w, () => w.core.action(w.fin, 'adj.approve:1'), /waiting for a decision by Leader \(/);

    w.clock.set('2026-11-10T06:30:00Z'); // 14:30 in Shanghai
    const l = await w.core.action(w.lead, 'adj.approve:1');
    expect(l.ok, text(l)).toBe(true);
    expect(text(l)).toContain('¥10,000.00 → ¥70,000.00');
    expect(l.updatedCard?.message.buttons).toBeUndefined();
    expect(l.updatedCard?.message.text).toContain('<@slack:ULEAD001|Leo>');
    expect(l.updatedCard?.message.text).toContain('2026-11-10 14:30');

    const adj = await adjustment(w.db, 1);
    expect(adj.status).toBe('approved');
    expect(adj.steps.map((s) => [s.step, s.decision])).toEqual([
      ['finance', 'approved'],
      ['leader', 'approved'],
    ]);
    expect(await plan(w.db, 'SEM', '2026-11')).toBe(7_000_000);
    const line = await w.db.read((tx) => tx.budgetLine.findFirstOrThrow({ where: { code: 'SEM' } }));
    expect(line.annualAmount).toBe(18_000_000); // raised: the 12 months now sum to ¥180,000

    const audits = await w.db.read((tx) => tx.auditLog.findMany({ where: { entity: 'BudgetAdjustment', entityId: '1' }, orderBy: { id: 'asc' } }));
    expect(audits.map((a) => a.action)).toEqual(['adjustment.request', 'adjustment.approve', 'adjustment.approve']);
    expect(JSON.parse(audits[2]!.data).executed).toMatchObject({ toBefore: 1_000_000, toAfter: 7_000_000 });

    const rows = await outbox(w.db);
    const updates = rows.filter((r) => r.kind === 'update' && r.target === 'ADJ-1');
    expect(updates).toHaveLength(2);
    const dms = rows.filter((r) => r.kind === 'dm' && r.target === 'UALICE01');
    expect(dms).toHaveLength(2);
    expect(JSON.parse(dms[1]!.payload).message.text).toMatch(/approved by <@slack:ULEAD001\|Leo>/);

    // A late click: "already approved by Leo at 14:30", nothing changes.
    const late = await expectRefusedNothingWritten(w, () => w.core.action(w.lead2, 'adj.approve:1'), /already approved by Leo at 2026-11-10 14:30/);
    expect(late.updatedCard?.message.buttons).toBeUndefined();
    expect(await plan(w.db, 'SEM', '2026-11')).toBe(7_000_000);
  });

  it('below the threshold and within the annual envelope, finance alone approves (increase)', async () => {
    const w = await world();
    // First move ¥2,000 out of SEM's December (within the year) so an increase of November stays in the envelope.
    await w.db.write((tx) => tx.monthlyAllocation.updateMany({ where: { month: '2026-12', line: { code: 'SEM' } }, data: { planned: 800_000 } }));
    const r = await w.core.command(w.alice, '/budget request 2000 SEM 2026-11 Print run');
    expect(r.ok, text(r)).toBe(true);
    expect(text(r)).toMatch(/No approvals channel is bound/);
    // Without an approvals channel the card went to both finance members by DM, with the card key.
    const dmCards = (await outbox(w.db)).filter((x) => x.kind === 'dm' && x.cardKey === 'ADJ-1');
    expect(dmCards.map((x) => x.target).sort()).toEqual(['UFIN0001', 'UFIN0002']);

    const f = await w.core.action(w.fin, 'adj.approve:1');
    expect(f.ok, text(f)).toBe(true);
    expect((await adjustment(w.db, 1)).status).toBe('approved');
    expect(await plan(w.db, 'SEM', '2026-11')).toBe(1_200_000);
    const line = await w.db.read((tx) => tx.budgetLine.findFirstOrThrow({ where: { code: 'SEM' } }));
    expect(line.annualAmount).toBe(12_000_000); // unchanged
    // The DMed card copies are updated in place.
    expect((await outbox(w.db)).filter((x) => x.kind === 'update' && x.target === 'ADJ-1')).toHaveLength(1);
  });

  it('an increase that raises the yearly total needs a leader even when small', async () => {
    const w = await world();
    await w.core.command(w.alice, '/budget request 100 SEM Small but over the envelope');
    const f = await w.core.action(w.fin, 'adj.approve:1');
    expect(f.ok).toBe(true);
    expect((await adjustment(w.db, 1)).status).toBe('pending_leader');
    // Leaders get the card by DM too, since no approvals channel is bound.
    expect((await outbox(w.db)).filter((x) => x.kind === 'dm' && x.cardKey === 'ADJ-1' && x.target.startsWith('ULEAD'))).toHaveLength(2);
  });

  it('transfers between lines: finance-only below the threshold, moving plan from one line to the other', async () => {
    const w = await world();
    const r = await w.core.command(w.alice, '/budget transfer 3000 SEM WEIBO 2026-11 Weibo converts better');
    expect(r.ok, text(r)).toBe(true);
    const f = await w.core.action(w.fin2, 'adj.approve:1');
    expect(f.ok, text(f)).toBe(true);
    expect(text(f)).toContain('SEM 2026-11 plan ¥10,000.00 → ¥7,000.00');
    expect((await adjustment(w.db, 1)).status).toBe('approved');
    expect(await plan(w.db, 'SEM', '2026-11')).toBe(700_000);
    expect(await plan(w.db, 'WEIBO', '2026-11')).toBe(800_000);
  });

  it('a transfer whose source was spent since the request is refused at execution and rolls back', async () => {
    const w = await world();
    expect((await w.core.command(w.alice, '/budget transfer 6000 SEM WEIBO 2026-11 Move it')).ok).toBe(true);
    expect((await w.core.command(w.fin, '/budget spend 5000 SEM 2026-11-09 Baidu top-up')).ok).toBe(true);
    await expectRefusedNothingWritten(w, () => w.core.action(w.fin2, 'adj.approve:1'), /¥5,000.00 available/);
    expect((await adjustment(w.db, 1)).status).toBe('pending_finance');
    expect(await plan(w.db, 'SEM', '2026-11')).toBe(1_000_000);
  });

  it('rejects with a reason through the form, and the requester is told', async () => {
    const w = await world();
    await w.core.command(w.alice, '/budget request 5000 SEM Posters');
    const open = await w.core.action(w.fin, 'adj.reject:1');
    expect(open.openForm?.id).toBe('adj.reject:1');
    expect(open.openForm?.fields[0]).toMatchObject({ name: 'reason', required: true });
    await expectRefusedNothingWritten(w, () => w.core.submit(w.fin, 'adj.reject:1', { reason: '  ' }));
    const r = await w.core.submit(w.fin, 'adj.reject:1', { reason: 'Not in this quarter' });
    expect(r.ok, text(r)).toBe(true);
    const adj = await adjustment(w.db, 1);
    expect(adj.status).toBe('rejected');
    expect(adj.steps[0]).toMatchObject({ step: 'finance', decision: 'rejected', comment: 'Not in this quarter' });
    const dm = (await outbox(w.db)).filter((x) => x.kind === 'dm' && x.target === 'UALICE01').pop()!;
    expect(JSON.parse(dm.payload).message.text).toContain('Not in this quarter');
    await expectRefusedNothingWritten(w, () => w.core.action(w.fin2, 'adj.approve:1'), /already rejected by Fay/);
  });

  it('the requester cancels (button and command); others cannot; a cancelled request cannot be decided', async () => {
    const w = await world();
    await w.core.command(w.alice, '/budget request 5000 SEM Posters');
    await w.core.command(w.alice, '/budget request 5000 SEM Banners');
    await expectRefusedNothingWritten(w, () => w.core.action(w.bob, 'adj.cancel:1'), /Only the requester/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.fin, '/budget cancel ADJ-1'), /Only the requester/);
    const c = await w.core.action(w.alice, 'adj.cancel:1');
    expect(c.ok, text(c)).toBe(true);
    expect(c.updatedCard?.message.buttons).toBeUndefined();
    expect((await adjustment(w.db, 1)).status).toBe('cancelled');
    const c2 = await w.core.command(w.alice, '/budget cancel ADJ-2');
    expect(c2.ok, text(c2)).toBe(true);
    await expectRefusedNothingWritten(w, () => w.core.action(w.fin, 'adj.approve:1'), /already cancelled by Alice/);
    await expectRefusedNothingWritten(w, () => w.core.action(w.alice, 'adj.cancel:1'), /already cancelled/);
    await expectRefusedNothingWritten(w, () => w.core.action(w.fin, 'adj.reject:2'), /already cancelled/);
  });

  it('shows a request with /budget show', async () => {
    const w = await world();
    await w.core.command(w.alice, '/budget request 5000 SEM Posters');
    const s = await w.core.command(w.bob, '/budget show ADJ-1');
    expect(s.ok).toBe(true);
    expect(text(s)).toContain('Budget increase request ADJ-1');
    await expectRefusedNothingWritten(w, () => w.core.command(w.bob, '/budget show ADJ-99'), /ADJ-99 does not exist/);
  });
});

describe('refusals write nothing', () => {
  it('self-approval, wrong role, unknown line, bad amount, transfer exceeding available, bad ids', async () => {
    const w = await world();
    // Fay (finance) requests; she cannot approve her own request, Finn can.
    expect((await w.core.command(w.fin, '/budget request 5000 SEM Fay asks')).ok).toBe(true);
    await expectRefusedNothingWritten(w, () => w.core.action(w.fin, 'adj.approve:1'), /You cannot decide your own request ADJ-1: Finn can/);
    await expectRefusedNothingWritten(w, () => w.core.action(w.fin, 'adj.reject:1'), /You cannot decide your own request ADJ-1: Finn can/);
    // A marketer or a leader cannot take the finance step.
    await expectRefusedNothingWritten(w, () => w.core.action(w.alice, 'adj.approve:1'), /decision by Finance \(/);
    await expectRefusedNothingWritten(w, () => w.core.action(w.lead, 'adj.approve:1'), /decision by Finance \(/);
    await expectRefusedNothingWritten(w, () => w.core.action(w.admin, 'adj.approve:1'), /decision by Finance \(/);
    // Unknown line, quoting the code — even for a first-time user (no Person row is created).
    const newcomer = { ...w.alice, userId: 'UNEW0001', displayName: 'Neo' };
    await expectRefusedNothingWritten(w, () => w.core.command(newcomer, '/budget request 5000 TIKTOK Try it'), /“TIKTOK”/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/budget transfer 5000 SEM NOPE Try'), /“NOPE”/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/budget spend 5000 NOPE Try'), /“NOPE”/);
    // A month outside any fiscal year.
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/budget request 5000 SEM 2027-01 Next year'), /2027-01/);
    // Bad amounts, quoted.
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/budget request -5 SEM Negative'), /-5/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/budget request 5.123 SEM Fen'), /5\.123/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/budget request abc SEM Junk'), /abc/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/budget request 0 SEM Zero'), /zero/);
    // A transfer larger than what the source month has available.
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/budget transfer 20000 SEM WEIBO Too much'), /only ¥10,000.00 available/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/budget transfer 200 SEM SEM Same'));
    // Buttons and forms with junk references.
    await expectRefusedNothingWritten(w, () => w.core.action(w.fin2, 'adj.approve:abc'));
    await expectRefusedNothingWritten(w, () => w.core.action(w.fin2, 'adj.approve:999'), /ADJ-999 does not exist/);
    await expectRefusedNothingWritten(w, () => w.core.submit(w.fin2, 'adj.reject:999', { reason: 'x' }), /ADJ-999/);
    // Only admin / finance add lines; duplicates refused.
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/budget line add KOL 10000 KOL'), /Only an admin \(\w+\) or finance \([^)]+\) can add budget lines/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.fin, '/budget line add sem 10000 Again'), /“SEM” already exists/);
    // Nothing happened to the request.
    expect((await adjustment(w.db, 1)).status).toBe('pending_finance');
  });

  it('lists every table of the schema when counting', async () => {
    const w = await world({ lines: false });
    const c = await counts(w.db);
    expect(Object.keys(c)).toEqual(
      expect.arrayContaining(['Person', 'RoleGrant', 'BudgetAdjustment', 'ApprovalStep', 'MonthlyAllocation', 'AuditLog', 'OutboxMessage', 'ThresholdAlert', 'Setting']),
    );
    expect(Object.keys(c).length).toBeGreaterThanOrEqual(21);
  });
});
