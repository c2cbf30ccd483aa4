// Signed and encrypted, but malformed Feishu bodies (an event that is null or a string, a card callback without its
// operator or action, a header without a type, an array): never a 5xx nor the generic internal error; nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle, waitFor } from '../support/waitFor.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const counts = () => h.app.db.read(async (tx) => ({ audit: await tx.auditLog.count(), records: (await tx.risk.count()) + (await tx.budgetAdjustment.count()) }));
/** Every answer the bot queued or sent, as text. */
const answers = async () =>
  [...(await h.app.db.read((tx) => tx.outboxMessage.findMany())).map((r) => r.payload), ...h.fake.calls.map((c) => JSON.stringify(c.body ?? ''))].join('\n');
const unfinished = () => h.app.db.read((tx) => tx.processedDelivery.count({ where: { doneAt: null, payload: { not: null } } }));

describe('signed but malformed Feishu bodies', () => {
  const token = () => h.config.feishu!.verificationToken;
  const cases: [string, () => unknown][] = [
    ['a message event that is null', () => h.client.envelope('im.message.receive_v1', null)],
    ['a message event that is a string', () => h.client.envelope('im.message.receive_v1', 'hello')],
    ['a message without its content', () => h.client.envelope('im.message.receive_v1', { sender: { sender_id: { open_id: 'ou_x' } }, message: { message_id: 'om_1', chat_type: 'p2p', message_type: 'text' } })],
    ['a message whose content is not JSON', () => h.client.envelope('im.message.receive_v1', { sender: { sender_id: { open_id: 'ou_x' } }, message: { message_id: 'om_2', chat_id: 'oc_1', chat_type: 'p2p', message_type: 'text', content: '{not json' } })],
    ['a card callback that is null', () => h.client.envelope('card.action.trigger', null)],
    ['a card callback without operator or action', () => h.client.envelope('card.action.trigger', { token: 'c1', context: { open_message_id: 'om_3' } })],
    ['a card callback whose value is a number', () => h.client.envelope('card.action.trigger', { operator: { open_id: 'ou_x' }, token: 'c2', action: { value: 42, tag: 'button' }, context: { open_message_id: 'om_4', open_chat_id: 'oc_1' } })],
    ['a header without an event type', () => ({ schema: '2.0', header: { event_id: 'e-no-type', token: token(), tenant_key: 'tenant_test' }, event: {} })],
    ['a header that is null', () => ({ schema: '2.0', header: null, event: {} })],
    ['an array', () => [1, 2, 3]],
    ['a number', () => 7],
  ];
  for (const [name, payload] of cases) {
    it(`${name}: a 2xx/4xx answer, no internal error, nothing written`, async () => {
      const before = await counts();
      const r = await h.client.post(payload());
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
      expect(JSON.stringify(r.body)).not.toMatch(/went wrong|internal|出错/i);
      await waitFor(async () => (await unfinished()) === 0, { what: 'accepted work finished' });
      await settle(100);
      expect(await counts()).toEqual(before);
      expect(await answers()).not.toMatch(/went wrong|系统出错/);
    });
  }
});
