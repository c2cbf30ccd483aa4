import { describe, expect, it } from 'vitest';
import { allCatalogs, t } from '../../src/i18n/index.js';
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
});
