// The weekly agenda: content from a fixture, topics, posting, and speed over a large database.
import { describe, expect, it } from 'vitest';
import { collectAgenda, agendaMessage } from '../../src/usecases/agenda.js';
import { loadSettings } from '../../src/usecases/settings.js';
import { messageText, outbox, payload, proposal, refusedNothingWritten, text, world, type World } from './campaignsSetup.js';

const CONFIG = { timezone: 'Asia/Shanghai', locale: 'en' as const, adminUsers: ['slack:UADMIN'] };

async function collect(w: World, today: string) {
  return w.db.read(async (tx) =>
    collectAgenda(tx, { today, month: today.slice(0, 7), now: w.clock.now(), settings: await loadSettings(tx, CONFIG) }),
  );
}

async function ok(p: Promise<{ ok: boolean }>) {
  const o = (await p) as Parameters<typeof text>[0];
  expect(o.ok, text(o) + JSON.stringify(o.formErrors ?? {})).toBe(true);
  return o;
}

/** Tue 2026-11-10: a pending request, campaigns in every stage, risks, spend, topics, a variance reason. */
async function fixture(): Promise<World> {
  const w = await world();
  await ok(w.core.command(w.alice, '/budget request 6万 SEM 2026-11 Double 11 extra push'));
  await ok(w.core.command(w.fin, '/budget spend 9000 SEM 2026-11-05 agency retainer'));
  await ok(w.core.submit(w.alice, 'campaign.new', proposal({ name: 'Running one', start: '2026-11-10', end: '2026-11-20', amount: '500', line: 'WEIBO' })));
  await ok(w.core.submit(w.bob, 'campaign.new', proposal({ name: 'Starting one', start: '2026-11-18', end: '2026-11-22', amount: '500', line: 'WEIBO' })));
  await ok(w.core.submit(w.bob, 'campaign.new', proposal({ name: 'Pending one', start: '2026-11-25', end: '2026-11-30', amount: '500', line: 'WEIBO' })));
  await ok(w.core.action(w.lead, 'cmp.approve:1'));
  await ok(w.core.action(w.lead, 'cmp.approve:2'));
  // Ended campaigns (entered directly: proposals cannot start in the past).
  await w.db.write(async (tx) => {
    const alice = await tx.person.findFirstOrThrow({ where: { userId: 'UALICE01' } });
    const base = { goal: 'sales', theme: 't', format: 'other', channels: '[]', lineId: 2, amount: 100, kpiTargets: '{}', ownerId: alice.id };
    await tx.campaign.create({ data: { ...base, name: 'October push', startDate: '2026-10-01', endDate: '2026-10-31', status: 'approved' } });
    await tx.campaign.create({ data: { ...base, name: 'Just ended', startDate: '2026-11-01', endDate: '2026-11-12', status: 'approved' } });
    await tx.campaign.create({ data: { ...base, name: 'Done and dusted', startDate: '2026-10-01', endDate: '2026-10-10', status: 'evaluated' } });
    await tx.varianceExplanation.create({ data: { lineId: 1, month: '2026-10', reason: 'Agency invoice arrived late', byId: alice.id } });
  });
  await ok(w.core.command(w.alice, '/risk report market 4 4 competitor price war'));
  await ok(w.core.command(w.alice, '/risk report tech 2 4 site outage'));
  await ok(w.core.command(w.alice, '/risk report other 1 1 trivial'));
  await ok(w.core.submit(w.lead, 'risk.strategy:2', { strategy: 'mitigate', due: '2026-11-12' }));
  await ok(w.core.command(w.alice, '/agenda add Q1 planning kick-off'));
  await ok(w.core.command(w.alice, '/agenda add Retro of Double 11'));
  await ok(w.core.command(w.bob, '/agenda add New agency pitch'));
  return w;
}

describe('agenda content', () => {
  it('collects every section per the spec', async () => {
    const w = await fixture();
    w.clock.set('2026-11-16T02:00:00Z'); // Monday 10:00
    const data = await collect(w, '2026-11-16');
    expect(data.weekOf).toBe('2026-11-16');
    expect(data.approvals.total).toBe(2);
    expect(data.approvals.items.map((a) => `${a.kind}:${a.id}`).sort()).toEqual(['adjustment:1', 'campaign:3']);
    const cmp = data.approvals.items.find((a) => a.kind === 'campaign')!;
    expect(Math.round(cmp.ageHours)).toBe(144);
    expect(data.budget.flagged).toBe(1);
    expect(data.budget.items[0]).toMatchObject({ code: 'SEM', plan: 1_000_000, spent: 900_000, pctBp: 9000, flagged: true });
    expect(data.budget.items[1]).toMatchObject({ code: 'WEIBO', flagged: false });
    expect(data.running.items.map((c) => c.name)).toEqual(['Running one']);
    expect(data.starting.items.map((c) => c.name)).toEqual(['Starting one']);
    expect(data.awaiting.items.map((c) => c.name)).toEqual(['October push']);
    expect(data.risks).toMatchObject({ high: 1, medium: 1, total: 2 });
    expect(data.risks.items.map((r) => r.id)).toEqual([1, 2]);
    expect(data.overdue.items.map((r) => [r.id, r.dueDate])).toEqual([[2, '2026-11-12']]);
    expect(data.topics.items.map((x) => [x.n, x.text])).toEqual([
      [1, 'Q1 planning kick-off'],
      [2, 'Retro of Double 11'],
      [3, 'New agency pitch'],
    ]);
    expect(data.variance.items.map((v) => ({ ...v, by: v.by.markup }))).toEqual([{ code: 'SEM', reason: 'Agency invoice arrived late', by: '<@slack:UALICE01|Alice>' }]);

    const t = messageText(agendaMessage('en', data));
    expect(t).toContain('Weekly sync agenda — week of 2026-11-16');
    expect(t).toContain('Pending approvals (2)');
    expect(t).toMatch(/CMP-3 Pending one · ¥500 · waiting for approval · 6 d/);
    expect(t).toMatch(/ADJ-1 increase ¥60k · SEM 2026-11/);
    expect(t).toContain('SEM Search engine marketing: ¥9,000.00 of ¥10,000.00 (90%) ⚠️');
    expect(t).toContain('Campaigns running (1)');
    expect(t).toContain('Campaigns starting this week (1)');
    expect(t).toContain('Campaigns awaiting evaluation (1)');
    expect(t).toContain('Open risks: 1 high, 1 medium');
    expect(t).toContain('Overdue actions (1)');
    expect(t).toContain('1. Q1 planning kick-off — <@slack:UALICE01|Alice>');
    expect(t).toContain('Variance explanations for 2026-10');
    const zh = messageText(agendaMessage('zh-CN', data));
    expect(zh).toContain('周例会议程');
    expect(zh).toContain('待评估的活动（1）');
  });

  it('/agenda shows the preview; topics are removed by number, by their adder or an admin', async () => {
    const w = await fixture();
    const preview = await w.core.command(w.bob, '/agenda');
    expect(text(preview)).toContain('Preview of the next weekly agenda');
    expect(text(preview)).toContain('3. New agency pitch');

    await refusedNothingWritten(w, () => w.core.command(w.bob, '/agenda remove 1'), /Only .*Alice.* or an admin/);
    await refusedNothingWritten(w, () => w.core.command(w.bob, '/agenda remove 9'), /no topic 9; the agenda has 3/);
    const r = await w.core.command(w.alice, '/agenda remove 2');
    expect(text(r)).toContain('Removed topic 2: "Retro of Double 11"');
    // Numbers close up: bob's topic is now number 2; an admin may remove it.
    expect(text(await w.core.command(w.admin, '/agenda remove 2'))).toContain('New agency pitch');
    const data = await collect(w, '2026-11-10');
    expect(data.topics.items.map((x) => x.text)).toEqual(['Q1 planning kick-off']);
    expect(await w.db.read((tx) => tx.agendaTopic.count({ where: { status: 'removed' } }))).toBe(2);
  });

  it('/agenda add refuses empty and too long topics', async () => {
    const w = await world();
    await refusedNothingWritten(w, () => w.core.command(w.alice, `/agenda add ${'x'.repeat(301)}`), /too long/);
    const o = await w.core.command(w.alice, '/agenda add Budget review');
    expect(text(o)).toContain('Added as topic 1');
  });

  it('/agenda post: admin only, to the team channel; topics stay open', async () => {
    const w = await fixture();
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/agenda post'), /Only an admin \(\w+\) can do this/);
    const o = await w.core.command(w.admin, '/agenda post');
    expect(o.ok, text(o)).toBe(true);
    const posts = (await outbox(w.db)).filter((r) => r.kind === 'post' && r.target === 'CTEAM0001' && payload(r).title?.startsWith('Weekly sync agenda'));
    expect(posts).toHaveLength(1);
    expect(await w.db.read((tx) => tx.agendaTopic.count({ where: { status: 'open' } }))).toBe(3);
  });

  it('/agenda post without a team channel is refused and writes nothing', async () => {
    const w = await world({ channels: ['leaders'] });
    await refusedNothingWritten(w, () => w.core.command(w.admin, '/agenda post'), /No team channel/);
  });

  it('lists at most 10 per section with "and N more"', async () => {
    const w = await world();
    await w.db.write(async (tx) => {
      const p = await tx.person.create({ data: { platform: 'slack', workspaceId: 'T1', userId: 'UMANY001' } });
      for (let i = 0; i < 25; i++) {
        await tx.risk.create({
          data: { category: 'market', likelihood: 5, impact: 5, score: 25, grade: 'high', title: `r${i}`, reporterId: p.id, status: 'open' },
        });
      }
    });
    const data = await collect(w, '2026-11-10');
    expect(data.risks.items).toHaveLength(10);
    expect(data.risks.total).toBe(25);
    expect(messageText(agendaMessage('en', data))).toContain('… and 15 more.');
  });
});

describe('agenda speed', () => {
  it('counts and limits sections correctly with 100k expenses and 5k campaigns and risks', async () => {
    const w = await world();
    await w.db.write(async (tx) => {
      // Portable SQL (SQLite and PostgreSQL): quoted identifiers, months zero-padded with CASE (no printf/lpad).
      const mm = `CASE WHEN (1 + (i % 12)) < 10 THEN '0' ELSE '' END || (1 + (i % 12))`;
      await tx.$executeRawUnsafe(`INSERT INTO "Person" ("platform", "workspaceId", "userId", "createdAt") VALUES ('slack', 'T1', 'UBULK001', CURRENT_TIMESTAMP)`);
      await tx.$executeRawUnsafe(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
         INSERT INTO "Expense" ("lineId", "month", "date", "amount", "note", "recordedById", "createdAt")
         SELECT 1 + (i % 2), '2026-' || ${mm}, '2026-' || ${mm} || '-01', 100 + (i % 500), 'bulk', 1, CURRENT_TIMESTAMP FROM n`,
      );
      await tx.$executeRawUnsafe(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
         INSERT INTO "Campaign" ("name", "goal", "theme", "format", "channels", "startDate", "endDate", "lineId", "amount", "kpiTargets", "status", "ownerId", "createdAt", "updatedAt")
         SELECT 'c' || i, 'sales', 't', 'other', '[]', '2026-' || ${mm} || '-01', '2026-' || ${mm} || '-20', 1, 1000,
                '{}', CASE i % 4 WHEN 0 THEN 'approved' WHEN 1 THEN 'evaluated' WHEN 2 THEN 'pending_approval' ELSE 'rejected' END, 1,
                CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM n`,
      );
      await tx.$executeRawUnsafe(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
         INSERT INTO "Risk" ("category", "likelihood", "impact", "score", "grade", "title", "reporterId", "status", "dueDate", "createdAt", "updatedAt")
         SELECT 'market', 1 + (i % 5), 1 + (i % 3), (1 + (i % 5)) * (1 + (i % 3)),
                CASE WHEN (1 + (i % 5)) * (1 + (i % 3)) >= 15 THEN 'high' WHEN (1 + (i % 5)) * (1 + (i % 3)) >= 8 THEN 'medium' ELSE 'low' END,
                'r' || i, 1, CASE i % 3 WHEN 0 THEN 'closed' ELSE 'open' END, '2026-' || ${mm} || '-15', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM n`,
      );
    });
    // Speed is measured by `npm run bench` (bench/reports.ts); this checks the aggregates at volume.
    const data = await collect(w, '2026-11-10');
    expect(data.approvals.total).toBe(1250);
    expect(data.approvals.items).toHaveLength(10);
    expect(data.overdue.total).toBeGreaterThan(1000);
  }, 60_000);
});
