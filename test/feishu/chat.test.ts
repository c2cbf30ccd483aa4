// How people talk to the bot in Feishu: direct chats take any text, groups only an @mention of the bot
// (other mentions name people), the bot menu, Chinese by default and English after `/mkt lang en`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, textOf } from '../support/fakeFeishu.js';
import { settle, waitFor } from '../support/waitFor.js';
import { CHATS, startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const han = /[\u4e00-\u9fff]/;

describe('talking to the bot', () => {
  it('answers in Chinese by default, privately', async () => {
    await h.say(USERS.marketer, '/mkt help');
    const m = await h.nextCard(USERS.marketer);
    expect(m.receive_id_type).toBe('open_id');
    expect(textOf(m.card)).toMatch(han);
  });

  it('ignores group messages that do not @mention the bot', async () => {
    const r = await h.client.text(USERS.admin, '/mkt channel team here', { chatId: CHATS.team, group: true });
    expect(r.status).toBe(200);
    await settle(200);
    expect(await h.app.db.read((tx) => tx.channelBinding.count())).toBe(0);
    expect(h.count(USERS.admin)).toBe(0);
  });

  it('in a group, strips the bot mention, maps other mentions to people and binds "here" to that group', async () => {
    await h.sayIn(CHATS.team, USERS.admin, '/mkt channel team here');
    await h.sayIn(CHATS.team, USERS.admin, `/mkt role @${USERS.leader}:Li leader`);
    await waitFor(() => h.app.db.read(async (tx) => (await tx.channelBinding.count()) === 1 && (await tx.roleGrant.count()) === 1));
    const binding = await h.app.db.read((tx) => tx.channelBinding.findFirstOrThrow());
    expect([binding.platform, binding.workspaceId, binding.channelId]).toEqual(['feishu', 'tenant_abc', CHATS.team]);
    const grant = await h.app.db.read((tx) => tx.roleGrant.findFirstOrThrow({ include: { person: true } }));
    expect([grant.role, grant.person.userId]).toEqual(['leader', USERS.leader]);
    await h.delivered();
    expect(h.fake.sentTo(CHATS.team)).toHaveLength(0); // the answers went to the admin privately
  });

  it('a malformed command gets a short explanation and writes nothing', async () => {
    const before = h.count(USERS.marketer);
    await h.say(USERS.marketer, '/预算 申请 -5 SEM 错误');
    const m = await h.nextCard(USERS.marketer, () => true, before);
    expect(textOf(m.card)).toContain('-5');
    expect(await h.app.db.read((tx) => tx.budgetAdjustment.count())).toBe(0);
  });

  it('understands the Chinese words of the admin guide (docs/feishu.md)', async () => {
    await h.say(USERS.admin, '/预算 科目 新增 SEM 120万 搜索营销');
    const line = await waitFor(() => h.app.db.read((tx) => tx.budgetLine.findFirst({ where: { code: 'SEM' } })), { what: 'line created' });
    expect(line.annualAmount).toBe(120_000_000);
  });

  it('answers a non-text message in a direct chat with a hint', async () => {
    const before = h.count(USERS.marketer);
    await h.client.event('im.message.receive_v1', {
      sender: { sender_id: { open_id: USERS.marketer }, sender_type: 'user', tenant_key: 'tenant_abc' },
      message: { message_id: 'om_img_1', chat_id: `oc_p2p_${USERS.marketer}`, chat_type: 'p2p', message_type: 'image', content: '{"image_key":"img_x"}' },
    });
    const m = await h.nextCard(USERS.marketer, () => true, before);
    expect(textOf(m.card)).toContain('/预算');
  });

  it('switches to English with /mkt lang en: replies, cards, forms and the adapter texts', async () => {
    await h.say(USERS.admin, '/mkt lang en');
    await waitFor(() => h.app.db.read((tx) => tx.setting.findUnique({ where: { key: 'locale' } })));
    const before = h.count(USERS.marketer);
    await h.say(USERS.marketer, '/budget');
    const status = await h.nextCard(USERS.marketer, () => true, before);
    expect(textOf(status.card)).toContain('SEM');
    expect(textOf(status.card).replace('搜索营销', '')).not.toMatch(han); // only the line's own name stays Chinese
    expect(textOf(status.card)).not.toContain('****');
    // the menu opens an English form
    const before2 = h.count(USERS.marketer);
    await h.client.menu(USERS.marketer, 'campaign.new');
    const form = await h.nextCard(USERS.marketer, (m) => buttonsOf(m.card).some((b) => b.formSubmit), before2);
    expect(form.card.header.title.content).not.toMatch(han);
    const bad = await h.client.callback(USERS.marketer, form, { value: { action: 'nonsense:1' } });
    expect(bad.body.toast.type).toBe('error');
    expect(bad.body.toast.content).not.toMatch(han);
  });
});

describe('one-to-one chats', () => {
  it('refuses to bind a purpose in a one-to-one chat with the bot (p2p): cards for a role need a group', async () => {
    const before = h.count(USERS.admin);
    await h.say(USERS.admin, '/mkt channel approvals here');
    const m = await h.nextCard(USERS.admin, undefined, before);
    expect(textOf(m.card)).toMatch(/one-to-one chat|一对一私聊/);
    expect(await h.app.db.read((tx) => tx.channelBinding.count({ where: { purpose: 'approvals' } }))).toBe(0);
  });
});
