// The playground's layout in a real browser (Debian's Chromium): long text wraps, nothing overflows or is cut at
// three window sizes in both languages, forms scroll inside their pane, panes enlarge, times are in the bot's zone
// and say so, money stays on one line, and over-long text is counted and refused instead of cut.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/index.js';
import { launchBrowser, recordDialogs, recordErrors, screenshot, startPlayground, type Playground } from './harness.js';
import { actAs, card, command, field, open, openForm, overflow, pane, PANES } from './page.js';

const NOW = new Date('2026-11-10T02:00:00Z'); // Tuesday 10:00 in Shanghai
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
  { width: 390, height: 844 },
] as const;

let pg: Playground;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dialogs: string[];
let errors: string[];

/** A command sent the way the page sends it (to set up data quickly). */
async function api(path: string, body: unknown): Promise<Record<string, any>> {
  const res = await fetch(pg.base + path, { method: 'POST', headers: { 'content-type': 'application/json', origin: pg.base }, body: JSON.stringify(body) });
  return (await res.json()) as Record<string, any>;
}
const say = (user: string, text: string, channel?: string) => api('/local/command', { user, text, channel });

async function proposeCampaign(user: string, values: Record<string, string | string[]>) {
  const opened = await say(user, '/campaign new');
  return api('/local/submit', { user, form: opened.form.id, values });
}

beforeAll(async () => {
  pg = await startPlayground({ locale: 'zh-CN', now: NOW });
  browser = await launchBrowser();
  // The browser is in another zone than the bot: the page must still show the bot's times.
  context = await browser.newContext({ viewport: VIEWPORTS[0], timezoneId: 'America/New_York', locale: 'en-US' });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  dialogs = recordDialogs(page);
  errors = recordErrors(page);
  expect((await api('/local/demo', {})).status).toBe('done');
  // Long unbroken text: a 500-character reason and a 150-character campaign theme.
  expect((await say('mia', `/budget request 5000 SEM ${'原因'.repeat(10)}${'x'.repeat(480)}`)).ok).toBe(true);
  const proposal = await proposeCampaign('mia', {
    name: 'Double-12 live',
    goal: 'sales',
    theme: 'T'.repeat(150),
    format: 'live_selling',
    channels: ['douyin'],
    start: '2026-12-01',
    end: '2026-12-12',
    line: 'EVT',
    amount: '20000',
    kpi_participants: '5000',
  });
  expect(proposal.ok).toBe(true);
  // SEM's November plan is ¥50,000: spending ¥60,000 leaves −¥10,000 available.
  expect((await say('fei', '/budget spend 60000 SEM 2026-11-09 超支的搜索广告')).ok).toBe(true);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pg?.close();
});

describe('playground layout in Chromium', () => {
  it('long unbroken text wraps inside its card in every pane', async () => {
    await open(page, pg.base);
    await actAs(page, 'li');
    await card(page, 'approvals', 'ADJ-1').waitFor();
    await card(page, 'leaders', 'Double-12 live').waitFor();
    expect(await overflow(page)).toEqual([]);
    // The reason really is on the card, wrapped over several lines.
    const reason = pane(page, 'approvals').locator('.msg', { hasText: 'xxxxxxxxxx' }).first();
    expect((await reason.boundingBox())!.height).toBeGreaterThan(100);
    await screenshot(page, 'layout-long-text-1440');
    // A card taller than its pane that arrives while one follows the pane is shown from its top, to be read down.
    await pane(page, 'approvals').evaluate((l) => (l.scrollTop = l.scrollHeight));
    expect((await say('max', `/budget request 8000 SEM ${'长理由'.repeat(160)}`)).ok).toBe(true);
    const tall = card(page, 'approvals', 'ADJ-2');
    await tall.waitFor();
    const [list, box] = [(await pane(page, 'approvals').boundingBox())!, (await tall.boundingBox())!];
    expect(box.height).toBeGreaterThan(list.height);
    expect(box.y).toBeGreaterThanOrEqual(list.y - 1);
    expect(box.y).toBeLessThan(list.y + 40);
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`${locale}: at 1440×900, 1280×720 and 390×844 nothing overflows sideways, nothing is cut, no pane collapses`, async () => {
      expect((await say('ada', `/mkt lang ${locale === 'en' ? 'en' : 'zh'}`)).ok).toBe(true);
      await open(page, pg.base);
      await actAs(page, 'li');
      await page.waitForFunction((title) => document.title === title, t(locale, 'local.title'));
      await card(page, 'approvals', 'ADJ-1').waitFor();
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport);
        const where = `${locale} ${viewport.width}×${viewport.height}`;
        expect({ where, overflow: await overflow(page) }).toEqual({ where, overflow: [] });
        const boxes = await page.evaluate(() =>
          Array.from(document.querySelectorAll('[data-pane]')).map((p) => {
            const r = p.getBoundingClientRect();
            return { pane: p.getAttribute('data-pane'), top: r.top + window.scrollY, bottom: r.bottom + window.scrollY, height: r.height, width: r.width };
          }),
        );
        const pageHeight = await page.evaluate(() => Math.max(document.documentElement.scrollHeight, document.body.scrollHeight));
        for (const box of boxes) {
          // Every pane has a readable size and lies entirely within the page (which scrolls only on a phone).
          expect({ where, pane: box.pane, readable: box.height >= 150 && box.width >= 250 }).toEqual({ where, pane: box.pane, readable: true });
          expect({ where, pane: box.pane, cut: box.bottom > pageHeight + 1 }).toEqual({ where, pane: box.pane, cut: false });
          if (viewport.width > 900) expect({ where, pane: box.pane, inWindow: box.bottom <= viewport.height + 1 }).toEqual({ where, pane: box.pane, inWindow: true });
        }
        await screenshot(page, `layout-${locale}-${viewport.width}x${viewport.height}`);
      }
      await page.setViewportSize(VIEWPORTS[0]);
    });
  }

  it('the 16-field campaign form scrolls inside its pane; the replies pane keeps its height; submit stays reachable', async () => {
    await say('ada', '/mkt lang en');
    await page.setViewportSize({ width: 1280, height: 720 });
    await open(page, pg.base);
    await actAs(page, 'mia');
    await command(page, '/budget lines');
    const form = await openForm(page, '/campaign new');
    expect(await form.locator('.form-field').count()).toBeGreaterThanOrEqual(16);
    // The line's hint names a command: shown as code, not between backticks.
    expect(await form.locator('[data-field="line"] .hint code').innerText()).toBe('/budget lines');
    expect(await form.locator('[data-field="line"] .hint').innerText()).not.toContain('`');
    const sizes = await page.evaluate(() => {
      const forms = document.getElementById('forms')!;
      const replies = document.getElementById('replies')!.getBoundingClientRect();
      return { scrolls: forms.scrollHeight > forms.clientHeight, formBottom: forms.getBoundingClientRect().bottom, replies: replies.height, repliesBottom: replies.bottom };
    });
    expect(sizes.scrolls).toBe(true);
    expect(sizes.replies).toBeGreaterThanOrEqual(100);
    expect(sizes.repliesBottom).toBeLessThanOrEqual(720 + 1);
    // The submit button is visible without scrolling the form, and so is the last field after scrolling to it.
    const submit = form.locator('button[type=submit]');
    const box = (await submit.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(sizes.formBottom + 1);
    await field(form, 'kpi_revenue').scrollIntoViewIfNeeded();
    expect(await field(form, 'kpi_revenue').isVisible()).toBe(true);
    // Tabbing through the form, the field one is typing in is never hidden under the sticky submit bar.
    await form.evaluate((f) => f.parentElement!.scrollTo(0, 0));
    await field(form, 'name').focus();
    const hidden: string[] = [];
    for (let i = 0; i < 40; i++) {
      const where = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        if (!el.closest('#forms') || el.closest('.form-buttons')) return null;
        const [box, bar, forms] = [el.getBoundingClientRect(), document.querySelector('#forms .form-buttons')!.getBoundingClientRect(), document.getElementById('forms')!.getBoundingClientRect()];
        const name = el.closest('[data-field]')?.getAttribute('data-field') ?? el.tagName;
        return { name, visible: box.top >= forms.top - 1 && box.bottom <= bar.top + 1, box: [box.top, box.bottom], bar: bar.top };
      });
      if (!where) break;
      if (!where.visible) hidden.push(`${where.name} ${JSON.stringify(where.box)} under the bar at ${where.bar}`);
      await page.keyboard.press('Tab');
    }
    expect(hidden).toEqual([]);
    expect(await page.evaluate(() => !!document.activeElement?.closest('.form-buttons'))).toBe(true);
    expect(await overflow(page)).toEqual([]);
    await screenshot(page, 'layout-campaign-form-1280');
    await page.click('[data-cancel]');
    await page.setViewportSize(VIEWPORTS[0]);
  });

  it('a pane keeps the reader\'s place when news arrives elsewhere, and counts news that arrives while scrolled up', async () => {
    await say('ada', '/mkt lang zh');
    await page.setViewportSize(VIEWPORTS[0]);
    await open(page, pg.base);
    await actAs(page, 'li');
    await card(page, 'approvals', 'ADJ-1').waitFor();
    const approvals = pane(page, 'approvals');
    const place = await approvals.evaluate((l) => {
      l.scrollTop = 120;
      return l.scrollTop;
    });
    expect(place).toBe(120);
    // News in another pane re-renders the panes: this one stays where the reader was.
    expect((await say('max', '/risk report market 2 4 竞品降价')).ok).toBe(true);
    await card(page, 'team', '竞品降价').waitFor();
    expect(await approvals.evaluate((l) => l.scrollTop)).toBe(120);
    // News in this pane while scrolled up: counted in the title, not scrolled to.
    expect((await say('mia', '/budget request 1000 EVT 展台')).ok).toBe(true);
    await card(page, 'approvals', '展台').waitFor();
    expect(await approvals.evaluate((l) => l.scrollTop)).toBe(120);
    expect(await page.locator('[data-pane="approvals"] .fresh-count').innerText()).toBe(t('zh-CN', 'local.pane.new', { n: 1 }));
  });

  it('clicking a pane title enlarges the pane; clicking again or Esc restores it', async () => {
    await open(page, pg.base);
    await actAs(page, 'li');
    await card(page, 'approvals', 'ADJ-1').waitFor();
    for (const id of [...PANES, 'replies'] as const) {
      const title = page.locator(`[data-pane="${id}"] .pane-title`);
      await title.click();
      const big = (await page.locator(`[data-pane="${id}"]`).boundingBox())!;
      expect({ id, wide: big.width >= 1440 * 0.9, tall: big.height >= 900 * 0.6 }).toEqual({ id, wide: true, tall: true });
      expect(await title.getAttribute('aria-expanded')).toBe('true');
      if (id === 'approvals') await screenshot(page, 'layout-pane-enlarged');
      if (id === 'dm') await title.click();
      else await page.keyboard.press('Escape');
      const small = (await page.locator(`[data-pane="${id}"]`).boundingBox())!;
      expect({ id, restored: small.width < 1440 * 0.6 }).toEqual({ id, restored: true });
    }
    // The header stays usable while a pane is enlarged.
    await page.locator('[data-pane="team"] .pane-title').click();
    await actAs(page, 'fei');
    await page.keyboard.press('Escape');
  });

  it("every time on the page is in the bot's zone and says which, whatever the browser's zone", async () => {
    await say('ada', '/mkt lang zh');
    await open(page, pg.base);
    await actAs(page, 'li');
    const adj = card(page, 'approvals', 'ADJ-1');
    await adj.waitFor();
    // The card's own time (written by the bot) names the zone…
    const context = await adj.locator('.card-context').innerText();
    expect(context).toMatch(/2026-11-10 10:\d\d UTC\+8/);
    // …and the time the page shows above it is on the same clock (the browser is in New York: 21:00 the day before).
    const meta = adj.locator('.meta time');
    expect(await meta.innerText()).toMatch(/^11-10 10:\d\d$/);
    expect(await meta.getAttribute('title')).toMatch(/^2026-11-10 10:\d\d UTC\+8 \(Asia\/Shanghai\)$/);
    expect(await page.locator('#tz').innerText()).toBe('时间均为 Asia/Shanghai（UTC+8）');
    // Replies to the person are stamped on the bot's clock too.
    await command(page, '/budget');
    expect(await pane(page, 'replies').locator('.msg time').last().innerText()).toMatch(/^11-10 10:\d\d$/);
  });

  it('a money value stays on one line, minus sign included, even in a narrow window', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open(page, pg.base);
    await actAs(page, 'fei');
    const reply = await command(page, '/budget');
    expect(reply).toContain('-¥10,000.00');
    const money = pane(page, 'replies').locator('.msg').last().locator('.money', { hasText: '-¥10,000.00' }).first();
    expect(await money.evaluate((el) => el.getClientRects().length)).toBe(1);
    // Whatever the width of the card, the amount never breaks after its minus sign (or anywhere else).
    const broken = await money.evaluate((el) => {
      const card = el.closest('.card') as HTMLElement;
      const widths: number[] = [];
      for (let w = 140; w <= 380; w += 3) {
        card.style.width = `${w}px`;
        if (el.getClientRects().length !== 1) widths.push(w);
      }
      card.style.width = '';
      return widths;
    });
    expect(broken).toEqual([]);
    await screenshot(page, 'layout-money-390');
    await page.setViewportSize(VIEWPORTS[0]);
  });

  it('over-long text is counted and refused with its count, never cut', async () => {
    await open(page, pg.base);
    await actAs(page, 'max');
    const form = await openForm(page, '/risk report');
    const title = field(form, 'title');
    const counter = form.locator('[data-field="title"] .counter');
    expect(await counter.innerText()).toBe('0 / 200');
    const pasted = '供应商数据泄露'.repeat(36); // 252 characters, pasted at once
    await title.focus();
    await page.keyboard.insertText(pasted);
    expect(await title.inputValue()).toBe(pasted);
    expect(await counter.innerText()).toBe('252 / 200');
    expect(await counter.getAttribute('class')).toContain('over');
    const risks = await pg.app.db.read((tx) => tx.risk.count());
    await form.locator('button[type=submit]').click();
    const error = form.locator('[data-field="title"] .error');
    await error.waitFor();
    expect(await error.innerText()).toBe(t('zh-CN', 'local.error.too_long', { n: 252, max: 200 }));
    expect(await pg.app.db.read((tx) => tx.risk.count())).toBe(risks);
    // The core refuses it too, whoever sends it (here straight to the page's endpoint).
    const opened = await say('max', '/risk report');
    const direct = await api('/local/submit', { user: 'max', form: opened.form.id, values: { category: 'legal', likelihood: '3', impact: '3', title: pasted } });
    expect(direct.ok).toBe(false);
    expect(direct.formErrors.title).toMatch(/200/);
    expect(await pg.app.db.read((tx) => tx.risk.count())).toBe(risks);
    // Shortened, it goes through.
    await title.fill('供应商数据泄露');
    expect(await counter.getAttribute('class')).not.toContain('over');
    await page.click('[data-cancel]');
    // The compose box counts too, and refuses rather than cuts.
    await page.fill('#text', `/agenda add ${'议'.repeat(60_000)}`);
    expect(await page.locator('.counter[data-for="text"]').innerText()).toBe('60012 / 60000');
    await page.press('#text', 'Enter');
    expect(await page.locator('#toast').innerText()).toBe(t('zh-CN', 'local.error.too_long', { n: 60012, max: 60000 }));
    expect(await page.locator('#text').inputValue()).toHaveLength(60_012);
  });

  it('opened no dialog and logged no script error', () => {
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });
});
