// The core's side of exactly-once delivery: a call that serves an accepted request commits the request's done mark
// in the same transaction as its change (usecases/types.ts `Delivery`, src/delivery/inbox.ts). The crash tests
// (test/crash/) kill the real process around that commit; these check the contract itself.
import { describe, expect, it } from 'vitest';
import { createInbox } from '../../src/delivery/inbox.js';
import { DeliveryAlreadyDone, type Delivery, type Outcome } from '../../src/usecases/types.js';
import { text, world } from './budgetSetup.js';

describe('a core call serving a delivery', () => {
  it('commits the done mark inside the transaction of the change, with the Outcome the write returned', async () => {
    const w = await world();
    const inbox = createInbox(w.db, w.clock);
    await inbox.accept(['t:1'], { kind: 'command' });
    const seen: { inTx: number; outcome?: Outcome }[] = [];
    const delivery: Delivery = {
      async commit(tx, outcome) {
        await inbox.commitDone(tx, 't:1');
        // Inside the use-case's transaction: its new record is visible here.
        seen.push({ inTx: await tx.budgetAdjustment.count(), outcome });
      },
    };
    const o = await w.core.command(w.alice, '/budget request 3000 SEM more search ads', { delivery });
    expect(o.ok, text(o)).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.inTx).toBe(1);
    expect(seen[0]!.outcome).toBe(o); // the very answer the adapter gets, so it can be queued in that transaction
    const row = await w.db.read((tx) => tx.processedDelivery.findUniqueOrThrow({ where: { id: 't:1' } }));
    expect(row.doneAt).not.toBeNull();
  });

  it('a call that changes nothing (a read, a refusal) marks its delivery done with its answer in a transaction of its own', async () => {
    const w = await world();
    const inbox = createInbox(w.db, w.clock);
    for (const [id, cmd] of [
      ['t:read', '/budget'],
      ['t:refused', '/budget request -5 SEM nope'],
    ] as const) {
      await inbox.accept([id], { kind: 'command' });
      const outcomes: (Outcome | undefined)[] = [];
      const o = await w.core.command(w.alice, cmd, {
        delivery: {
          async commit(tx, outcome) {
            await inbox.commitDone(tx, id);
            outcomes.push(outcome);
          },
        },
      });
      expect(outcomes).toEqual([o]);
      expect((await w.db.read((tx) => tx.processedDelivery.findUniqueOrThrow({ where: { id } }))).doneAt).not.toBeNull();
    }
    expect(await w.db.read((tx) => tx.budgetAdjustment.count())).toBe(0);
  });

  it('a delivery done already (a replay raced the first run) rolls the change back and is dropped', async () => {
    const w = await world();
    const inbox = createInbox(w.db, w.clock);
    await inbox.accept(['t:2'], { kind: 'command' });
    const delivery: Delivery = { commit: (tx) => inbox.commitDone(tx, 't:2') };
    expect((await w.core.command(w.alice, '/budget request 3000 SEM first run', { delivery })).ok).toBe(true);
    // The same delivery run again (the replay of a run that committed): refused before anything is kept.
    await expect(w.core.command(w.alice, '/budget request 3000 SEM first run', { delivery })).rejects.toBeInstanceOf(DeliveryAlreadyDone);
    await expect(w.core.command(w.alice, '/budget', { delivery })).rejects.toBeInstanceOf(DeliveryAlreadyDone);
    expect(await w.db.read((tx) => tx.budgetAdjustment.count())).toBe(1);
    expect(await w.db.read((tx) => tx.auditLog.count({ where: { action: { startsWith: 'adjustment' } } }))).toBe(1);
  });
});
