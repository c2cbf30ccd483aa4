// "Request changes" → the owner revises the same campaign (same CMP id) and resubmits it: the leaders' card is
// updated in place with the new version and the decision buttons, and approval commits the revised amount.
import { describe, expect, it } from 'vitest';
import { counts, outbox, payload, proposal, refusedNothingWritten, text, world, type World } from './campaignsSetup.js';

async function campaign(w: World, id: number) {
  return w.db.read((tx) => tx.campaign.findUniqueOrThrow({ where: { id } }));
}
async function propose(w: World, over: Record<string, string | string[] | undefined> = {}, who = w.alice) {
  const o = await w.core.submit(who, 'campaign.new', proposal(over));
  expect(o.ok, text(o) + JSON.stringify(o.formErrors)).toBe(true);
  return o;
}
async function requestChanges(w: World, id: number, comment: string, who = w.lead) {
  const o = await w.core.submit(who, `cmp.changes:${id}:${(await campaign(w, id)).revision}`, { comment });
  expect(o.ok, text(o)).toBe(true);
  return o;
}
async function revisions(w: World) {
  return w.db.read((tx) => tx.auditLog.findMany({ where: { action: 'campaign.revise' }, orderBy: { id: 'asc' } }));
}
const cardRows = async (w: World, key: string) => (await outbox(w.db)).filter((r) => r.cardKey === key);
const initialValues = (o: { openForm?: { fields: { name: string; initial?: string }[] } }) =>
  Object.fromEntries(o.openForm!.fields.map((f) => [f.name, f.initial]));

/** The revised proposal: ¥9,000, 1–10 December only. */
const revised = (over: Record<string, string | string[] | undefined> = {}) =>
  proposal({ amount: '9000', start: '2026-12-01', end: '2026-12-10', ...over });

describe('revise and resubmit after changes were requested', () => {
  it('full loop: request changes → revise the same campaign → card updated in place → approval commits the new amount', async () => {
    const w = await world();
    await propose(w);
    await requestChanges(w, 1, 'Too early: start in December and cut the budget to 9000');

    // The owner's notification carries the button.
    const dm = (await outbox(w.db)).filter((r) => r.kind === 'dm' && r.target === 'UALICE01').map(payload).at(-1)!;
    expect(dm.text).toMatch(/asked for changes.*start in December/);
    expect(dm.buttons).toEqual([{ label: 'Revise and resubmit', action: 'cmp.revise:1', style: 'primary' }]);

    // /campaign show: the owner gets the button, nobody else does.
    expect((await w.core.command(w.alice, '/campaign show CMP-1')).reply?.buttons?.map((b) => b.action)).toEqual(['cmp.revise:1']);
    expect((await w.core.command(w.bob, '/campaign show CMP-1')).reply?.buttons).toBeUndefined();
    expect((await w.core.command(w.lead, '/campaign show CMP-1')).reply?.buttons).toBeUndefined();

    // The click opens the proposal form pre-filled, the leader's comment as intro; it writes nothing.
    const before = await counts(w.db);
    const open = await w.core.action(w.alice, 'cmp.revise:1');
    expect(open.ok, text(open)).toBe(true);
    expect(open.openForm?.id).toBe('campaign.revise:1');
    expect(open.openForm?.intro).toContain('Too early: start in December and cut the budget to 9000');
    expect(open.openForm?.intro).toMatch(/Leo/);
    expect(initialValues(open)).toMatchObject({
      name: 'Double 11 live push',
      goal: 'sales',
      theme: 'Singles day',
      format: 'live_selling',
      channels: 'douyin,wechat',
      start: '2026-11-25',
      end: '2026-12-05',
      line: 'SEM',
      amount: '11000',
      kpi_participants: '5000',
      kpi_conversion_rate: '3.5',
    });
    expect(initialValues(open).kpi_interactions).toBeUndefined();
    // Same fields as the new-proposal form.
    const fresh = await w.core.command(w.alice, '/campaign new');
    expect(open.openForm!.fields.map((f) => f.name)).toEqual(fresh.openForm!.fields.map((f) => f.name));
    expect(await counts(w.db)).toEqual(before);

    // Submit the revision: same row, pending again, decision cleared.
    const o = await w.core.submit(w.alice, 'campaign.revise:1', revised());
    expect(o.ok, text(o) + JSON.stringify(o.formErrors)).toBe(true);
    expect(text(o)).toMatch(/Revision of CMP-1 .*submitted/);
    expect(await w.db.read((tx) => tx.campaign.count())).toBe(1);
    expect(await campaign(w, 1)).toMatchObject({
      status: 'pending_approval',
      amount: 900_000,
      startDate: '2026-12-01',
      endDate: '2026-12-10',
      decidedById: null,
      decidedAt: null,
      decisionComment: null,
    });

    // The leaders' card is updated in place (no second post) with the new version and the buttons again.
    const rows = await cardRows(w, 'CMP-1');
    expect(rows.filter((r) => r.kind === 'post')).toHaveLength(1);
    const update = rows.filter((r) => r.kind === 'update').at(-1)!;
    expect(update.target).toBe('CMP-1');
    const card = payload(update);
    expect(card.buttons!.map((b) => b.action)).toEqual(['cmp.approve:1:2', 'cmp.changes:1:2', 'cmp.reject:1:2']);
    expect(card.text).toMatch(/Revised proposal from .*Alice/);
    expect(card.text).toContain('Changes requested: Too early');
    const sections = JSON.stringify(card.sections);
    expect(sections).toContain('Budget amount: ¥11,000.00 → ¥9,000.00');
    expect(sections).toContain('Start date: 2026-11-25 → 2026-12-01');
    expect(sections).toContain('End date: 2026-12-05 → 2026-12-10');
    expect(sections).not.toContain('Name:');
    expect(sections).toContain('2026-12: this campaign ¥9,000.00 · available ¥10,000.00');
    expect(sections).not.toContain('2026-11: this campaign');

    // The audit entry says what changed and which comment it answered.
    const [entry] = await revisions(w);
    const data = JSON.parse(entry!.data) as { changed: string[]; comment: string; before: { amount: number }; after: { amount: number } };
    expect(data.changed.sort()).toEqual(['amount', 'endDate', 'startDate']);
    expect(data.comment).toContain('Too early');
    expect([data.before.amount, data.after.amount]).toEqual([1_100_000, 900_000]);

    // A leader sees the buttons again and approves: the new amount is committed, in December only.
    expect((await w.core.command(w.lead, '/campaign show CMP-1')).reply?.buttons?.map((b) => b.action)).toEqual([
      'cmp.approve:1:2',
      'cmp.changes:1:2',
      'cmp.reject:1:2',
    ]);
    const a = await w.core.action(w.lead2, 'cmp.approve:1:2');
    expect(a.ok, text(a)).toBe(true);
    expect(text(a)).toContain('¥9,000.00 committed');
    const held = await w.db.read((tx) => tx.budgetCommitment.findMany({ where: { campaignId: 1 }, orderBy: { month: 'asc' } }));
    expect(held.map((r) => [r.month, r.amount])).toEqual([['2026-12', 900_000]]);
    expect((await campaign(w, 1)).status).toBe('approved');
    expect(a.updatedCard?.message.text).toMatch(/Approved by .*Lena/);
    expect(a.updatedCard?.message.text).not.toContain('Too early');
  });

  it('a second round: changes again, revised again, the card shows the latest comment and changes', async () => {
    const w = await world();
    await propose(w);
    await requestChanges(w, 1, 'Start in December');
    expect((await w.core.submit(w.alice, 'campaign.revise:1', revised())).ok).toBe(true);
    await requestChanges(w, 1, 'Add Weibo as a channel', w.lead2);
    const open = await w.core.action(w.alice, 'cmp.revise:1');
    expect(open.openForm?.intro).toContain('Add Weibo as a channel');
    expect(initialValues(open)).toMatchObject({ amount: '9000', start: '2026-12-01' });
    const o = await w.core.submit(w.alice, 'campaign.revise:1', revised({ channels: ['douyin', 'wechat', 'weibo'] }));
    expect(o.ok, text(o) + JSON.stringify(o.formErrors)).toBe(true);
    const card = payload((await cardRows(w, 'CMP-1')).filter((r) => r.kind === 'update').at(-1)!);
    expect(card.text).toContain('Changes requested: Add Weibo as a channel');
    expect(JSON.stringify(card.sections)).toMatch(/Channels: [^→]+→ [^"]*Weibo/);
    expect(JSON.stringify(card.sections)).not.toContain('Budget amount:');
    expect(await revisions(w)).toHaveLength(2);
  });

  it('moves to another budget line when the revision names one', async () => {
    const w = await world();
    await propose(w);
    await requestChanges(w, 1, 'Run it on Weibo');
    expect((await w.core.submit(w.alice, 'campaign.revise:1', revised({ line: 'WEIBO', amount: '4000' }))).ok).toBe(true);
    expect(await campaign(w, 1)).toMatchObject({ lineId: 2, amount: 400_000 });
    expect((await w.core.action(w.lead, 'cmp.approve:1:2')).ok).toBe(true);
    const held = await w.db.read((tx) => tx.budgetCommitment.findMany({ where: { campaignId: 1 } }));
    expect(held.map((r) => [r.lineId, r.month, r.amount])).toEqual([[2, '2026-12', 400_000]]);
  });

  it('posts the card as for a new proposal when none was posted before', async () => {
    const w = await world();
    await propose(w);
    await requestChanges(w, 1, 'Start in December');
    // As if the first card never went out (e.g. the outbox rows are gone).
    await w.db.write((tx) => tx.outboxMessage.deleteMany({ where: { cardKey: 'CMP-1' } }));
    const o = await w.core.submit(w.alice, 'campaign.revise:1', revised());
    expect(o.ok, text(o)).toBe(true);
    const rows = await cardRows(w, 'CMP-1');
    expect(rows.map((r) => [r.kind, r.target])).toEqual([['post', 'CLEADERS1']]);
    expect(payload(rows[0]!).buttons!.map((b) => b.action)).toEqual(['cmp.approve:1:2', 'cmp.changes:1:2', 'cmp.reject:1:2']);
  });

  it('a double submit of the revision acts once', async () => {
    const w = await world();
    await propose(w);
    await requestChanges(w, 1, 'Start in December');
    const before = await counts(w.db);
    const [a, b] = await Promise.all([
      w.core.submit(w.alice, 'campaign.revise:1', revised()),
      w.core.submit(w.alice, 'campaign.revise:1', revised({ amount: '8000' })),
    ]);
    // Exactly one of the two wins; which one depends on the database (SQLite serializes, PostgreSQL may not).
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect(text(a.ok ? b : a)).toContain("CMP-1 is Waiting for approval, it can't be revised");
    expect((await campaign(w, 1)).amount).toBe(a.ok ? 900_000 : 800_000);
    const after = await counts(w.db);
    // One audit entry, one card update: exactly what a single revision writes.
    expect(after.AuditLog! - before.AuditLog!).toBe(1);
    expect(after.OutboxMessage! - before.OutboxMessage!).toBe(1);
    expect(await revisions(w)).toHaveLength(1);
    await refusedNothingWritten(w, () => w.core.submit(w.alice, 'campaign.revise:1', revised()), /can't be revised/);
  });
});

describe('refused revisions write nothing', () => {
  it('only the owner may revise: others are refused privately, even leaders and strangers', async () => {
    const w = await world();
    await propose(w);
    await requestChanges(w, 1, 'Start in December');
    const stranger = { platform: 'slack' as const, workspaceId: 'T1', userId: 'UNEW0001', displayName: 'Neo' };
    for (const who of [w.bob, w.lead, w.admin, stranger]) {
      const o = await refusedNothingWritten(w, () => w.core.action(who, 'cmp.revise:1'), /Only the owner \(\w+\) can revise CMP-1/);
      expect(o.openForm).toBeUndefined();
      await refusedNothingWritten(w, () => w.core.submit(who, 'campaign.revise:1', revised()), /Only the owner \(\w+\) can revise CMP-1/);
      // Even with bad fields, the refusal is about who, not what.
      await refusedNothingWritten(w, () => w.core.submit(who, 'campaign.revise:1', revised({ amount: '0' })), /Only the owner \(\w+\) can revise CMP-1/);
    }
    expect((await campaign(w, 1)).status).toBe('changes_requested');
  });

  it('any other status refuses with "CMP-n is <status>, it can\'t be revised"', async () => {
    const w = await world();
    await propose(w); // 1: pending
    await propose(w, { start: '2026-11-12', end: '2026-11-20', amount: '2000' }); // 2: approved → running
    await propose(w); // 3: rejected
    expect((await w.core.action(w.lead, 'cmp.approve:2')).ok).toBe(true);
    expect((await w.core.submit(w.lead, 'cmp.reject:3', { comment: 'No' })).ok).toBe(true);
    await refusedNothingWritten(w, () => w.core.action(w.alice, 'cmp.revise:1'), /CMP-1 is Waiting for approval, it can't be revised/);
    await refusedNothingWritten(w, () => w.core.submit(w.alice, 'campaign.revise:1', revised()), /CMP-1 is Waiting for approval, it can't be revised/);
    await refusedNothingWritten(w, () => w.core.submit(w.alice, 'campaign.revise:2', revised()), /CMP-2 is Approved, it can't be revised/);
    await refusedNothingWritten(w, () => w.core.submit(w.alice, 'campaign.revise:3', revised()), /CMP-3 is Rejected, it can't be revised/);
    w.clock.set('2026-11-15T02:00:00Z');
    await refusedNothingWritten(w, () => w.core.action(w.alice, 'cmp.revise:2'), /CMP-2 is Running, it can't be revised/);
    await refusedNothingWritten(w, () => w.core.action(w.alice, 'cmp.revise:99'), /CMP-99 does not exist/);
    await refusedNothingWritten(w, () => w.core.submit(w.alice, 'campaign.revise:99', revised()), /CMP-99 does not exist/);
    await refusedNothingWritten(w, () => w.core.action(w.alice, 'cmp.revise:abc'), /no longer valid/);
    // No revise button where revising is refused.
    expect((await w.core.command(w.alice, '/campaign show CMP-1')).reply?.buttons).toBeUndefined();
    expect((await w.core.command(w.alice, '/campaign show CMP-3')).reply?.buttons).toBeUndefined();
  });

  const cases: [string, Record<string, string | string[] | undefined>, string, RegExp][] = [
    ['amount 0', { amount: '0' }, 'amount', /"0" is zero/],
    ['bad amount', { amount: '12abc' }, 'amount', /"12abc" is not an amount/],
    ['start in the past', { start: '2026-11-01', end: '2026-11-30' }, 'start', /in the past/],
    ['end before start', { start: '2026-12-10', end: '2026-12-01' }, 'end', /before the start/],
    ['across fiscal years', { start: '2026-12-20', end: '2027-01-05' }, 'end', /fiscal year/],
    ['unknown line', { line: 'TIKTOK' }, 'line', /no budget line "TIKTOK"/],
    ['no KPI', { kpi_participants: '', kpi_conversion_rate: '' }, 'kpi_participants', /at least one KPI/],
    ['unknown channel', { channels: ['myspace'] }, 'channels', /"myspace"/],
    ['missing name', { name: '' }, 'name', /required/],
  ];
  for (const [label, over, field, pattern] of cases) {
    it(`invalid field, validated like a new proposal: ${label}`, async () => {
      const w = await world();
      await propose(w);
      await requestChanges(w, 1, 'Start in December');
      const o = await refusedNothingWritten(w, () => w.core.submit(w.alice, 'campaign.revise:1', revised(over)));
      expect(o.formErrors![field]).toMatch(pattern);
      // The same values give the same errors on a new proposal.
      const fresh = await w.core.submit(w.alice, 'campaign.new', revised(over));
      expect(fresh.formErrors).toEqual(o.formErrors);
      expect(await campaign(w, 1)).toMatchObject({ status: 'changes_requested', amount: 1_100_000 });
    });
  }

  it('reports every bad field at once', async () => {
    const w = await world();
    await propose(w);
    await requestChanges(w, 1, 'Start in December');
    const o = await refusedNothingWritten(w, () =>
      w.core.submit(w.alice, 'campaign.revise:1', revised({ amount: '0', line: 'NOPE', start: 'tomorrow' })),
    );
    expect(Object.keys(o.formErrors!).sort()).toEqual(['amount', 'line', 'start']);
  });
});

describe('zh-CN', () => {
  it('the button, form and refusal in Chinese', async () => {
    const w = await world();
    expect((await w.core.command(w.admin, '/mkt lang zh')).ok).toBe(true);
    await propose(w);
    await requestChanges(w, 1, '改到十二月');
    const dm = (await outbox(w.db)).filter((r) => r.kind === 'dm' && r.target === 'UALICE01').map(payload).at(-1)!;
    expect(dm.buttons?.map((b) => b.label)).toEqual(['修改并重新提交']);
    const open = await w.core.action(w.alice, 'cmp.revise:1');
    expect(open.openForm?.title).toBe('修改 CMP-1');
    expect(open.openForm?.intro).toContain('改到十二月');
    expect((await w.core.submit(w.alice, 'campaign.revise:1', revised())).ok).toBe(true);
    const o = await w.core.action(w.alice, 'cmp.revise:1');
    expect(text(o)).toContain('CMP-1 当前状态为待审批，无法修改');
  });
});

describe('buttons carry the revision they were drawn for', () => {
  it('a click on a copy drawn before the revision is refused with "this card changed" and the current card; the current one decides', async () => {
    const w = await world();
    await propose(w);
    const first = (await outbox(w.db)).filter((r) => r.cardKey === 'CMP-1' && r.kind === 'post').map(payload)[0]!;
    expect(first.buttons?.map((b) => b.action)).toEqual(['cmp.approve:1', 'cmp.changes:1', 'cmp.reject:1']);
    await requestChanges(w, 1, 'Cut the budget');
    expect((await w.core.submit(w.alice, 'campaign.revise:1', revised())).ok).toBe(true);
    expect((await campaign(w, 1)).revision).toBe(2);

    // Lena still looks at the first copy (revision 1, ¥11,000) — in a chat whose update failed, or a screenshot.
    for (const stale of ['cmp.approve:1:1', 'cmp.approve:1', 'cmp.reject:1:1', 'cmp.changes:1:1']) {
      const o = await refusedNothingWritten(w, () => w.core.action(w.lead2, stale), /This card changed: CMP-1 was revised after this copy was drawn\. Here is the current one — nothing was decided/);
      expect(o.updatedCard?.cardKey).toBe('CMP-1');
      expect(o.updatedCard?.message.buttons?.map((b) => b.action)).toEqual(['cmp.approve:1:2', 'cmp.changes:1:2', 'cmp.reject:1:2']);
      expect(o.reply?.buttons?.map((b) => b.action)).toEqual(['cmp.approve:1:2', 'cmp.changes:1:2', 'cmp.reject:1:2']);
      expect(text(o)).toContain('¥9,000.00');
    }
    // A decision form opened from the old copy, submitted after the revision: refused too.
    await refusedNothingWritten(w, () => w.core.submit(w.lead2, 'cmp.reject:1:1', { comment: 'too expensive' }), /This card changed/);

    const ok = await w.core.action(w.lead2, 'cmp.approve:1:2');
    expect(ok.ok, text(ok)).toBe(true);
    expect((await campaign(w, 1)).status).toBe('approved');
  });
});
