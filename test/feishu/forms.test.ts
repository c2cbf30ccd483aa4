// Campaign and risk forms through Feishu form cards: opened by a text command or the bot menu, sent to the
// person alone, refused submissions shown again with per-field errors (values kept), accepted ones replaced
// by the confirmation; a high risk is escalated to the leaders' group at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, elementsOf, textOf, type FakeMessage } from '../support/fakeFeishu.js';
import { waitFor } from '../support/waitFor.js';
import { CHATS, setUpTeam, startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await setUpTeam(h);
});
afterAll(async () => {
  await h.close();
});

const isForm = (m: FakeMessage) => buttonsOf(m.card).some((b) => b.formSubmit);
const submitRef = (card: any) => buttonsOf(card).find((b) => b.formSubmit)?.value?.form;

describe('campaign proposal by form card', () => {
  let form: FakeMessage;
  it('"/活动 新建" sends the form card to the person alone', async () => {
    const before = h.count(USERS.marketer);
    await h.say(USERS.marketer, '/活动 新建');
    form = await h.nextCard(USERS.marketer, isForm, before);
    expect(form.receive_id_type).toBe('open_id');
    expect(submitRef(form.card)).toBe('campaign.new');
    const tags = elementsOf(form.card).map((e) => e.tag);
    expect(tags).toContain('form');
    expect(tags).toEqual(expect.arrayContaining(['input', 'select_static', 'multi_select_static', 'date_picker']));
    const formEl = elementsOf(form.card).find((e) => e.tag === 'form');
    expect(formEl.elements.some((e: any) => e.form_action_type === 'submit')).toBe(true);
  });

  it('a refused submission comes back as the same form with the error next to the field and the values kept', async () => {
    const r = await h.client.submit(USERS.marketer, form, {
      name: '双十一直播',
      goal: 'sales',
      theme: '爆款直播',
      format: 'live_selling',
      channels: ['douyin', 'wechat'],
      start: '2026-12-01',
      end: '2026-12-20',
      line: 'SEM',
      amount: '五万块',
    });
    expect(r.status).toBe(200);
    expect(r.body.toast.type).toBe('error');
    const card = r.body.card.data;
    expect(submitRef(card)).toBe('campaign.new');
    const els = elementsOf(card);
    const amountIdx = els.findIndex((e) => e.tag === 'input' && e.name === 'amount');
    const errorEl = els.slice(amountIdx + 1, amountIdx + 4).find((e) => e.tag === 'markdown' && String(e.content).includes("color='red'"));
    expect(errorEl).toBeTruthy();
    expect(els.find((e) => e.name === 'name').default_value).toBe('双十一直播');
    expect(els.find((e) => e.name === 'channels').selected_values).toEqual(['douyin', 'wechat']);
    expect(els.find((e) => e.name === 'start').initial_date).toBe('2026-12-01');
    expect(await h.app.db.read((tx) => tx.campaign.count())).toBe(0);
  });

  it('an accepted submission replaces the form with the confirmation and posts the proposal for approval', async () => {
    const approvalsBefore = h.count(CHATS.approvals) + h.count(CHATS.leaders);
    const r = await h.client.submit(USERS.marketer, form, {
      name: '双十一直播',
      goal: 'sales',
      theme: '爆款直播',
      format: 'live_selling',
      channels: ['douyin', 'wechat'],
      start: '2026-12-01',
      end: '2026-12-20',
      line: 'SEM',
      amount: '5万',
      kpi_participants: '5000',
    });
    expect(r.body.toast.content + ' ' + r.body.toast.type).toMatch(/success$/);
    expect(submitRef(r.body.card.data)).toBeUndefined();
    const campaign = await h.app.db.read((tx) => tx.campaign.findFirstOrThrow());
    expect(campaign.status).toBe('pending_approval');
    expect(campaign.amount).toBe(5_000_000);
    expect(JSON.parse(campaign.channels)).toEqual(['douyin', 'wechat']);
    await waitFor(() => h.count(CHATS.approvals) + h.count(CHATS.leaders) > approvalsBefore, { what: 'proposal card' });
    const card = [...h.fake.sentTo(CHATS.approvals), ...h.fake.sentTo(CHATS.leaders)].find((m) =>
      buttonsOf(m.card).some((b) => b.value?.action === `cmp.approve:${campaign.id}`),
    )!;
    expect(card).toBeTruthy();
    // the owner may not approve their own proposal; a leader does
    const self = await h.client.click(USERS.marketer, card, `cmp.approve:${campaign.id}`);
    expect(self.body.toast.type).toBe('error');
    const ok = await h.client.click(USERS.leader, card, `cmp.approve:${campaign.id}`);
    expect(ok.body.toast.type).toBe('success');
    expect((await h.app.db.read((tx) => tx.campaign.findFirstOrThrow())).status).toBe('approved');
    expect(buttonsOf(ok.body.card.data).some((b) => b.value?.action === `cmp.approve:${campaign.id}`)).toBe(false);
  });
});

describe('risk reports', () => {
  it('the bot menu opens the risk form; a high risk goes to the leaders group at once with an ownership button', async () => {
    const before = h.count(USERS.marketer);
    expect((await h.client.menu(USERS.marketer, 'risk.report')).status).toBe(200);
    const form = await h.nextCard(USERS.marketer, isForm, before);
    expect(submitRef(form.card)).toBe('risk.report');
    const leadersBefore = h.count(CHATS.leaders);
    const r = await h.client.submit(USERS.marketer, form, { category: 'legal', likelihood: '5', impact: '4', title: '代言人合同纠纷', due: '2026-12-15' });
    expect(r.body.toast.type).toBe('success');
    const risk = await h.app.db.read((tx) => tx.risk.findFirstOrThrow({ where: { title: '代言人合同纠纷' } }));
    expect([risk.grade, risk.score, risk.dueDate]).toEqual(['high', 20, '2026-12-15']);
    const card = await h.nextCard(CHATS.leaders, (m) => textOf(m.card).includes('代言人合同纠纷'), leadersBefore);
    const own = await h.client.click(USERS.leader, card, `rsk.own:${risk.id}`);
    expect(own.body.toast.type).toBe('success');
    const owned = await h.app.db.read((tx) => tx.risk.findUniqueOrThrow({ where: { id: risk.id }, include: { owner: true } }));
    expect(owned.owner?.userId).toBe(USERS.leader);
  });

  it('the same form card submitted twice (a double click: two callbacks, two tokens) records one risk', async () => {
    const before = h.count(USERS.marketer);
    await h.client.menu(USERS.marketer, 'risk.report');
    const form = await h.nextCard(USERS.marketer, isForm, before);
    const values = { category: 'market', likelihood: '2', impact: '2', title: '展会场地延期' };
    const [a, b] = await Promise.all([h.client.submit(USERS.marketer, form, values), h.client.submit(USERS.marketer, form, values)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await h.app.db.read((tx) => tx.risk.count({ where: { title: '展会场地延期' } }))).toBe(1);
    const again = await h.client.submit(USERS.marketer, form, values);
    expect(again.status).toBe(200);
    expect(await h.app.db.read((tx) => tx.risk.count({ where: { title: '展会场地延期' } }))).toBe(1);
  });

  it('a low risk typed as a command stays in the register (nothing to the leaders)', async () => {
    const leadersBefore = h.count(CHATS.leaders);
    await h.say(USERS.marketer, '/风险 报告 market 1 2 竞品小幅降价');
    await waitFor(() => h.app.db.read((tx) => tx.risk.findFirst({ where: { title: '竞品小幅降价' } })), { what: 'low risk recorded' });
    await h.delivered();
    expect(h.count(CHATS.leaders)).toBe(leadersBefore);
  });
});
