// The whole budget adjustment flow by Feishu card clicks, with the same rules as on Slack: roles,
// no self-approval, threshold routing to a leader, in-place updates (callback answer + PATCH of every
// posted copy), no stale buttons, "already decided", rejection with a reason form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, elementsOf, textOf, type FakeMessage } from '../support/fakeFeishu.js';
import { settle, waitFor } from '../support/waitFor.js';
import { CHATS, setUpTeam, startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await setUpTeam(h);
});
afterAll(async () => {
  await h.close();
});

const status = (id: number) => h.app.db.read((tx) => tx.budgetAdjustment.findUniqueOrThrow({ where: { id } }).then((a) => a.status));
const plan = (code: string, month: string) =>
  h.app.db.read(async (tx) => {
    const line = await tx.budgetLine.findFirstOrThrow({ where: { code } });
    return (await tx.monthlyAllocation.findUniqueOrThrow({ where: { lineId_month: { lineId: line.id, month } } })).planned;
  });
const actions = (m: FakeMessage) => buttonsOf(m.card).map((b) => b.value?.action).filter(Boolean);
const patchesOf = (m: FakeMessage) => h.fake.calls.filter((c) => c.method === 'PATCH' && c.path.endsWith(`/${m.message_id}`) && c.code === 0).length;

async function requestCard(user: string, text: string, id: number): Promise<FakeMessage> {
  const before = h.count(CHATS.approvals);
  await h.say(user, text);
  const card = await h.nextCard(CHATS.approvals, (m) => textOf(m.card).includes(`ADJ-${id}`), before);
  expect(actions(card)).toEqual([`adj.approve:${id}`, `adj.reject:${id}`]);
  return card;
}

describe('budget adjustment by card clicks', () => {
  let month: string;
  it('a marketer requests (Chinese alias); the approval card lands in the approvals group and the requester hears back privately', async () => {
    const before = h.count(USERS.marketer);
    const card = await requestCard(USERS.marketer, '/预算 申请 2万 SEM 双十一加投', 1);
    expect(card.card.schema).toBe('2.0');
    expect(card.card.config.update_multi).toBe(true);
    expect(textOf(card.card)).toContain('追加预算申请 ADJ-1');
    expect(textOf(card.card)).toContain('<at id=ou_mkt0004></at>');
    const confirmation = await h.nextCard(USERS.marketer, () => true, before);
    expect(confirmation.receive_id_type).toBe('open_id');
    const adj = await h.app.db.read((tx) => tx.budgetAdjustment.findUniqueOrThrow({ where: { id: 1 } }));
    expect(adj.amount).toBe(2_000_000);
    month = adj.month;
  });

  it('refuses the click of someone without the role, privately (toast), and changes nothing', async () => {
    const card = h.fake.sentTo(CHATS.approvals).find((m) => textOf(m.card).includes('ADJ-1'))!;
    const r = await h.client.click(USERS.marketer, card, 'adj.approve:1');
    expect(r.status).toBe(200);
    expect(r.body.toast.type).toBe('error');
    expect(r.body.card).toBeUndefined();
    expect(await status(1)).toBe('pending_finance');
    const leaderTry = await h.client.click(USERS.leader, card, 'adj.approve:1');
    expect(leaderTry.body.toast.type).toBe('error'); // the first step belongs to finance
    expect(await status(1)).toBe('pending_finance');
  });

  it('finance approves an increase: it goes to a leader; the card updates in place, in the answer and by PATCH', async () => {
    const card = h.fake.sentTo(CHATS.approvals).find((m) => textOf(m.card).includes('ADJ-1'))!;
    const requesterBefore = h.count(USERS.marketer);
    const r = await h.client.click(USERS.finance, card, 'adj.approve:1');
    expect(r.body.toast.type).toBe('success');
    expect(r.body.card.type).toBe('raw');
    expect(textOf(r.body.card.data)).toContain('财务已通过，等待领导审批');
    expect(await status(1)).toBe('pending_leader');
    await waitFor(() => patchesOf(card) >= 1, { what: 'PATCH of the approval card' });
    expect(textOf(card.card)).toContain('等待领导审批');
    expect(actions(card)).toEqual(['adj.approve:1', 'adj.reject:1']);
    await h.nextCard(USERS.marketer, () => true, requesterBefore); // requester told privately
  });

  it('finance cannot decide the leader step; the leader approves: budget changes, no buttons are left', async () => {
    const card = h.fake.sentTo(CHATS.approvals).find((m) => textOf(m.card).includes('ADJ-1'))!;
    const again = await h.client.click(USERS.finance2, card, 'adj.approve:1');
    expect(again.body.toast.type).toBe('error');
    const before = await plan('SEM', month);
    const r = await h.client.click(USERS.leader, card, 'adj.approve:1');
    expect(r.body.toast.type).toBe('success');
    expect(await status(1)).toBe('approved');
    expect(await plan('SEM', month)).toBe(before + 2_000_000);
    expect(buttonsOf(r.body.card.data)).toEqual([]);
    await waitFor(() => patchesOf(card) >= 2 && buttonsOf(card.card).length === 0, { what: 'final PATCH without buttons' });
    expect(textOf(card.card)).toContain('已由');
  });

  it('a click on an already-decided card answers who decided and changes nothing', async () => {
    const card = h.fake.sentTo(CHATS.approvals).find((m) => textOf(m.card).includes('ADJ-1'))!;
    const stale = { ...card, card: card.history[0] }; // someone still looking at the first version
    const planBefore = await plan('SEM', month);
    const auditsBefore = await h.app.db.read((tx) => tx.auditLog.count());
    const r = await h.client.click(USERS.leader, stale, 'adj.approve:1');
    expect(r.body.toast.type).toBe('error');
    expect(r.body.toast.content).toMatch(/ADJ-1/);
    expect(buttonsOf(r.body.card.data)).toEqual([]); // the stale copy is refreshed, without buttons
    expect(await plan('SEM', month)).toBe(planBefore);
    expect(await h.app.db.read((tx) => tx.auditLog.count())).toBe(auditsBefore);
  });

  it('nobody approves their own request', async () => {
    const card = await requestCard(USERS.finance, '/budget transfer 1000 SEM BRAND 换个科目', 2);
    const r = await h.client.click(USERS.finance, card, 'adj.approve:2');
    expect(r.body.toast.type).toBe('error');
    expect(await status(2)).toBe('pending_finance');
    // another finance member may; a transfer below the threshold is approved at once
    const ok = await h.client.click(USERS.finance2, card, 'adj.approve:2');
    expect(ok.body.toast.type).toBe('success');
    expect(await status(2)).toBe('approved');
    await waitFor(() => buttonsOf(card.card).length === 0, { what: 'card without buttons' });
  });

  it('a large transfer goes to a leader; two leaders clicking at once: exactly one wins', async () => {
    const card = await requestCard(USERS.marketer, '/budget transfer 6万 SEM BRAND 大促转投品牌', 3);
    const f = await h.client.click(USERS.finance, card, 'adj.approve:3');
    expect(f.body.toast.type).toBe('success');
    expect(await status(3)).toBe('pending_leader');
    await h.say(USERS.admin, `/mkt role ${USERS.finance2} leader`);
    await waitFor(() => h.app.db.read((tx) => tx.roleGrant.count({ where: { role: 'leader' } })).then((n) => n === 2));
    const [a, b] = await Promise.all([h.client.click(USERS.leader, card, 'adj.approve:3'), h.client.click(USERS.finance2, card, 'adj.approve:3')]);
    expect([a.body.toast.type, b.body.toast.type].sort()).toEqual(['error', 'success']);
    expect(await status(3)).toBe('approved');
    expect(await h.app.db.read((tx) => tx.approvalStep.count({ where: { adjustmentId: 3 } }))).toBe(2);
  });

  it('reject asks for a reason in a form card sent to the clicker alone; submitting it rejects and updates the card', async () => {
    const card = await requestCard(USERS.marketer, '/budget request 3000 BRAND 物料', 4);
    const before = h.count(USERS.finance);
    const r = await h.client.click(USERS.finance, card, 'adj.reject:4');
    expect(r.body.toast.type).toBe('info');
    const form = await h.nextCard(USERS.finance, (m) => buttonsOf(m.card).some((b) => b.formSubmit), before);
    expect(form.receive_id_type).toBe('open_id');
    const submitValue = buttonsOf(form.card).find((b) => b.formSubmit)!.value;
    expect(submitValue.form).toBe('adj.reject:4');
    expect(submitValue.fs).toMatch(/^[\w-]{16,32}$/); // the form stays on our side: the button carries its session
    const fieldNames = elementsOf(form.card).filter((e) => e.tag === 'input').map((e) => e.name as string);
    const answer = await h.client.submit(USERS.finance, form, { [fieldNames[0]]: '本月物料预算已足够' });
    expect(answer.body.toast.type).toBe('success');
    expect(buttonsOf(answer.body.card.data).some((b) => b.formSubmit)).toBe(false); // the form is replaced
    expect(await status(4)).toBe('rejected');
    await waitFor(() => buttonsOf(card.card).length === 0, { what: 'approval card updated to rejected' });
    expect(textOf(card.card)).toContain('驳回');
    // the repeated callback of the same submission is ignored
    await settle(50);
  });

  it('the requester may cancel while pending, from the confirmation card', async () => {
    const before = h.count(USERS.marketer);
    const card = await requestCard(USERS.marketer, '/budget request 500 BRAND 小额', 5);
    const confirmation = await h.nextCard(USERS.marketer, (m) => actions(m).includes('adj.cancel:5'), before);
    const r = await h.client.click(USERS.marketer, confirmation, 'adj.cancel:5');
    expect(r.body.toast.type).toBe('success');
    expect(await status(5)).toBe('cancelled');
    await waitFor(() => buttonsOf(card.card).length === 0, { what: 'approval card without buttons after cancel' });
  });

  it('a repeated card callback (same event) is processed once', async () => {
    const card = await requestCard(USERS.marketer, '/budget request 800 BRAND 重复点击', 6);
    const value = { action: 'adj.approve:6' };
    const first = await h.client.callback(USERS.finance, card, { value }, { eventId: 'card-evt-1' });
    const second = await h.client.callback(USERS.finance, card, { value }, { eventId: 'card-evt-1' });
    expect(first.body.toast.type).toBe('success');
    expect(second.body).toEqual({});
    const steps = await h.app.db.read((tx) => tx.approvalStep.count({ where: { adjustmentId: 6 } }));
    expect(steps).toBe(1);
  });
});
