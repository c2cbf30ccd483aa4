// `npm run docs:screenshots`: screenshots of the playground's main flows, in Chinese and in English, for the docs.
// Starts a playground on a throwaway database with a fixed clock (so dates on the cards do not change between
// runs), clicks through the flows in Debian's Chromium like the browser tests do, and writes
// docs/screenshots/<lang>-<n>-<flow>.png plus docs/screenshots/README.md, the index the docs link to.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Locale } from '../src/domain/types.js';
import { t } from '../src/i18n/index.js';
import { launchBrowser, startPlayground } from '../test/browser/harness.js';
import { actAs, card, command, fillCampaign, open, openForm, toast } from '../test/browser/page.js';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');
const NOW = new Date('2026-11-10T02:00:00Z'); // Tuesday 10:00 in Shanghai
const VIEWPORT = { width: 1366, height: 800 };

interface Shot {
  file: string;
  caption: Record<Locale, string>;
}

const CAPTIONS: Record<string, Record<Locale, string>> = {
  demo: { en: 'After "Set up demo": Ada\'s replies show each command it ran', 'zh-CN': '点击“设置演示数据”之后：Ada 的回复列出执行的每条命令' },
  request: { en: 'Fei (finance) sees Mia\'s budget request in #approvals', 'zh-CN': '财务 Fei 在 #approvals 看到 Mia 的追加预算申请' },
  approved: { en: 'Approved by finance and a leader: the card changed in place; Mia\'s DMs tell her', 'zh-CN': '财务和领导批准后：卡片原地更新，Mia 的私信收到通知' },
  form: { en: 'The campaign proposal form scrolls inside its pane', 'zh-CN': '活动方案表单在自己的窗格内滚动' },
  shortfall: { en: 'Li (leader) cannot approve a campaign the budget cannot afford: the shortfall, with a one-click request', 'zh-CN': '预算不足时领导 Li 无法批准活动：列出缺口，可一键发起预算申请' },
  posts: { en: 'A high risk in #leaders, the weekly agenda and the variance report in #team', 'zh-CN': '#leaders 中的高风险，#team 中的每周议程和月度差异报告' },
};

async function flow(page: Page, base: string, locale: Locale, shots: Shot[]): Promise<void> {
  const lang = locale === 'en' ? 'en' : 'zh';
  let n = 0;
  const snap = async (name: string) => {
    const file = `${lang}-${++n}-${name}.png`;
    await page.mouse.move(0, 0);
    await page.evaluate(() => document.getElementById('toast')!.setAttribute('hidden', ''));
    await page.screenshot({ path: path.join(OUT, file), animations: 'disabled' });
    shots.push({ file, caption: CAPTIONS[name]! });
  };
  const zh = locale === 'zh-CN';
  await open(page, base);
  await actAs(page, 'ada');
  await page.click('#demo');
  await toast(page);
  await snap('demo');

  await actAs(page, 'mia');
  await command(page, zh ? '/预算 申请 5万 SEM 2026-12 双十二搜索加投' : '/budget request 50000 SEM 2026-12 Double-12 search push');
  await actAs(page, 'fei');
  await card(page, 'approvals', 'ADJ-1').waitFor();
  await snap('request');
  await card(page, 'approvals', 'ADJ-1').getByRole('button', { name: t(locale, 'adj.button.approve') }).click();
  await page.waitForFunction(() => document.querySelector('[data-pane="approvals"] .msg .badge.edited') !== null);
  await actAs(page, 'li');
  await card(page, 'approvals', 'ADJ-1').getByRole('button', { name: t(locale, 'adj.button.approve') }).click();
  await page.waitForFunction(() => document.querySelector('[data-pane="approvals"] .msg [data-action]') === null);
  await actAs(page, 'mia');
  await page.waitForFunction(() => document.querySelectorAll('[data-pane="dm"] .msg').length >= 2);
  await snap('approved');

  const form = await openForm(page, zh ? '/活动 新建' : '/campaign new');
  await fillCampaign(form, { name: zh ? '双十二直播' : 'Double-12 live', theme: zh ? '年终大促' : 'Year-end sale', line: 'SEM', amount: '12万', participants: '20000' });
  await snap('form');
  await form.locator('button[type=submit]').click();
  await form.waitFor({ state: 'detached' });

  await actAs(page, 'li');
  await card(page, 'leaders', 'CMP-1').getByRole('button', { name: t(locale, 'cmp.button.approve') }).click();
  await page.waitForFunction(() => document.querySelectorAll('#replies .list .msg').length > 0);
  await snap('shortfall');

  await actAs(page, 'max');
  await command(page, zh ? '/风险 上报 法律 5 4 抽奖规则未经法务审核' : '/risk report legal 5 4 Lottery rules not reviewed by legal');
  await actAs(page, 'li');
  for (const job of ['weekly-agenda', 'monthly-report']) {
    await page.click(`[data-job="${job}"]`);
    await toast(page);
  }
  await card(page, 'team', /.+/).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-pane="team"] .msg').length >= 2);
  await snap('posts');
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  for (const f of readdirSync(OUT)) if (f.endsWith('.png')) rmSync(path.join(OUT, f));
  const browser = await launchBrowser();
  const shots: Record<Locale, Shot[]> = { 'zh-CN': [], en: [] };
  try {
    for (const locale of ['zh-CN', 'en'] as const) {
      const pg = await startPlayground({ locale, now: NOW });
      const page = await browser.newPage({ viewport: VIEWPORT, timezoneId: 'Asia/Shanghai', locale });
      page.setDefaultTimeout(20_000);
      try {
        await flow(page, pg.base, locale, shots[locale]);
      } finally {
        await page.close();
        await pg.close();
      }
    }
  } finally {
    await browser.close();
  }
  const rows = shots['zh-CN'].map((zh, i) => {
    const en = shots.en[i]!;
    return `| ${zh.caption['zh-CN']}<br>![](${zh.file}) | ${en.caption.en}<br>![](${en.file}) |`;
  });
  writeFileSync(
    path.join(OUT, 'README.md'),
    [
      '# Playground screenshots · 本地试用截图',
      '',
      'The main flows of the [local playground](../playground.md), in Chinese and in English, as Chromium shows them at',
      `${VIEWPORT.width}×${VIEWPORT.height}. Generated by \`npm run docs:screenshots\` (do not edit by hand).`,
      '',
      '| 中文 | English |',
      '|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
  console.log(`wrote ${shots['zh-CN'].length + shots.en.length} screenshots to ${path.relative(process.cwd(), OUT)}/`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
