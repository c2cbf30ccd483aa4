// The playground end to end: startApp with no platform configured, the real Core, delivery worker and
// database, driven over HTTP the way the page drives it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import type { AppConfig } from '../../src/config/env.js';
import { demoScript } from '../../src/platforms/local/cast.js';
import { tempDbFile } from '../support/tempDb.js';

const config: AppConfig = {
  port: 0,
  host: '127.0.0.1',
  databaseUrl: `file:${tempDbFile('mktops-local-')}`,
  timezone: 'Asia/Shanghai',
  locale: 'en',
  adminUsers: [],
  logLevel: 'error',
};

let app: App;
let base: string;

beforeAll(async () => {
  app = await startApp(config, { delivery: { pollMs: 50, baseDelayMs: 50 } });
  base = `http://127.0.0.1:${app.port}`;
});

afterAll(async () => {
  await app?.close();
});

type Json = Record<string, any>;

async function post(path: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const command = (user: string, text: string, channel?: string) => post('/local/command', { user, text, channel });

async function feed(user: string, since = 0): Promise<{ cursor: number; locale: string; items: Json[] }> {
  const res = await fetch(`${base}/local/feed?user=${user}&since=${since}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { cursor: number; locale: string; items: Json[] };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function counts() {
  return app.db.read(async (tx) => ({
    adjustments: await tx.budgetAdjustment.count(),
    outbox: await tx.outboxMessage.count(),
    audit: await tx.auditLog.count(),
  }));
}

describe('local playground (end to end)', () => {
  it('is the only surface when no platform is configured, and serves a self-contained page', async () => {
    expect(app.surfaces.map((s) => s.platform)).toEqual(['local']);
    const res = await fetch(base + '/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<!doctype html>');
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html.match(/\shref="[^"]*"/g)).toEqual([' href="/favicon.svg"']);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('"Set up demo" runs real commands as Ada: roles, channel bindings, budget lines', async () => {
    const r = await post('/local/demo', {});
    expect(r.body).toMatchObject({ ok: true, status: 'done', message: 'Demo set up: 7 command(s) run as Ada (see her replies).' });
    expect(r.body.steps.map((s: Json) => [s.text, s.channel, s.ok, s.skipped])).toEqual(demoScript().map((s) => [s.text, s.channel, true, false]));
    for (const step of r.body.steps) expect(step.reply.html).toContain('class="card tone-success"');
    const state = await app.db.read(async (tx) => ({
      bindings: (await tx.channelBinding.findMany({ orderBy: { purpose: 'asc' } })).map((b) => [b.platform, b.workspaceId, b.purpose, b.channelId]),
      grants: (await tx.roleGrant.findMany({ include: { person: true } })).map((g) => [g.person.userId, g.role]).sort(),
      lines: (await tx.budgetLine.findMany({ orderBy: { code: 'asc' } })).map((l) => l.code),
    }));
    expect(state.bindings).toEqual([
      ['local', 'local', 'approvals', 'approvals'],
      ['local', 'local', 'leaders', 'leaders'],
      ['local', 'local', 'team', 'team'],
    ]);
    expect(state.grants).toEqual(expect.arrayContaining([['fei', 'finance'], ['li', 'leader']]));
    expect(state.lines).toEqual(['EVT', 'SEM']);
  });

  it('a bad command gets a localized error with the right syntax and writes nothing', async () => {
    const before = await counts();
    const r = await command('mia', '/budget request lots SEM more please');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(false);
    expect(r.body.reply.html).toContain('lots');
    expect(r.body.reply.message.tone).toBe('danger');
    const unknown = await command('mia', '/frobnicate now');
    expect(unknown.body.ok).toBe(false);
    expect(unknown.body.reply.message.summary).toContain('/frobnicate');
    expect(await counts()).toEqual(before);

    // And in Chinese once the bot's language is switched (through the real command).
    expect((await command('ada', '/mkt lang zh')).body.ok).toBe(true);
    const zh = await command('mia', '/frobnicate now');
    expect(zh.body.locale).toBe('zh-CN');
    expect(zh.body.reply.message.summary).toMatch(/[\u4e00-\u9fff]/);
    expect((await feed('mia')).locale).toBe('zh-CN');
    expect((await command('ada', '/mkt lang en')).body.ok).toBe(true);
  });

  it('bad JSON and invalid bodies are refused with 400 and write nothing', async () => {
    const before = await counts();
    const bad = await post('/local/command', '{"user":"mia","text":');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('The request body is not valid JSON.');
    const invalid = await post('/local/action', { user: 'mia', ref: 42 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toMatch(/^Invalid request: ref:/);
    expect(await counts()).toEqual(before);
  });

  it('a budget request by Mia becomes a card in #approvals; Fei approves it in place; Mia is told privately', async () => {
    const r = await command('mia', '/budget request 5000 SEM 2026-12 Double-12 search push');
    expect(r.body.ok).toBe(true);
    expect(r.body.reply).toBeDefined();

    // The approval card, delivered to #approvals, seen by Fei, with Approve / Reject buttons.
    const fei = await waitFor('the approval card', async () => {
      const f = await feed('fei');
      const card = f.items.find((i) => i.kind === 'post' && i.channel === 'approvals' && i.cardKey);
      return card && { f, card };
    });
    const card = fei.card;
    const buttons = [...(card.html as string).matchAll(/data-action="([^"]+)"/g)].map((m) => m[1]);
    expect(buttons).toEqual(expect.arrayContaining([expect.stringMatching(/^adj\.approve:\d+$/), expect.stringMatching(/^adj\.reject:\d+$/)]));
    expect(card.html).toContain('Double-12 search push');

    // Mia cannot approve her own request: a private refusal, the card does not change.
    const own = await post('/local/action', { user: 'mia', ref: buttons.find((b) => b.startsWith('adj.approve'))!, channel: 'approvals' });
    expect(own.body.ok).toBe(false);
    expect(own.body.reply?.html ?? own.body.toast).toBeTruthy();

    const dmsBefore = (await feed('mia')).items.filter((i) => i.kind === 'dm').length;
    const approve = buttons.find((b) => b.startsWith('adj.approve'))!;
    const click = await post('/local/action', { user: 'fei', ref: approve, channel: 'approvals' });
    expect(click.status).toBe(200);
    expect(click.body.ok).toBe(true);

    // The same message in the feed, updated in place: finance approved, now waiting for a leader.
    const updated = await waitFor('the card update', async () => {
      const f = await feed('fei', fei.f.cursor);
      const item = f.items.find((i) => i.id === card.id);
      return item?.updated && { item, cursor: f.cursor };
    });
    expect(updated.item.version).toBeGreaterThan(card.version);
    expect(updated.item.html).not.toBe(card.html);
    expect(updated.item.html).toContain('title="local:fei">@Fei</span>');
    const feiNow = await feed('fei');
    expect(feiNow.items.filter((i) => i.cardKey === card.cardKey && i.channel === 'approvals')).toHaveLength(1);

    // Mia's DMs show the notification; Max sees none of them.
    const miaDms = await waitFor('Mia’s notification', async () => {
      const dms = (await feed('mia')).items.filter((i) => i.kind === 'dm');
      return dms.length > dmsBefore && dms;
    });
    expect(miaDms.at(-1)!.channel).toBe('dm-mia');
    expect((await feed('max')).items.filter((i) => i.kind === 'dm')).toEqual([]);

    // An increase raises the yearly total, so a leader decides too. Fei cannot take that step as well;
    // Li can, and the card loses its buttons.
    expect(updated.item.html).toContain(`data-action="${approve}"`);
    expect((await post('/local/action', { user: 'fei', ref: approve, channel: 'approvals' })).body.ok).toBe(false);
    const leader = await post('/local/action', { user: 'li', ref: approve, channel: 'approvals' });
    expect(leader.body.ok).toBe(true);
    const final = await waitFor('the final card', async () => {
      const item = (await feed('li', updated.cursor)).items.find((i) => i.id === card.id);
      return item && !item.html.includes('data-action="adj.') && item;
    });
    expect(final.html).toContain('title="local:li">@Li</span>');
    await waitFor('Mia’s second notification', async () => (await feed('mia')).items.filter((i) => i.kind === 'dm').length > miaDms.length);

    // A click on the decided card changes nothing.
    const again = await post('/local/action', { user: 'li', ref: approve, channel: 'approvals' });
    expect(again.body.ok).toBe(false);
  });

  it('forms: a command without arguments opens the form; field errors come back; a good submission works', async () => {
    const open = await command('mia', '/budget request');
    expect(open.body.ok).toBe(true);
    const form = open.body.form;
    expect(form.html).toContain(`data-form="${form.id}"`);
    const names: string[] = form.form.fields.map((f: { name: string }) => f.name);
    expect(names.length).toBeGreaterThan(0);

    const before = await counts();
    const bad = await post('/local/submit', { user: 'mia', form: form.id, values: Object.fromEntries(names.map((n) => [n, n === 'line' ? 'SEM' : 'lots'])) });
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(Object.keys(bad.body.formErrors ?? {}).length).toBeGreaterThan(0);
    expect((await counts()).adjustments).toBe(before.adjustments);

    // The form's own initial values plus a good amount and reason go through.
    const initial = Object.fromEntries(form.form.fields.map((f: { name: string; initial?: string }) => [f.name, f.initial ?? '']));
    const good = await post('/local/submit', { user: 'max', form: form.id, values: { ...initial, line: 'EVT', amount: '1.5万', reason: 'Roadshow' } });
    expect(good.body).toMatchObject({ ok: true });
    expect(good.body.formErrors).toBeUndefined();
    expect((await counts()).adjustments).toBe(before.adjustments + 1);
    await waitFor('the second approval card', async () =>
      (await feed('fei')).items.find((i) => i.channel === 'approvals' && String(i.html).includes('Roadshow')),
    );
  });

  it('a risk title with <script> renders inert everywhere it is shown', async () => {
    const r = await command('mia', '/risk report legal 5 4 <script>alert("pwned")</script> leak');
    expect(r.body.ok).toBe(true);
    const replyHtml: string = r.body.reply?.html ?? '';
    expect(replyHtml).not.toMatch(/<script/i);
    // A high risk goes to #leaders.
    const item = await waitFor('the high-risk card', async () =>
      (await feed('li')).items.find((i) => i.channel === 'leaders' && String(i.message.title ?? i.message.text ?? '').includes('pwned')),
    );
    expect(item.html).not.toMatch(/<script/i);
    expect(item.html).toContain('&lt;script&gt;');
  });

  it('runs a scheduled job now, once per period', async () => {
    const first = await post('/local/job', { name: 'weekly-agenda' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, job: 'weekly-agenda', status: 'done' });
    expect(first.body.posts).toBeGreaterThan(0);
    await waitFor('the agenda in #team', async () => (await feed('max')).items.find((i) => i.channel === 'team'));
    const second = await post('/local/job', { name: 'weekly-agenda' });
    expect(second.body).toMatchObject({ ok: true, status: 'already-done', posts: 0 });
    expect(second.body.message).toBe(`Weekly agenda: already done for ${first.body.period}. Each scheduled post happens once per period.`);
  });

  it('the monthly report names the month it covers (the one before the run), first and on a repeat', async () => {
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
    const [y, m] = month.split('-').map(Number) as [number, number];
    const previous = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const first = await post('/local/job', { name: 'monthly-report' });
    expect(first.body).toMatchObject({ ok: true, status: 'done', period: month, covers: previous });
    expect(first.body.message).toBe(`Monthly variance report for ${previous} sent (${first.body.posts} message(s)).`);
    const again = await post('/local/job', { name: 'monthly-report' });
    expect(again.body.message).toBe(`Monthly variance report: already done for ${previous}. Each scheduled post happens once per period.`);
    expect(again.body.message).not.toContain(month);
  });

  it('"Set up demo" a second time says the demo is already set up, and runs nothing', async () => {
    const before = await counts();
    const again = await post('/local/demo', {});
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ok: true, status: 'already' });
    expect(again.body.message).toBe('The demo is already set up: roles, chats and budget lines are all in place. Nothing was run again.');
    expect(again.body.steps.every((s: Json) => s.skipped && !s.reply)).toBe(true);
    expect(await counts()).toEqual(before);
    // Something missing (a line of another year, a new binding) is set up again, and only that.
    await app.db.write((tx) => tx.channelBinding.deleteMany({ where: { purpose: 'team' } }));
    const partly = await post('/local/demo', {});
    expect(partly.body).toMatchObject({ ok: true, status: 'done' });
    expect(partly.body.steps.filter((s: Json) => !s.skipped).map((s: Json) => s.text)).toEqual(['/mkt channel team here']);
    expect(partly.body.message).toBe("Demo set up: 1 command(s) run as Ada (see her replies); 6 step(s) were already in place.");
  });
});
