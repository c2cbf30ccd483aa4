// The annual plan in the playground end to end, through the page's routes against the real Core: the import form
// with its file picker (POST /local/import) and pasted cells, a progress note in the feed before the result,
// submit → finance → leader by clicks with the card updated in place, and `/budget export` downloaded from the feed
// with the numbers that went in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import type { AppConfig } from '../../src/config/env.js';
import { planAsTsv, planAsXlsx, seasonalPlan } from '../support/planFixtures.js';
import { tempDbFile } from '../support/tempDb.js';
import { waitFor } from '../support/waitFor.js';
import { readWorkbook } from '../support/xlsx.js';

const config: AppConfig = {
  port: 0,
  host: '127.0.0.1',
  databaseUrl: `file:${tempDbFile('mktops-local-plan-')}`,
  timezone: 'Asia/Shanghai',
  locale: 'en',
  adminUsers: [],
  logLevel: 'error',
};

let app: App;
let base: string;
type Json = Record<string, any>;

async function post(path: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
}
const command = (user: string, text: string, channel?: string) => post('/local/command', { user, text, ...(channel ? { channel } : {}) });
async function feed(user: string): Promise<Json[]> {
  return ((await (await fetch(`${base}/local/feed?user=${user}&since=0`)).json()) as { items: Json[] }).items;
}
const plan = seasonalPlan(80);
const expected = plan.map((l) => ({ code: l.code, months: l.months }));
const lineMonths = (year: number) =>
  app.db.read(async (tx) =>
    (await tx.planLine.findMany({ where: { plan: { year } }, orderBy: { code: 'asc' } })).map((l) => ({ code: l.code, months: JSON.parse(l.months) as number[] })),
  );

beforeAll(async () => {
  app = await startApp(config, { delivery: { pollMs: 50, baseDelayMs: 50 }, progressAfterMs: 0 });
  base = `http://127.0.0.1:${app.port}`;
  for (const [text, channel] of [
    ['/mkt role @fei finance', 'dm'],
    ['/mkt role @li leader', 'dm'],
    ['/mkt channel approvals here', 'approvals'],
  ] as const) {
    expect((await command('ada', text, channel)).body.ok).toBe(true);
  }
});
afterAll(async () => app?.close());

describe('annual plan in the playground', () => {
  it('the import form has a file picker; the file goes in through /local/import, with a progress note first', async () => {
    expect((await command('mia', '/budget plan new 2031')).body.ok).toBe(true);
    const opened = await command('mia', '/budget plan import 2031');
    expect(opened.body.form.id).toBe('plan.import');
    expect(opened.body.form.html).toContain('type="file"');
    const bytes = await planAsXlsx(plan);
    const res = await post('/local/import', { user: 'mia', year: '2031', name: 'plan-2031.xlsx', data: bytes.toString('base64') });
    expect(res.status).toBe(200);
    expect(res.body.reply.message.text).toContain('Imported 80 lines into the 2031 draft');
    expect(await lineMonths(2031)).toEqual(expected);
    const note = await waitFor(async () => (await feed('mia')).find((i) => String(i.message.text ?? '').startsWith('Importing plan-2031.xlsx')), { what: 'progress note' });
    expect(note.privateTo).toBe('mia');
    expect((await feed('max')).some((i) => String(i.message.text ?? '').startsWith('Importing'))).toBe(false);
    // A bad file changes nothing and says why.
    const bad = await post('/local/import', { user: 'mia', year: '2031', name: 'plan.csv', data: Buffer.from('\u0000\u0001PK binary').toString('base64') });
    expect(bad.body.ok).toBe(false);
    expect(await lineMonths(2031)).toEqual(expected);
  });

  it('pasted cells give the same numbers', async () => {
    expect((await command('max', '/budget plan new 2032')).body.ok).toBe(true);
    const pasted = await command('max', `/budget plan import 2032\n${planAsTsv(plan)}`);
    expect(pasted.body.reply.message.text).toContain('Imported 80 lines');
    expect(await lineMonths(2032)).toEqual(expected);
  });

  it('submit → finance → leader by clicks, the card updated in place; the export downloads with the same numbers', async () => {
    expect((await command('mia', '/budget plan submit 2031')).body.ok).toBe(true);
    // The card waits in the outbox behind the first chart this process draws (the pasted import's answer above): a
    // cold start of the chart engine takes seconds on a loaded 2-core machine, so allow for it.
    const card = await waitFor(async () => (await feed('fei')).find((i) => i.cardKey === 'PLAN-2031'), { what: 'plan card in approvals', timeoutMs: 30_000 });
    expect(card.channel).toBe('approvals');
    const approve = (c: Json) => (c.message.buttons as { action: string }[]).find((b) => b.action.startsWith('plan.approve'))!.action;
    expect((await post('/local/action', { user: 'mia', ref: approve(card) })).body.ok).toBe(false);
    const reviewed = await post('/local/action', { user: 'fei', ref: approve(card), channel: 'approvals' });
    expect(reviewed.body.ok).toBe(true);
    const atLeader = await waitFor(async () => (await feed('li')).find((i) => i.cardKey === 'PLAN-2031' && i.channel === 'approvals' && i.html.includes('Waiting for leadership approval')), { what: 'card at the leader step' });
    expect(atLeader.id).toBe(card.id); // the same message, updated
    expect((await post('/local/action', { user: 'li', ref: approve(atLeader), channel: 'approvals' })).body.ok).toBe(true);
    const done = await waitFor(async () => (await feed('li')).find((i) => i.id === card.id && i.html.includes('Approved (locked)')), { what: 'card approved' });
    expect(done.message.buttons ?? []).toEqual([]);

    expect((await command('fei', '/budget export 2031')).body.ok).toBe(true);
    const item = await waitFor(async () => (await feed('fei')).find((i) => i.file?.name === 'budget-2031.xlsx'), { what: 'export in the feed' });
    const file = await fetch(`${base}/local/file?id=${item.file.id}&user=fei`);
    expect(file.status).toBe(200);
    const book = await readWorkbook(Buffer.from(await file.arrayBuffer()));
    for (const l of plan) {
      const row = book.Plan!.find((r) => r[0] === l.code)!;
      expect((row.slice(5) as number[]).map((v) => Math.round(v * 100))).toEqual(l.months);
    }
  });
});
