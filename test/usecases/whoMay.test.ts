// "You may not" always says who may: every permission refusal names the people (or the role holders) who can act,
// in both languages, and changes nothing. And a campaign is evaluated only once it has started.
import { describe, expect, it } from 'vitest';
import { proposal, refusedNothingWritten, text, user, world } from './campaignsSetup.js';

async function campaign(w: Awaited<ReturnType<typeof world>>, over: Record<string, string> = {}): Promise<number> {
  const o = await w.core.submit(w.alice, 'campaign.new', proposal(over));
  expect(o.ok, text(o)).toBe(true);
  return Number(/CMP-(\d+)/.exec(text(o))![1]);
}

describe('permission refusals say who may act', () => {
  it('closing a risk: the owner and the leaders, by name (en and zh)', async () => {
    const w = await world();
    expect((await w.core.command(w.alice, '/risk report market 4 4 Competitor price war')).ok).toBe(true);
    expect((await w.core.action(w.bob, 'rsk.own:1')).ok).toBe(false); // Bob is neither a leader nor the reporter…
    await refusedNothingWritten(w, () => w.core.action(w.bob, 'rsk.own:1'), /Only the reporter \(Alice\) or a leader \(Leo, Lena\) can take ownership of RSK-1\./);
    expect((await w.core.action(w.lead, 'rsk.own:1')).ok).toBe(true);
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/risk close RSK-1 handled'), /Only the owner \(Leo\) or a leader \(Leo, Lena\) can close RSK-1\./);
    await refusedNothingWritten(w, () => w.core.action(w.bob, 'rsk.strategy:1'), /Only the owner \(Leo\) or a leader \(Leo, Lena\) can set the strategy of RSK-1\./);
    expect((await w.core.command(w.admin, '/mkt lang zh')).ok).toBe(true);
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/风险 关闭 RSK-1 已处理'), /只有负责人（Leo）或领导（Leo、Lena）可以关闭 RSK-1。/);
  });

  it('admin, finance and leader steps name the role holders; ADMIN_USERS admins count', async () => {
    const w = await world();
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/mkt set reminder_hours 12'), /Only an admin \(Ada\) can do this\./);
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/budget line add EVT 1000 Events'), /Only an admin \(Ada\) or finance \(Fay\) can add budget lines\./);
    const id = await campaign(w);
    await refusedNothingWritten(w, () => w.core.action(w.fin, `cmp.approve:${id}`), /Only a leader \(Leo, Lena\) can do this\./);
    expect((await w.core.command(w.alice, '/budget request 500 SEM more ads')).ok).toBe(true);
    await refusedNothingWritten(w, () => w.core.action(w.bob, 'adj.approve:1'), /ADJ-1 is waiting for a decision by Finance \(Fay\); you do not hold that role\./);
    expect((await w.core.command(w.admin, '/mkt lang zh')).ok).toBe(true);
    await refusedNothingWritten(w, () => w.core.command(w.alice, '/mkt set reminder_hours 12'), /只有管理员（Ada）可以执行此操作/);
  });

  it('a role nobody holds yet says how to grant it', async () => {
    const w = await world();
    expect((await w.core.command(w.admin, `/mkt role <@${w.lead.userId}|Leo> -leader`)).ok).toBe(true);
    expect((await w.core.command(w.admin, `/mkt role <@${w.lead2.userId}|Lena> -leader`)).ok).toBe(true);
    const id = await campaign(w);
    await refusedNothingWritten(w, () => w.core.action(w.fin, `cmp.approve:${id}`), /Only a leader \(nobody holds that role yet: an admin grants it with \/mkt role @person leader\) can do this\./);
  });

  it('deciding your own request names the others who can', async () => {
    const w = await world();
    const fin2 = user('UFIN0002', 'Finn');
    expect((await w.core.command(w.admin, `/mkt role <@${fin2.userId}|Finn> finance`)).ok).toBe(true);
    expect((await w.core.command(w.fin, '/budget request 500 SEM posters')).ok).toBe(true);
    await refusedNothingWritten(w, () => w.core.action(w.fin, 'adj.approve:1'), /You cannot decide your own request ADJ-1: Finn can\./);
  });

  it('closing a campaign names its owner and the leaders; removing an agenda topic names who added it and the admins', async () => {
    const w = await world();
    const id = await campaign(w, { start: '2026-11-10', end: '2026-11-20', amount: '3000' });
    expect((await w.core.action(w.lead, `cmp.approve:${id}`)).ok).toBe(true);
    await refusedNothingWritten(w, () => w.core.action(w.bob, `cmp.close:${id}`), new RegExp(`Only the owner \\(Alice\\) or a leader \\(Leo, Lena\\) can close CMP-${id}\\.`));
    expect((await w.core.command(w.alice, '/agenda add Q4 review')).ok).toBe(true);
    await refusedNothingWritten(w, () => w.core.command(w.bob, '/agenda remove 1'), /Only who added it \(Alice\) or an admin \(Ada\) can remove topic 1\./);
  });
});

describe('a campaign is evaluated only once it has started', () => {
  it('closing an approved campaign before its start is refused with the start date; from the start day on it works', async () => {
    const w = await world();
    const id = await campaign(w); // starts 2026-11-25; today is 2026-11-10
    expect((await w.core.action(w.lead, `cmp.approve:${id}`)).ok).toBe(true);
    await refusedNothingWritten(w, () => w.core.action(w.alice, `cmp.close:${id}`), new RegExp(`CMP-${id} starts on 2026-11-25: it can be closed and evaluated from that day on\\.`));
    await refusedNothingWritten(w, () => w.core.command(w.lead, `/campaign close CMP-${id}`), /starts on 2026-11-25/);
    await refusedNothingWritten(
      w,
      () => w.core.submit(w.alice, `campaign.close:${id}`, { kpi_participants: '10', kpi_conversion_rate: '1', actual_cost: '100', lessons: 'none yet' }),
      /starts on 2026-11-25/,
    );
    w.clock.set('2026-11-25T02:00:00Z');
    const form = await w.core.action(w.alice, `cmp.close:${id}`);
    expect(form.ok, text(form)).toBe(true);
    expect(form.openForm?.id).toBe(`campaign.close:${id}`);
  });
});
