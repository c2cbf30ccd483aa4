// Delegation, escalation and the audit trail in the playground, over HTTP the way the page drives it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import type { AppConfig } from '../../src/config/env.js';
import { demoScript } from '../../src/platforms/local/cast.js';
import { createScheduler } from '../../src/scheduler/index.js';
import { tempDbFile } from '../support/tempDb.js';
import { waitFor } from '../support/waitFor.js';

const config: AppConfig = {
  port: 0,
  host: '127.0.0.1',
  databaseUrl: `file:${tempDbFile('mktops-local-approvals-')}`,
  timezone: 'Asia/Shanghai',
  locale: 'en',
  adminUsers: [],
  logLevel: 'error',
};
const HOUR = 3_600_000;

let app: App;
let base: string;
type Json = Record<string, any>;

async function post(path: string, body: unknown): Promise<Json> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}
const command = (user: string, text: string, channel?: string) => post('/local/command', { user, text, channel });
const feed = async (user: string): Promise<Json[]> => ((await (await fetch(`${base}/local/feed?user=${user}&since=0`)).json()) as { items: Json[] }).items;

beforeAll(async () => {
  app = await startApp(config, { delivery: { pollMs: 50, baseDelayMs: 50 } });
  base = `http://127.0.0.1:${app.port}`;
  for (const step of demoScript()) expect((await command('ada', step.text, step.channel)).ok).toBe(true);
});
afterAll(async () => app?.close());

describe('playground: delegate → escalation → stand-in approves → /audit', () => {
  it('shows "on behalf of" on the card and the whole history in /audit', async () => {
    const set = await command('fei', '/mkt delegate @max finance');
    expect(set.ok, JSON.stringify(set.reply?.message)).toBe(true);
    await waitFor(async () => (await feed('max')).some((i) => i.kind === 'dm' && /stand-in/.test(i.html)), { what: 'start notice to Max' });

    expect((await command('mia', '/budget request 8000 SEM Search push before launch')).ok).toBe(true);
    const card = await waitFor(async () => (await feed('fei')).find((i) => i.kind === 'post' && i.channel === 'approvals' && i.cardKey === 'ADJ-1'), { what: 'approval card' });

    const scheduler = createScheduler({ db: app.db, config: { timezone: 'Asia/Shanghai', locale: 'en', adminUsers: [] }, clock: { now: () => new Date(Date.now() + 49 * HOUR) }, timers: false });
    expect((await scheduler.events()).map((r) => r.key)).toEqual(['ADJ-1:finance']);
    const escalated = await waitFor(async () => (await feed('max')).find((i) => i.kind === 'dm' && i.cardKey === 'ADJ-1' && /Escalated/.test(i.html)), { what: 'escalated copy to Max' });
    await waitFor(async () => (await feed('li')).some((i) => i.channel === 'leaders' && /Escalated/.test(i.html)), { what: 'escalation in #leaders' });

    const approve = [...(escalated.html as string).matchAll(/data-action="([^"]+)"/g)].map((m) => m[1]).find((a) => a?.startsWith('adj.approve'))!;
    const click = await post('/local/action', { user: 'max', ref: approve, channel: 'dm' });
    expect(click.ok, JSON.stringify(click)).toBe(true);
    const updated = await waitFor(async () => (await feed('fei')).find((i) => i.id === card.id && /on behalf of/.test(i.html)), { what: 'card updated in place' });
    expect(updated.html).toMatch(/title="local:max">@Max<\/span> on behalf of <span[^>]*title="local:fei">@Fei<\/span>/);
    expect(updated.html).toContain('Escalated after 48 h');

    const audit = await command('mia', '/audit ADJ-1');
    expect(audit.ok).toBe(true);
    const html = audit.reply.html as string;
    expect(html).toContain('Audit trail — ADJ-1');
    expect(html).toContain('escalated after 48 h waiting for finance review');
    expect(html).toContain('as stand-in under DLG-1');
    expect(html.indexOf('escalated after')).toBeLessThan(html.indexOf('finance approved'));
    expect(html).toContain('Times in Asia/Shanghai');
  });
});
