// Delegation, escalation and the audit trail through Slack: slash commands, clicks on the cards the fake Web API
// received, a scheduler escalating on its own clock, and /audit on the request that went through all of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/scheduler/index.js';
import { blockText, buttonsOf } from '../support/fakeSlack.js';
import { ADMIN, APPROVALS, FIN, LEAD, LEADERS, MKT, MKT2, START, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness;
const HOUR = 3_600_000;

beforeAll(async () => {
  h = await startHarness();
  await h.ask(ADMIN, '/mkt', 'role <@UFIN|fin> finance');
  await h.ask(ADMIN, '/mkt', 'role <@ULEAD|lead> leader');
  await h.ask(ADMIN, '/mkt', 'channel approvals here', { channelId: APPROVALS });
  await h.ask(ADMIN, '/mkt', 'channel leaders here', { channelId: LEADERS });
  await h.ask(FIN, '/budget', 'line add SEM 1200000 Search ads');
});
afterAll(async () => h?.close());

describe('delegate → escalation → stand-in approves → /audit, on Slack', () => {
  it('the card says "on behalf of", the escalated copies are updated too, and /audit shows it all', async () => {
    // Fin names mkt2 as stand-in; both hear of it.
    const set = await h.ask(FIN, '/mkt', 'delegate <@UMKT2|mkt2> until 2030-03-20 finance');
    expect(blockText(set)).toContain('until 2030-03-20 (end of day, Asia/Shanghai)');
    await waitFor(() => h.fake.messages('DMKT2').some((m) => /named you as stand-in/.test(blockText(m))), { what: 'start notice to the stand-in' });

    const answer = await h.ask(MKT, '/budget', 'request 6万 SEM more search before the launch');
    expect(blockText(answer)).toContain('ADJ-1');
    const card = await waitFor(() => h.fake.messages(APPROVALS)[0], { what: 'approval card' });

    // 49 hours later a scheduler instance escalates it: finance and the stand-in by DM, one post in the leaders' channel.
    const later = { now: () => new Date(START.getTime() + 49 * HOUR) };
    const scheduler = createScheduler({ db: h.app.db, config: { timezone: 'Asia/Shanghai', locale: 'en', adminUsers: [] }, clock: later, timers: false });
    expect((await scheduler.events()).map((r) => [r.key, r.status])).toEqual([['ADJ-1:finance', 'done']]);
    const posted = await waitFor(() => h.fake.messages(LEADERS).find((m) => /Escalated/.test(blockText(m))), { what: 'escalation in the leaders channel' });
    expect(blockText(posted)).toContain('ADJ-1 has waited more than 48 h for finance review');
    expect(buttonsOf(posted).map((b) => b.value)).toEqual(['adj.approve:1', 'adj.reject:1']);
    const standInCopy = await waitFor(() => h.fake.messages('DMKT2').find((m) => /Escalated/.test(blockText(m))), { what: 'escalation DM to the stand-in' });
    await waitFor(() => /Escalated after 48 h/.test(blockText(card)), { what: 'the approvals card says escalated' });

    // The stand-in approves from the escalated DM: every copy is updated in place and says "on behalf of".
    const before = h.answers(MKT2).length;
    expect((await h.slack.click(MKT2, standInCopy, 'adj.approve')).status).toBe(200);
    expect(blockText(await h.nextAnswer(MKT2, before))).toMatch(/waits for a leader/);
    await waitFor(() => /approved by <@UMKT2> on behalf of <@UFIN>/.test(blockText(card)), { what: 'approvals card: on behalf of' });
    await waitFor(() => /on behalf of <@UFIN>/.test(blockText(posted)), { what: 'leaders-channel copy updated' });

    // The stand-in cannot decide the request the delegator files.
    await h.ask(FIN, '/budget', 'request 1000 SEM fin own request');
    const own = await waitFor(() => h.fake.messages(APPROVALS)[1], { what: 'second card' });
    const b2 = h.answers(MKT2).length;
    await h.slack.click(MKT2, own, 'adj.approve');
    expect(blockText(await h.nextAnswer(MKT2, b2))).toMatch(/fin filed this request, so their stand-in cannot decide it/);

    const lead = h.answers(LEAD).length;
    await h.slack.click(LEAD, card, 'adj.approve');
    expect(blockText(await h.nextAnswer(LEAD, lead))).toMatch(/budget was changed/);
    await waitFor(() => /Approved by <@ULEAD>/.test(blockText(card)), { what: 'final card' });

    // /audit on it, as the requester: in order, the zone named, the delegation and the escalation included.
    const audit = blockText(await h.ask(MKT, '/audit', 'ADJ-1'));
    expect(audit).toContain('Audit trail — ADJ-1');
    expect(audit).toContain('Times in Asia/Shanghai');
    const at = (s: string) => audit.indexOf(s);
    expect(at('requested ¥60,000.00 more for SEM')).toBeGreaterThan(-1);
    expect(at('escalated after 48 h waiting for finance review')).toBeGreaterThan(at('requested'));
    expect(at('<@UMKT2> on behalf of <@UFIN>')).toBeGreaterThan(at('escalated after'));
    expect(audit).toContain('as stand-in under DLG-1');
    expect(at('leader approved')).toBeGreaterThan(at('as stand-in under DLG-1'));
    // Someone who is not on the record and holds no role is told who may read it.
    expect(blockText(await h.ask({ id: 'UOUT', name: 'out' }, '/audit', 'ADJ-1'))).toMatch(/Only finance, leaders, admins and the people on ADJ-1/);
  });
});
