// Campaigns end to end through Core: proposal → approval commits budget per month → close with results.
import { describe, expect, it } from 'vitest';
import { lineFigures } from '../../src/usecases/budgetFigures.js';
import { counts, outbox, payload, proposal, refusedNothingWritten, text, world, type World } from './campaignsSetup.js';

async function campaign(w: World, id: number) {
  return w.db.read((tx) => tx.campaign.findUniqueOrThrow({ where: { id } }));
}
async function commitments(w: World, id: number) {
  return w.db.read((tx) => tx.budgetCommitment.findMany({ where: { campaignId: id }, orderBy: { month: 'asc' } }));
}
async function propose(w: World, over: Record<string, string | string[] | undefined> = {}, who = w.alice) {
  const o = await w.core.submit(who, 'campaign.new', proposal(over));
  expect(o.ok, text(o) + JSON.stringify(o.formErrors)).toBe(true);
  return o;
}

describe('campaign proposal and approval', () => {
  it('opens the proposal form with goal/format/channel choices, lines and one field per KPI', async () => {
    const w = await world();
    const o = await w.core.command(w.alice, '/campaign new');
    expect(o.openForm?.id).toBe('campaign.new');
    const names = o.openForm!.fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['name', 'goal', 'theme', 'format', 'channels', 'start', 'end', 'line', 'amount']));
    expect(names).toEqual(expect.arrayContaining(['kpi_participants', 'kpi_interactions', 'kpi_conversions', 'kpi_conversion_rate', 'kpi_follower_growth']));
    expect(o.openForm!.fields.find((f) => f.name === 'line')!.options!.map((x) => x.value)).toEqual(['SEM', 'WEIBO']);
    expect(o.openForm!.fields.find((f) => f.name === 'goal')!.options!.map((x) => x.value)).toEqual(['awareness', 'sales', 'leads', 'other']);
  });

  it('creates a pending proposal, posts the approval card with availability to the leaders channel', async () => {
    const w = await world();
    const o = await propose(w);
    expect(text(o)).toContain('CMP-1');
    const c = await campaign(w, 1);
    expect(c).toMatchObject({ status: 'pending_approval', amount: 1_100_000, lineId: 1, startDate: '2026-11-25', endDate: '2026-12-05' });
    expect(JSON.parse(c.kpiTargets)).toEqual({ participants: 5000, conversion_rate: 3.5 });
    expect(JSON.parse(c.channels)).toEqual(['douyin', 'wechat']);
    const posted = (await outbox(w.db)).filter((r) => r.cardKey === 'CMP-1');
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ kind: 'post', target: 'CLEADERS1' });
    const card = payload(posted[0]!);
    expect(card.buttons!.map((b) => b.action)).toEqual(['cmp.approve:1', 'cmp.changes:1', 'cmp.reject:1']);
    const budget = JSON.stringify(card.sections);
    expect(budget).toContain('2026-11: this campaign ¥6,000.00 · available ¥10,000.00');
    expect(budget).toContain('2026-12: this campaign ¥5,000.00 · available ¥10,000.00');
    expect((await w.db.read((tx) => tx.auditLog.count({ where: { action: 'campaign.propose' } })))).toBe(1);
  });

  it('DMs every leader when no leaders channel is bound', async () => {
    const w = await world({ channels: ['team'] });
    await propose(w);
    const rows = (await outbox(w.db)).filter((r) => r.cardKey === 'CMP-1');
    expect(rows.map((r) => [r.kind, r.target]).sort()).toEqual([
      ['dm', 'ULEAD001'],
      ['dm', 'ULEAD002'],
    ]);
  });

  it('approval commits the amount per month, updates the card in place and tells the owner', async () => {
    const w = await world();
    await propose(w);
    const o = await w.core.action(w.lead, 'cmp.approve:1');
    expect(o.ok, text(o)).toBe(true);
    expect(o.updatedCard?.cardKey).toBe('CMP-1');
    expect(o.updatedCard?.message.text).toMatch(/Approved by .*Leo/);
    expect(o.updatedCard?.message.buttons?.map((b) => b.action)).toEqual(['cmp.close:1']);
    const c = await campaign(w, 1);
    expect(c.status).toBe('approved');
    expect(c.decidedAt?.toISOString()).toBe('2026-11-10T02:00:00.000Z');
    const rows = await commitments(w, 1);
    expect(rows.map((r) => [r.month, r.amount])).toEqual([
      ['2026-11', 600_000],
      ['2026-12', 500_000],
    ]);
    expect(rows.reduce((s, r) => s + r.amount, 0)).toBe(c.amount);
    const [nov] = await w.db.read((tx) => lineFigures(tx, '2026-11', [1]));
    expect(nov).toMatchObject({ plan: 1_000_000, spent: 0, committed: 600_000 });
    const box = await outbox(w.db);
    expect(box.filter((r) => r.kind === 'update' && r.cardKey === 'CMP-1')).toHaveLength(1);
    const dm = box.filter((r) => r.kind === 'dm' && r.target === 'UALICE01');
    expect(dm).toHaveLength(1);
    expect(payload(dm[0]!).text).toMatch(/approved by .*Leo/);
    expect(await w.db.read((tx) => tx.auditLog.count({ where: { action: 'campaign.approve' } }))).toBe(1);
  });

  it('a second click is told who decided and when; exactly one transition', async () => {
    const w = await world();
    await propose(w);
    const both = await Promise.all([w.core.action(w.lead, 'cmp.approve:1'), w.core.action(w.lead2, 'cmp.approve:1')]);
    // Exactly one of the two wins; which one depends on the database (SQLite serializes, PostgreSQL may not).
    expect(both.map((r) => r.ok).sort()).toEqual([false, true]);
    const b = both.find((r) => !r.ok)!;
    const winner = both[0]!.ok ? 'Leo' : 'Lena';
    expect(text(b)).toMatch(new RegExp(`already decided \\(Approved\\) by ${winner} at 2026-11-10 10:00`)); // a refusal names people in plain text
    expect(await commitments(w, 1)).toHaveLength(2);
    await refusedNothingWritten(w, () => w.core.action(w.lead, 'cmp.approve:1'), /already decided/);
    await refusedNothingWritten(w, () => w.core.action(w.lead2, 'cmp.reject:1'), /already decided/);
  });

  it('refuses approval when the line lacks budget; the owner (not the leader) gets the pre-filled request button, with who decides it', async () => {
    const w = await world();
    // ¥15,000.50 in November only: the line has ¥10,000 → short ¥5,000.50.
    await propose(w, { start: '2026-11-20', end: '2026-11-30', amount: '15000.50' });
    const rowsBefore = (await outbox(w.db)).length;
    const o = await w.core.action(w.lead, 'cmp.approve:1');
    expect(o.ok).toBe(false);
    expect(text(o)).toContain('2026-11: needs ¥15,000.50, available ¥10,000.00 — short ¥5,000.50');
    // The leader is told who was asked and who will decide; no button (a request filed by them would be a dead end).
    expect(text(o)).toContain('Alice, who owns it, was sent a button by direct message to request the missing budget; finance (Fay), then a leader (Leo, Lena) decide that request.');
    expect(o.reply?.buttons ?? []).toEqual([]);
    expect((await campaign(w, 1)).status).toBe('pending_approval');
    expect(await commitments(w, 1)).toHaveLength(0);
    const dms = (await outbox(w.db)).slice(rowsBefore);
    expect(dms.map((r) => [r.kind, r.target])).toEqual([['dm', 'UALICE01']]);
    const dm = payload(dms[0]!);
    expect(dm.text).toMatch(/Leo.* tried to approve CMP-1, but budget line SEM does not have enough available budget/);
    expect(JSON.stringify(dm.sections)).toContain('finance (Fay), then a leader (Leo, Lena) decide the request');
    expect(dm.buttons?.map((b) => b.action)).toEqual(['cmp.shortfall:1']);
    // Another refusal for the same shortfall does not message the owner again.
    expect((await w.core.action(w.lead2, 'cmp.approve:1')).ok).toBe(false);
    expect((await outbox(w.db)).slice(rowsBefore)).toHaveLength(1);

    // The button is the owner's: a leader clicking an old copy is told whose it is.
    await refusedNothingWritten(w, () => w.core.action(w.lead, 'cmp.shortfall:1'), /Only the owner \(Alice\) requests the missing budget of CMP-1/);
    const before = await counts(w.db);
    const form = await w.core.action(w.alice, 'cmp.shortfall:1');
    expect(form.ok, text(form)).toBe(true);
    expect(form.openForm?.id).toBe('budget.request');
    const initial = Object.fromEntries(form.openForm!.fields.map((f) => [f.name, f.initial]));
    expect(initial).toMatchObject({ line: 'SEM', amount: '5000.50', month: '2026-11' });
    expect(initial.reason).toContain('CMP-1');
    expect(await counts(w.db)).toEqual(before);
  });

  it('counts what is already committed by other campaigns', async () => {
    const w = await world();
    await propose(w, { start: '2026-11-20', end: '2026-11-30', amount: '8000' });
    await propose(w, { start: '2026-11-20', end: '2026-11-30', amount: '3000' });
    expect((await w.core.action(w.lead, 'cmp.approve:1')).ok).toBe(true);
    const o = await w.core.action(w.lead, 'cmp.approve:2');
    expect(o.ok).toBe(false);
    expect(text(o)).toContain('short ¥1,000.00');
  });

  it('reject and request changes ask for a comment, then tell the owner', async () => {
    const w = await world();
    await propose(w);
    await propose(w);
    const open = await w.core.action(w.lead, 'cmp.reject:1');
    expect(open.openForm?.id).toBe('cmp.reject:1');
    expect(open.openForm?.fields.map((f) => [f.name, f.required])).toEqual([['comment', true]]);
    await refusedNothingWritten(w, () => w.core.submit(w.lead, 'cmp.reject:1', { comment: '  ' }), /required/);
    const r = await w.core.submit(w.lead, 'cmp.reject:1', { comment: 'Too close to the deadline' });
    expect(r.ok, text(r)).toBe(true);
    expect(await campaign(w, 1)).toMatchObject({ status: 'rejected', decisionComment: 'Too close to the deadline' });
    expect(r.updatedCard?.message.buttons).toBeUndefined();

    expect((await w.core.action(w.lead2, 'cmp.changes:2')).openForm?.id).toBe('cmp.changes:2');
    const c = await w.core.submit(w.lead2, 'cmp.changes:2', { comment: 'Add a Weibo channel' });
    expect(c.ok, text(c)).toBe(true);
    expect((await campaign(w, 2)).status).toBe('changes_requested');
    const dms = (await outbox(w.db)).filter((x) => x.kind === 'dm' && x.target === 'UALICE01').map((x) => payload(x).text);
    expect(dms.join('\n')).toMatch(/rejected by .*Leo.*Too close/);
    expect(dms.join('\n')).toMatch(/asked for changes.*Add a Weibo channel/);
    // Decided already: the form cannot be opened again.
    await refusedNothingWritten(w, () => w.core.action(w.lead, 'cmp.reject:2'), /already decided/);
  });
});

describe('every refused input writes nothing', () => {
  const cases: [string, Record<string, string | string[] | undefined>, string, RegExp][] = [
    ['bad start date', { start: '2026-13-01' }, 'start', /"2026-13-01" is not a date/],
    ['impossible day', { end: '2026-02-30' }, 'end', /"2026-02-30" is not a date/],
    ['end before start', { start: '2026-11-20', end: '2026-11-19' }, 'end', /before the start/],
    ['start in the past', { start: '2026-11-01', end: '2026-11-30' }, 'start', /in the past/],
    ['across fiscal years', { start: '2026-12-20', end: '2027-01-05' }, 'end', /fiscal year/],
    ['amount 0', { amount: '0' }, 'amount', /"0" is zero/],
    ['negative amount', { amount: '-5000' }, 'amount', /negative/],
    ['bad amount', { amount: '12abc' }, 'amount', /"12abc" is not an amount/],
    ['unknown line', { line: 'TIKTOK' }, 'line', /no budget line "TIKTOK"/],
    ['no KPI', { kpi_participants: '', kpi_conversion_rate: '' }, 'kpi_participants', /at least one KPI/],
    ['bad percent', { kpi_conversion_rate: '120' }, 'kpi_conversion_rate', /"120" must be a percentage/],
    ['fractional count', { kpi_participants: '12.5' }, 'kpi_participants', /whole number/],
    ['unknown goal', { goal: 'fame' }, 'goal', /"fame" is not one of the choices/],
    ['unknown channel', { channels: ['myspace'] }, 'channels', /"myspace"/],
    ['missing name', { name: '' }, 'name', /required/],
  ];
  for (const [label, over, field, pattern] of cases) {
    it(`proposal: ${label}`, async () => {
      const w = await world();
      const o = await refusedNothingWritten(w, () => w.core.submit(w.alice, 'campaign.new', proposal(over)));
      expect(Object.keys(o.formErrors ?? {})).toContain(field);
      expect(o.formErrors![field]).toMatch(pattern);
    });
  }

  it('reports every bad field at once', async () => {
    const w = await world();
    const o = await refusedNothingWritten(w, () =>
      w.core.submit(w.alice, 'campaign.new', proposal({ amount: '0', line: 'NOPE', start: 'tomorrow' })),
    );
    expect(Object.keys(o.formErrors!).sort()).toEqual(['amount', 'line', 'start']);
  });

  it('wrong role, self-decision, unknown id, bad reference', async () => {
    const w = await world();
    await propose(w);
    await propose(w, {}, w.lead);
    await refusedNothingWritten(w, () => w.core.action(w.bob, 'cmp.approve:1'), /Only a leader \([^)]+\) can do this/);
    await refusedNothingWritten(w, () => w.core.action(w.fin, 'cmp.reject:1'), /Only a leader \([^)]+\) can do this/);
    await refusedNothingWritten(w, () => w.core.submit(w.bob, 'cmp.reject:1', { comment: 'no' }), /Only a leader \([^)]+\) can do this/);
    await refusedNothingWritten(w, () => w.core.action(w.lead, 'cmp.approve:2'), /You cannot decide your own proposal CMP-2: Lena can\./);
    await refusedNothingWritten(w, () => w.core.action(w.lead, 'cmp.approve:99'), /CMP-99 does not exist/);
    await refusedNothingWritten(w, () => w.core.action(w.lead, 'cmp.approve:abc'), /no longer valid/);
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/campaign show CMP-42'), /CMP-42 does not exist/);
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/campaign close CMP-1'), /only approved, running or ended/);
  });

  it('a stranger who never used the bot is refused without creating a Person row', async () => {
    const w = await world();
    await propose(w);
    const stranger = { platform: 'slack' as const, workspaceId: 'T1', userId: 'UNEW0001', displayName: 'Neo' };
    await refusedNothingWritten(w, () => w.core.action(stranger, 'cmp.approve:1'), /Only a leader \([^)]+\) can do this/);
    await refusedNothingWritten(w, () => w.core.submit(stranger, 'campaign.new', proposal({ amount: '0' })));
  });
});

describe('list, show and close', () => {
  it('derives running / ended from the dates and lists by filter', async () => {
    const w = await world();
    await propose(w, { start: '2026-11-12', end: '2026-11-20', amount: '2000' });
    await propose(w, { start: '2026-11-25', end: '2026-11-28', amount: '2000' });
    await propose(w, { start: '2026-11-26', end: '2026-11-29', amount: '2000' });
    expect((await w.core.action(w.lead, 'cmp.approve:1')).ok).toBe(true);
    expect((await w.core.action(w.lead, 'cmp.approve:2')).ok).toBe(true);
    w.clock.set('2026-11-15T02:00:00Z');
    const running = await w.core.command(w.alice, '/campaign list running');
    expect(text(running)).toContain('CMP-1');
    expect(text(running)).toContain('Running');
    expect(text(running)).not.toContain('CMP-2');
    expect(text(await w.core.command(w.alice, '/campaign list pending'))).toMatch(/CMP-3[^\d]/);
    expect(text(await w.core.command(w.alice, '/campaign list approved'))).toMatch(/CMP-2[^\d]/);
    w.clock.set('2026-11-22T02:00:00Z');
    const ended = await w.core.command(w.alice, '/campaign list ended');
    expect(text(ended)).toContain('CMP-1');
    expect(text(ended)).toContain('Ended');
    // Stored status stays `approved` (derived on read).
    expect((await campaign(w, 1)).status).toBe('approved');
    const all = await w.core.command(w.alice, '/campaign list all');
    expect(text(all)).toContain('(3)');
    expect(text(await w.core.command(w.alice, '/campaign list active'))).toContain('(3)');
    expect(text(await w.core.command(w.alice, '/campaign list evaluated'))).not.toMatch(/CMP-\d/);
  });

  it('show gives the card with the buttons the viewer may use', async () => {
    const w = await world();
    await propose(w);
    const asLeader = await w.core.command(w.lead, '/campaign show CMP-1');
    expect(asLeader.reply?.buttons?.map((b) => b.action)).toEqual(['cmp.approve:1', 'cmp.changes:1', 'cmp.reject:1']);
    const asOwner = await w.core.command(w.alice, '/campaign show 1');
    expect(asOwner.reply?.buttons).toBeUndefined();
    expect(text(asOwner)).toContain('Double 11 live push');
  });

  it('close records actuals, releases the commitment, compares with targets and tells owner and team', async () => {
    const w = await world();
    await propose(w);
    expect((await w.core.action(w.lead, 'cmp.approve:1')).ok).toBe(true);
    w.clock.set('2026-12-08T02:00:00Z');
    await refusedNothingWritten(w, () => w.core.command(w.bob, '/campaign close CMP-1'), /Only the owner/);
    const open = await w.core.command(w.alice, '/campaign close CMP-1');
    expect(open.openForm?.id).toBe('campaign.close:1');
    expect(open.openForm?.fields.map((f) => f.name)).toEqual(['result_participants', 'result_conversion_rate', 'actual_cost', 'lessons']);
    expect((await w.core.action(w.lead, 'cmp.close:1')).openForm?.id).toBe('campaign.close:1');

    const bad = await refusedNothingWritten(w, () =>
      w.core.submit(w.alice, 'campaign.close:1', { result_participants: 'many', result_conversion_rate: '4', actual_cost: '-1', lessons: '' }),
    );
    expect(Object.keys(bad.formErrors!).sort()).toEqual(['actual_cost', 'lessons', 'result_participants']);

    const o = await w.core.submit(w.lead, 'campaign.close:1', {
      result_participants: '6,200',
      result_conversion_rate: '2.8',
      actual_cost: '10500',
      lessons: 'Live-stream slots sell out early; book in October.',
    });
    expect(o.ok, text(o)).toBe(true);
    const t = text(o);
    expect(t).toContain('1 of 2 KPI targets met');
    expect(t).toContain('Participants: target 5,000 · actual 6,200 · 124% ✅');
    expect(t).toContain('Conversion rate: target 3.5% · actual 2.8% · 80% ❌');
    expect(t).toContain('Budget ¥11,000.00 · actual cost ¥10,500.00 (95.4%)');
    expect(t).toContain('Released commitment: ¥11,000.00');
    const c = await campaign(w, 1);
    expect(c).toMatchObject({ status: 'evaluated', actualCost: 1_050_000 });
    expect(JSON.parse(c.results!)).toEqual({ participants: 6200, conversion_rate: 2.8 });
    expect(await commitments(w, 1)).toHaveLength(0);
    const box = await outbox(w.db);
    expect(box.some((r) => r.kind === 'post' && r.target === 'CTEAM0001' && payload(r).title?.includes('results vs targets'))).toBe(true);
    expect(box.some((r) => r.kind === 'dm' && r.target === 'UALICE01' && payload(r).title?.includes('results vs targets'))).toBe(true);
    // Closed once: a second submission is refused.
    await refusedNothingWritten(w, () =>
      w.core.submit(w.alice, 'campaign.close:1', { result_participants: '1', result_conversion_rate: '1', actual_cost: '1', lessons: 'x' }),
      /Evaluated/,
    );
  });
});

describe('zh-CN', () => {
  it('answers in Chinese once the team language is zh', async () => {
    const w = await world();
    expect((await w.core.command(w.admin, '/mkt lang zh')).ok).toBe(true);
    const o = await propose(w);
    expect(text(o)).toContain('活动方案 CMP-1');
    const card = payload((await outbox(w.db)).find((r) => r.cardKey === 'CMP-1')!);
    expect(card.buttons!.map((b) => b.label)).toEqual(['批准', '要求修改', '驳回']);
    const bad = await w.core.submit(w.alice, 'campaign.new', proposal({ end: '2026-11-01', start: '2026-11-20' }));
    expect(bad.formErrors?.end).toContain('早于开始日期');
  });
});
