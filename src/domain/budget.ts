// Budget figures for one line and month. Percentages are integer basis points (1 bp = 0.01 %) so that
// thresholds compare exactly; money stays in integer fen throughout.
import type { Locale, Minor } from './types.js';

export interface LineFigures {
  plan: Minor;
  spent: Minor;
  committed: Minor;
}

/** What can still be spent or committed: plan − spent − committed (negative when overspent). */
export function available(f: LineFigures): Minor {
  return f.plan - f.spent - f.committed;
}

// BigInt keeps part × 10000 exact even for sums of many capped amounts. Rounds toward −∞.
function ratioBpFloor(part: Minor, whole: Minor): number {
  const n = BigInt(part) * 10_000n;
  const d = BigInt(whole);
  const q = n / d;
  return Number(n % d !== 0n && n < 0n !== d < 0n ? q - 1n : q);
}

/** spent / plan in bp, rounded down so 79.99 % never shows as 80 %; null when there is no plan. */
export function percentUsedBp(f: LineFigures): number | null {
  return f.plan === 0 ? null : ratioBpFloor(f.spent, f.plan);
}

/** (spent + committed) / plan in bp: how much of the plan is spoken for. */
export function usedBp(f: LineFigures): number | null {
  return f.plan === 0 ? null : ratioBpFloor(f.spent + f.committed, f.plan);
}

/** Amount missing to cover `amount` from what is available (0 when it fits). */
export function shortfall(f: LineFigures, amount: Minor): Minor {
  return Math.max(0, amount - Math.max(0, available(f)));
}

export function sumFigures(list: Iterable<LineFigures>): LineFigures {
  const total: LineFigures = { plan: 0, spent: 0, committed: 0 };
  for (const f of list) {
    total.plan += f.plan;
    total.spent += f.spent;
    total.committed += f.committed;
  }
  return total;
}

export const DEFAULT_THRESHOLDS: readonly number[] = [80, 100];

/**
 * Percent thresholds that a spend moved across (before < t % of plan ≤ after), ascending. Spending against
 * a zero plan is over every threshold at once. Each alert is sent once per line and month by the caller.
 */
export function thresholdsCrossed(
  plan: Minor,
  spentBefore: Minor,
  spentAfter: Minor,
  thresholds: readonly number[] = DEFAULT_THRESHOLDS,
): number[] {
  const sorted = [...thresholds].sort((a, b) => a - b);
  if (plan <= 0) return spentBefore <= 0 && spentAfter > 0 ? sorted : [];
  // Compare before × 100 with t × plan: integers only, no rounding at the boundary.
  const p = BigInt(plan);
  return sorted.filter((t) => {
    const limit = BigInt(t) * p;
    return BigInt(spentBefore) * 100n < limit && limit <= BigInt(spentAfter) * 100n;
  });
}

/** Max |variance| as a fraction of plan before the owner must explain it (policy 七: reasons for variance). */
export const VARIANCE_LIMIT_BP = 1_000;

/**
 * Plan vs actual for a month: variance = actual − plan (positive = overspent), percent in bp truncated toward
 * zero; `beyond` when |variance| exceeds 10 % of plan, or anything was spent against no plan.
 */
export function variance(plan: Minor, actual: Minor): { variance: Minor; percentBp: number | null; beyond: boolean } {
  const v = actual - plan;
  if (plan === 0) return { variance: v, percentBp: null, beyond: actual > 0 };
  const percentBp = Number((BigInt(v) * 10_000n) / BigInt(plan));
  const beyond = BigInt(Math.abs(v)) * 10_000n > BigInt(Math.abs(plan)) * BigInt(VARIANCE_LIMIT_BP);
  return { variance: v, percentBp, beyond };
}

/** Splits an annual amount into months; the leftover fen go one each to the first months. Sums exactly. */
export function splitEvenly(annual: Minor, months = 12): Minor[] {
  if (!Number.isSafeInteger(annual) || annual < 0) throw new RangeError(`annual must be a non-negative integer, got ${annual}`);
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`months must be a positive integer, got ${months}`);
  const base = Math.floor(annual / months);
  const rest = annual - base * months;
  return Array.from({ length: months }, (_, i) => base + (i < rest ? 1 : 0));
}

/**
 * 8250 → "82.5%"; one decimal at most, trailing .0 dropped; same in both locales. Truncated toward zero so
 * 79.99 % reads "79.9%", never a misleading "80%".
 */
export function formatPercentBp(bp: number, _locale: Locale): string {
  const tenths = Math.floor(Math.abs(bp) / 10);
  const sign = bp < 0 && tenths > 0 ? '-' : '';
  const whole = Math.floor(tenths / 10);
  const frac = tenths % 10;
  return `${sign}${whole}${frac ? `.${frac}` : ''}%`;
}

/** Like formatPercentBp with an explicit sign for non-zero values: "+12.5%", "-3%", "0%". */
export function formatSignedPercentBp(bp: number, locale: Locale): string {
  const text = formatPercentBp(bp, locale);
  return bp > 0 && text !== '0%' ? `+${text}` : text;
}
