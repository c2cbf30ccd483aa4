// Events API (app_mention), the delivery ledger's pruning, and Socket Mode wiring.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryLedger, deliveryId } from '../../src/platforms/slack/ledger.js';
import { createSlackSurface } from '../../src/platforms/slack/index.js';
import { blockText } from '../support/fakeSlack.js';
import { settle } from '../support/waitFor.js';
import { MKT, START, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('app_mention', () => {
  const mention = (eventId: string, text: string) =>
    JSON.stringify({
      token: 'x',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
      event: { type: 'app_mention', user: MKT.id, text, ts: '1700000000.000100', channel: 'CGENERAL', event_ts: '1700000000.000100' },
    });

  it('"@bot budget" answers like /budget, once even when Slack retries the event', async () => {
    const before = h.answers(MKT).length;
    const first = await h.slack.post(mention('Ev1', '<@UBOT> budget lines'), { contentType: 'application/json' });
    const retry = await h.slack.post(mention('Ev1', '<@UBOT> budget lines'), { contentType: 'application/json', retryNum: 1 });
    expect([first.status, retry.status]).toEqual([200, 200]);
    const answer = await h.nextAnswer(MKT, before);
    expect(answer.channel).toBe('CGENERAL');
    expect(blockText(answer).length).toBeGreaterThan(0);
    await h.idle();
    await settle(150);
    expect(h.answers(MKT).length).toBe(before + 1);
  });
});

describe('delivery ledger', () => {
  it('claims once, batches concurrent claims, and prunes old records only', async () => {
    const ledger = createDeliveryLedger(h.app.db, { now: () => new Date(START.getTime() - 10 * 24 * 3600_000) });
    const ids = Array.from({ length: 120 }, (_, i) => deliveryId('test', 'T1', 'U1', `trg-${i}`));
    const results = await Promise.all([...ids, ids[0]!, ids[1]!].map((id) => ledger.claim(id)));
    expect(results.filter(Boolean)).toHaveLength(120);
    expect(await ledger.claim(ids[5]!)).toBe(false);
    const recent = await h.app.db.read((tx) => tx.processedDelivery.count({ where: { id: { startsWith: 'slack:cmd:' } } }));
    const fresh = createDeliveryLedger(h.app.db, { now: () => new Date(START.getTime() + 24 * 3600_000) });
    expect(await fresh.prune(3 * 24 * 3600_000)).toBe(120); // the raw-inserted timestamps compare like Prisma's
    expect(await h.app.db.read((tx) => tx.processedDelivery.count({ where: { id: { startsWith: 'slack:cmd:' } } }))).toBe(recent);
    expect(await ledger.claim(ids[5]!)).toBe(true);
  });
});

describe('Socket Mode', () => {
  it('with SLACK_APP_TOKEN the surface mounts no HTTP route', () => {
    const surface = createSlackSurface({
      config: {
        port: 0, host: '127.0.0.1', databaseUrl: 'file::memory:', timezone: 'Asia/Shanghai', locale: 'en', adminUsers: [], logLevel: 'error',
        slack: { botToken: 'xoxb-test', signingSecret: 'secret-123456', appToken: 'xapp-1-test' },
      },
      core: h.app.core,
      db: h.app.db,
      clock: { now: () => new Date() },
      kickDelivery: () => undefined,
    });
    expect(surface.platform).toBe('slack');
    expect(surface.routes).toEqual({});
  });
});
