// The annual plan on Feishu end to end, through the real Lark SDK against the fake Open API: an 80-line seasonal
// plan imported from an XLSX sent in the DM just before and just after `/预算 计划 导入` (fetched with
// im/v1/messages/{id}/resources/{key}?type=file) and from pasted cells; a progress note before the result;
// submit → finance → leader by card clicks with the card updated in place; `/预算 导出` delivered as a file
// message whose numbers are the imported ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, textOf, type FakeMessage } from '../support/fakeFeishu.js';
import { planAsTsv, planAsXlsx, seasonalPlan } from '../support/planFixtures.js';
import { waitFor } from '../support/waitFor.js';
import { readWorkbook } from '../support/xlsx.js';
import { CHATS, setUpTeam, startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { progressAfterMs: 0 });
  await setUpTeam(h);
});
afterAll(async () => h?.close());

const plan = seasonalPlan(80);
const texts = (user: string, after = 0) => h.fake.sentTo(user).slice(after).map((m) => textOf(m.card));
const lineMonths = (year: number) =>
  h.app.db.read(async (tx) =>
    (await tx.planLine.findMany({ where: { plan: { year } }, orderBy: { code: 'asc' } })).map((l) => ({ code: l.code, months: JSON.parse(l.months) as number[] })),
  );
const expected = plan.map((l) => ({ code: l.code, months: l.months }));
let fileSeq = 0;

async function sendFile(user: string, name: string, bytes: Buffer) {
  const messageId = `om_file_${++fileSeq}`;
  const ref = h.fake.files.addUserFile(messageId, name, bytes);
  const r = await h.client.file(user, messageId, ref);
  expect(r.status).toBe(200);
  return { messageId, ref };
}

describe('annual plan on Feishu', () => {
  it('a file sent just before /预算 计划 导入 is the import (fetched from the message resource); a progress note comes first', async () => {
    await h.say(USERS.marketer, '/预算 计划 新建 2031');
    await waitFor(() => h.app.db.read((tx) => tx.budgetPlan.findUnique({ where: { year: 2031 } })), { what: 'draft 2031' });
    let n = h.count(USERS.marketer);
    const { messageId, ref } = await sendFile(USERS.marketer, '2031年预算.xlsx', await planAsXlsx(plan, { chinese: true }));
    await waitFor(() => texts(USERS.marketer, n).find((t) => t.includes('已收到文件')), { what: 'file kept' });
    expect(await lineMonths(2031)).toEqual([]);

    n = h.count(USERS.marketer);
    await h.say(USERS.marketer, '/预算 计划 导入 2031');
    const done = await waitFor(() => texts(USERS.marketer, n).find((t) => t.includes('已向 2031 年草稿导入 80 个科目')), { what: 'imported' });
    expect(done).toContain('2031年预算.xlsx');
    const notes = texts(USERS.marketer, n);
    expect(notes.findIndex((t) => t.includes('正在把 2031年预算.xlsx'))).toBeLessThan(notes.indexOf(done));
    expect(h.fake.files.resourceReads).toContainEqual({ messageId, fileKey: ref.file_key, type: 'file' });
    expect(await lineMonths(2031)).toEqual(expected);
  });

  it('/预算 计划 导入 first, the file just after: imported; a file nobody waits for a second time is only kept', async () => {
    await h.say(USERS.finance, '/预算 计划 新建 2032');
    let n = h.count(USERS.finance);
    await h.say(USERS.finance, '/预算 计划 导入 2032');
    await waitFor(() => texts(USERS.finance, n).find((t) => t.includes('10 分钟内在本单聊中把表格文件')), { what: 'waiting for the file' });
    n = h.count(USERS.finance);
    await sendFile(USERS.finance, 'plan-2032.xlsx', await planAsXlsx(plan));
    await waitFor(() => texts(USERS.finance, n).find((t) => t.includes('已向 2032 年草稿导入 80 个科目')), { what: 'imported after' });
    expect(await lineMonths(2032)).toEqual(expected);
    // The wait was taken once: the next file is kept, not imported.
    n = h.count(USERS.finance);
    await sendFile(USERS.finance, 'other.xlsx', await planAsXlsx(seasonalPlan(3)));
    await waitFor(() => texts(USERS.finance, n).find((t) => t.includes('已收到文件')), { what: 'kept' });
    expect(await lineMonths(2032)).toEqual(expected);
  });

  it('pasted cells give the same numbers; a bad paste changes nothing and says which rows', async () => {
    await h.say(USERS.marketer, '/预算 计划 新建 2033');
    let n = h.count(USERS.marketer);
    await h.say(USERS.marketer, `/预算 计划 导入 2033\n${planAsTsv(plan)}`);
    await waitFor(() => texts(USERS.marketer, n).find((t) => t.includes('已向 2033 年草稿导入 80 个科目')), { what: 'pasted import' });
    expect(await lineMonths(2033)).toEqual(expected);
    n = h.count(USERS.marketer);
    await h.say(USERS.marketer, '/预算 计划 导入 2033\ncode\tname\tcategory\tannual\nX\tbad\tnope\t1');
    await waitFor(() => texts(USERS.marketer, n).find((t) => t.includes('第 2 行')), { what: 'refusal with the row' });
    expect(await lineMonths(2033)).toEqual(expected);
  });

  it('submit → finance → leader by card clicks, the card updated in place; export delivers the same numbers', async () => {
    await h.say(USERS.marketer, '/预算 计划 提交 2031');
    const card: FakeMessage = await h.nextCard(CHATS.approvals, (m) => textOf(m.card).includes('PLAN-2031'));
    expect(textOf(card.card)).toContain('待财务审核');
    expect(JSON.stringify(card.card).length).toBeLessThan(30_000);
    const approve = () => buttonsOf(card.card).find((b) => String(b.value?.action ?? '').startsWith('plan.approve'))!;
    expect((await h.client.click(USERS.marketer, card, approve().value.action)).body.toast.type).toBe('error'); // not finance
    const reviewed = await h.client.click(USERS.finance, card, approve().value.action);
    expect(reviewed.body.toast.type).toBe('success');
    expect(textOf(reviewed.body.card.data)).toContain('待领导审批');
    await waitFor(() => (textOf(card.card).includes('待领导审批') ? true : undefined), { what: 'card PATCHed to the leader step' });
    const approved = await h.client.click(USERS.leader, card, approve().value.action);
    expect(approved.body.toast.type).toBe('success');
    await waitFor(() => (textOf(card.card).includes('已批准（已锁定）') ? true : undefined), { what: 'card approved in place' });
    expect(buttonsOf(card.card).filter((b) => b.value?.action)).toEqual([]);
    expect(await h.app.db.read((tx) => tx.monthlyAllocation.count({ where: { line: { fiscalYear: { year: 2031 } } } }))).toBe(960);

    const before = h.fake.sentTo(USERS.finance).filter((m) => m.msg_type === 'file').length;
    await h.say(USERS.finance, '/预算 导出 2031');
    const msg = await waitFor(() => h.fake.sentTo(USERS.finance).filter((m) => m.msg_type === 'file')[before], { what: 'export file message' });
    const uploaded = h.fake.files.get(msg.card.file_key)!;
    expect(uploaded.file_name).toBe('2031年预算.xlsx');
    const book = await readWorkbook(uploaded.bytes);
    for (const l of plan) {
      const row = book['预算计划']!.find((r) => r[0] === l.code)!;
      expect((row.slice(5) as number[]).map((v) => Math.round(v * 100))).toEqual(l.months);
    }
  });

  it('a line added to the approved current year is an amendment (AMD-1) decided by clicks on one card updated in place', async () => {
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    await h.say(USERS.marketer, `/预算 计划 新建 ${year}`);
    await h.say(USERS.marketer, `/预算 计划 导入 ${year}\n${planAsTsv(seasonalPlan(6))}`);
    await h.say(USERS.marketer, `/预算 计划 提交 ${year}`);
    const planCard = await h.nextCard(CHATS.approvals, (m) => textOf(m.card).includes(`PLAN-${year}`));
    await h.client.click(USERS.finance, planCard, /plan\.approve/);
    await waitFor(() => (textOf(planCard.card).includes('待领导审批') ? true : undefined), { what: 'plan at the leader step' });
    await h.client.click(USERS.leader, planCard, /plan\.approve/);
    await waitFor(() => (textOf(planCard.card).includes('已批准（已锁定）') ? true : undefined), { what: 'plan approved' });

    const n = h.count(USERS.admin);
    await h.say(USERS.admin, '/预算 新增科目 LIVE 渠道运营 12万 直播间');
    await waitFor(() => texts(USERS.admin, n).find((t) => t.includes('AMD-1')), { what: 'amendment answer' });
    const card = await h.nextCard(CHATS.approvals, (m) => textOf(m.card).includes('预算计划变更 AMD-1'));
    const line = () => h.app.db.read((tx) => tx.budgetLine.findFirst({ where: { code: 'LIVE', fiscalYear: { year } }, include: { allocations: true } }));
    expect((await h.client.click(USERS.admin, card, 'amd.approve:1:1')).body.toast.type).toBe('error'); // not finance
    const reviewed = await h.client.click(USERS.finance, card, 'amd.approve:1:1');
    expect(reviewed.body.toast.type).toBe('success');
    await waitFor(() => (textOf(card.card).includes('待领导审批') ? true : undefined), { what: 'amendment at the leader step, in place' });
    expect(await line()).toBeNull();
    expect((await h.client.click(USERS.leader, card, 'amd.approve:1:2')).body.toast.type).toBe('success');
    await waitFor(() => (textOf(card.card).includes('已批准：科目已计入预算') ? true : undefined), { what: 'amendment approved, in place' });
    expect(buttonsOf(card.card).filter((b) => b.value?.action)).toEqual([]);
    const created = await line();
    expect([created?.category, created?.allocations.length, created?.annualAmount]).toEqual(['channel', 12, 12_000_000]);
    expect(h.fake.refused).toEqual([]);
  });
});
