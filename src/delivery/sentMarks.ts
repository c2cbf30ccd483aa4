// Sent marks, coalesced: rows whose platform answered in the same turn of the event loop are marked together. Rows
// with nothing to queue after them are marked by statements each safe alone (outboxStore.markSent), which need no
// interactive transaction; a row that queues its chart commits the chart row with its mark (src/delivery/charts.ts).
// Marks go ahead of the work waiting in the database queue: a Slack row is sent only once the one before it is
// recorded, so each mark is on the path of every answer behind it.
import type { Db, Tx } from '../db/client.js';
import type { Clock } from '../usecases/types.js';
import { markSent, type SentRow } from './outboxStore.js';

/** Marks `row` sent soon (with the other rows answered in the same turn); `then` runs in the mark's transaction. */
export type MarkSentSoon = (row: SentRow, then?: (tx: Tx) => Promise<unknown>) => Promise<void>;

export function sentMarks(db: Db, platform: string, clock: Clock): MarkSentSoon {
  let marks: { row: SentRow; then?: (tx: Tx) => Promise<unknown>; resolve: () => void; reject: (e: unknown) => void }[] = [];
  return (row, then) =>
    new Promise<void>((resolve, reject) => {
      marks.push({ row, then, resolve, reject });
      if (marks.length > 1) return;
      setImmediate(() => {
        const batch = marks;
        marks = [];
        const rows = batch.map((m) => m.row);
        const plain = batch.every((m) => !m.then);
        (plain
          ? db.writeStatement((client) => markSent(client, platform, rows, clock.now()))
          : db.writeFirst(async (tx) => {
              await markSent(tx, platform, rows, clock.now());
              for (const m of batch) if (m.then) await m.then(tx);
            })
        ).then(
          () => batch.forEach((m) => m.resolve()),
          (error) => batch.forEach((m) => m.reject(error)),
        );
      });
    });
}
