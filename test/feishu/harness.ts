// Shared set-up of the Feishu end-to-end tests: a fake Open API, the real app (startApp) in webhook mode
// against a temp database, and a client that sends encrypted, signed callbacks like Feishu.
import { startApp, type App, type StartOptions } from '../../src/app.js';
import type { AppConfig } from '../../src/config/env.js';
import { startFakeFeishu, type FakeFeishu, type FakeMessage } from '../support/fakeFeishu.js';
import { FeishuTestClient } from '../support/feishuClient.js';
import { tempDatabaseUrl } from '../support/tempDb.js';
import { waitFor } from '../support/waitFor.js';
import { log } from '../../src/log.js';

log.setLevel('error');

let appSeq = 0;

export const USERS = {
  admin: 'ou_admin0001',
  finance: 'ou_fin0002',
  leader: 'ou_lead0003',
  marketer: 'ou_mkt0004',
  finance2: 'ou_fin0005',
} as const;
export const CHATS = { approvals: 'oc_approvals01', team: 'oc_team02', leaders: 'oc_leaders03' } as const;
export const TENANT = 'tenant_abc';

export interface Harness {
  app: App;
  fake: FakeFeishu;
  client: FeishuTestClient;
  config: AppConfig;
  close(): Promise<void>;
  /** Says something to the bot in a direct chat. */
  say(user: string, text: string): Promise<void>;
  /** Says something in a group chat, @mentioning the bot. */
  sayIn(chat: string, user: string, text: string): Promise<void>;
  /** Waits for the next card sent to `receiveId` after `after` cards, matching `match`. */
  nextCard(receiveId: string, match?: (m: FakeMessage) => boolean, after?: number): Promise<FakeMessage>;
  count(receiveId: string): number;
  /** Waits until every accepted request has run and the outbox is empty (everything delivered). */
  delivered(): Promise<void>;
}

export async function startHarness(extra: Partial<AppConfig> = {}, start: Partial<StartOptions> = {}): Promise<Harness> {
  const appId = `cli_test${process.pid}x${++appSeq}${Date.now().toString(36)}`;
  const appSecret = 'secret-' + appId;
  const fake = await startFakeFeishu({ appId, appSecret });
  const config: AppConfig = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: await tempDatabaseUrl('mktops-feishu-'),
    timezone: 'Asia/Shanghai',
    locale: 'zh-CN',
    adminUsers: [`feishu:${USERS.admin}`],
    logLevel: 'error',
    feishu: {
      appId,
      appSecret,
      verificationToken: 'vtok-' + appId,
      encryptKey: 'ekey-' + appId,
      mode: 'webhook',
      domain: fake.url,
    },
    ...extra,
  };
  const app = await startApp(config, { delivery: { baseDelayMs: 20, pollMs: 20 }, ...start });
  const client = new FeishuTestClient({
    url: `http://127.0.0.1:${app.port}`,
    appId,
    verificationToken: config.feishu!.verificationToken,
    encryptKey: config.feishu!.encryptKey!,
    tenantKey: TENANT,
  });
  const ok = (r: { status: number; body: unknown }) => {
    if (r.status !== 200) throw new Error(`bot answered ${r.status}: ${JSON.stringify(r.body)}`);
  };
  const h: Harness = {
    app,
    fake,
    client,
    config,
    async close() {
      await app.close();
      await fake.close();
    },
    async say(user, text) {
      ok(await client.text(user, text));
    },
    async sayIn(chat, user, text) {
      ok(await client.text(user, `@bot ${text}`, { chatId: chat, group: true, botOpenId: fake.botOpenId }));
    },
    count(receiveId) {
      return fake.sentTo(receiveId).length;
    },
    async nextCard(receiveId, match = () => true, after = 0) {
      return waitFor(() => fake.sentTo(receiveId).slice(after).find(match), { what: `a card for ${receiveId}`, timeoutMs: 8000 });
    },
    async delivered() {
      // Work accepted but not run yet would still write rows (on PostgreSQL it runs concurrently, not in arrival order).
      await waitFor(
        async () =>
          app.db.read(async (tx) =>
            (await tx.processedDelivery.count({ where: { doneAt: null, payload: { not: null } } })) === 0 &&
            (await tx.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } })) === 0,
          ),
        { what: 'work done and outbox drained', timeoutMs: 8000 },
      );
    },
  };
  return h;
}

/** The usual team: roles granted, the three group chats bound, one budget line. Returns nothing; asserts it worked. */
export async function setUpTeam(h: Harness): Promise<void> {
  const { admin, finance, finance2, leader } = USERS;
  await h.sayIn(CHATS.approvals, admin, '/mkt channel approvals here');
  await h.sayIn(CHATS.team, admin, '/mkt channel team here');
  await h.sayIn(CHATS.leaders, admin, '/mkt channel leaders here');
  await h.sayIn(CHATS.team, admin, `/mkt role @${finance}:Fei finance`);
  await h.say(admin, `/mkt role ${finance2} finance`);
  await h.say(admin, `/mkt role ${leader} leader`);
  await h.say(admin, '/budget line add SEM 1200000 搜索营销');
  await h.say(admin, '/budget line add BRAND 600000 品牌');
  await waitFor(
    () =>
      h.app.db.read(async (tx) => (await tx.roleGrant.count()) >= 3 && (await tx.channelBinding.count()) === 3 && (await tx.budgetLine.count()) === 2),
    { what: 'team set up', timeoutMs: 8000 },
  );
  await h.delivered();
}
