// Driving the playground page the way a person does: pick who you are, type a command, click a card's button,
// fill a form. Each helper waits for what a person would wait for (a reply, a card), never a fixed time.
import type { Locator, Page } from 'playwright-core';

export const PANES = ['approvals', 'team', 'leaders', 'dm'] as const;

export function pane(page: Page, id: (typeof PANES)[number] | 'replies'): Locator {
  return page.locator(`[data-pane="${id}"] .list`);
}

/** The card in a pane whose text contains `text` (the latest one if several). */
export function card(page: Page, id: (typeof PANES)[number] | 'replies', text: string | RegExp): Locator {
  return pane(page, id).locator('.msg', { hasText: text }).last();
}

/** Waits until the page has read the feed once for the current person (the page marks body[data-synced]). */
export async function synced(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.synced !== undefined);
}

export async function open(page: Page, base: string): Promise<void> {
  await page.goto(base + '/');
  await synced(page);
}

export async function actAs(page: Page, user: string): Promise<void> {
  if ((await page.locator('#user').inputValue()) === user) return;
  await page.evaluate(() => delete document.body.dataset.synced);
  await page.selectOption('#user', user);
  await synced(page);
}

/** Types a command as the current person from `channel`, and returns the bot's private reply (its text). */
export async function command(page: Page, text: string, channel = 'dm'): Promise<string> {
  await page.selectOption('#channel', channel);
  const replies = pane(page, 'replies').locator('.msg');
  const before = await replies.count();
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
  await page.waitForFunction(
    ([n]) => document.querySelectorAll('#replies .list .msg').length > n! || document.querySelector('#forms form') !== null,
    [before] as const,
  );
  if ((await replies.count()) > before) return (await replies.last().innerText()).trim();
  return '';
}

/** Types a command that opens a form, and returns the form. */
export async function openForm(page: Page, text: string): Promise<Locator> {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
  const form = page.locator('#forms form.bot-form');
  await form.waitFor();
  return form;
}

export function field(form: Locator, name: string): Locator {
  return form.locator(`[data-field="${name}"]`).locator('input:not([type=checkbox]),textarea,select').first();
}

/** Fills the campaign proposal form as a person does: typing, picking from lists, ticking channels. */
export async function fillCampaign(form: Locator, v: { name: string; theme: string; line: string; amount: string; participants: string }): Promise<void> {
  await field(form, 'name').fill(v.name);
  await field(form, 'goal').selectOption('sales');
  await field(form, 'theme').fill(v.theme);
  await field(form, 'format').selectOption('live_selling');
  await form.locator('[data-field="channels"] input[value="douyin"]').check();
  await form.locator('[data-field="channels"] input[value="xiaohongshu"]').check();
  await field(form, 'start').fill('2026-12-01');
  await field(form, 'end').fill('2026-12-20');
  await field(form, 'line').selectOption(v.line);
  await field(form, 'amount').fill(v.amount);
  await field(form, 'kpi_participants').fill(v.participants);
}

/** The text of the toast once it shows `expected` (or any text). */
export async function toast(page: Page, expected?: string): Promise<string> {
  const t = page.locator('#toast');
  if (expected === undefined) await t.waitFor({ state: 'visible' });
  else await page.waitForFunction((want) => document.getElementById('toast')!.textContent!.includes(want), expected);
  return (await t.innerText()).trim();
}

/** Clears the toast so the next one can be told apart. */
export async function clearToast(page: Page): Promise<void> {
  await page.evaluate(() => {
    const t = document.getElementById('toast')!;
    t.textContent = '';
    t.hidden = true;
  });
}

/** Widths that overflow: the page itself, and every element wider than its box (panes, cards, forms). */
export async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth) out.push(`page ${doc.scrollWidth} > ${window.innerWidth}`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('.list, .card, .bot-form, .forms, header, .compose'))) {
      if (el.scrollWidth > el.clientWidth + 1) {
        const where = el.closest('[data-pane]')?.getAttribute('data-pane') ?? el.className;
        out.push(`${where}: ${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return out;
  });
}
