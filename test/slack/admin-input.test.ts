// Settings by command, refusals of every kind of bad input (a clear private answer, nothing written), and both
// languages — all through signed Slack requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockText } from '../support/fakeSlack.js';
import { settle } from '../support/waitFor.js';
import { ADMIN, APPROVALS, FIN, MKT, startHarness, type Harness } from './harness.js';

const business = async (h: Harness) => ({ ...(await h.counts()), processed: 0 });

describe('admin commands (en)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ locale: 'en' });
  });
  afterAll(async () => h?.close());

  it('an admin (ADMIN_USERS) grants roles and binds channels by command', async () => {
    const role = await h.ask(ADMIN, '/mkt', 'role <@UFIN|fin> finance');
    expect(blockText(role)).toMatch(/<@UFIN>.*Finance/);
    expect(role.channel).toBe('CGENERAL'); // ephemeral in the chat the command came from
    expect(role.user).toBe('UADMIN');
    const bind = await h.ask(ADMIN, '/mkt', 'channel approvals here', { channelId: APPROVALS });
    expect(blockText(bind)).toContain('Approvals cards now go to this chat');
    const grant = await h.app.db.read((tx) => tx.roleGrant.findFirst({ include: { person: true } }));
    expect(grant).toMatchObject({ role: 'finance', person: { platform: 'slack', userId: 'UFIN', workspaceId: 'T1' } });
    expect(await h.app.db.read((tx) => tx.channelBinding.findMany())).toEqual([
      expect.objectContaining({ purpose: 'approvals', platform: 'slack', workspaceId: 'T1', channelId: APPROVALS }),
    ]);
    expect(blockText(await h.ask(MKT, '/mkt', 'roles'))).toContain('<@UFIN>');
  });

  it('a non-admin cannot: a private refusal, nothing written', async () => {
    const before = await business(h);
    for (const text of ['role <@UMKT|mkt> admin', 'channel leaders here', 'set leader_threshold 1']) {
      const answer = await h.ask(MKT, '/mkt', text);
      expect(answer.user).toBe('UMKT');
      expect(blockText(answer)).toMatch(/Only an admin/);
    }
    expect(await business(h)).toEqual(before);
  });

  it('bad input gets a clear private answer quoting the problem, and nothing is written', async () => {
    await h.ask(FIN, '/budget', 'line add SEM 1200000 Search ads');
    await h.ask(ADMIN, '/mkt', 'role <@ULEAD|lead> leader');
    const before = await business(h);
    const cases: [typeof MKT, string, string, RegExp][] = [
      [MKT, '/budget', 'request 5x SEM too much', /5x/],
      [MKT, '/budget', 'request -100 SEM negative', /-100/],
      [MKT, '/budget', 'request 100.123 SEM decimals', /100\.123/],
      [MKT, '/budget', 'request 5000 NOPE unknown line', /NOPE/],
      [MKT, '/budget', 'frobnicate', /frobnicate/],
      [MKT, '/risk', 'report market 9 2 impossible likelihood', /9/],
      [MKT, '/agenda', 'remove zero', /zero/],
      [MKT, '/budget', 'line add TV 100000 TV ads', /admin|finance/i], // wrong role
      [MKT, '/agenda', 'post', /admin/i], // wrong role
      [MKT, '/mkt', 'channel approvals here', /Only an admin/], // wrong role
    ];
    for (const [user, command, text, expected] of cases) {
      const answer = await h.ask(user, command, text);
      expect(answer.user, `${command} ${text}`).toBe(user.id);
      const shown = blockText(answer);
      expect(shown, `${command} ${text}`).toMatch(expected);
      expect(answer.text.length, 'notification text').toBeGreaterThan(0);
    }
    // An unknown slash command (registered in the app config but not ours) is answered too.
    const unknown = await h.ask(MKT, '/frob', 'x');
    expect(blockText(unknown).length).toBeGreaterThan(0);
    await settle();
    expect(await business(h)).toEqual(before);
  });

  it('a usage hint comes with a malformed command', async () => {
    // "/budget request" without arguments opens the form; with a bad amount the usage is shown.
    const { waitFor } = await import('../support/waitFor.js');
    const views = h.fake.views().length;
    await h.slack.command(MKT, '/budget', 'request');
    expect((await waitFor(() => h.fake.views()[views])).callback_id).toBe('budget.request');
    const bad = blockText(await h.ask(MKT, '/budget', 'request abc'));
    expect(bad).toMatch(/Usage/);
    expect(bad).toContain('/budget request');
  });

  it('switches language: /mkt lang zh → Chinese answers and cards', async () => {
    const answer = blockText(await h.ask(ADMIN, '/mkt', 'lang zh'));
    expect(answer).toMatch(/[\u4e00-\u9fff]/);
    const status = blockText(await h.ask(MKT, '/budget', ''));
    expect(status).toMatch(/预算/);
    const refusal = blockText(await h.ask(MKT, '/budget', 'request 5x SEM 太多'));
    expect(refusal).toMatch(/[\u4e00-\u9fff]/);
    expect(refusal).toContain('5x');
    expect(blockText(await h.ask(ADMIN, '/mkt', 'lang en'))).toMatch(/English|language/i);
  });
});

describe('default language zh-CN', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ locale: 'zh-CN' });
  });
  afterAll(async () => h?.close());

  it('answers in Chinese and accepts Chinese amounts; the card is Chinese too', async () => {
    await h.ask(ADMIN, '/mkt', 'role <@UFIN|fin> finance');
    await h.ask(ADMIN, '/mkt', 'channel approvals here', { channelId: APPROVALS });
    expect(blockText(await h.ask(FIN, '/budget', 'line add SEM 120万 搜索广告'))).toMatch(/SEM/);
    const answer = blockText(await h.ask(MKT, '/budget', 'request 5万 SEM 双十一加投'));
    expect(answer).toMatch(/ADJ-1/);
    expect(answer).toMatch(/[\u4e00-\u9fff]/);
    const { waitFor } = await import('../support/waitFor.js');
    const card = await waitFor(() => h.fake.messages(APPROVALS)[0]);
    expect(blockText(card)).toMatch(/批准|通过|同意/);
    expect(blockText(card)).toContain('¥50,000.00');
    expect(blockText(await h.ask(MKT, '/mkt', 'help'))).toMatch(/\/budget/);
  });
});
