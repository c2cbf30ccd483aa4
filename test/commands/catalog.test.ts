import { describe, expect, it } from 'vitest';
import { ERROR_KEYS, HELP_KEYS, USAGE_KEYS } from '../../src/commands/keys.js';
import { MONEY_ERRORS } from '../../src/domain/money.js';
import { commandsCatalog } from '../../src/i18n/catalog/commands.js';
import { allCatalogs } from '../../src/i18n/index.js';
import { parse } from './helpers.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('commands catalog', () => {
  const catalogs = allCatalogs();

  it.each([...ERROR_KEYS, ...USAGE_KEYS, ...HELP_KEYS, ...Object.values(MONEY_ERRORS)])('%s exists in en and zh-CN', (key) => {
    expect(catalogs.en[key], `en ${key}`).toBeTruthy();
    expect(catalogs['zh-CN'][key], `zh-CN ${key}`).toBeTruthy();
  });

  it('has the same keys and placeholders in both locales', () => {
    expect(Object.keys(commandsCatalog['zh-CN']).sort()).toEqual(Object.keys(commandsCatalog.en).sort());
    for (const key of Object.keys(commandsCatalog.en)) {
      expect(placeholders(commandsCatalog['zh-CN'][key]!), key).toEqual(placeholders(commandsCatalog.en[key]!));
    }
  });

  it('usage texts take no parameters (they are rendered without any)', () => {
    for (const key of USAGE_KEYS) {
      expect(placeholders(catalogs.en[key]!), key).toEqual([]);
      expect(placeholders(catalogs['zh-CN'][key]!), key).toEqual([]);
    }
  });

  it('every error text that has a token quotes it', () => {
    for (const key of ERROR_KEYS) {
      if (key.startsWith('cmd.error.missing.')) continue;
      expect(catalogs.en[key], key).toContain('{token}');
      expect(catalogs['zh-CN'][key], key).toContain('{token}');
    }
  });

  it('zh-CN usage shows the Chinese form of the command', () => {
    for (const key of USAGE_KEYS) {
      expect(catalogs['zh-CN'][key], key).toMatch(/\/(预算|活动|风险|议程|营销|审计)/);
    }
  });

  it('every key a refusal actually returns, and every param it uses, is in both locales', () => {
    const samples = [
      '/nope', '/budget x', '/budget 2026-13', '/budget request x SEM y', '/budget request 5万', '/budget request 5万 SEM',
      '/budget transfer 1 A a r', '/budget spend 1 A 2099-01-01 n', '/budget spend 1 A 2026-02-30 n', '/budget show X-1',
      '/budget lines x', '/budget line add ! 1 n', '/campaign list x', '/risk report x 1 1 t', '/risk report tech 9 1 t',
      '/risk list x', '/agenda remove x', '/mkt role x admin', '/mkt role @_user_9 admin', '/mkt role U123ABC boss',
      '/mkt channel x here', '/mkt channel team x', '/mkt set x y', '/mkt lang x', '/mkt help x', `/agenda add ${'x'.repeat(201)}`,
      '/agenda add \u0007', '/budget request 0 A r', '/budget request -1 A r', '/budget request 1.001 A r', '/budget request 1e9 A r',
      '/budget request 99999999999 A r',
    ];
    for (const text of samples) {
      const r = parse(text);
      expect(r.ok, text).toBe(false);
      if (r.ok) continue;
      for (const locale of ['en', 'zh-CN'] as const) {
        const template = catalogs[locale][r.error.key];
        expect(template, `${locale} ${r.error.key}`).toBeTruthy();
        for (const name of placeholders(template!)) expect(r.error.params, `${text}: {${name}}`).toHaveProperty(name!);
        expect(catalogs[locale][r.error.usage!], `${locale} ${r.error.usage}`).toBeTruthy();
      }
    }
  });
});
