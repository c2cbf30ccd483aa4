// How many outbox rows a scheduled job wrote, without reading the outbox. A count(*) of the outbox before and after
// the job would read the whole table inside the job's transaction; on PostgreSQL (SERIALIZABLE) that read conflicts
// with every row another replica's delivery marks sent meanwhile, so a long job (reminders for hundreds of requests)
// would lose its transaction again and again. The job's transaction is wrapped instead, counting the rows it creates
// (with Prisma's create calls, or with queueOnce's own INSERT, which reports them through OUTBOX_ROWS_INSERTED).
import type { Tx } from '../db/client.js';
import { OUTBOX_ROWS_INSERTED } from '../delivery/outboxStore.js';

export function countingOutboxWrites(tx: Tx): { tx: Tx; written: () => number } {
  let written = 0;
  const bind = (target: object, value: unknown) => (typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value);
  const outbox = new Proxy(tx.outboxMessage, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (prop === 'create' || prop === 'upsert')
        return async (...args: unknown[]) => {
          const row = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          written++;
          return row;
        };
      if (prop === 'createMany')
        return async (...args: unknown[]) => {
          const result = (await (value as (...a: unknown[]) => Promise<{ count: number }>).apply(target, args)) as { count: number };
          written += result.count;
          return result;
        };
      return bind(target, value);
    },
  });
  const wrapped = new Proxy(tx, {
    get(target, prop) {
      if (prop === OUTBOX_ROWS_INSERTED) return (n: number) => (written += n);
      return prop === 'outboxMessage' ? outbox : bind(target, Reflect.get(target, prop));
    },
  });
  return { tx: wrapped, written: () => written };
}
