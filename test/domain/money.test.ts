import { describe, expect, it } from 'vitest';
import { MONEY_CAP, formatMoney, formatMoneyShort, parseMoney, tryParseMoney } from '../../src/domain/money.js';

const accepted: [string, number][] = [
  ['50000', 5_000_000],
  ['50,000', 5_000_000],
  ['1,234,567', 123_456_700],
  ['¥50,000.50', 5_000_050],
  ['￥50000', 5_000_000],
  ['¥ 500', 50_000],
  ['CNY 500', 50_000],
  ['RMB500', 50_000],
  ['cny500', 50_000],
  ['500元', 50_000],
  ['5万', 5_000_000],
  ['1.5万', 1_500_000],
  ['5w', 5_000_000],
  ['5W', 5_000_000],
  ['50k', 5_000_000],
  ['50K', 5_000_000],
  ['3千', 300_000],
  ['5万元', 5_000_000],
  ['1.2345万', 1_234_500],
  ['1.234567万', 1_234_567],
  ['0.01', 1],
  ['0.5', 50],
  ['12.3', 1_230],
  ['1.5k', 150_000],
  ['  800  ', 80_000],
  ['５万', 5_000_000],
  ['５０，０００', 5_000_000],
  ['007', 700],
  ['100000000', MONEY_CAP],
  ['1.23456k', 123_456],
];

const rejected: [string, string][] = [
  ['', 'money.error.format'],
  ['   ', 'money.error.format'],
  ['abc', 'money.error.format'],
  ['5,00', 'money.error.format'],
  ['50,0000', 'money.error.format'],
  [',500', 'money.error.format'],
  ['1e5', 'money.error.format'],
  ['0x10', 'money.error.format'],
  ['NaN', 'money.error.format'],
  ['Infinity', 'money.error.format'],
  ['--5', 'money.error.format'],
  ['+-5', 'money.error.format'],
  ['5万k', 'money.error.format'],
  ['1.2m', 'money.error.format'],
  ['1.2M', 'money.error.format'],
  ['5 000', 'money.error.format'],
  ['5.', 'money.error.format'],
  ['.5', 'money.error.format'],
  ['1.2.3', 'money.error.format'],
  ['USD 5', 'money.error.format'],
  ['¥¥5', 'money.error.format'],
  ['5元万', 'money.error.format'],
  ['五万', 'money.error.format'],
  ['-5', 'money.error.negative'],
  ['-¥5', 'money.error.negative'],
  ['¥-5', 'money.error.negative'],
  ['-5万', 'money.error.negative'],
  ['0', 'money.error.zero'],
  ['0.00', 'money.error.zero'],
  ['0万', 'money.error.zero'],
  ['1.234', 'money.error.decimals'],
  ['0.001', 'money.error.decimals'],
  ['1.2345678万', 'money.error.decimals'],
  ['1.234567k', 'money.error.decimals'],
  ['1万万', 'money.error.format'],
  ['100000000.01', 'money.error.too_large'],
  ['10001万', 'money.error.too_large'],
  ['99999999999999999999999', 'money.error.too_large'],
];

describe('parseMoney', () => {
  it('has a table of at least 40 inputs', () => {
    expect(accepted.length + rejected.length).toBeGreaterThanOrEqual(40);
  });

  it.each(accepted)('accepts %j as %i fen', (token, fen) => {
    expect(parseMoney(token)).toEqual({ ok: true, value: fen });
  });

  it.each(rejected)('rejects %j with %s, quoting the token', (token, key) => {
    const r = parseMoney(token);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.key).toBe(key);
      expect(r.error.params.token).toBe(token);
    }
  });

  it('allows zero when asked', () => {
    expect(parseMoney('0', { allowZero: true })).toEqual({ ok: true, value: 0 });
    expect(parseMoney('0.00', { allowZero: true })).toEqual({ ok: true, value: 0 });
  });

  it('refuses negatives even with allowZero', () => {
    const r = parseMoney('-1', { allowZero: true });
    expect(r.ok ? null : r.error.key).toBe('money.error.negative');
  });

  it('names the cap in too_large', () => {
    const big = parseMoney('200000000');
    expect(big).toEqual({
      ok: false,
      error: { key: 'money.error.too_large', params: { token: '200000000', max: '¥100,000,000.00' } },
    });
  });

  it('returns integers only', () => {
    for (const [token] of accepted) {
      const r = parseMoney(token);
      if (r.ok) expect(Number.isInteger(r.value)).toBe(true);
    }
  });

  it('tryParseMoney returns null on refusal', () => {
    expect(tryParseMoney('5万')).toBe(5_000_000);
    expect(tryParseMoney('x')).toBeNull();
  });
});

describe('formatMoney', () => {
  it.each([
    [5_000_000, '¥50,000.00'],
    [5_000_050, '¥50,000.50'],
    [1, '¥0.01'],
    [0, '¥0.00'],
    [-100_000, '-¥1,000.00'],
    [MONEY_CAP, '¥100,000,000.00'],
    [123_456_789, '¥1,234,567.89'],
  ])('formats %i as %s in both locales', (minor, text) => {
    expect(formatMoney(minor, 'en')).toBe(text);
    expect(formatMoney(minor, 'zh-CN')).toBe(text);
  });

  it('refuses non-integers', () => {
    expect(() => formatMoney(1.5, 'en')).toThrow(RangeError);
  });

  it('round-trips with parseMoney', () => {
    for (const minor of [1, 99, 100, 5_000_050, 123_456_789, MONEY_CAP]) {
      expect(parseMoney(formatMoney(minor, 'en'))).toEqual({ ok: true, value: minor });
    }
  });
});

describe('formatMoneyShort', () => {
  it.each([
    [5_000_000, '¥5万', '¥50k'],
    [1_500_000, '¥1.5万', '¥15k'],
    [1_000_000, '¥1万', '¥10k'],
    [12_345_678, '¥12.35万', '¥123.46k'],
    [999_999, '¥9,999.99', '¥9,999.99'],
    [500_000, '¥5,000', '¥5,000'],
    [5_000_050 - 50, '¥5万', '¥50k'],
    [150_000_000, '¥150万', '¥1.5M'],
    [MONEY_CAP, '¥1亿', '¥100M'],
    [-5_000_000, '-¥5万', '-¥50k'],
    [-100_000, '-¥1,000', '-¥1,000'],
    [0, '¥0', '¥0'],
  ])('formats %i as %s / %s', (minor, zh, en) => {
    expect(formatMoneyShort(minor, 'zh-CN')).toBe(zh);
    expect(formatMoneyShort(minor, 'en')).toBe(en);
  });
});
