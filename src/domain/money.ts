// Money in minor units (fen). Parsing is pure string/BigInt math: a float never touches an amount,
// so "0.1 + 0.2" style errors cannot creep into budgets.
import type { Locale, Minor } from './types.js';

/** ¥100,000,000.00 in fen — a sane ceiling for one amount typed in chat. */
export const MONEY_CAP = 10_000_000_000;

export type MoneyError = { key: string; params: Record<string, string | number> };
export type MoneyParse = { ok: true; value: number } | { ok: false; error: MoneyError };

export const MONEY_ERRORS = {
  format: 'money.error.format',
  negative: 'money.error.negative',
  zero: 'money.error.zero',
  decimals: 'money.error.decimals',
  tooLarge: 'money.error.too_large',
} as const;

const MULTIPLIERS: Record<string, bigint> = { k: 1000n, K: 1000n, 千: 1000n, w: 10000n, W: 10000n, 万: 10000n };

// Users on Chinese keyboards often type full-width digits and punctuation; fold them to ASCII.
function normalizeWidth(s: string): string {
  return s
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/￥/g, '¥')
    .replace(/，/g, ',')
    .replace(/．/g, '.')
    .replace(/[－−]/g, '-');
}

// Optional minus, optional currency (¥ / CNY / RMB, either side of the minus), digits with optional
// thousands commas, up to one fraction, optional multiplier, optional 元.
const MONEY_RE =
  /^(-)?\s*(?:¥|(?:CNY|RMB)(?![a-z]))?\s*(-)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(k|K|千|w|W|万)?\s*(元)?$/i;

function fail(key: string, token: string, extra: Record<string, string | number> = {}): MoneyParse {
  return { ok: false, error: { key, params: { token, ...extra } } };
}

/**
 * Parses an amount as typed in chat into fen. `token` is quoted back verbatim in every error.
 * Zero is refused unless `allowZero` (e.g. an "actual cost" field may legitimately be 0).
 */
export function parseMoney(token: string, opts: { allowZero?: boolean } = {}): MoneyParse {
  const s = normalizeWidth(token.trim());
  const m = MONEY_RE.exec(s);
  if (!m) return fail(MONEY_ERRORS.format, token);
  const [, minusBefore, minusAfter, intRaw, fracRaw = '', unit] = m;
  if (minusBefore && minusAfter) return fail(MONEY_ERRORS.format, token);
  // The regex is case-insensitive for CNY/RMB; k/K/w/W are all listed, so any other letter already failed.
  const multiplier = unit ? MULTIPLIERS[unit] : 1n;
  if (multiplier === undefined) return fail(MONEY_ERRORS.format, token);

  const intDigits = intRaw.replace(/,/g, '');
  const scale = 10n ** BigInt(fracRaw.length);
  const scaled = BigInt(intDigits + fracRaw) * multiplier * 100n; // value × scale, in fen
  // More than two decimals once the multiplier is applied (1.234 → 123.4 fen) cannot be stored.
  if (scaled % scale !== 0n) return fail(MONEY_ERRORS.decimals, token);
  const fen = scaled / scale;

  if (minusBefore || minusAfter) return fen === 0n ? fail(MONEY_ERRORS.zero, token) : fail(MONEY_ERRORS.negative, token);
  if (fen === 0n && !opts.allowZero) return fail(MONEY_ERRORS.zero, token);
  if (fen > BigInt(MONEY_CAP)) return fail(MONEY_ERRORS.tooLarge, token, { max: formatMoney(MONEY_CAP, 'en') });
  return { ok: true, value: Number(fen) };
}

/** Like parseMoney but throws nothing and returns null on any refusal (for optional fields). */
export function tryParseMoney(token: string, opts: { allowZero?: boolean } = {}): Minor | null {
  const r = parseMoney(token, opts);
  return r.ok ? r.value : null;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function assertInteger(minor: number): void {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`money must be an integer number of minor units: ${minor}`);
}

/** `¥50,000.00`; negatives `-¥1,000.00`. Same shape in both locales (both write ¥ and , thousands). */
export function formatMoney(minor: Minor, _locale: Locale): string {
  assertInteger(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const yuan = Math.floor(abs / 100);
  const fen = abs % 100;
  return `${sign}¥${group(String(yuan))}.${String(fen).padStart(2, '0')}`;
}

// Rounds abs/unit to 2 decimals (half up) with integer math and trims trailing zeros.
function scaledShort(abs: number, unitMinor: number): string {
  const hundredths = Math.floor((abs * 100 + unitMinor / 2) / unitMinor);
  const whole = Math.floor(hundredths / 100);
  const frac = String(hundredths % 100).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${group(String(whole))}.${frac}` : group(String(whole));
}

/**
 * Compact amount for cards and lists: zh-CN `¥5万` / `¥1.5万` / `¥1亿`, en `¥50k` / `¥1.2M` from ¥10,000 up;
 * smaller amounts as formatMoney, dropping `.00` when whole. Approximate (rounded to 2 decimals of the unit).
 */
export function formatMoneyShort(minor: Minor, locale: Locale): string {
  assertInteger(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (abs < 1_000_000) {
    const full = formatMoney(abs, locale);
    return sign + (full.endsWith('.00') ? full.slice(0, -3) : full);
  }
  if (locale === 'zh-CN') {
    return abs >= 10_000_000_000 ? `${sign}¥${scaledShort(abs, 10_000_000_000)}亿` : `${sign}¥${scaledShort(abs, 1_000_000)}万`;
  }
  return abs >= 100_000_000 ? `${sign}¥${scaledShort(abs, 100_000_000)}M` : `${sign}¥${scaledShort(abs, 100_000)}k`;
}
