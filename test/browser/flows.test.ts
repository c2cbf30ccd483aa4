// The playground's flows in a real browser (Debian's Chromium), clicked through as a new user would: set up the
// demo, request budget as a marketer, approve it as finance and as a leader on the card, reject with a reason,
// fix a form, propose a campaign the budget cannot afford, report a high risk, run every scheduled post, switch
// the language — with hostile text shown as text and no dialog ever opened.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/domain/types.js';
import { t } from '../../src/i18n/index.js';
import { launchBrowser, recordDialogs, recordErrors, screenshot, startPlayground, type Playground } from './harness.js';
import { actAs, card, clearToast, command, field, fillCampaign, open, openForm, overflow, pane, toast } from './page.js';

const NOW = new Date('2026-11-10T02:00:00Z'); // Tuesday 2026-11-10 10:00 in Shanghai (ISO week 2026-W46)

let pg: Playground;
let browser: Browser;
let page: Page;
let dialogs: string[];
let errors: string[];

/** A catalog text as a pattern: its placeholders match anything. */
function text(locale: Locale, key: string): RegExp {
  const parts = t(locale, key).split(/\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('[\\s\\S]*'));
}

beforeAll(async () => {
  pg = await startPlayground({ locale: 'zh-CN', now: NOW });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page.setDefaultTimeout(15_000);
  dialogs = recordDialogs(page);
  errors = recordErrors(page);
  await open(page, pg.base);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pg?.close();
});

describe('playground flows in Chromium (zh-CN, then en)', () => {
  it('"设置演示数据" sets up the demo as Ada; a second click says it is already set up', async () => {
    await actAs(page, 'ada');
    await page.click('#demo');
    expect(await toast(page, t('zh-CN', 'local.demo.done', { ran: 7 }))).toBe(t('zh-CN', 'local.demo.done', { ran: 7 }));
    await page.waitForFunction(() => document.querySelectorAll('#replies .list .msg').length === 7);
    expect(await pane(page, 'replies').locator('.msg code').first().innerText()).toBe('/mkt role @fei finance');
    await screenshot(page, 'flow-zh-demo');
    await clearToast(page);
    await page.click('#demo');
    expect(await toast(page, t('zh-CN', 'local.demo.already'))).toBe(t('zh-CN', 'local.demo.already'));
  });

  it('a marketer requests budget; finance and a leader approve on the card, which changes in place; the requester is told', async () => {
    await actAs(page, 'mia');
    const reply = await command(page, '/预算 申请 5000 SEM 双十二加投');
    expect(reply).toContain('ADJ-1');

    await actAs(page, 'fei');
    const adj = card(page, 'approvals', 'ADJ-1');
    await adj.waitFor();
    expect(await adj.innerText()).toMatch(text('zh-CN', 'adj.card.status.pending_finance'));
    const id = await adj.getAttribute('data-id');
    await adj.getByRole('button', { name: t('zh-CN', 'adj.button.approve') }).click();
    await page.waitForFunction(
      ([sel, want]) => document.querySelector(sel!)?.textContent?.includes(want!),
      [`[data-pane="approvals"] .msg[data-id="${id}"]`, t('zh-CN', 'adj.card.status.pending_leader')] as const,
    );
    // In place: still one card for ADJ-1, the same message, marked as updated.
    expect(await pane(page, 'approvals').locator('.msg', { hasText: 'ADJ-1' }).count()).toBe(1);
    expect(await adj.locator('.badge.edited').count()).toBe(1);
    await screenshot(page, 'flow-zh-finance-approved');

    await actAs(page, 'li');
    const same = card(page, 'approvals', 'ADJ-1');
    await same.getByRole('button', { name: t('zh-CN', 'adj.button.approve') }).click();
    await page.waitForFunction(
      ([sel]) => !!document.querySelector(sel!) && document.querySelector(sel!)!.querySelectorAll('[data-action]').length === 0,
      [`[data-pane="approvals"] .msg[data-id="${id}"]`] as const,
    );
    expect(await same.innerText()).toMatch(text('zh-CN', 'adj.card.status.approved'));
    expect(await same.getAttribute('data-id')).toBe(id);

    await actAs(page, 'mia');
    await card(page, 'dm', text('zh-CN', 'adj.notify.approved')).waitFor();
    expect(await card(page, 'dm', text('zh-CN', 'adj.notify.pending_leader')).count()).toBe(1);
    await screenshot(page, 'flow-zh-requester-dm');
  });

  it('finance rejects with a reason, asked for in a form; the card and the requester show it', async () => {
    await actAs(page, 'mia');
    expect(await command(page, '/预算 申请 3000 EVT 路演物料')).toContain('ADJ-2');
    await actAs(page, 'fei');
    const adj = card(page, 'approvals', 'ADJ-2');
    await adj.getByRole('button', { name: t('zh-CN', 'adj.button.reject') }).click();
    const form = page.locator('#forms form.bot-form');
    await form.waitFor();
    expect(await form.locator('.form-title').innerText()).toBe(t('zh-CN', 'adj.reject.title', { id: 'ADJ-2' }));
    await field(form, 'reason').fill('本月活动预算已用完');
    await form.getByRole('button', { name: t('zh-CN', 'adj.reject.submit') }).click();
    await form.waitFor({ state: 'detached' });
    await page.waitForFunction(
      (want) => Array.from(document.querySelectorAll('[data-pane="approvals"] .msg')).some((m) => m.textContent!.includes('ADJ-2') && m.textContent!.includes(want)),
      '本月活动预算已用完',
    );
    expect(await card(page, 'approvals', 'ADJ-2').innerText()).toMatch(text('zh-CN', 'adj.card.status.rejected'));
    await actAs(page, 'mia');
    expect(await card(page, 'dm', 'ADJ-2').innerText()).toContain('本月活动预算已用完');
  });

  it('a form with a bad value shows the error on that field; corrected, it goes through', async () => {
    await actAs(page, 'max');
    const form = await openForm(page, '/预算 申请');
    await field(form, 'line').selectOption('SEM');
    await field(form, 'amount').fill('很多');
    await field(form, 'reason').fill('直播间投流');
    await form.locator('button[type=submit]').click();
    const error = form.locator('[data-field="amount"] .error');
    await error.waitFor();
    expect(await error.innerText()).toContain('很多');
    expect(await form.locator('[data-field="amount"]').getAttribute('class')).toContain('has-error');
    await screenshot(page, 'flow-zh-form-error');
    const replies = await pane(page, 'replies').locator('.msg').count();
    await field(form, 'amount').fill('1.5万');
    await form.locator('button[type=submit]').click();
    await form.waitFor({ state: 'detached' });
    await page.waitForFunction((n) => document.querySelectorAll('#replies .list .msg').length > n, replies);
    expect(await pane(page, 'replies').locator('.msg').last().innerText()).toContain('ADJ-3');
  });

  it('a campaign the budget cannot afford: the leader’s approval is refused, naming the shortfall; nothing changes', async () => {
    await actAs(page, 'mia');
    const form = await openForm(page, '/活动 新建');
    await fillCampaign(form, { name: '双十二直播 <img src=x onerror=alert(3)>', theme: '年终大促', line: 'SEM', amount: '8万', participants: '20000' });
    await form.locator('button[type=submit]').click();
    await form.waitFor({ state: 'detached' });

    await actAs(page, 'li');
    const proposal = card(page, 'leaders', 'CMP-1');
    await proposal.waitFor();
    // The typed name is shown as typed: no image element, no dialog.
    expect(await proposal.innerText()).toContain('双十二直播 <img src=x onerror=alert(3)>');
    expect(await page.locator('.list img').count()).toBe(0);
    const replies = await pane(page, 'replies').locator('.msg').count();
    await proposal.getByRole('button', { name: t('zh-CN', 'cmp.button.approve') }).click();
    await page.waitForFunction((n) => document.querySelectorAll('#replies .list .msg').length > n, replies);
    const refusal = await pane(page, 'replies').locator('.msg').last().innerText();
    expect(refusal).toMatch(text('zh-CN', 'cmp.error.shortfall'));
    expect(refusal).toContain('2026-12');
    expect(await pg.app.db.read((tx) => tx.campaign.findFirstOrThrow({ select: { status: true } }))).toEqual({ status: 'pending_approval' });
    await screenshot(page, 'flow-zh-shortfall');
  });

  it('a high risk goes to #leaders at once; script in its title stays text', async () => {
    await actAs(page, 'max');
    const reply = await command(page, '/风险 上报 法律 5 4 <img src=x onerror=alert(1)> <script>alert(2)</script> 抽奖规则未审');
    expect(reply).toContain('RSK-1');
    await actAs(page, 'li');
    const risk = card(page, 'leaders', 'RSK-1');
    await risk.waitFor();
    expect(await risk.innerText()).toContain('<img src=x onerror=alert(1)> <script>alert(2)</script> 抽奖规则未审');
    expect(await page.locator('.list img, .list script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await screenshot(page, 'flow-zh-high-risk');
  });

  it('each scheduled post runs from the page, names the period it covers, and says so again on a repeat', async () => {
    await actAs(page, 'ada');
    const cases = [
      { job: 'weekly-agenda', first: t('zh-CN', 'local.job.done.weekly-agenda', { period: '2026-W46', posts: 1 }) },
      { job: 'monthly-budget', first: '2026-11' },
      { job: 'monthly-report', first: t('zh-CN', 'local.job.done.monthly-report', { period: '2026-10', posts: 3 }) },
      { job: 'reminders', first: '2026-11-10' },
    ];
    for (const c of cases) {
      await clearToast(page);
      await page.click(`[data-job="${c.job}"]`);
      const first = await toast(page);
      expect({ job: c.job, first }).toEqual({ job: c.job, first: expect.stringContaining(c.first) });
      await clearToast(page);
      await page.click(`[data-job="${c.job}"]`);
      const again = await toast(page);
      const period = { 'weekly-agenda': '2026-W46', 'monthly-budget': '2026-11', 'monthly-report': '2026-10', reminders: '2026-11-10' }[c.job]!;
      expect(again).toBe(t('zh-CN', 'local.job.already', { job: t('zh-CN', `local.job.${c.job}`), period }));
    }
    await card(page, 'team', text('zh-CN', 'agenda.title')).waitFor();
    await screenshot(page, 'flow-zh-scheduled');
  });

  it('everything shown in Chinese uses full-width punctuation inside sentences', async () => {
    await actAs(page, 'ada');
    expect(await command(page, '/营销 角色列表')).toContain('@Fei');
    expect(await command(page, '/预算')).toContain('SEM');
    for (const user of ['ada', 'fei', 'li', 'mia', 'max']) {
      await actAs(page, user);
      await card(page, 'approvals', 'ADJ-1').waitFor();
      const texts = await page.evaluate(() => {
        const out: string[] = [];
        for (const el of Array.from(document.querySelectorAll('.list .msg .body, header, .compose, #forms'))) {
          const copy = el.cloneNode(true) as HTMLElement;
          // Code (commands, ids) and what people typed keep their own punctuation.
          for (const c of Array.from(copy.querySelectorAll('code'))) c.remove();
          out.push(copy.innerText);
        }
        return out;
      });
      const typed = /<img src=x onerror=alert\(\d\)>|<script>alert\(2\)<\/script>/g;
      const CJK = '\\u3000-\\u303f\\u4e00-\\u9fff\\uff00-\\uffef';
      const bad = new RegExp(`[${CJK}][,;:!?]|[,;:!?][${CJK}]|[${CJK}] [,;:]`);
      const offenders = texts.flatMap((s) => s.split('\n')).filter((line) => bad.test(line.replace(typed, '')));
      expect({ user, offenders }).toEqual({ user, offenders: [] });
      // Code is shown as code: no literal backtick anywhere on the page.
      const backticks = await page.evaluate(() => document.body.innerText.split('\n').filter((l) => l.includes('`')));
      expect({ user, backticks }).toEqual({ user, backticks: [] });
    }
  });

  it('switching the language to English relabels the page; the same flow works in English', async () => {
    await actAs(page, 'ada');
    await command(page, '/mkt lang en');
    await page.waitForFunction((title) => document.title === title, t('en', 'local.title'));
    expect(await page.locator('#demo').innerText()).toBe(t('en', 'local.demo'));
    expect(await page.locator('[data-job="monthly-report"]').innerText()).toBe(t('en', 'local.job.monthly-report'));
    expect(await page.locator('#tz').innerText()).toBe('Times in Asia/Shanghai (UTC+8)');

    await actAs(page, 'mia');
    expect(await command(page, '/budget request 2000 EVT Roadshow banners')).toContain('ADJ-4');
    await actAs(page, 'fei');
    const adj = card(page, 'approvals', 'ADJ-4');
    await adj.getByRole('button', { name: t('en', 'adj.button.approve') }).click();
    await page.waitForFunction(
      (want) => Array.from(document.querySelectorAll('[data-pane="approvals"] .msg')).some((m) => m.textContent!.includes('ADJ-4') && m.textContent!.includes(want)),
      t('en', 'adj.card.status.pending_leader'),
    );
    await actAs(page, 'li');
    await card(page, 'approvals', 'ADJ-4').getByRole('button', { name: t('en', 'adj.button.approve') }).click();
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('[data-pane="approvals"] .msg')).some((m) => m.textContent!.includes('ADJ-4') && m.querySelectorAll('[data-action]').length === 0),
    );
    expect(await card(page, 'approvals', 'ADJ-4').innerText()).toMatch(text('en', 'adj.card.status.approved'));
    await actAs(page, 'mia');
    await card(page, 'dm', /ADJ-4/).waitFor();
    expect(await overflow(page)).toEqual([]);
    await screenshot(page, 'flow-en-approved');
    // And back: the page follows the bot's language both ways.
    await actAs(page, 'ada');
    await command(page, '/mkt lang zh');
    await page.waitForFunction((title) => document.title === title, t('zh-CN', 'local.title'));
  });

  it('opened no dialog and logged no script error', () => {
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });
});
