// What every Slack listener is given: the core, the delivery ledger (records accepted work before the ack), the work
// queue (admission: under a flood requests are acknowledged at the speed the work is done) and the runner that does
// the work after the ack (../work.ts).
import type { SurfaceDeps } from '../../surface.js';
import type { createDeliveryLedger } from '../ledger.js';
import type { SlackWorkRunner } from '../work.js';
import type { WorkQueue } from '../../../delivery/workQueue.js';
import type { Inbox } from '../../../delivery/inbox.js';

export interface ListenerContext {
  core: SurfaceDeps['core'];
  db: SurfaceDeps['db'];
  ledger: ReturnType<typeof createDeliveryLedger>;
  inbox: Inbox;
  work: WorkQueue;
  runner: SlackWorkRunner;
}

/** The longest a command or click waits for room in the work queue before it is recorded and acknowledged. */
export const ADMIT_WAIT_MS = 1000;

/** Slack escapes `&`, `<` and `>` in command and message text; `&amp;` is decoded last (so `&amp;lt;` stays `&lt;`). */
export function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
