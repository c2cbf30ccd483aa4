// Work acknowledged to Slack but lost with the process (a crash after the ack) is replayed at the next start,
// exactly once, while Slack's retry of the same request is still dropped.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSlackText } from '../../src/platforms/slack/index.js';
import { deliveryId } from '../../src/platforms/slack/ledger.js';
import { MKT, START, startHarness, waitFor, type Harness } from './harness.js';

let open: Harness[] = [];
afterEach(async () => {
  for (const h of open) await h.close().catch(() => undefined);
  open = [];
});

async function start(databaseUrl?: string): Promise<Harness> {
  const h = await startHarness({ databaseUrl });
  open.push(h);
  return h;
}

async function topics(h: Harness): Promise<string[]> {
  return h.app.db.read(async (tx) => (await tx.agendaTopic.findMany({ orderBy: { id: 'asc' } })).map((t) => t.text));
}

/** "A restart a minute later": the unfinished rows are older than the replay's grace period. */
async function ageInbox(h: Harness): Promise<void> {
  await h.app.db.write((tx) => tx.processedDelivery.updateMany({ data: { receivedAt: new Date(START.getTime() - 60_000) } }));
}

describe('Slack durable inbox', () => {
  it('a command acknowledged before a crash runs once after the restart; Slack\'s retry is still dropped', async () => {
    const h1 = await start();
    const databaseUrl = h1.app.db.url;
    // The process "dies" while the job runs: the core never returns.
    h1.app.core.command = () => new Promise(() => undefined);
    const first = await h1.slack.command(MKT, '/agenda', 'add Q3 launch');
    expect(first.status).toBe(200);
    const id = deliveryId('cmd', 'T1', MKT.id, first.triggerId);
    const row = await waitFor(() => h1.app.db.read((tx) => tx.processedDelivery.findUnique({ where: { id } })), { what: 'inbox row' });
    expect(row.doneAt).toBeNull();
    expect(JSON.parse(row.payload!)).toMatchObject({ kind: 'command', text: '/agenda add Q3 launch', triggerId: first.triggerId, actor: { userId: MKT.id } });
    await ageInbox(h1);
    await h1.close(); // the stop gives up on the hanging job: it stays unfinished
    open = [];

    const h2 = await start(databaseUrl);
    const answer = await h2.nextAnswer(MKT, 0);
    expect(answer.text).toMatch(/Q3 launch/);
    expect(await topics(h2)).toEqual(['Q3 launch']);
    await waitFor(async () => (await h2.app.db.read((tx) => tx.processedDelivery.findUnique({ where: { id } })))?.doneAt != null, { what: 'done mark' });

    // Slack retries the original request: acknowledged and dropped.
    const retry = await h2.slack.command(MKT, '/agenda', 'add Q3 launch', { triggerId: first.triggerId, retryNum: 1 });
    expect(retry.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    await h2.idle();
    expect(await topics(h2)).toEqual(['Q3 launch']);
    expect(h2.answers(MKT)).toHaveLength(1);
  });

  it('finished work is not replayed by a restart', async () => {
    const h1 = await start();
    const databaseUrl = h1.app.db.url;
    await h1.ask(MKT, '/agenda', 'add Budget review');
    await waitFor(async () => (await h1.app.db.read((tx) => tx.processedDelivery.count({ where: { doneAt: null } }))) === 0, { what: 'work done' });
    await ageInbox(h1);
    await h1.close();
    open = [];

    const h2 = await start(databaseUrl);
    await new Promise((r) => setTimeout(r, 500));
    await h2.idle();
    expect(await topics(h2)).toEqual(['Budget review']);
    expect(h2.answers(MKT)).toHaveLength(0);
  });

  it('decodes the entities Slack escapes in command text (&amp; last)', async () => {
    expect(decodeSlackText('R&amp;D &lt;launch&gt; &amp;lt;')).toBe('R&D <launch> &lt;');
    const h = await start();
    const answer = await h.ask(MKT, '/agenda', 'add R&amp;D &lt;launch&gt; plan');
    expect(answer.text).toMatch(/R&(amp;)?D/); // the answer is escaped again for Slack
    expect(await topics(h)).toEqual(['R&D <launch> plan']);
  });
});
