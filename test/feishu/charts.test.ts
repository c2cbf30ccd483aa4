// Charts on Feishu, end to end through the Lark SDK against the fake Open API: the figures' card first ("图表随后发送。"),
// then the PNG uploaded with im/v1/images (image_type message) and a card whose `img` element carries that image_key;
// retried on 429/5xx with one upload and one card; the fake refuses what Feishu refuses (no image, too large, unknown
// img_key in a card).
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../support/fakeFeishu.js';
import { waitFor } from '../support/waitFor.js';
import { CHATS, setUpTeam, startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await setUpTeam(h);
});
afterAll(async () => h?.close());

const imgKeys = (card: any): string[] => (card?.body?.elements ?? []).filter((e: any) => e.tag === 'img').map((e: any) => e.img_key);
const chartCards = (to: string) => h.fake.sentTo(to).filter((m) => m.msg_type === 'interactive' && imgKeys(m.card).length > 0);

async function token(): Promise<Record<string, string>> {
  const res = await fetch(`${h.fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: h.config.feishu!.appId, app_secret: h.config.feishu!.appSecret }),
  });
  return { authorization: `Bearer ${((await res.json()) as { tenant_access_token: string }).tenant_access_token}` };
}

describe('charts on Feishu', () => {
  it('/预算 图表: the figures card, then a card with the chart uploaded through im/v1/images', async () => {
    const before = h.fake.sentTo(USERS.marketer).length;
    await h.say(USERS.marketer, '/预算 图表');
    const chart = await waitFor(() => chartCards(USERS.marketer)[0], { what: 'chart card', timeoutMs: 30_000 });
    const sent = h.fake.sentTo(USERS.marketer).slice(before);
    const figures = sent.find((m) => textOf(m.card).includes('SEM'))!;
    expect(textOf(figures.card)).toContain('图表随后发送。');
    expect(sent.indexOf(figures)).toBeLessThan(sent.indexOf(chart));
    const [key] = imgKeys(chart.card);
    const image = h.fake.files.images().find((i) => i.image_key === key)!;
    expect(image.image_type).toBe('message');
    const png = PNG.sync.read(image.bytes);
    expect([png.width, png.height]).toEqual([2000, 1200]);
    expect(chart.card.header.title.content).toMatch(/^预算使用 — \d{4}-\d{2}$/);
    const img = chart.card.body.elements.find((e: any) => e.tag === 'img');
    expect(img.alt.content).toContain('各科目预算使用条形图');
  });

  it('a rate limit on im/v1/images and a 5xx on the card are retried: one upload, one chart card', async () => {
    // New spend makes a new chart (an unchanged chart reuses its image_key).
    await h.say(USERS.finance, '/budget spend 3000 SEM 百度充值');
    await h.delivered();
    const imagesBefore = h.fake.files.images().length;
    const cardsBefore = chartCards(USERS.finance).length;
    h.fake.failNext({ status: 429, code: 99991400, path: /\/im\/v1\/images$/ });
    h.fake.failNext({ status: 500, code: 1, path: /\/im\/v1\/messages$/ });
    await h.say(USERS.finance, '/budget chart');
    await waitFor(() => chartCards(USERS.finance)[cardsBefore], { what: 'chart card after retries', timeoutMs: 20_000 });
    await h.delivered();
    expect(chartCards(USERS.finance)).toHaveLength(cardsBefore + 1);
    expect(h.fake.files.images()).toHaveLength(imagesBefore + 1);
    const uploads = h.fake.calls.filter((c) => c.path === '/open-apis/im/v1/images');
    expect(uploads.map((c) => c.status).slice(-2)).toEqual([429, 200]);
  });

  it('the same chart again reuses its image: no second upload', async () => {
    const imagesBefore = h.fake.files.images().length;
    const cardsBefore = chartCards(USERS.finance).length;
    await h.say(USERS.finance, '/budget chart');
    await waitFor(() => chartCards(USERS.finance)[cardsBefore], { what: 'second chart card', timeoutMs: 20_000 });
    expect(h.fake.files.images()).toHaveLength(imagesBefore);
    expect(imgKeys(chartCards(USERS.finance).at(-1)!.card)).toEqual(imgKeys(chartCards(USERS.finance).at(-2)!.card));
  });

  it('the monthly budget summary: its card in the chat, the chart card right after it', async () => {
    await h.sayIn(CHATS.leaders, USERS.admin, '/mkt channel leaders here');
    await h.delivered();
    const before = h.fake.sentTo(CHATS.leaders).length;
    // A month of this fiscal year other than the current one (the app's own scheduler ran this month's at start).
    const now = new Date();
    const month = now.getUTCMonth() === 0 ? 1 : now.getUTCMonth() - 1;
    const { createScheduler } = await import('../../src/scheduler/index.js');
    const scheduler = createScheduler({
      db: h.app.db,
      clock: { now: () => new Date(Date.UTC(now.getUTCFullYear(), month, 1, 2)) },
      config: { timezone: 'Asia/Shanghai', locale: 'zh-CN', adminUsers: [`feishu:${USERS.admin}`] },
      timers: false,
      onPosted: () => h.app.workers.forEach((w) => w.kick()),
    });
    expect((await scheduler.runNow('monthly-budget')).status).toBe('done');
    const chart = await waitFor(() => h.fake.sentTo(CHATS.leaders).slice(before).find((m) => imgKeys(m.card).length > 0), { what: 'chart card', timeoutMs: 20_000 });
    const sent = h.fake.sentTo(CHATS.leaders).slice(before);
    const summary = sent.find((m) => textOf(m.card).includes('月度预算提醒'))!;
    expect(textOf(summary.card)).toContain('图表随后发送。');
    expect(sent.indexOf(summary)).toBeLessThan(sent.indexOf(chart));
    expect(chart.receive_id_type).toBe('chat_id');
    await scheduler.stop();
  });

  it('the fake refuses what Feishu refuses: bytes that are no image, an image over 10 MB, an unknown img_key', async () => {
    const auth = await token();
    const upload = async (bytes: Buffer, type = 'message') => {
      const form = new FormData();
      form.append('image_type', type);
      form.append('image', new Blob([new Uint8Array(bytes)]), 'chart.png');
      const res = await fetch(`${h.fake.url}/open-apis/im/v1/images`, { method: 'POST', headers: auth, body: form });
      return ((await res.json()) as { code: number }).code;
    };
    expect(await upload(Buffer.from('not a picture at all'))).toBe(234011);
    expect(await upload(Buffer.alloc(0))).toBe(234010);
    expect(await upload(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(10 * 1024 * 1024)]))).toBe(234006);
    expect(await upload(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]), 'sticker')).toBe(234001);
    const bogus = await fetch(`${h.fake.url}/open-apis/im/v1/messages?receive_id_type=open_id`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ receive_id: USERS.marketer, msg_type: 'interactive', content: JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'img', img_key: 'img_v3_nope' }] } }) }),
    });
    expect(((await bogus.json()) as { code: number }).code).toBe(230099);
  });
});
