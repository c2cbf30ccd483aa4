// Every plan message stays within Feishu's limits at 200 lines: the fake refuses a message body over 30 KB (code
// 230025) on send and PATCH. The card at each step, the v2 card with a 200-line diff, an import refusal with 200
// bad rows; typed line names and comments show as typed and mention nobody.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, textOf, type FakeMessage } from '../support/fakeFeishu.js';
import { HOSTILE_LINE, HOSTILE_NAME } from '../support/hostile.js';
import { namedPlan, planAsXlsx, seasonalPlan } from '../support/planFixtures.js';
import { waitFor } from '../support/waitFor.js';
import { feishuVisible } from '../support/visible.js';
import { CHATS, setUpTeam, startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await setUpTeam(h);
  await h.say(USERS.marketer, '/budget plan new 2040');
});
afterAll(async () => h?.close());

let seq = 0;
async function importFile(bytes: Buffer): Promise<string> {
  const n = h.count(USERS.marketer);
  await h.say(USERS.marketer, '/budget plan import 2040');
  await waitFor(() => h.fake.sentTo(USERS.marketer).slice(n).find((m) => textOf(m.card).includes('10 分钟')), { what: 'waiting for the file' });
  const m = h.count(USERS.marketer);
  const messageId = `om_limits_${++seq}`;
  await h.client.file(USERS.marketer, messageId, h.fake.files.addUserFile(messageId, 'plan.xlsx', bytes));
  const answer = await waitFor(() => h.fake.sentTo(USERS.marketer).slice(m).find((x) => /已向 2040 年草稿导入|未向 2040 年草稿导入/.test(textOf(x.card))), { what: 'import answer' });
  return textOf(answer.card);
}

const size = (m: FakeMessage) => Buffer.byteLength(JSON.stringify(m.card));

describe('the plan at 200 lines on Feishu', () => {
  it('an import refusal of 200 bad rows lists 15 and counts the rest, under 30 KB', async () => {
    const text = await importFile(await planAsXlsx(seasonalPlan(200).map((l) => ({ ...l, category: 'nope' as never }))));
    expect(text).toContain('第 2 行');
    expect(text).toContain('185');
    expect(h.fake.refused).toEqual([]);
  });

  it('the card at every step, and v2 with all 200 lines changed, fit; typed names and the comment show as typed', async () => {
    expect(await importFile(await planAsXlsx(namedPlan(200, HOSTILE_NAME)))).toContain('导入 200 个科目');
    await h.say(USERS.marketer, '/budget plan submit 2040');
    const card = await h.nextCard(CHATS.approvals, (m) => textOf(m.card).includes('PLAN-2040'));
    expect(size(card)).toBeLessThan(30 * 1024);
    let v = feishuVisible(card.card);
    expect(v.text).toContain(`${HOSTILE_NAME} 1`);
    expect([...new Set(v.mentions)]).toEqual([USERS.marketer]);
    expect(v.broadcasts).toEqual([]);
    for (const link of v.links) expect(link).toBe('https://e.x');

    // Finance asks for changes: the comment form comes by DM; the comment is full of markup.
    const forms = h.count(USERS.finance);
    const opened = await h.client.click(USERS.finance, card, /plan\.changes/);
    expect(opened.status).toBe(200);
    const form = await h.nextCard(USERS.finance, (m) => buttonsOf(m.card).some((b) => b.formSubmit), forms);
    expect((await h.client.submit(USERS.finance, form, { comment: HOSTILE_LINE })).status).toBe(200);
    await waitFor(() => (textOf(card.card).includes('草稿') ? true : undefined), { what: 'card back to draft' });

    expect(await importFile(await planAsXlsx(namedPlan(200, HOSTILE_NAME, 100)))).toContain('导入 200 个科目');
    await h.say(USERS.marketer, '/budget plan submit 2040');
    await waitFor(() => (textOf(card.card).includes('192') ? true : undefined), { what: 'card updated with the diff, in place' });
    await waitFor(() => h.fake.sentTo(CHATS.approvals).find((m) => textOf(m.card).includes('2040 年度预算计划第 2 版已重新提交')), { what: 'resubmission note' });
    expect(h.fake.sentTo(CHATS.approvals).filter((m) => textOf(m.card).includes('2040 年度预算计划 · 第'))).toHaveLength(1);
    expect(size(card)).toBeLessThan(30 * 1024);
    v = feishuVisible(card.card);
    expect(v.text).toContain(HOSTILE_LINE);
    expect(v.mentions.filter((m) => m !== USERS.marketer && m !== USERS.finance)).toEqual([]);
    expect(v.broadcasts).toEqual([]);

    await h.client.click(USERS.finance, card, /plan\.approve/);
    await waitFor(() => (textOf(card.card).includes('待领导审批') ? true : undefined), { what: 'leader step' });
    await h.client.click(USERS.leader, card, /plan\.approve/);
    await waitFor(() => (textOf(card.card).includes('已批准（已锁定）') ? true : undefined), { what: 'approved' });
    await h.delivered();
    expect(h.fake.refused).toEqual([]);
  });
});
