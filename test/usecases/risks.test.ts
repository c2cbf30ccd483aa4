// Risks end to end through Core: report → grade → announce → take ownership / set strategy → close.
import { describe, expect, it } from 'vitest';
import { counts, outbox, payload, refusedNothingWritten, text, world, type World } from './campaignsSetup.js';

async function risk(w: World, id: number) {
  return w.db.read((tx) => tx.risk.findUniqueOrThrow({ where: { id } }));
}
async function report(w: World, line: string, who = w.alice) {
  const o = await w.core.command(who, line);
  expect(o.ok, text(o)).toBe(true);
  return o;
}
const riskRows = async (w: World) => (await outbox(w.db)).filter((r) => r.cardKey?.startsWith('RSK-'));

describe('grading and routing', () => {
  it('grades at the 7/8 and 14/15 boundaries (6 low, 8 medium, 12 medium, 15 high)', async () => {
    const w = await world();
    await report(w, '/risk report market 2 3 price war');
    await report(w, '/risk report tech 2 4 site outage');
    await report(w, '/risk report legal 3 4 ad law wording');
    await report(w, '/risk report market 3 5 competitor undercuts us');
    expect((await risk(w, 1))).toMatchObject({ score: 6, grade: 'low', status: 'open' });
    expect((await risk(w, 2))).toMatchObject({ score: 8, grade: 'medium' });
    expect((await risk(w, 3))).toMatchObject({ score: 12, grade: 'medium' });
    expect((await risk(w, 4))).toMatchObject({ score: 15, grade: 'high' });
    expect(await w.db.read((tx) => tx.auditLog.count({ where: { action: 'risk.report' } }))).toBe(4);
  });

  it('high → leaders channel with own/strategy buttons, medium → team, low → register only', async () => {
    const w = await world();
    const low = await report(w, '/risk report market 1 5 minor thing');
    expect(text(low)).toMatch(/RSK-1 recorded as LOW \(score 5\)/);
    expect(await riskRows(w)).toHaveLength(0);

    const medium = await report(w, '/risk report tech 2 4 site outage');
    expect(text(medium)).toMatch(/MEDIUM/);
    const high = await report(w, '/risk report market 4 4 competitor price war');
    expect(text(high)).toMatch(/HIGH.*leaders were alerted/);

    const rows = await riskRows(w);
    expect(rows.map((r) => [r.cardKey, r.kind, r.target])).toEqual([
      ['RSK-2', 'post', 'CTEAM0001'],
      ['RSK-3', 'post', 'CLEADERS1'],
    ]);
    const card = payload(rows[1]!);
    expect(card.title).toBe('High risk RSK-3: competitor price war');
    expect(card.buttons!.map((b) => b.action)).toEqual(['rsk.own:3', 'rsk.strategy:3']);
    expect(JSON.stringify(card.fields)).toContain('4 × 4 = 16 (High)');
  });

  it('high risk without a leaders channel is DMed to the leaders; medium without team channel stays in the register', async () => {
    const w = await world({ channels: [] });
    await report(w, '/risk report market 5 5 boycott');
    const m = await report(w, '/risk report market 3 3 slow quarter');
    expect(text(m)).toMatch(/no Team channel is bound.*`\/mkt channel team here`/);
    expect((await riskRows(w)).map((r) => [r.cardKey, r.kind, r.target]).sort()).toEqual([
      ['RSK-1', 'dm', 'ULEAD001'],
      ['RSK-1', 'dm', 'ULEAD002'],
    ]);
  });

  it('the form validates every field; a good submission records description, campaign and due date', async () => {
    const w = await world();
    const open = await w.core.command(w.alice, '/risk report');
    expect(open.openForm?.id).toBe('risk.report');
    expect(open.openForm?.fields.map((f) => f.name)).toEqual(['category', 'likelihood', 'impact', 'title', 'description', 'campaign', 'due']);

    const bad = await refusedNothingWritten(w, () =>
      w.core.submit(w.alice, 'risk.report', { category: 'weather', likelihood: '6', impact: '0', title: '', campaign: 'CMP-99', due: '2026-11-01' }),
    );
    expect(bad.formErrors).toMatchObject({
      category: expect.stringContaining('"weather"'),
      likelihood: expect.stringContaining('"6" is not on the scale'),
      impact: expect.stringContaining('"0"'),
      title: expect.stringContaining('required'),
      campaign: expect.stringContaining('CMP-99 does not exist'),
      due: expect.stringContaining('in the past'),
    });
    const bad2 = await refusedNothingWritten(w, () =>
      w.core.submit(w.alice, 'risk.report', { category: 'legal', likelihood: '3', impact: '3', title: 'x', campaign: 'RSK-1', due: '31/12/2026' }),
    );
    expect(Object.keys(bad2.formErrors!).sort()).toEqual(['campaign', 'due']);

    const ok = await w.core.submit(w.alice, 'risk.report', {
      category: 'legal',
      likelihood: '3',
      impact: '5',
      title: 'Lottery rules not filed',
      description: 'Prize draw needs notarised rules',
      due: '2026-11-20',
    });
    expect(ok.ok, text(ok)).toBe(true);
    expect(await risk(w, 1)).toMatchObject({ grade: 'high', score: 15, description: 'Prize draw needs notarised rules', dueDate: '2026-11-20', campaignId: null });
  });

  it('inline refusals (bad scale, bad category, missing title) write nothing', async () => {
    const w = await world();
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/risk report market 6 4 too likely'), /6/);
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/risk report market 0 4 zero'), /0/);
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/risk report weather 3 3 storm'), /weather/);
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/risk report market 3 3'));
  });
});

describe('ownership, strategy and closing', () => {
  it('a leader takes ownership once; the card updates; others are told who owns it', async () => {
    const w = await world();
    await report(w, '/risk report market 4 4 price war');
    await refusedNothingWritten(w, () => w.core.action(w.bob, 'rsk.own:1'), /Only the reporter \(\w+\) or a leader \([^)]+\) can take ownership of RSK-1/);
    const both = await Promise.all([w.core.action(w.lead, 'rsk.own:1'), w.core.action(w.lead2, 'rsk.own:1')]);
    // Exactly one of the two wins; which one depends on the database (SQLite serializes, PostgreSQL may not).
    expect(both.map((r) => r.ok).sort()).toEqual([false, true]);
    const a = both.find((r) => r.ok)!;
    const b = both.find((r) => !r.ok)!;
    const winner = both[0]!.ok ? 'Leo' : 'Lena';
    expect(text(b)).toMatch(new RegExp(`already owned by ${winner}\\.`)); // a refusal names people in plain text
    expect(a.updatedCard?.cardKey).toBe('RSK-1');
    expect(a.updatedCard?.message.buttons?.map((x) => x.action)).toEqual(['rsk.strategy:1']);
    expect((await risk(w, 1)).ownerId).not.toBeNull();
    const updates = (await outbox(w.db)).filter((r) => r.kind === 'update' && r.cardKey === 'RSK-1');
    expect(updates).toHaveLength(1);
    await refusedNothingWritten(w, () => w.core.action(w.lead, 'rsk.own:99'), /RSK-99 does not exist/);
  });

  it('the reporter may take ownership of their own risk', async () => {
    const w = await world();
    await report(w, '/risk report market 4 4 price war');
    expect((await w.core.action(w.alice, 'rsk.own:1')).ok).toBe(true);
  });

  it('strategy form: mitigate needs a due date → mitigating; accept → accepted; the setter becomes owner', async () => {
    const w = await world();
    await report(w, '/risk report market 4 4 price war');
    await report(w, '/risk report tech 3 3 CDN costs');
    const open = await w.core.action(w.lead, 'rsk.strategy:1');
    expect(open.openForm?.id).toBe('risk.strategy:1');
    await refusedNothingWritten(w, () => w.core.action(w.bob, 'rsk.strategy:1'), /Only the (owner|reporter) \(\w+\) or a leader \([^)]+\) can set the strategy of RSK-1/);
    await refusedNothingWritten(w, () => w.core.submit(w.lead, 'risk.strategy:1', { strategy: 'mitigate' }), /due date/);
    await refusedNothingWritten(w, () => w.core.submit(w.lead, 'risk.strategy:1', { strategy: 'pray', due: '2026-11-30' }), /pray.*not one of the choices/);
    const o = await w.core.submit(w.lead, 'risk.strategy:1', { strategy: 'mitigate', due: '2026-11-30', note: 'Match prices on hero SKUs' });
    expect(o.ok, text(o)).toBe(true);
    const leo = await w.db.read((tx) => tx.person.findFirstOrThrow({ where: { userId: 'ULEAD001' } }));
    expect(await risk(w, 1)).toMatchObject({ strategy: 'mitigate', dueDate: '2026-11-30', status: 'mitigating', ownerId: leo.id });
    const a = await w.core.submit(w.alice, 'risk.strategy:2', { strategy: 'accept' });
    expect(a.ok, text(a)).toBe(true);
    expect(await risk(w, 2)).toMatchObject({ strategy: 'accept', status: 'accepted' });
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/risk close RSK-2 done'), /Accepted/);
  });

  it('close: owner or leader, open/mitigating only, note stored, card updated', async () => {
    const w = await world();
    await report(w, '/risk report market 4 4 price war');
    await refusedNothingWritten(w, () => w.core.command(w.bob, '/risk close RSK-1 fine now'), /Only (the owner \(\w+\) or )?a leader \([^)]+\) can close RSK-1/);
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/risk close RSK-1 fine now'), /Only (the owner \(\w+\) or )?a leader \([^)]+\) can close RSK-1/);
    await refusedNothingWritten(w, () => w.core.command(w.lead, '/risk close RSK-7 fine now'), /RSK-7 does not exist/);
    expect((await w.core.action(w.alice, 'rsk.own:1')).ok).toBe(true);
    const o = await w.core.command(w.alice, '/risk close RSK-1 competitor backed off');
    expect(o.ok, text(o)).toBe(true);
    expect(await risk(w, 1)).toMatchObject({ status: 'closed', closeNote: 'competitor backed off' });
    expect((await risk(w, 1)).closedAt?.toISOString()).toBe('2026-11-10T02:00:00.000Z');
    expect(o.updatedCard?.message.buttons).toBeUndefined();
    await refusedNothingWritten(w, () => w.core.command(w.lead, '/risk close RSK-1 again'), /Closed/);
  });
});

describe('list', () => {
  it('filters by grade and status, most severe first', async () => {
    const w = await world();
    await report(w, '/risk report market 1 2 tiny');
    await report(w, '/risk report tech 2 4 medium one');
    await report(w, '/risk report legal 5 5 big one');
    await report(w, '/risk report legal 4 4 closed one');
    expect((await w.core.command(w.lead, '/risk close RSK-4 handled')).ok).toBe(true);
    const high = text(await w.core.command(w.bob, '/risk list high'));
    expect(high).toContain('RSK-3');
    expect(high).not.toContain('RSK-4');
    const open = text(await w.core.command(w.bob, '/risk list open'));
    expect(open.indexOf('RSK-3')).toBeLessThan(open.indexOf('RSK-2'));
    expect(open).toContain('(3)');
    expect(text(await w.core.command(w.bob, '/risk list all'))).toContain('(4)');
    expect(text(await w.core.command(w.bob, '/risk list low'))).toContain('RSK-1');
  });
});

describe('zh-CN', () => {
  it('reports and cards in Chinese', async () => {
    const w = await world();
    expect((await w.core.command(w.admin, '/mkt lang zh')).ok).toBe(true);
    const before = await counts(w.db);
    const o = await report(w, '/风险 report market 4 4 竞品降价');
    expect(text(o)).toContain('已登记为高风险');
    expect((await counts(w.db)).Risk).toBe(before.Risk! + 1);
    const card = payload((await riskRows(w))[0]!);
    expect(card.title).toBe('高风险 RSK-1：竞品降价');
    expect(card.buttons!.map((b) => b.label)).toEqual(['认领', '设定策略']);
  });

  it('with no team channel bound, the answer names the channel in Chinese and gives the command to bind it', async () => {
    const w = await world({ channels: ['leaders'] });
    expect((await w.core.command(w.admin, '/mkt lang zh')).ok).toBe(true);
    const o = await report(w, '/风险 report tech 2 4 官网宕机');
    expect(text(o)).toContain('但尚未绑定团队频道，仅记入台账。请管理员执行 `/mkt channel team here`。');
    expect(text(o)).not.toMatch(/绑定team/);
  });
});
