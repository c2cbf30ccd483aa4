// The event handlers against a stub core: the 3-second rule for card callbacks (answer first, deliver the
// result privately later), dedupe by callback content, and the bot-menu mapping.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createEventHandlers } from '../../src/platforms/feishu/events.js';
import type { Core, Outcome } from '../../src/usecases/types.js';
import { openTempDb } from '../support/tempDb.js';

let db: Db;
beforeEach(async () => {
  db = await openTempDb();
});
afterEach(async () => {
  await db.close();
});

function stubCore(delayMs: number, calls: string[]): Core {
  const done = (text: string): Outcome => ({ ok: true, reply: { tone: 'success', text, summary: text, fields: [{ label: 'a', value: 'b' }] }, locale: 'en' });
  const wait = () => new Promise((r) => setTimeout(r, delayMs));
  return {
    async command(actor, text) {
      calls.push(`command ${actor.userId} ${text}`);
      await wait();
      return done(text);
    },
    async action(actor, ref) {
      calls.push(`action ${actor.userId} ${ref}`);
      await wait();
      return done(ref);
    },
    async submit(actor, ref) {
      calls.push(`submit ${actor.userId} ${ref}`);
      await wait();
      return done(ref);
    },
    async locale() {
      return 'en';
    },
  };
}

const click = (eventId: string, token = 'tok-1') => ({
  event_id: eventId,
  tenant_key: 't1',
  token,
  operator: { open_id: 'ou_x1' },
  action: { value: { action: 'adj.approve:1' }, tag: 'button' },
  context: { open_message_id: 'om_1', open_chat_id: 'oc_1' },
});

describe('card callbacks', () => {
  it('answers before the deadline when the core is slow, and delivers the result privately afterwards', async () => {
    const calls: string[] = [];
    let kicks = 0;
    const ev = createEventHandlers({ core: stubCore(1500, calls), db, kickDelivery: () => kicks++, botOpenId: async () => null, callbackDeadlineMs: 50 });
    const started = Date.now();
    const answer = await ev.handles['card.action.trigger'](click('e1'));
    expect(Date.now() - started).toBeLessThan(1000); // answered long before the core finished
    expect(answer).toEqual({ toast: { type: 'info', content: expect.stringContaining('direct message') } });
    await ev.idle();
    const rows = await db.read((tx) => tx.outboxMessage.findMany());
    expect(rows.map((r) => [r.kind, r.target])).toEqual([['dm', 'ou_x1']]);
    expect(kicks).toBe(1);
  });

  it('a callback with the same content and token but a new event id acts once', async () => {
    const calls: string[] = [];
    const ev = createEventHandlers({ core: stubCore(0, calls), db, kickDelivery: () => {}, botOpenId: async () => null });
    await ev.handles['card.action.trigger'](click('e1'));
    expect(await ev.handles['card.action.trigger'](click('e2'))).toEqual({});
    await ev.handles['card.action.trigger'](click('e3', 'tok-2')); // a real second click has a new token
    expect(calls).toEqual(['action ou_x1 adj.approve:1', 'action ou_x1 adj.approve:1']);
  });

  it('refuses a value that is not ours without calling the core', async () => {
    const calls: string[] = [];
    const ev = createEventHandlers({ core: stubCore(0, calls), db, kickDelivery: () => {}, botOpenId: async () => null });
    const answer = await ev.handles['card.action.trigger']({ ...click('e9'), action: { value: { evil: 1 } } });
    expect(answer).toMatchObject({ toast: { type: 'error' } });
    expect(calls).toEqual([]);
  });
});

describe('bot menu', () => {
  it('maps form items to form.open actions and command items to commands', async () => {
    const calls: string[] = [];
    const ev = createEventHandlers({ core: stubCore(0, calls), db, kickDelivery: () => {}, botOpenId: async () => null });
    const menu = (id: string, key: string) => ev.handles['application.bot.menu_v6']({ event_id: id, tenant_key: 't1', event_key: key, operator: { operator_id: { open_id: 'ou_m' } } });
    await menu('m1', 'campaign.new');
    await menu('m2', 'budget.status');
    await menu('m2', 'budget.status'); // re-push
    await ev.idle();
    expect(calls).toEqual(['action ou_m form.open:campaign.new', 'command ou_m /budget']);
  });
});
