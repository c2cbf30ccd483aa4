// A server under test for bench/slack.ts, run in its own process so the load generator does not share its CPU.
//   tsx bench/slackServer.ts bot   → our app (startApp) with a fake Slack Web API and a temp database
//   tsx bench/slackServer.ts bare  → a bare Bolt app (its own HTTPReceiver) whose only listener acks
// Prints "READY <port>" when listening; exits on SIGTERM after printing "STATS <json>".
import { App, LogLevel } from '@slack/bolt';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { startApp } from '../src/app.js';
import { log } from '../src/log.js';
import { startFakeSlack } from '../test/support/fakeSlack.js';

export const BENCH_SECRET = 'bench-signing-secret-0123456789';

async function bare(): Promise<{ port: number; stats: () => Promise<unknown> }> {
  const app = new App({ signingSecret: BENCH_SECRET, token: 'xoxb-bench', botId: 'BBENCH', botUserId: 'UBENCH', logLevel: LogLevel.ERROR });
  let acked = 0;
  app.command(/.*/, async ({ ack }) => {
    acked++;
    await ack();
  });
  const server = (await app.start(0)) as Server;
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, stats: async () => ({ acked }) };
}

async function bot(): Promise<{ port: number; stats: () => Promise<unknown> }> {
  log.setLevel('error');
  const fake = await startFakeSlack({ record: false });
  const app = await startApp(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: `file:${path.join(mkdtempSync(path.join(tmpdir(), 'mktops-bench-')), 'bench.db')}`,
      timezone: 'Asia/Shanghai',
      locale: 'en',
      adminUsers: ['slack:UADMIN'],
      logLevel: 'error',
      slack: { botToken: 'xoxb-bench', signingSecret: BENCH_SECRET, apiUrl: fake.url },
    },
    {},
  );
  // Realistic state: budget lines, roles and channel bindings, so /budget and /risk do their real work.
  const admin = { platform: 'slack' as const, workspaceId: 'T1', userId: 'UADMIN', channelId: 'CGENERAL' };
  for (const cmd of [
    '/mkt role <@UFIN|fin> finance',
    '/mkt role <@ULEAD|lead> leader',
    '/mkt channel approvals CAPPROVALS',
    '/mkt channel leaders CLEADERS',
    '/mkt channel team CTEAM',
  ]) await app.core.command(admin, cmd);
  const fin = { ...admin, userId: 'UFIN' };
  for (const cmd of ['/budget line add SEM 1200000 Search ads', '/budget line add EVT 600000 Events', '/budget line add KOL 900000 Influencers']) {
    await app.core.command(fin, cmd);
  }
  return {
    port: app.port,
    stats: async () =>
      app.db.read(async (tx) => ({
        processedDeliveries: await tx.processedDelivery.count(),
        risks: await tx.risk.count(),
        outboxSent: await tx.outboxMessage.count({ where: { status: 'sent' } }),
        outboxPending: await tx.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } }),
      })),
  };
}

const mode = process.argv[2];
const server = mode === 'bare' ? await bare() : await bot();
process.stdout.write(`READY ${server.port}\n`);
process.on('SIGTERM', async () => {
  try {
    process.stdout.write(`STATS ${JSON.stringify(await server.stats())}\n`);
  } finally {
    process.exit(0);
  }
});
