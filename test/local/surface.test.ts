// The playground surface on its own: a real database, delivery worker and HTTP server, and a scripted Core
// that writes outbox rows the way use-cases do. (test/local/playground.test.ts drives the real Core.)
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/worker.js';
import { createLocalSurface } from '../../src/platforms/local/index.js';
import { createHttpServer, listen } from '../../src/server/http.js';
import { directMessage, postToChannel, updateCard } from '../../src/usecases/notify.js';
import type { Actor, Core, FormValues, Outcome } from '../../src/usecases/types.js';
import type { AppConfig } from '../../src/config/env.js';
import type { Server } from 'node:http';
import { openTempDb } from '../support/tempDb.js';

const config: AppConfig = {
  port: 0,
  host: '127.0.0.1',
  databaseUrl: 'file::memory:',
  timezone: 'Asia/Shanghai',
  locale: 'en',
  adminUsers: [],
  logLevel: 'error',
};

function scriptedCore(db: Db, seen: { actors: Actor[]; texts: string[]; mentions: unknown[]; values: FormValues[] }): Core {
  const ok = (text: string): Outcome => ({ ok: true, reply: { text, summary: text }, locale: 'en' });
  return {
    async locale() {
      return 'en';
    },
    async command(actor, text, opts) {
      seen.actors.push(actor);
      seen.texts.push(text);
      seen.mentions.push(opts?.mentions);
      if (text.startsWith('/request')) {
        await db.write(async (tx) => {
          await postToChannel(tx, { platform: 'local', workspaceId: 'local', channelId: 'approvals' }, {
            title: 'Request ADJ-1 <script>alert(1)</script>',
            fields: [{ label: 'Amount', value: '¥5,000.00' }],
            buttons: [{ label: 'Approve', action: 'adj.approve:1', style: 'primary' }],
            summary: 'Request ADJ-1',
          }, { cardKey: 'ADJ-1' });
          await directMessage(tx, { platform: 'local', workspaceId: 'local', userId: actor.userId }, { text: 'You asked for ADJ-1', summary: 'asked' });
          await tx.outboxMessage.create({
            data: { platform: 'local', workspaceId: 'local', kind: 'ephemeral', target: `approvals/${actor.userId}`, payload: JSON.stringify({ message: { text: 'psst', summary: 'psst' } }), status: 'pending' },
          });
        });
        return ok('Requested ADJ-1');
      }
      if (text.startsWith('/form')) {
        return { ok: true, openForm: { id: 'budget.request', title: 'Request', submitLabel: 'Send', fields: [{ kind: 'money', name: 'amount', label: 'Amount', required: true }] }, locale: 'en' };
      }
      return { ok: false, reply: { tone: 'danger', text: 'Unknown command "/nope".', summary: 'Unknown command "/nope".' }, locale: 'en' };
    },
    async action(actor, ref) {
      seen.actors.push(actor);
      const approved = { title: 'Request ADJ-1', text: `Approved by <@local:${actor.userId}|${actor.displayName}>`, summary: 'Approved' };
      await db.write(async (tx) => {
        await updateCard(tx, 'ADJ-1', approved);
        await directMessage(tx, { platform: 'local', workspaceId: 'local', userId: 'mia' }, { text: 'ADJ-1 approved', summary: 'ADJ-1 approved' });
      });
      return { ok: true, toast: `clicked ${ref}`, updatedCard: { cardKey: 'ADJ-1', message: approved }, locale: 'en' };
    },
    async submit(actor, form, values) {
      seen.actors.push(actor);
      seen.values.push(values);
      if (values.amount === 'lots') return { ok: false, formErrors: { amount: 'Not an amount: "lots"' }, locale: 'en' };
      return ok(`submitted ${form}`);
    },
  };
}

let db: Db;
let server: Server;
let worker: DeliveryWorker;
let base: string;
const seen = { actors: [] as Actor[], texts: [] as string[], mentions: [] as unknown[], values: [] as FormValues[] };
const jobRuns: string[] = [];

beforeAll(async () => {
  db = await openTempDb();
  const core = scriptedCore(db, seen);
  let kick = () => {};
  const surface = createLocalSurface(
    { config, core, db, clock: { now: () => new Date() }, kickDelivery: () => kick() },
    { jobs: { names: ['weekly-agenda'], run: async (name) => (jobRuns.push(name), { status: 'done' as const, period: '2026-W48', posts: 1 }) } },
  );
  worker = createDeliveryWorker({ db, sender: surface.sender, pollMs: 50 });
  kick = () => worker.kick();
  server = createHttpServer({ routes: surface.routes, health: () => ({}) });
  const port = await listen(server, 0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
  await db.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method: 'POST',
    // A browser sends the page's Origin with every POST it makes.
    headers: { 'content-type': 'application/json', origin: base, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function feed(user: string, since = 0) {
  const res = await fetch(`${base}/local/feed?user=${user}&since=${since}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { cursor: number; locale: string; items: any[] };
}

async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('local playground surface', () => {
  it('passes commands to the core as the picked user, from the picked chat, with @mentions translated', async () => {
    const r = await post('/local/command', { user: 'ada', text: '/mkt role @fei finance', channel: 'team' });
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(false);
    expect(r.body.reply.html).toContain('Unknown command &quot;/nope&quot;.');
    expect(seen.actors.at(-1)).toEqual({ platform: 'local', workspaceId: 'local', userId: 'ada', displayName: 'Ada', channelId: 'team' });
    expect(seen.texts.at(-1)).toBe('/mkt role @_user_1 finance');
    expect(seen.mentions.at(-1)).toEqual({ '@_user_1': { userId: 'fei', name: 'Fei' } });
    await post('/local/command', { user: 'max', text: '/budget' });
    expect(seen.actors.at(-1)!.channelId).toBe('dm-max');
  });

  it('delivers cards to channel panes, DMs and ephemerals only to their person, and updates cards in place', async () => {
    const r = await post('/local/command', { user: 'mia', text: '/request 5000 SEM test' });
    expect(r.body).toMatchObject({ ok: true, toast: 'Requested ADJ-1' });

    const fei = await waitFor(async () => {
      const f = await feed('fei');
      return f.items.some((i) => i.cardKey === 'ADJ-1') && f;
    });
    const card = fei.items.find((i) => i.cardKey === 'ADJ-1')!;
    expect(card).toMatchObject({ kind: 'post', channel: 'approvals', updated: false });
    expect(card.html).toContain('data-action="adj.approve:1"');
    expect(card.html).toContain('&lt;script&gt;');
    expect(card.html).not.toContain('<script');
    expect(fei.items.filter((i) => i.kind !== 'post')).toEqual([]); // Mia's DM and ephemeral are hers

    const mia = await waitFor(async () => {
      const f = await feed('mia');
      return f.items.length === 3 && f;
    });
    expect(mia.items.map((i) => [i.kind, i.channel])).toEqual([
      ['post', 'approvals'],
      ['dm', 'dm-mia'],
      ['ephemeral', 'approvals'],
    ]);

    const click = await post('/local/action', { user: 'fei', ref: 'adj.approve:1', channel: 'approvals' });
    expect(click.body.ok).toBe(true);
    expect(click.body.updatedCard.cardKey).toBe('ADJ-1');
    expect(click.body.updatedCard.html).toContain('@Fei');
    expect(seen.actors.at(-1)).toMatchObject({ userId: 'fei', channelId: 'approvals' });

    const since = fei.cursor;
    // The cursor is conservative (it stops before the first row still being sent), so the card's first version may
    // come again before its update has been delivered: wait for the edited version.
    const changes = await waitFor(async () => {
      const f = await feed('fei', since);
      return f.items.some((i) => i.cardKey === 'ADJ-1' && i.version > card.version) && f;
    });
    const updated = changes.items.find((i) => i.cardKey === 'ADJ-1')!;
    expect(updated.id).toBe(card.id); // same message, edited in place
    expect(updated.updated).toBe(true);
    expect(updated.version).toBeGreaterThan(card.version);
    expect(updated.html).not.toContain('data-action'); // no stale buttons
    expect(updated.html).toContain('Approved by <span class="mention" title="local:fei">@Fei</span>');

    const miaDms = await waitFor(async () => {
      const f = await feed('mia');
      const dms = f.items.filter((i) => i.kind === 'dm');
      return dms.length === 2 && dms;
    });
    expect(miaDms.map((i) => i.message.summary)).toEqual(['asked', 'ADJ-1 approved']);

    // Nothing new: an empty page of changes.
    const settled = await feed('fei');
    expect((await feed('fei', settled.cursor)).items).toEqual([]);
  });

  it('opens forms as HTML and returns per-field errors', async () => {
    const r = await post('/local/command', { user: 'mia', text: '/form' });
    expect(r.body.form.id).toBe('budget.request');
    expect(r.body.form.html).toContain('<form class="bot-form" data-form="budget.request"');
    const bad = await post('/local/submit', { user: 'mia', form: 'budget.request', values: { amount: 'lots' } });
    expect(bad.body).toMatchObject({ ok: false, formErrors: { amount: 'Not an amount: "lots"' } });
    const good = await post('/local/submit', { user: 'mia', form: 'budget.request', values: { amount: '5000', tags: ['a', 'b'] } });
    expect(good.body).toMatchObject({ ok: true, toast: 'submitted budget.request' });
    expect(seen.values.at(-1)).toEqual({ amount: '5000', tags: ['a', 'b'] });
  });

  it('refuses bad requests with 4xx and a clear message, before reaching the core', async () => {
    const before = seen.actors.length;
    const badJson = await post('/local/command', '{"user": "mia", text');
    expect(badJson).toEqual({ status: 400, body: { ok: false, error: 'local.error.bad_json', message: 'The request body is not valid JSON.' } });

    const unknownUser = await post('/local/command', { user: 'mallory', text: '/budget' });
    expect(unknownUser.status).toBe(400);
    expect(unknownUser.body.message).toMatch(/^Invalid request: user: /);

    const extra = await post('/local/action', { user: 'mia', ref: 'adj.approve:1', admin: true });
    expect(extra.status).toBe(400);
    const empty = await post('/local/command', { user: 'mia', text: '   ' });
    expect(empty.status).toBe(400);
    const badValues = await post('/local/submit', { user: 'mia', form: 'x', values: { a: 1 } });
    expect(badValues.status).toBe(400);

    const big = await post('/local/command', { user: 'mia', text: 'x'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body.message).toBe('The request body is larger than 65536 bytes.');
    // Far larger (5 MB): still a 413 the client can read, not a connection reset.
    const huge = await post('/local/submit', { user: 'mia', form: 'budget.request', values: { reason: 'x'.repeat(5 * 1024 * 1024) } });
    expect(huge.status).toBe(413);

    const plain = await fetch(base + '/local/command', { method: 'POST', headers: { 'content-type': 'text/plain', origin: base }, body: JSON.stringify({ user: 'mia', text: '/budget' }) });
    expect(plain.status).toBe(415);
    const foreign = await post('/local/command', { user: 'mia', text: '/budget' }, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    // No Origin at all: not from the page (curl, a script, a browser extension's background request).
    for (const path of ['/local/command', '/local/action', '/local/submit', '/local/job', '/local/demo']) {
      const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'mia', text: '/budget' }) });
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(((await res.json()) as { message: string }).message).toMatch(/^Only the playground page may send this request/);
    }

    const badFeed = await fetch(`${base}/local/feed?user=mallory`);
    expect(badFeed.status).toBe(400);
    expect(seen.actors.length).toBe(before);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const url = new URL(base);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: url.port, path: '/local/feed?user=mia', headers: { host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('runs scheduled jobs by name', async () => {
    const r = await post('/local/job', { name: 'weekly-agenda' });
    expect(r.body).toMatchObject({ ok: true, job: 'weekly-agenda', message: 'Weekly agenda for 2026-W48 posted (1 message(s)).' });
    expect(jobRuns).toEqual(['weekly-agenda']);
    expect((await post('/local/job', { name: 'rm -rf' })).status).toBe(400);
  });

  it('serves the page with a strict content security policy', async () => {
    const res = await fetch(base + '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('data-job');
    expect(html).toContain('"jobs":["weekly-agenda"]');
  });

  it('answers HEAD on the page and on /healthz, serves a favicon, and says which methods a path has', async () => {
    for (const path of ['/', '/healthz', '/favicon.ico']) {
      const res = await fetch(base + path, { method: 'HEAD' });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(await res.text()).toBe('');
    }
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const icon = await fetch(base + path);
      expect(icon.headers.get('content-type')).toBe('image/svg+xml');
      expect(await icon.text()).toMatch(/^<svg [^>]*viewBox="0 0 32 32"/);
    }
    const page = await fetch(base + '/', { method: 'POST', headers: { origin: base } });
    expect(page.status).toBe(405);
    expect(page.headers.get('allow')).toBe('GET, HEAD');
    await page.arrayBuffer();
    const missing = await fetch(base + '/nope', { method: 'HEAD' });
    expect(missing.status).toBe(404);
  });
});
