// Files in the playground: a file the bot sends shows under its message with a download link, served from the
// database only to the person it was sent to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import type { AppConfig } from '../../src/config/env.js';
import { tempDbFile } from '../support/tempDb.js';
import { waitFor } from '../support/waitFor.js';
import { readWorkbook } from '../support/xlsx.js';

const config: AppConfig = {
  port: 0,
  host: '127.0.0.1',
  databaseUrl: `file:${tempDbFile('mktops-local-files-')}`,
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
afterAll(async () => app?.close());

async function command(user: string, text: string) {
  const res = await fetch(`${base}/local/command`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ user, text }) });
  return (await res.json()) as { ok: boolean; reply?: { message: { text?: string } } };
}

async function feedItems(user: string): Promise<any[]> {
  const res = await fetch(`${base}/local/feed?user=${user}&since=0`);
  return ((await res.json()) as { items: any[] }).items;
}

describe('playground files', () => {
  it('/budget plan template: a DM with a download link; the file downloads as XLSX for its owner only', async () => {
    const out = await command('mia', '/budget plan template 2031');
    expect(out.ok).toBe(true);
    expect(out.reply?.message.text).toContain('direct chat');
    const item = await waitFor(async () => (await feedItems('mia')).find((i) => i.file), { what: 'file in the feed' });
    expect(item.kind).toBe('dm');
    expect(item.file.name).toBe('budget-plan-2031-template.xlsx');
    expect(item.html).toContain(`/local/file?id=${item.file.id}&amp;user=mia`);

    const res = await fetch(`${base}/local/file?id=${item.file.id}&user=mia`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toContain('attachment; filename="budget-plan-2031-template.xlsx"');
    const book = await readWorkbook(Buffer.from(await res.arrayBuffer()));
    expect(book.Plan![0]![0]).toBe('code');

    // Someone else cannot fetch Mia's DM file; nor can a bad id.
    expect((await fetch(`${base}/local/file?id=${item.file.id}&user=max`)).status).toBe(404);
    expect((await fetch(`${base}/local/file?id=999999&user=mia`)).status).toBe(404);
    expect((await fetch(`${base}/local/file?id=abc&user=mia`)).status).toBe(400);
    expect((await feedItems('max')).some((i) => i.file)).toBe(false);
  });

  it('/budget chart: the figures answer at once; the chart follows inline, an <img> served from the database', async () => {
    expect((await command('ada', '/budget line add SEM 120000 Search ads')).ok).toBe(true);
    const out = await command('mia', '/budget chart');
    expect(out.ok).toBe(true);
    const answer = JSON.stringify(out.reply);
    expect(answer).toContain('Search ads');
    expect(answer).toContain('Chart follows.');
    expect(answer).not.toContain('"chart":');
    const item = await waitFor(async () => (await feedItems('mia')).find((i) => i.file?.name?.startsWith('chart-budget-use-')), {
      what: 'chart in the feed',
      timeoutMs: 30_000,
    });
    expect(item.kind).toBe('ephemeral');
    expect(item.html).toContain(`<img src="/local/file?id=${item.file.id}&amp;user=mia" alt="Bar chart of budget use per line`);
    expect(item.html).not.toContain('download=');
    const res = await fetch(`${base}/local/file?id=${item.file.id}&user=mia`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // Mia's answer is hers: Max sees neither the chart nor its file.
    expect((await feedItems('max')).some((i) => i.file?.id === item.file.id)).toBe(false);
    expect((await fetch(`${base}/local/file?id=${item.file.id}&user=max`)).status).toBe(404);
  });
});
