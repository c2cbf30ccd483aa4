// Delegation, escalation and the audit trail through Feishu (webhook, encrypted and signed callbacks): text
// commands to the bot, card clicks, a scheduler escalating on its own clock, cards patched in place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../src/domain/time.js';
import { createScheduler } from '../../src/scheduler/index.js';
import { buttonsOf, textOf, type FakeMessage } from '../support/fakeFeishu.js';
import { waitFor } from '../support/waitFor.js';
import { CHATS, setUpTeam, startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
const HOUR = 3_600_000;
const STANDIN = 'ou_stand0006';

beforeAll(async () => {
  h = await startHarness();
  await setUpTeam(h);
});
afterAll(async () => h?.close());

const actions = (m: FakeMessage) => buttonsOf(m.card).map((b) => b.value?.action).filter(Boolean);


describe('delegate → escalation → stand-in approves → /审计, on Feishu', () => {
  it('the card says 代 (on behalf of), escalations reach finance and the leaders group, /审计 shows it all', async () => {
    const before = h.count(STANDIN);
    const until = localDate(new Date(Date.now() + 30 * 24 * HOUR), 'Asia/Shanghai');
    await h.say(USERS.finance, `/营销 委托 ${STANDIN} 至 ${until} 财务`);
    const notice = await h.nextCard(STANDIN, (m) => textOf(m.card).includes('代理人'), before);
    expect(textOf(notice.card)).toContain(`至 ${until}（当日结束，Asia/Shanghai）`);

    const cardsBefore = h.count(CHATS.approvals);
    await h.say(USERS.marketer, '/预算 申请 6万 SEM 双十一加投');
    const card = await h.nextCard(CHATS.approvals, (m) => textOf(m.card).includes('ADJ-1'), cardsBefore);
    expect(actions(card)).toEqual(['adj.approve:1', 'adj.reject:1']);

    const leadersBefore = h.count(CHATS.leaders);
    const standInBefore = h.count(STANDIN);
    const scheduler = createScheduler({ db: h.app.db, config: { timezone: 'Asia/Shanghai', locale: 'zh-CN', adminUsers: [] }, clock: { now: () => new Date(Date.now() + 49 * HOUR) }, timers: false });
    expect((await scheduler.events()).map((r) => [r.key, r.status])).toEqual([['ADJ-1:finance', 'done']]);
    const posted = await h.nextCard(CHATS.leaders, (m) => textOf(m.card).includes('已升级'), leadersBefore);
    expect(textOf(posted.card)).toContain('ADJ-1 等待财务审核已超过 48 小时');
    const copy = await h.nextCard(STANDIN, (m) => textOf(m.card).includes('已升级'), standInBefore);
    expect(actions(copy)).toEqual(['adj.approve:1', 'adj.reject:1']);
    await h.nextCard(USERS.finance, (m) => textOf(m.card).includes('已升级'));
    await h.nextCard(USERS.finance2, (m) => textOf(m.card).includes('已升级'));

    // The stand-in approves from the escalated copy: the callback answers with the card saying 代 Fei.
    const r = await h.client.click(STANDIN, copy, 'adj.approve:1');
    expect(r.status).toBe(200);
    expect(r.body.toast.type).toBe('success');
    const answered = textOf(r.body.card.data ?? r.body.card);
    expect(answered).toContain(`<at id=${STANDIN}></at>（代<at id=${USERS.finance}></at>）`);
    expect(answered).toContain('等待财务审核超过 48 小时，已于');
    // Every copy is patched in place, the leaders-group escalation included.
    await waitFor(() => h.fake.calls.some((c) => c.method === 'PATCH' && c.path.endsWith(`/${posted.message_id}`) && c.code === 0), { what: 'leaders copy patched' });
    await waitFor(() => h.fake.calls.some((c) => c.method === 'PATCH' && c.path.endsWith(`/${card.message_id}`) && c.code === 0), { what: 'approvals card patched' });

    const l = await h.client.click(USERS.leader, card, 'adj.approve:1');
    expect(l.body.toast.type).toBe('success');

    const auditBefore = h.count(USERS.marketer);
    await h.say(USERS.marketer, '/审计 ADJ-1');
    const audit = textOf((await h.nextCard(USERS.marketer, (m) => textOf(m.card).includes('审计记录 — ADJ-1'), auditBefore)).card);
    expect(audit).toContain('时间为 Asia/Shanghai');
    const at = (s: string) => audit.indexOf(s);
    expect(at('申请 SEM 2026-11 追加 ¥60,000.00')).toBeGreaterThan(-1);
    expect(at('等待财务审核超过 48 小时，已升级')).toBeGreaterThan(at('申请 SEM 2026-11 追加 ¥60,000.00'));
    expect(at(`（代<at id=${USERS.finance}></at>）`)).toBeGreaterThan(at('已升级'));
    expect(audit).toContain('依据委托 DLG-1 代理');
    expect(at('领导批准')).toBeGreaterThan(at('依据委托 DLG-1'));
  });
});
