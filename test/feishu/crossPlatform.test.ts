// One database serving a Slack workspace and a Feishu tenant at once (startApp with both configured):
// an adjustment requested in Slack is approved by finance in Feishu and by a leader in Slack; each person
// sees their own platform's cards, and every copy of the approval card is updated in place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, textOf } from '../support/fakeFeishu.js';
import { blockText, buttonsOf as slackButtons, startFakeSlack, type FakeSlack } from '../support/fakeSlack.js';
import { createSlackTestClient, type SlackTestClient } from '../support/slackClient.js';
import { waitFor } from '../support/waitFor.js';
import { CHATS, startHarness, USERS, type Harness } from './harness.js';

const SLACK = {
  admin: { id: 'UADMIN', name: 'sadmin' },
  leader: { id: 'ULEAD', name: 'slead' },
  marketer: { id: 'UMKT', name: 'smkt' },
};
const SLACK_APPROVALS = 'CAPPROVALS';

let h: Harness;
let fakeSlack: FakeSlack;
let slack: SlackTestClient;

beforeAll(async () => {
  fakeSlack = await startFakeSlack();
  h = await startHarness({
    adminUsers: [`feishu:${USERS.admin}`, 'slack:UADMIN'],
    slack: { botToken: 'xoxb-test', signingSecret: 'test-signing-secret-0123456789', apiUrl: fakeSlack.url },
  });
  slack = createSlackTestClient({ port: h.app.port, signingSecret: 'test-signing-secret-0123456789' });
});
afterAll(async () => {
  await h.close();
  await fakeSlack.close();
});

const status = () => h.app.db.read((tx) => tx.budgetAdjustment.findUniqueOrThrow({ where: { id: 1 } }).then((a) => a.status));

describe('Slack workspace and Feishu tenant on one database', () => {
  it('both platforms bind their own approvals chat and grant roles', async () => {
    expect(h.app.surfaces.map((s) => s.platform).sort()).toEqual(['feishu', 'slack']);
    await h.sayIn(CHATS.approvals, USERS.admin, '/mkt channel approvals here');
    await h.say(USERS.admin, `/mkt role ${USERS.finance} finance`);
    await h.say(USERS.admin, '/budget line add SEM 1200000 搜索营销');
    expect((await slack.command(SLACK.admin, '/mkt', 'channel approvals here', { channelId: SLACK_APPROVALS })).status).toBe(200);
    expect((await slack.command(SLACK.admin, '/mkt', `role <@${SLACK.leader.id}|${SLACK.leader.name}> leader`)).status).toBe(200);
    await waitFor(() =>
      h.app.db.read(async (tx) => (await tx.channelBinding.count()) === 2 && (await tx.roleGrant.count()) === 2 && (await tx.budgetLine.count()) === 1),
    { what: 'both platforms set up', timeoutMs: 8000 });
  });

  it('a Slack request reaches both approvals chats; Feishu finance approves; a Slack leader approves; all copies update', async () => {
    expect((await slack.command(SLACK.marketer, '/budget', 'request 2万 SEM 双十一加投')).status).toBe(200);
    const feishuCard = await h.nextCard(CHATS.approvals, (m) => textOf(m.card).includes('ADJ-1'));
    const slackCard = await waitFor(() => fakeSlack.messages(SLACK_APPROVALS).find((m) => blockText(m).includes('ADJ-1')), { what: 'Slack approval card' });
    // Each platform renders the Slack requester its own way: a real mention in Slack, the name in Feishu.
    expect(textOf(feishuCard.card)).not.toContain('<@');
    expect(textOf(feishuCard.card)).not.toContain('<at id=UMKT');
    expect(blockText(slackCard)).toContain('<@UMKT>');

    const f = await h.client.click(USERS.finance, feishuCard, 'adj.approve:1');
    expect(f.body.toast.type).toBe('success');
    expect(await status()).toBe('pending_leader');
    await waitFor(() => slackCard.updates >= 1, { what: 'Slack copy updated' });
    await waitFor(() => feishuCard.history.length >= 2, { what: 'Feishu copy patched' });

    const current = fakeSlack.messages(SLACK_APPROVALS).find((m) => m.ts === slackCard.ts)!;
    expect((await slack.click(SLACK.leader, current, 'adj.approve:1')).status).toBe(200);
    await waitFor(async () => (await status()) === 'approved', { what: 'approved' });
    await waitFor(() => buttonsOf(feishuCard.card).length === 0, { what: 'Feishu copy without buttons' });
    await waitFor(() => slackButtons(fakeSlack.messages(SLACK_APPROVALS).find((m) => m.ts === slackCard.ts)!).length === 0, { what: 'Slack copy without buttons' });
  });

  it('nobody gets a message on the other platform', async () => {
    await h.delivered();
    const feishuTargets = [...h.fake.messages.values()].map((m) => m.receive_id);
    expect(feishuTargets.some((t) => /^[UCD][A-Z0-9]+$/.test(t))).toBe(false);
    const slackTargets = fakeSlack.calls.map((c) => String(c.args.channel ?? c.args.user ?? ''));
    expect(slackTargets.some((t) => t.startsWith('ou_') || t.startsWith('oc_'))).toBe(false);
    const rows = await h.app.db.read((tx) => tx.outboxMessage.findMany());
    for (const r of rows) {
      if (r.platform === 'feishu') expect(r.workspaceId).toBe('tenant_abc');
      else expect(r.platform).toBe('slack');
    }
  });
});
