// Starts the real app (startApp) against a loopback fake Slack Web API and a temp SQLite file, plus a signed
// test client. Shared by the Slack end-to-end tests.
import { startApp, type App } from '../../src/app.js';
import type { AppConfig } from '../../src/config/env.js';
import { log } from '../../src/log.js';
import { startFakeSlack, type FakeMessage, type FakeSlack } from '../support/fakeSlack.js';
import { createSlackTestClient, type SlackTestClient, type SlackUser } from '../support/slackClient.js';
import { tempDatabaseUrl } from '../support/tempDb.js';
import { waitFor } from '../support/waitFor.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

export const ADMIN: SlackUser = { id: 'UADMIN', name: 'admin' };
export const FIN: SlackUser = { id: 'UFIN', name: 'fin' };
export const LEAD: SlackUser = { id: 'ULEAD', name: 'lead' };
export const MKT: SlackUser = { id: 'UMKT', name: 'mkt' };
export const MKT2: SlackUser = { id: 'UMKT2', name: 'mkt2' };

export const APPROVALS = 'CAPPROVALS';
export const LEADERS = 'CLEADERS';
export const TEAM = 'CTEAM';

export interface Harness {
  app: App;
  fake: FakeSlack;
  slack: SlackTestClient;
  /** Row counts of the tables a side effect would touch. */
  counts(): Promise<Record<string, number>>;
  /** Waits for an ephemeral (or DM) answer to `user` newer than the `after`-th one and returns its text. */
  nextAnswer(user: SlackUser, after: number): Promise<FakeMessage>;
  answers(user: SlackUser): FakeMessage[];
  /** Runs a command and waits for the private answer. */
  ask(user: SlackUser, command: string, text: string, opts?: { channelId?: string }): Promise<FakeMessage>;
  /** Waits until nothing is pending in the Slack outbox and no job is running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Business time starts at 2030-03-10 10:00 Asia/Shanghai and flows in real time (back-off delays still elapse).
 * It must not be behind the real time: rows get nextAttemptAt = real now() from the database default. */
export const START = new Date('2030-03-10T02:00:00Z');

export async function startHarness(
  opts: {
    locale?: 'en' | 'zh-CN';
    quietLogs?: boolean;
    start?: Date;
    /** Reuse a database (a restart). */
    databaseUrl?: string;
    /** When long work says it is under way (0: always). */
    progressAfterMs?: number;
    /** Sees every SQL statement (the query-count test). */
    onQuery?: (sql: string, params: string) => void;
    /** Run the scheduler (default true, as in production). */
    scheduler?: boolean;
    /** How often the delivery worker looks for due rows when not kicked (default 20 ms). */
    pollMs?: number;
  } = {},
): Promise<Harness> {
  if (opts.quietLogs !== false) log.setLevel('error');
  const fake = await startFakeSlack({ botToken: 'xoxb-test' });
  const config: AppConfig = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: opts.databaseUrl ?? await tempDatabaseUrl('mktops-slack-'),
    timezone: 'Asia/Shanghai',
    locale: opts.locale ?? 'en',
    adminUsers: ['slack:UADMIN'],
    logLevel: 'error',
    slack: { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, apiUrl: fake.url },
  };
  const offset = (opts.start ?? START).getTime() - Date.now();
  const clock = { now: () => new Date(Date.now() + offset) };
  const app = await startApp(config, {
    clock,
    delivery: { baseDelayMs: 20, pollMs: opts.pollMs ?? 20 },
    ...(opts.onQuery ? { onQuery: opts.onQuery } : {}),
    ...(opts.scheduler !== undefined ? { scheduler: opts.scheduler } : {}),
    ...(opts.progressAfterMs !== undefined ? { progressAfterMs: opts.progressAfterMs } : {}),
  });
  const slack = createSlackTestClient({ port: app.port, signingSecret: SIGNING_SECRET });

  // A private answer is an ephemeral message, or a DM when the bot cannot post in that chat.
  const answers = (user: SlackUser) => [
    ...fake.ephemerals(user.id),
    ...fake.messages(`D${user.id.slice(1)}`),
  ].sort((a, b) => a.ts.localeCompare(b.ts));

  const h: Harness = {
    app,
    fake,
    slack,
    async counts() {
      return app.db.read(async (tx) => ({
        processed: await tx.processedDelivery.count(),
        adjustments: await tx.budgetAdjustment.count(),
        campaigns: await tx.campaign.count(),
        risks: await tx.risk.count(),
        roles: await tx.roleGrant.count(),
        bindings: await tx.channelBinding.count(),
        settings: await tx.setting.count(),
        audit: await tx.auditLog.count(),
        lines: await tx.budgetLine.count(),
        expenses: await tx.expense.count(),
        outboxCards: await tx.outboxMessage.count({ where: { kind: { in: ['post', 'update'] } } }),
      }));
    },
    answers,
    async nextAnswer(user, after) {
      return waitFor(() => answers(user)[after], { what: `answer #${after + 1} to ${user.id}` });
    },
    async ask(user, command, text, o = {}) {
      const before = answers(user).length;
      const res = await slack.command(user, command, text, o);
      if (res.status !== 200) throw new Error(`${command} ${text}: HTTP ${res.status}`);
      return h.nextAnswer(user, before);
    },
    async idle() {
      await waitFor(
        async () =>
          (await app.db.read((tx) => tx.outboxMessage.count({ where: { platform: 'slack', status: { in: ['pending', 'sending'] } } }))) === 0,
        { what: 'outbox drained' },
      );
    },
    async close() {
      await app.close();
      await fake.close();
    },
  };
  return h;
}

export { waitFor };
