// Work acknowledged to Feishu but lost with the process (a crash after the answer) is replayed at the next start,
// exactly once, while Feishu's re-push of the same event is still dropped.
import { afterEach, describe, expect, it } from 'vitest';
import { textOf } from '../support/fakeFeishu.js';
import { waitFor } from '../support/waitFor.js';
import { startHarness, USERS, type Harness } from './harness.js';

let open: Harness[] = [];
afterEach(async () => {
  for (const h of open) await h.close().catch(() => undefined);
  open = [];
});

async function start(databaseUrl?: string): Promise<Harness> {
  const h = await startHarness(databaseUrl ? { databaseUrl } : {});
  open.push(h);
  return h;
}

async function topics(h: Harness): Promise<string[]> {
  return h.app.db.read(async (tx) => (await tx.agendaTopic.findMany({ orderBy: { id: 'asc' } })).map((t) => t.text));
}

/** "A restart a minute later": the unfinished rows are older than the replay's grace period. */
async function ageInbox(h: Harness): Promise<void> {
  await h.app.db.write((tx) => tx.processedDelivery.updateMany({ data: { receivedAt: new Date(Date.now() - 60_000) } }));
}

describe('Feishu durable inbox', () => {
  it('a message and a menu click acknowledged before a crash run once after the restart; re-pushes are dropped', async () => {
    const h1 = await start();
    const databaseUrl = h1.app.db.url;
    // The process "dies" while the work runs: the core never returns.
    h1.app.core.command = () => new Promise(() => undefined);
    h1.app.core.action = () => new Promise(() => undefined);
    const { marketer } = USERS;
    const msgEvent = 'evtdurablemsg0001';
    const menuEvent = 'evtdurablemenu0001';
    expect((await h1.client.text(marketer, '/agenda add Q3 launch', {}, { eventId: msgEvent })).status).toBe(200);
    expect((await h1.client.menu(marketer, 'risk.report', { eventId: menuEvent })).status).toBe(200);
    const pending = await waitFor(
      async () => {
        const rows = await h1.app.db.read((tx) => tx.processedDelivery.findMany({ where: { payload: { not: null } }, orderBy: { id: 'asc' } }));
        return rows.length === 2 ? rows : undefined;
      },
      { what: 'inbox rows' },
    );
    expect(pending.map((r) => [r.id, JSON.parse(r.payload!).kind, r.doneAt])).toEqual([
      [`feishu:evt:${menuEvent}`, 'menu', null],
      [`feishu:evt:${msgEvent}`, 'message', null],
    ]);
    await ageInbox(h1);
    await h1.close(); // the stop gives up on the hanging work: it stays unfinished
    open = [];

    const h2 = await start(databaseUrl);
    const reply = await h2.nextCard(marketer, (m) => /Q3 launch/.test(textOf(m.card)));
    expect(reply).toBeTruthy();
    // The menu's form arrives as a form card (OutboxPayload.form), ready to be filled in.
    const form = await h2.nextCard(marketer, (m) => JSON.stringify(m.card).includes('"form"'));
    expect(JSON.stringify(form.card)).toContain('risk.report');
    expect(await topics(h2)).toEqual(['Q3 launch']);
    await waitFor(async () => (await h2.app.db.read((tx) => tx.processedDelivery.count({ where: { doneAt: null, payload: { not: null } } }))) === 0, {
      what: 'done marks',
    });

    // Feishu pushes both events again: acknowledged and dropped.
    expect((await h2.client.text(marketer, '/agenda add Q3 launch', {}, { eventId: msgEvent })).status).toBe(200);
    expect((await h2.client.menu(marketer, 'risk.report', { eventId: menuEvent })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    await h2.delivered();
    expect(await topics(h2)).toEqual(['Q3 launch']);
    expect(h2.count(marketer)).toBe(2);
  });

  it('finished work is not replayed by a restart', async () => {
    const h1 = await start();
    const databaseUrl = h1.app.db.url;
    await h1.say(USERS.marketer, '/agenda add Budget review');
    await h1.nextCard(USERS.marketer, (m) => /Budget review/.test(textOf(m.card)));
    await waitFor(async () => (await h1.app.db.read((tx) => tx.processedDelivery.count({ where: { doneAt: null, payload: { not: null } } }))) === 0, {
      what: 'work done',
    });
    await ageInbox(h1);
    await h1.close();
    open = [];

    const h2 = await start(databaseUrl);
    await new Promise((r) => setTimeout(r, 500));
    await h2.delivered();
    expect(await topics(h2)).toEqual(['Budget review']);
    expect(h2.count(USERS.marketer)).toBe(0);
  });
});
