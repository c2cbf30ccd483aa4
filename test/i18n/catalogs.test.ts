import { describe, expect, it } from 'vitest';
import { allCatalogs, clausesOf, labelled, listOf, t } from '../../src/i18n/index.js';
import { ROLE_WORDS } from '../../src/commands/aliases.js';
import { ROLES } from '../../src/domain/types.js';
import { catalogs } from '../../src/i18n/catalog/index.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalogs', () => {
  it('every text exists in zh-CN and en with the same placeholders', () => {
    const { en, 'zh-CN': zh } = allCatalogs();
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      expect({ key, p: placeholders(zh[key]!) }).toEqual({ key, p: placeholders(en[key]!) });
      expect(en[key]!.trim(), key).not.toBe('');
      expect(zh[key]!.trim(), key).not.toBe('');
    }
  });

  it('no two areas define the same key', () => {
    const seen = new Map<string, number>();
    catalogs.forEach((pair, i) => {
      for (const key of Object.keys(pair.en)) {
        expect(seen.has(key), `${key} defined twice`).toBe(false);
        seen.set(key, i);
      }
    });
  });

  it('fills placeholders and shows unknown keys instead of blanks', () => {
    expect(t('en', 'core.error.not_found', { id: 'ADJ-9' })).toBe('ADJ-9 does not exist.');
    expect(t('zh-CN', 'core.error.not_found', { id: 'ADJ-9' })).toBe('ADJ-9 不存在。');
    expect(t('en', 'no.such.key')).toBe('no.such.key');
  });

  it('Chinese texts use full-width punctuation inside sentences', () => {
    const CJK = '\\u3000-\\u303f\\u4e00-\\u9fff\\uff00-\\uffef';
    const halfWidthNextToChinese = new RegExp(`[${CJK}]\\s*[,;:!?()"]|[,;:!?()"]\\s*[${CJK}]`);
    const offenders = Object.entries(allCatalogs()['zh-CN'])
      // Code (commands, setting keys) and placeholders keep their own punctuation.
      .map(([key, text]) => [key, text.replace(/`[^`]*`/g, 'X').replace(/\{\w+\}/g, 'X')] as const)
      .filter(([, text]) => halfWidthNextToChinese.test(text))
      .map(([key]) => key);
    expect(offenders).toEqual([]);
    // Pieces joined at run time follow the language too.
    expect(listOf('zh-CN', ['微信', '微博'])).toBe('微信、微博');
    expect(listOf('en', ['WeChat', 'Weibo'])).toBe('WeChat, Weibo');
    expect(labelled('zh-CN', '预算科目', 'SEM')).toBe('预算科目：SEM');
    expect(labelled('en', 'Budget lines', 'SEM')).toBe('Budget lines: SEM');
    expect(clausesOf('zh-CN', ['甲', '乙'])).toBe('甲；乙');
  });

  it('each role has one Chinese name, used by every text and understood by the command parser', () => {
    const zh = allCatalogs()['zh-CN'];
    for (const role of ROLES) expect((ROLE_WORDS[role] as readonly string[]).includes(zh[`role.${role}`]!), role).toBe(true);
    expect(zh['role.marketer']).toBe('营销人员');
    // 市场 names the market risk category only (市场、技术…), never the marketer role.
    const misuse = Object.entries(zh)
      .filter(([key, text]) => key !== 'risk.category.market' && /市场(?![、|]技术)/.test(text))
      .map(([key]) => key);
    expect(misuse).toEqual([]);
  });
});
