import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createInbox, pruneDeliveries, type PendingWork } from '../../src/delivery/inbox.js';
import type { PlatformSender } from '../../src/delivery/types.js';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import type { Form } from '../../src/messages/model.js';
import { createLedger } from '../../src/delivery/ledger.js';
import { createDeliveryLedger } from '../../src/platforms/slack/ledger.js';
import { directForm, directMessage } from '../../src/usecases/notify.js';
import { openTempDb } from '../support/tempDb.js';
import { log } from '../../src/log.js';

log.setLevel('error');

const T0 = new Date('2030-03-10T02:00:00Z');

function movableClock(start = T0) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}

async function rows(db: Db) {
  return db.read((tx) => tx.processedDelivery.findMany({ orderBy: { id: 'asc' } }));
}

describe('durable inbox', () => {
  it('records work with its payload, drops duplicates, lists unfinished work and forgets the payload once done', async () => {
    const db = await openTempDb();
    const clock = movableClock();
    const inbox = createInbox(db, clock);
    expect(await inbox.accept(['p:evt:1', 'p:msg:1'], { kind: 'command', text: '/budget' })).toBe(true);
    expect(await inbox.accept(['p:evt:1'], { kind: 'command', text: '/budget' })).toBe(false);
    expect(await inbox.accept(['p:evt:2', 'p:msg:1'], { kind: 'command', text: 'again' })).toBe(false); // one id seen: nothing recorded
    expect(await inbox.accept(['q:evt:9'], { kind: 'command' })).toBe(true);
    expect((await rows(db)).map((r) => r.id)).toEqual(['p:evt:1', 'p:msg:1', 'q:evt:9']);

    const pending = await inbox.pendingWork('p:', 3600_000);
    expect(pending.map((w) => [w.id, w.payload])).toEqual([['p:evt:1', { kind: 'command', text: '/budget' }]]);

    clock.advance(1000);
    await inbox.done('p:evt:1');
    await inbox.done('p:evt:1'); // idempotent
    expect(await inbox.pendingWork('p:', 3600_000)).toEqual([]);
    const done = (await rows(db)).find((r) => r.id === 'p:evt:1')!;
    expect(done.doneAt?.toISOString()).toBe(new Date(T0.getTime() + 1000).toISOString());
    expect(done.payload).toBeNull();
    // Too old is not pending either.
    clock.advance(2 * 3600_000);
    expect(await inbox.pendingWork('q:', 3600_000)).toEqual([]);
  });

  it('the Slack ledger records each claim\'s payload in its one batched INSERT (the first claim of an id wins)', async () => {
    const db = await openTempDb();
    const clock = movableClock();
    const ledger = createDeliveryLedger(db, clock);
    const results = await Promise.all([
      ledger.claim('slack:cmd:a', { kind: 'command', text: '/a' }),
      ledger.claim('slack:cmd:b', { kind: 'action', ref: 'adj.approve:1' }),
      ledger.claim('slack:cmd:a', { kind: 'command', text: '/twin' }),
      ledger.claim('slack:cmd:c'),
    ]);
    expect(results).toEqual([true, true, false, true]);
    const inbox = createInbox(db, clock);
    expect((await inbox.pendingWork('slack:', 3600_000)).map((w) => [w.id, w.payload])).toEqual([
      ['slack:cmd:a', { kind: 'command', text: '/a' }],
      ['slack:cmd:b', { kind: 'action', ref: 'adj.approve:1' }],
    ]);
    expect((await rows(db)).find((r) => r.id === 'slack:cmd:c')?.payload).toBeNull();
  });

  it('records a claim of several ids whole or not at all: a re-push under a new event id leaves no row to replay', async () => {
    const db = await openTempDb();
    const clock = movableClock();
    const ledger = createLedger(db, clock);
    const msg = (text: string) => ({ kind: 'message', text });
    expect(await ledger.claim(['f:evt:1', 'f:msg:1'], msg('first'))).toBe(true);
    // Feishu pushes the same message again under a new event id; and (never seen, but possible) an old event id
    // with a new message id: neither records anything.
    expect(await ledger.claim(['f:evt:2', 'f:msg:1'], msg('re-push'))).toBe(false);
    expect(await ledger.claim(['f:evt:1', 'f:msg:9'], msg('odd'))).toBe(false);
    // Claims read in the same turn share one batch: the first claim of an id wins, a claim sharing one of its ids
    // records nothing, claims of other ids are recorded.
    const together = await Promise.all([
      ledger.claim(['f:evt:3', 'f:msg:3'], msg('third')),
      ledger.claim(['f:evt:4', 'f:msg:3'], msg('third again')),
      ledger.claim(['f:evt:5', 'f:msg:5'], msg('fifth')),
      ledger.claim(['f:evt:6', 'f:msg:1'], msg('first again')),
      ledger.claim('f:evt:7', msg('seventh')),
    ]);
    expect(together).toEqual([true, false, true, false, true]);
    expect((await rows(db)).map((r) => r.id)).toEqual(['f:evt:1', 'f:evt:3', 'f:evt:5', 'f:evt:7', 'f:msg:1', 'f:msg:3', 'f:msg:5']);
    const pending = await createInbox(db, clock).pendingWork('f:', 3600_000);
    expect(pending.map((w) => [w.id, w.payload.text])).toEqual([
      ['f:evt:1', 'first'],
      ['f:evt:3', 'third'],
      ['f:evt:5', 'fifth'],
      ['f:evt:7', 'seventh'],
    ]);
  });

  it('replays unfinished work once, even when two replicas start together; finished, foreign and stale rows are not replayed', async () => {
    const db = await openTempDb();
    const clock = movableClock();
    const inbox = createInbox(db, clock);
    await inbox.accept(['p:stale'], { kind: 'command', text: 'stale' });
    clock.advance(2 * 3600_000);
    await inbox.accept(['p:a'], { kind: 'command', text: 'a' });
    await inbox.accept(['p:b'], { kind: 'command', text: 'b' });
    await inbox.accept(['p:finished'], { kind: 'command', text: 'finished' });
    await inbox.done('p:finished');
    await inbox.accept(['other:x'], { kind: 'command', text: 'x' });
    clock.advance(60_000);

    const ran: string[] = [];
    const run = (w: PendingWork) => {
      ran.push(`${w.payload.text}#${w.payload.replays}`);
    };
    const [one, two] = await Promise.all([
      createInbox(db, clock).replayPending('p:', run),
      createInbox(db, clock).replayPending('p:', run),
    ]);
    expect(ran.sort()).toEqual(['a#1', 'b#1']);
    expect(one.replayed + two.replayed).toBe(2);
    const byId = Object.fromEntries((await rows(db)).map((r) => [r.id, r]));
    expect(byId['p:stale']!.doneAt).not.toBeNull(); // older than an hour: closed, not replayed
    expect(byId['p:a']!.doneAt).toBeNull(); // the job marks it done when it has run
    expect(JSON.parse(byId['p:a']!.payload!)).toEqual({ kind: 'command', text: 'a', replays: 1, replayedAt: clock.now().toISOString() });
    expect(byId['other:x']!.doneAt).toBeNull();
  });

  it('waits a grace period for young work (another replica may be running it), and gives up after too many replays', async () => {
    const db = await openTempDb();
    const clock = { now: () => new Date() };
    const inbox = createInbox(db, clock);
    await inbox.accept(['p:young'], { kind: 'command', text: 'young' });
    const ran: string[] = [];
    const handle = await inbox.replayPending('p:', (w) => void ran.push(String(w.payload.text)), { graceMs: 1500 });
    expect(handle.replayed).toBe(0);
    expect(ran).toEqual([]);
    // Received after this start: ours, not replayed by the later pass.
    await new Promise((r) => setTimeout(r, 20));
    await inbox.accept(['p:later'], { kind: 'command', text: 'later' });
    await handle.settled;
    expect(ran).toEqual(['young']);

    // A job that never finishes (say it crashes the process every time) is replayed at most MAX_REPLAYS times.
    const crashes: number[] = [];
    for (let start = 0; start < 5; start++) {
      await inbox.replayPending('p:', (w) => void crashes.push(w.payload.replays ?? 0), { graceMs: 0 });
    }
    // young: replays 2 and 3, then given up; later: replays 1, 2, 3, then given up.
    expect(crashes).toEqual([2, 1, 3, 2, 3]);
    expect(await inbox.pendingWork('p:', 3600_000)).toEqual([]);
    const r = (await rows(db)).find((x) => x.id === 'p:young')!;
    expect(r.doneAt).not.toBeNull();
  });
});

describe('pruning delivery records', () => {
  it('forgets only old records of the given platform', async () => {
    const db = await openTempDb();
    const old = new Date('2026-11-01T00:00:00Z');
    const recent = new Date('2026-11-25T00:00:00Z');
    await db.write(async (tx) => {
      await tx.processedDelivery.create({ data: { id: 'feishu:evt:old', receivedAt: old } });
      await tx.processedDelivery.create({ data: { id: 'feishu:evt:new', receivedAt: recent } });
      await tx.processedDelivery.create({ data: { id: 'slack:cmd:old', receivedAt: old } });
    });
    const clock = { now: () => new Date('2026-11-26T00:00:00Z') };
    expect(await pruneDeliveries(db, clock, 'feishu:')).toBe(1);
    const left = await db.read((tx) => tx.processedDelivery.findMany({ orderBy: { id: 'asc' } }));
    expect(left.map((r) => r.id)).toEqual(['feishu:evt:new', 'slack:cmd:old']);
  });
});

describe('forms in the outbox', () => {
  const form: Form = { id: 'risk.report', title: 'Report a risk', submitLabel: 'Report', fields: [{ kind: 'text', name: 'title', label: 'Title' }] };

  it('directForm queues a form row; the worker hands the form to the sender next to a readable fallback message', async () => {
    const db = await openTempDb();
    const person = { platform: 'feishu', workspaceId: 'T1', userId: 'ou_1' };
    await db.write(async (tx) => {
      await directForm(tx, person, form, { dedupeKey: 'k:form' });
      await directForm(tx, person, form, { dedupeKey: 'k:form' }); // deduplicated
      await directMessage(tx, person, { text: 'plain', summary: 'plain' });
    });
    const seen: { form?: Form; title?: string; text?: string }[] = [];
    const sender: PlatformSender = {
      platform: 'feishu',
      async send(row) {
        seen.push({ form: row.form, title: row.message.title, text: row.message.text });
        return { ok: true, messageId: `m${seen.length}` };
      },
    };
    expect(await createDeliveryWorker({ db, sender }).drain()).toBe(2);
    expect(seen).toEqual([{ form, title: 'Report a risk', text: undefined }, { form: undefined, title: undefined, text: 'plain' }]);
  });
});

describe('replaying the work of this instance', () => {
  it("replays at once what this instance accepted before its restart; another instance's young work waits for the grace period", async () => {
    const db = await openTempDb();
    const clock = { now: () => new Date() };
    await createInbox(db, clock, 'bot-1').accept(['p:mine'], { kind: 'command', text: 'mine' });
    await createInbox(db, clock, 'bot-2').accept(['p:theirs'], { kind: 'command', text: 'theirs' });
    const ran: string[] = [];
    const handle = await createInbox(db, clock, 'bot-1').replayPending('p:', (w) => void ran.push(String(w.payload.text)), { graceMs: 60_000 });
    expect(handle.replayed).toBe(1);
    expect(ran).toEqual(['mine']);
    handle.cancel();
  });

  it('commitDone is compare-and-set: a second done mark of the same delivery throws and rolls its transaction back', async () => {
    const db = await openTempDb();
    const inbox = createInbox(db, { now: () => new Date() });
    await inbox.accept(['p:once'], { kind: 'command' });
    await db.write((tx) => inbox.commitDone(tx, 'p:once'));
    await expect(
      db.write(async (tx) => {
        await tx.agendaTopic.create({ data: { text: 'twice', addedBy: { create: { platform: 'slack', workspaceId: 'T', userId: 'U' } }, status: 'open' } });
        await inbox.commitDone(tx, 'p:once');
      }),
    ).rejects.toThrow(/done already/);
    expect(await db.read((tx) => tx.agendaTopic.count())).toBe(0);
  });
});
