// Child process of test/usecases/concurrency.test.ts: opens the same database as the parent and fires
// approvals at one adjustment, all at once at a given wall-clock instant, then prints the outcomes as JSON.
// Usage: node --import tsx test/support/concurrencyApprove.ts <database URL> <adjustment id> <startAtMs> <n> <userId…>
import { openDatabase } from '../../src/db/client.js';
import { createCore } from '../../src/usecases/core.js';
import { systemClock } from '../../src/usecases/types.js';

const [url, adjId, startAt, n, ...users] = process.argv.slice(2);
if (!url || !adjId || !startAt || !n || users.length === 0) throw new Error('usage: <url> <adjId> <startAtMs> <n> <userId…>');
const db = await openDatabase(url);
const core = createCore({ db, config: { timezone: 'Asia/Shanghai', locale: 'en', adminUsers: ['slack:UADMIN'] }, clock: systemClock });
await core.locale(); // warm up: modules loaded, connection open
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const outcomes = await Promise.all(
  Array.from({ length: Number(n) }, (_, i) => {
    const userId = users[i % users.length]!;
    return core.action({ platform: 'slack', workspaceId: 'T1', userId, displayName: userId }, `adj.approve:${adjId}`);
  }),
);
process.stdout.write(JSON.stringify(outcomes.map((o) => ({ ok: o.ok, text: o.reply?.text ?? '' }))));
await db.close();
