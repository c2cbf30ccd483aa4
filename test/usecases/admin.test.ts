// Admin commands: roles, channels, settings, language; refusals write nothing.
import { parseCron } from '../../src/domain/cron.js';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/usecases/settings.js';
import { cronProblem } from '../../src/usecases/admin.js';
import { expectRefusedNothingWritten, outbox, slackUser, text, world } from './budgetSetup.js';

const config = { timezone: 'Asia/Shanghai', locale: 'en' as const, adminUsers: ['slack:UADMIN'] };

describe('roles', () => {
  it('an admin grants and revokes roles; the target is created with the actor’s platform and workspace', async () => {
    const w = await world({ lines: false });
    const r = await w.core.command(w.admin, '/mkt role <@UNEW0001|Nina> finance');
    expect(r.ok, text(r)).toBe(true);
    expect(text(r)).toContain('<@slack:UNEW0001|Nina> now holds the role Finance');
    const nina = await w.db.read((tx) => tx.person.findFirstOrThrow({ where: { userId: 'UNEW0001' }, include: { roles: true } }));
    expect(nina).toMatchObject({ platform: 'slack', workspaceId: 'T1', displayName: 'Nina' });
    expect(nina.roles.map((g) => g.role)).toEqual(['finance']);
    // Nina is told.
    expect((await outbox(w.db)).some((m) => m.kind === 'dm' && m.target === 'UNEW0001' && m.payload.includes('Finance'))).toBe(true);
    // Granting again changes nothing.
    await expectRefusedNothingWritten(w, () => w.core.command(w.admin, '/mkt role <@UNEW0001> finance'), /already holds/);
    // Revoke.
    const rv = await w.core.command(w.admin, '/mkt role <@UNEW0001> -finance');
    expect(rv.ok, text(rv)).toBe(true);
    expect(await w.db.read((tx) => tx.roleGrant.count({ where: { personId: nina.id } }))).toBe(0);
    await expectRefusedNothingWritten(w, () => w.core.command(w.admin, '/mkt role <@UNEW0001> remove finance'), /does not hold/);
    const audits = await w.db.read((tx) => tx.auditLog.findMany({ where: { entity: 'Person', entityId: String(nina.id) } }));
    expect(audits.map((a) => a.action)).toEqual(['role.grant', 'role.revoke']);
  });

  it('refuses role changes by a non-admin, writing nothing (not even their Person row)', async () => {
    const w = await world({ lines: false });
    const stranger = slackUser('USTRANGE1', 'Stan');
    await expectRefusedNothingWritten(w, () => w.core.command(stranger, '/mkt role <@USTRANGE1> admin'), /Only an admin/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.fin, '/mkt role <@UALICE01> leader'), /Only an admin/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.lead, '/mkt channel approvals here'), /Only an admin/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.lead, '/mkt set reminder_hours 12'), /Only an admin/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.lead, '/mkt lang zh'), /Only an admin/);
  });

  it('the last admin cannot revoke their own admin role; a bootstrap admin stays admin', async () => {
    const w = await world({ lines: false });
    // With no ADMIN_USERS, a granted admin is the last one.
    const { createCore } = await import('../../src/usecases/core.js');
    const core = createCore({ db: w.db, config: { ...config, adminUsers: [] }, clock: w.clock });
    const ada = await w.core.command(w.admin, '/mkt role <@UADMIN9|Ada> admin'); // via the bootstrap core
    expect(ada.ok).toBe(true);
    const self = slackUser('UADMIN9', 'Ada');
    await expectRefusedNothingWritten(w, () => core.command(self, '/mkt role <@UADMIN9> -admin'), /last admin/);
    // With another admin it works.
    expect((await core.command(self, '/mkt role <@UOTHER01|Otto> admin')).ok).toBe(true);
    const ok = await core.command(self, '/mkt role <@UADMIN9> -admin');
    expect(ok.ok, text(ok)).toBe(true);
  });

  it('lists roles including ADMIN_USERS bootstrap admins', async () => {
    const w = await world({ lines: false });
    const r = await w.core.command(w.bob, '/mkt roles');
    expect(r.ok).toBe(true);
    const out = text(r);
    expect(out).toContain('<@slack:UADMIN|Ada> (ADMIN_USERS)');
    expect(out).toContain('<@slack:UFIN0001|Fay>, <@slack:UFIN0002|Finn>');
    expect(out).toContain('<@slack:ULEAD001|Leo>, <@slack:ULEAD002|Lena>');
  });
});

describe('channels', () => {
  it('binds a channel for the actor’s platform and workspace, `here` = the chat of the command', async () => {
    const w = await world({ lines: false });
    const r = await w.core.command({ ...w.admin, channelId: 'CAPPR0001' }, '/mkt channel approvals here');
    expect(r.ok, text(r)).toBe(true);
    await w.core.command(w.admin, '/mkt channel team <#CTEAM0001|team>');
    await w.core.command(w.admin, '/mkt channel team <#CTEAM0002|team2>');
    const rows = await w.db.read((tx) => tx.channelBinding.findMany({ orderBy: { purpose: 'asc' } }));
    expect(rows.map((b) => [b.platform, b.workspaceId, b.purpose, b.channelId])).toEqual([
      ['slack', 'T1', 'approvals', 'CAPPR0001'],
      ['slack', 'T1', 'team', 'CTEAM0002'],
    ]);
    await expectRefusedNothingWritten(w, () => w.core.command({ ...w.admin, channelId: undefined }, '/mkt channel leaders here'), /here/);
  });

  it('a purpose is never bound to a one-to-one chat: Slack DM, Feishu p2p, playground DM, or a DM id typed in', async () => {
    const w = await world({ lines: false });
    const dm = /This is a one-to-one chat: Approvals cards carry buttons for everyone in that role, so they need a group chat\. Run `\/mkt channel approvals here` in that group chat\./;
    await expectRefusedNothingWritten(w, () => w.core.command({ ...w.admin, channelId: 'D0123ABCD' }, '/mkt channel approvals here'), dm);
    await expectRefusedNothingWritten(w, () => w.core.command(w.admin, '/mkt channel approvals <#D0123ABCD|dm>'), dm);
    await w.db.write((tx) =>
      tx.person.create({ data: { platform: 'feishu', workspaceId: 'tenant1', userId: 'ou_admin', roles: { create: { role: 'admin' } } } }),
    );
    await expectRefusedNothingWritten(
      w,
      () => w.core.command({ platform: 'feishu', workspaceId: 'tenant1', userId: 'ou_admin', channelId: 'oc_p2p_admin', directChat: true }, '/mkt channel approvals here'),
      /one-to-one chat/,
    );
    const local = await world({ lines: false });
    await local.db.write((tx) => tx.person.create({ data: { platform: 'local', workspaceId: 'local', userId: 'ada', roles: { create: { role: 'admin' } } } }));
    await expectRefusedNothingWritten(
      local,
      () => local.core.command({ platform: 'local', workspaceId: 'local', userId: 'ada', channelId: 'dm-ada' }, '/mkt channel team here'),
      /one-to-one chat/,
    );
    // A group chat of the same people is fine.
    expect((await w.core.command({ ...w.admin, channelId: 'CAPPR0001' }, '/mkt channel approvals here')).ok).toBe(true);
    expect((await w.core.command(w.admin, '/mkt lang zh')).ok).toBe(true);
    await expectRefusedNothingWritten(w, () => w.core.command({ ...w.admin, channelId: 'D0123ABCD' }, '/mkt channel team here'), /这是一对一私聊：团队卡片/);
  });

  it('a binding to a DM left from before is not used: the request falls back to messaging the approvers', async () => {
    const w = await world();
    await w.db.write((tx) => tx.channelBinding.create({ data: { platform: 'slack', workspaceId: 'T1', purpose: 'approvals', channelId: 'D0123ABCD' } }));
    const r = await w.core.command(w.alice, '/budget request 500 SEM posters');
    expect(r.ok, text(r)).toBe(true);
    const rows = await w.db.read((tx) => tx.outboxMessage.findMany({ where: { kind: 'post' } }));
    expect(rows.map((x) => x.target)).not.toContain('D0123ABCD');
    expect(text(r)).toMatch(/No approvals channel is bound/);
  });
});

describe('settings', () => {
  it('sets each kind of setting and validates the value', async () => {
    const w = await world({ lines: false });
    const ok = async (cmd: string) => {
      const r = await w.core.command(w.admin, cmd);
      expect(r.ok, `${cmd}: ${text(r)}`).toBe(true);
      return r;
    };
    expect(text(await ok('/mkt set leader_threshold 8万'))).toContain('¥80,000.00');
    await ok('/mkt set reminder_hours 48');
    await ok('/mkt set timezone Europe/Berlin');
    await ok('/mkt set schedule.weekly-agenda 30 9 * * MON-FRI');
    await ok('/mkt set schedule.monthly-report 0 9 1 */3 *');
    const s = await w.db.read((tx) => loadSettings(tx, config));
    expect(s).toMatchObject({ leaderThreshold: 8_000_000, reminderHours: 48, timezone: 'Europe/Berlin' });
    expect(s.schedules['weekly-agenda']).toBe('30 9 * * MON-FRI');

    const no = (cmd: string, re: RegExp) => expectRefusedNothingWritten(w, () => w.core.command(w.admin, cmd), re);
    await no('/mkt set leader_threshold -5', /"-5"/);
    await no('/mkt set leader_threshold lots', /"lots"/);
    await no('/mkt set reminder_hours 0', /“0”/);
    await no('/mkt set reminder_hours 721', /“721”/);
    await no('/mkt set reminder_hours 1.5', /“1.5”/);
    await no('/mkt set timezone Mars/Olympus', /“Mars\/Olympus”/);
    await no('/mkt set schedule.reminders 0 9 * *', /“0 9 \* \*”.*4 fields/);
    await no('/mkt set schedule.reminders 61 9 * * *', /minute field “61” must be within 0–59/);
    await no('/mkt set schedule.reminders 0 24 * * *', /hour field “24”/);
    await no('/mkt set schedule.reminders 0 9 0 * *', /day-of-month field “0”/);
    await no('/mkt set schedule.reminders 0 9 * 13 *', /month field “13”/);
    await no('/mkt set schedule.reminders 0 9 * * 8', /day-of-week field “8”/);
    await no('/mkt set schedule.reminders 0 9 * * 5-1', /backwards/);
    await no('/mkt set schedule.reminders 0 9 * * x?', /cannot be read/);
  });

  it('validates cron fields', () => {
    for (const ok of ['0 10 * * 1', '*/15 * * * *', '0 9 1,15 * *', '0 0 * JAN-MAR sun', '5-10/2 0-23 1-31 1-12 0-7']) {
      expect(cronProblem(ok)).toBeNull();
      expect(parseCron(ok).ok, ok).toBe(true); // what /mkt set accepts, the scheduler can run
    }
    for (const bad of ['', '* * * * * *', '*/0 * * * *', '1- * * * *', ',1 * * * *', '0 10 * * MON,FUNDAY']) expect(cronProblem(bad)).not.toBeNull();
  });

  it('/mkt lang switches the reply language', async () => {
    const w = await world();
    const zh = await w.core.command(w.admin, '/mkt lang zh');
    expect(zh.locale).toBe('zh-CN');
    expect(text(zh)).toContain('今后我将使用中文回复');
    const status = await w.core.command(w.bob, '/budget');
    expect(status.locale).toBe('zh-CN');
    expect(text(status)).toContain('2026-11 预算');
    const en = await w.core.command(w.admin, '/mkt lang en');
    expect(text(en)).toContain('English');
    expect(text(await w.core.command(w.bob, '/budget'))).toContain('Budget 2026-11');
  });

  it('help is for everyone', async () => {
    const w = await world({ lines: false });
    const h = await w.core.command(w.bob, '/mkt help budget');
    expect(h.ok).toBe(true);
    expect(text(h)).toContain('/budget request');
    expect(text(await w.core.command(w.bob, '/mkt help'))).toContain('/campaign');
  });
});
