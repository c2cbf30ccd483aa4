// The playground at scale, driven over HTTP like the page: 300 budget lines (some with hostile names), 100 risks and
// 100 topics. Lists come in pages with their totals (the same messages as on Slack and Feishu), every typed
// character shows as text in the HTML, and every line can be chosen in the forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import type { AppConfig } from '../../src/config/env.js';
import { localMonth } from '../../src/domain/time.js';
import { lineCode, seedLines, seedPerson, seedRisks, seedTopics } from '../support/bigData.js';
import { HOSTILE_NAME } from '../support/hostile.js';
import { tempDbFile } from '../support/tempDb.js';
import { htmlVisible } from '../support/visible.js';

const config: AppConfig = {
  port: 0,
  host: '127.0.0.1',
  databaseUrl: `file:${tempDbFile('mktops-local-limits-')}`,
  timezone: 'Asia/Shanghai',
  locale: 'en',
  adminUsers: [],
  logLevel: 'error',
};
const month = localMonth(new Date(), 'Asia/Shanghai');

let app: App;
let base: string;
type Json = Record<string, any>;

beforeAll(async () => {
  app = await startApp(config, { delivery: { pollMs: 50, baseDelayMs: 50 } });
  base = `http://127.0.0.1:${app.port}`;
  const fei = await seedPerson(app.db, { platform: 'local', workspaceId: 'local', userId: 'fei', displayName: 'Fei' });
  await seedLines(app.db, { year: Number(month.slice(0, 4)), n: 300, spendMonth: month, personId: fei });
  await seedRisks(app.db, { n: 100, reporterId: fei });
  await seedTopics(app.db, { n: 100, addedById: fei });
}, 60_000);
afterAll(async () => app?.close());

async function post(path: string, body: unknown): Promise<Json> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

/** A command's reply, then every next page (the page's "Next" button, data-action="page:…"). */
async function pages(text: string, view: string): Promise<string[]> {
  const html: string[] = [(await post('/local/command', { user: 'mia', text })).reply.html];
  for (let guard = 0; guard < 100; guard++) {
    const next = [...html.at(-1)!.matchAll(/data-action="(page:[^"]+)">([^<]*)</g)].find((m) => m[1]!.startsWith(`page:${view}:`) && /Next/.test(m[2]!));
    if (!next) break;
    html.push((await post('/local/action', { user: 'mia', ref: next[1]!.replace(/&amp;/g, '&') })).reply.html);
  }
  return html;
}

describe('the playground at scale', () => {
  it('/budget and /budget lines: all 300 lines over the pages, totals on each, hostile names as text', async () => {
    for (const [text, view, total] of [
      ['/budget', 'budget.status', 'Total — Plan ¥3,000,000.00'],
      ['/budget lines', 'budget.lines', '300 lines, ¥36,000,000.00 a year in all'],
    ] as const) {
      const html = await pages(text, view);
      expect(html.length).toBeGreaterThan(1);
      for (const page of html) expect(htmlVisible(page).text).toContain(total);
      const all = htmlVisible(html.join('')).text;
      const seen = new Set(all.match(/\bL\d{3}\b/g));
      expect(Array.from({ length: 300 }, (_, i) => lineCode(i + 1)).filter((c) => !seen.has(c))).toEqual([]);
      expect(all).toContain(HOSTILE_NAME);
      expect(htmlVisible(html.join('')).mentions).toEqual([]);
    }
  });

  it('/risk list and the agenda topics: all 100 of each', async () => {
    const risks = htmlVisible((await pages('/risk list', 'risk.list')).join('')).text;
    for (let i = 1; i <= 100; i++) expect(risks).toContain(`R${i} `);
    const agenda = (await post('/local/command', { user: 'mia', text: '/agenda' })).reply.html as string;
    expect(agenda).toContain('data-action="page:agenda.topics:1"');
    const first = (await post('/local/action', { user: 'mia', ref: 'page:agenda.topics:1' })).reply.html as string;
    const topics: string[] = [first];
    for (let n = 2; n < 100; n++) {
      if (!topics.at(-1)!.includes(`page:agenda.topics:${n}"`)) break;
      topics.push((await post('/local/action', { user: 'mia', ref: `page:agenda.topics:${n}` })).reply.html);
    }
    const text = htmlVisible(topics.join('')).text;
    for (let i = 1; i <= 100; i++) expect(text).toContain(`T${i} `);
  });

  it('the request form lists every line, and a typed code is matched', async () => {
    const form = (await post('/local/command', { user: 'mia', text: '/budget request' })).form;
    const line = form.form.fields.find((f: Json) => f.name === 'line');
    expect(line.options).toHaveLength(300);
    expect((form.html as string).match(/<option value="L\d{3}"/g)).toHaveLength(300);
    const r = await post('/local/submit', { user: 'mia', form: form.id, values: { line: 'l300', amount: '500', month, reason: 'typed' } });
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
});
