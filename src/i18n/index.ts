// Every user-visible text exists in zh-CN and en. Each area keeps its own catalog file under
// catalog/ (so parallel work does not collide); they are merged here.
// Placeholders are written {name}; test/i18n checks both locales have the same keys and placeholders.
import type { Locale } from '../domain/types.js';
import { esc, Markup } from '../messages/markup.js';
import { catalogs } from './catalog/index.js';

export type Catalog = Record<string, string>;
export interface CatalogPair {
  en: Catalog;
  'zh-CN': Catalog;
}

const merged: Record<Locale, Catalog> = { en: {}, 'zh-CN': {} };
for (const pair of catalogs) {
  Object.assign(merged.en, pair.en);
  Object.assign(merged['zh-CN'], pair['zh-CN']);
}

export function hasKey(key: string): boolean {
  return key in merged.en;
}

/** A t() parameter: a string is data (escaped, shown as typed), a Markup value is inserted as is. */
export type Param = string | number | Markup;

/**
 * Translates `key` into message markup (src/messages/markup.ts); unknown keys come back as the key itself so a
 * missing text is visible, not blank. String parameters are escaped: whatever a person typed shows as text. Pass
 * markup the bot wrote (mentions, chat references) as `markup(...)` / `personRef(...)`.
 */
export function t(locale: Locale, key: string, params: Record<string, Param> = {}): string {
  const template = merged[locale][key] ?? merged.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const v = params[name]!;
    return v instanceof Markup ? v.markup : typeof v === 'number' ? String(v) : esc(v);
  });
}

export function allCatalogs(): Record<Locale, Catalog> {
  return merged;
}

// Punctuation that joins pieces of text at run time follows the language: full-width in Chinese sentences
// (、 ； ：), half-width with a space in English. Builders use these instead of writing ', ' or ': ' themselves.
const JOINERS: Record<Locale, { list: string; clauses: string; label: string }> = {
  en: { list: ', ', clauses: '; ', label: ': ' },
  'zh-CN': { list: '、', clauses: '；', label: '：' },
};

/** "WeChat, Weibo" / "微信、微博". */
export function listOf(locale: Locale, items: readonly string[]): string {
  return items.join(JOINERS[locale].list);
}

/** "SEM: plan ¥1 → ¥2; EVT: …" / "…；…". */
export function clausesOf(locale: Locale, items: readonly string[]): string {
  return items.join(JOINERS[locale].clauses);
}

/** "Done: Budget line SEM created" / "已完成：新增预算科目 SEM". */
export function labelled(locale: Locale, label: string, text: string): string {
  return `${label}${JOINERS[locale].label}${text}`;
}
