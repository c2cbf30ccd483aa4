// A department at scale on Feishu: 300 budget lines (some with hostile names), 100 open risks, 100 agenda topics.
// The fake refuses any message body over 30 KB (code 230025) and the client any callback answer over 30 KB, as
// Feishu does; every list is complete across its pages; the form cards stay small (the form is kept on our side)
// and every line can be chosen by typing its code or words of its name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMonth } from '../../src/domain/time.js';
import { lineCode, seedLines, seedPerson, seedRisks, seedTopics } from '../support/bigData.js';
import { buttonsOf, elementsOf, FEISHU_BODY_LIMIT, textOf, type FakeMessage } from '../support/fakeFeishu.js';
import { HOSTILE_NAME } from '../support/hostile.js';
import { feishuVisible } from '../support/visible.js';
import { waitFor } from '../support/waitFor.js';
import { CHATS, startHarness, TENANT, USERS, type Harness } from './harness.js';

let h: Harness;
const month = localMonth(new Date(), 'Asia/Shanghai');
const year = Number(month.slice(0, 4));
const N = 300;

beforeAll(async () => {
  h = await startHarness();
  await h.sayIn(CHATS.approvals, USERS.admin, '/mkt channel approvals here');
  await h.say(USERS.admin, `/mkt role ${USERS.finance} finance`);
  await waitFor(() => h.app.db.read(async (tx) => (await tx.roleGrant.count()) >= 1 && (await tx.channelBinding.count()) === 1), { what: 'set up' });
  const fin = await seedPerson(h.app.db, { platform: 'feishu', workspaceId: TENANT, userId: USERS.finance });
  await seedLines(h.app.db, { year, n: N, spendMonth: month, personId: fin });
  await seedRisks(h.app.db, { n: 100, reporterId: fin });
  await seedTopics(h.app.db, { n: 100, addedById: fin });
}, 60_000);
afterAll(async () => h?.close());

/** Says `text` to the bot and returns the next card it sends `user`. */
async function ask(user: string, text: string): Promise<FakeMessage> {
  const before = h.count(user);
  await h.say(user, text);
  return h.nextCard(user, () => true, before);
}

/** Follows "Next ▶" (a click answered privately with the next page) to the last page. */
async function pages(user: string, first: FakeMessage, view: string): Promise<FakeMessage[]> {
  const all = [first];
  for (let guard = 0; guard < 100; guard++) {
    const next = buttonsOf(all.at(-1)!.card).find((b) => String(b.value?.action ?? '').startsWith(`page:${view}:`) && /下一页/.test(b.label));
    if (!next) break;
    const before = h.count(user);
    const r = await h.client.click(user, all.at(-1)!, next.value.action);
    expect(r.status).toBe(200);
    all.push(await h.nextCard(user, () => true, before));
  }
  return all;
}

const codesIn = (text: string) => new Set(text.match(/\bL\d{3}\b/g) ?? []);
const allCodes = () => Array.from({ length: N }, (_, i) => lineCode(i + 1));

describe('300 budget lines on Feishu', () => {
  it('/budget: every line on some page, the total and the flagged lines on each, every card under 30 KB', async () => {
    const all = await pages(USERS.marketer, await ask(USERS.marketer, '/budget'), 'budget.status');
    expect(all.length).toBeGreaterThan(1);
    const seen = new Set<string>();
    for (const page of all) {
      const v = feishuVisible(page.card);
      expect(v.text).toContain('合计 — 预算 ¥3,000,000.00');
      expect(v.text).toMatch(/使用已达 80% 及以上的科目：L001、L004/);
      for (const c of codesIn(v.text)) seen.add(c);
      expect(v.mentions).toEqual([]);
      expect(v.broadcasts).toEqual([]);
    }
    expect(allCodes().filter((c) => !seen.has(c))).toEqual([]);
    expect(feishuVisible(all.map((p) => p.card)).text).toContain(HOSTILE_NAME);
    expect(h.fake.refused).toEqual([]);
  });

  it('/budget lines: all 300 with the count and the yearly total', async () => {
    const all = await pages(USERS.marketer, await ask(USERS.marketer, '/budget lines'), 'budget.lines');
    const text = feishuVisible(all.map((p) => p.card)).text;
    expect(text).toContain('共 300 个科目，年度合计 ¥36,000,000.00');
    const seen = codesIn(text);
    expect(allCodes().filter((c) => !seen.has(c))).toEqual([]);
    expect(h.fake.refused).toEqual([]);
  });

  it('the transfer form fits: the form stays on our side, lines are typed (code or name) and matched', async () => {
    const form = await ask(USERS.marketer, '/budget transfer');
    const body = JSON.stringify({ receive_id: USERS.marketer, msg_type: 'interactive', content: JSON.stringify(form.card) });
    expect(Buffer.byteLength(body)).toBeLessThan(FEISHU_BODY_LIMIT);
    const submit = buttonsOf(form.card).find((b) => b.formSubmit)!;
    expect(Object.keys(submit.value).sort()).toEqual(['form', 'fs']);
    const inputs = elementsOf(form.card).filter((e) => e.tag === 'input').map((e) => e.name);
    expect(inputs).toEqual(expect.arrayContaining(['from', 'to']));
    expect(textOf(form.card)).toMatch(/共 300 项可选/);

    // Several lines match "L29": the form comes back with the choices named, what was typed kept.
    const ambiguous = await h.client.submit(USERS.marketer, form, { from: 'L29', to: 'l300', amount: '1000', month, reason: '调剂' });
    expect(ambiguous.body.toast.type).toBe('error');
    const again = ambiguous.body.card.data;
    expect(feishuVisible(again).text).toMatch(/“L29”匹配到 10 项：L290/);
    expect(elementsOf(again).find((e) => e.name === 'from').default_value).toBe('L29');
    expect(buttonsOf(again).find((b) => b.formSubmit)!.value).toEqual(submit.value); // the same form session

    const ok = await h.client.submit(USERS.marketer, form, { from: 'l299', to: 'L300', amount: '1000', month, reason: '调剂' });
    expect(ok.body.toast.type, JSON.stringify(ok.body.toast)).toBe('success');
    const adj = await waitFor(() => h.app.db.read((tx) => tx.budgetAdjustment.findFirst({ where: { kind: 'transfer' }, })), { what: 'the transfer' });
    const codes = await h.app.db.read((tx) => tx.budgetLine.findMany({ where: { id: { in: [adj.fromLineId!, adj.toLineId] } }, orderBy: { id: 'asc' } }));
    expect(codes.map((l) => l.code)).toEqual(['L299', 'L300']);
    expect(h.fake.refused).toEqual([]);
  });

  it('the request and campaign forms fit and accept a line by words of its name', async () => {
    for (const command of ['/budget request', '/campaign new']) {
      const form = await ask(USERS.marketer, command);
      expect(JSON.stringify(form.card).length).toBeLessThan(FEISHU_BODY_LIMIT);
      expect(elementsOf(form.card).some((e) => e.tag === 'input' && e.name === 'line')).toBe(true);
    }
    const form = await ask(USERS.marketer, '/budget request');
    const r = await h.client.submit(USERS.marketer, form, { line: '预算科221', amount: '500', month, reason: '按名称选择' });
    expect(r.body.toast.type, JSON.stringify(r.body.toast)).toBe('success');
    const l221 = await h.app.db.read((tx) => tx.budgetLine.findFirstOrThrow({ where: { code: 'L221' } }));
    await waitFor(() => h.app.db.read((tx) => tx.budgetAdjustment.findFirst({ where: { toLineId: l221.id } })), { what: 'the request on L221' });
    expect(h.fake.refused).toEqual([]);
  });
});

describe('100 risks and 100 agenda topics on Feishu', () => {
  it('/risk list pages through all 100', async () => {
    const all = await pages(USERS.marketer, await ask(USERS.marketer, '/risk list'), 'risk.list');
    const text = feishuVisible(all.map((p) => p.card)).text;
    for (let i = 1; i <= 100; i++) expect(text).toContain(`R${i} `);
    expect(h.fake.refused).toEqual([]);
  });

  it('/agenda fits one card; "All topics" pages through all 100', async () => {
    const agenda = await ask(USERS.marketer, '/agenda');
    const before = h.count(USERS.marketer);
    await h.client.click(USERS.marketer, agenda, 'page:agenda.topics:1');
    const all = await pages(USERS.marketer, await h.nextCard(USERS.marketer, () => true, before), 'agenda.topics');
    const text = feishuVisible(all.map((p) => p.card)).text;
    for (let i = 1; i <= 100; i++) expect(text).toContain(`T${i} `);
    expect(h.fake.refused).toEqual([]);
  });
});
