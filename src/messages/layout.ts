// Long content as pages: a list is cut into pages whose worst-case size fits every platform's limit (a Slack
// message, a Feishu card of 30 KB), each page says which items it shows of how many, and buttons lead to the
// previous and next pages (action `page:<view>:<n>[:<arg>]`, answered by the area that owns the view).
// Nothing is silently left out: a list is either whole, or paged with its total on every page.
import { t } from '../i18n/index.js';
import type { Locale } from '../domain/types.js';
import { actionRef, type PagedView } from './actions.js';
import { parseMarkup } from './markup.js';
import type { Button } from './model.js';

/**
 * The most a markup text can take once rendered on any platform: Feishu bytes with every typed punctuation mark
 * written as a character reference and the card JSON-encoded twice (the `content` string), Slack characters with
 * `&`, `<`, `>` as entities. An over-estimate on purpose.
 */
export function worstSize(markup: string): number {
  let n = 0;
  for (const sp of parseMarkup(markup)) {
    if (sp.kind !== 'text') {
      n += 48; // <at id=ou_…></at>, <@U…>, or a name
      continue;
    }
    for (const ch of sp.text) {
      const c = ch.codePointAt(0)!;
      if (c < 0x80) n += /[A-Za-z0-9 ]/.test(ch) ? 1 : 8;
      else n += c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    }
    if (sp.bold) n += 4;
  }
  return n;
}

/** What one page of a list may take (worstSize), well inside a Slack message and a Feishu card. */
export const PAGE_BUDGET = 9_000;

export interface Page<T> {
  items: T[];
  /** 1-based page number (clamped to the pages there are). */
  page: number;
  pages: number;
  /** 1-based position of the first and last item shown. */
  first: number;
  last: number;
  total: number;
}

/**
 * Page `page` (1-based) of `items`, pages cut so that each holds at most `max` items and `budget` of cost (an item
 * costlier than the budget gets a page of its own). The same items always give the same pages.
 */
export function paginate<T>(items: readonly T[], page: number, cost: (item: T) => number, opts: { budget?: number; max?: number } = {}): Page<T> {
  const budget = opts.budget ?? PAGE_BUDGET;
  const max = opts.max ?? 25;
  const starts: number[] = [0];
  let used = 0;
  let count = 0;
  items.forEach((item, i) => {
    const c = cost(item);
    if (count > 0 && (count >= max || used + c > budget)) {
      starts.push(i);
      used = 0;
      count = 0;
    }
    used += c;
    count++;
  });
  const pages = items.length === 0 ? 1 : starts.length;
  const p = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const from = starts[p - 1] ?? 0;
  const to = p < pages ? starts[p]! : items.length;
  return { items: items.slice(from, to), page: p, pages, first: items.length ? from + 1 : 0, last: to, total: items.length };
}

/** "Showing 21–40 of 300 (page 2 of 15)". */
export function pageLine(locale: Locale, page: Page<unknown>): string {
  return t(locale, 'core.page.status', { first: page.first, last: page.last, total: page.total, page: page.page, pages: page.pages });
}

/** Previous / next buttons for a paged view (none when everything fits on one page). */
export function pageButtons(locale: Locale, view: PagedView, page: Page<unknown>, arg = ''): Button[] {
  const buttons: Button[] = [];
  const ref = (n: number) => (arg ? actionRef('page', view, n, arg) : actionRef('page', view, n));
  if (page.page > 1) buttons.push({ label: t(locale, 'core.page.prev'), action: ref(page.page - 1) });
  if (page.page < page.pages) buttons.push({ label: t(locale, 'core.page.next'), action: ref(page.page + 1) });
  return buttons;
}

/** A list shown a page at a time as one text: "Showing a–b of n" (when paged), the page's lines, and its buttons. */
export function pagedList(
  locale: Locale,
  view: PagedView,
  lines: string[],
  page: number,
  opts: { arg?: string; max?: number } = {},
): { text: string; buttons: Button[]; page: Page<string> } {
  const p = paginate(lines, page, worstSize, { max: opts.max });
  return {
    text: [...(p.pages > 1 ? [pageLine(locale, p)] : []), ...p.items].join('\n'),
    buttons: pageButtons(locale, view, p, opts.arg),
    page: p,
  };
}
