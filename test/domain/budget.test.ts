import { describe, expect, it } from 'vitest';
import {
  available,
  formatPercentBp,
  formatSignedPercentBp,
  percentUsedBp,
  shortfall,
  splitEvenly,
  sumFigures,
  thresholdsCrossed,
  usedBp,
  variance,
} from '../../src/domain/budget.js';

describe('line figures', () => {
  const f = { plan: 1_000_000, spent: 825_000, committed: 100_000 };
  it('computes available and percentages', () => {
    expect(available(f)).toBe(75_000);
    expect(percentUsedBp(f)).toBe(8_250);
    expect(usedBp(f)).toBe(9_250);
    expect(available({ plan: 100, spent: 150, committed: 0 })).toBe(-50);
  });
  it('rounds percentages down', () => {
    expect(percentUsedBp({ plan: 3, spent: 2, committed: 0 })).toBe(6_666);
    expect(percentUsedBp({ plan: 10_000, spent: 7_999, committed: 0 })).toBe(7_999);
    expect(percentUsedBp({ plan: 10_000_000_000, spent: 10_000_000_000, committed: 0 })).toBe(10_000);
  });
  it('is null without a plan', () => {
    expect(percentUsedBp({ plan: 0, spent: 5, committed: 0 })).toBeNull();
    expect(usedBp({ plan: 0, spent: 0, committed: 0 })).toBeNull();
  });
  it('stays exact for huge sums', () => {
    expect(percentUsedBp({ plan: 3 * 10 ** 13, spent: 10 ** 13, committed: 0 })).toBe(3_333);
  });
  it('computes shortfall and totals', () => {
    expect(shortfall(f, 50_000)).toBe(0);
    expect(shortfall(f, 100_000)).toBe(25_000);
    expect(shortfall({ plan: 100, spent: 150, committed: 0 }, 10)).toBe(10);
    expect(sumFigures([f, { plan: 1, spent: 2, committed: 3 }])).toEqual({ plan: 1_000_001, spent: 825_002, committed: 100_003 });
    expect(sumFigures([])).toEqual({ plan: 0, spent: 0, committed: 0 });
  });
});

describe('thresholdsCrossed', () => {
  const plan = 1_000_000;
  it('reports each threshold moved across', () => {
    expect(thresholdsCrossed(plan, 700_000, 790_000)).toEqual([]);
    expect(thresholdsCrossed(plan, 700_000, 800_000)).toEqual([80]); // exactly 80 % counts
    expect(thresholdsCrossed(plan, 799_999, 800_000)).toEqual([80]);
    expect(thresholdsCrossed(plan, 800_000, 900_000)).toEqual([]); // already at 80 %
    expect(thresholdsCrossed(plan, 900_000, 1_000_000)).toEqual([100]);
    expect(thresholdsCrossed(plan, 500_000, 1_200_000)).toEqual([80, 100]);
    expect(thresholdsCrossed(plan, 1_000_000, 1_500_000)).toEqual([]);
  });
  it('uses custom thresholds, sorted', () => {
    expect(thresholdsCrossed(plan, 0, 1_000_000, [100, 50, 90])).toEqual([50, 90, 100]);
  });
  it('treats spending against a zero plan as crossing all, once', () => {
    expect(thresholdsCrossed(0, 0, 1)).toEqual([80, 100]);
    expect(thresholdsCrossed(0, 1, 5)).toEqual([]);
    expect(thresholdsCrossed(0, 0, 0)).toEqual([]);
  });
  it('is exact at boundaries with odd plans', () => {
    // 80 % of 333 = 266.4 → 266 is below, 267 is past.
    expect(thresholdsCrossed(333, 0, 266)).toEqual([]);
    expect(thresholdsCrossed(333, 266, 267)).toEqual([80]);
  });
});

describe('variance', () => {
  it('is actual − plan with a percentage', () => {
    expect(variance(1_000_000, 1_100_000)).toEqual({ variance: 100_000, percentBp: 1_000, beyond: false }); // exactly 10 %
    expect(variance(1_000_000, 1_100_001)).toEqual({ variance: 100_001, percentBp: 1_000, beyond: true });
    expect(variance(1_000_000, 899_999)).toEqual({ variance: -100_001, percentBp: -1_000, beyond: true });
    expect(variance(1_000_000, 900_000)).toEqual({ variance: -100_000, percentBp: -1_000, beyond: false });
    expect(variance(1_000_000, 1_000_000)).toEqual({ variance: 0, percentBp: 0, beyond: false });
    expect(variance(1_000_000, 0)).toEqual({ variance: -1_000_000, percentBp: -10_000, beyond: true });
  });
  it('with no plan: beyond only if something was spent', () => {
    expect(variance(0, 0)).toEqual({ variance: 0, percentBp: null, beyond: false });
    expect(variance(0, 1)).toEqual({ variance: 1, percentBp: null, beyond: true });
  });
});

describe('splitEvenly', () => {
  it('splits an annual budget into 12 months, leftovers first', () => {
    expect(splitEvenly(12_000_000)).toEqual(Array(12).fill(1_000_000));
    const parts = splitEvenly(100);
    expect(parts).toEqual([9, 9, 9, 9, 8, 8, 8, 8, 8, 8, 8, 8]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(splitEvenly(5, 3)).toEqual([2, 2, 1]);
    expect(splitEvenly(0)).toEqual(Array(12).fill(0));
    expect(splitEvenly(10_000_000_000).reduce((a, b) => a + b, 0)).toBe(10_000_000_000);
  });
  it('refuses bad input', () => {
    expect(() => splitEvenly(-1)).toThrow(RangeError);
    expect(() => splitEvenly(1.5)).toThrow(RangeError);
    expect(() => splitEvenly(100, 0)).toThrow(RangeError);
  });
});

describe('formatPercentBp', () => {
  it.each([
    [8_250, '82.5%'],
    [8_000, '80%'],
    [7_999, '79.9%'],
    [10_000, '100%'],
    [12_345, '123.4%'],
    [0, '0%'],
    [5, '0%'],
    [-1_250, '-12.5%'],
    [-5, '0%'],
  ])('%i bp → %s', (bp, text) => {
    expect(formatPercentBp(bp, 'en')).toBe(text);
    expect(formatPercentBp(bp, 'zh-CN')).toBe(text);
  });
  it('signs variances', () => {
    expect(formatSignedPercentBp(1_250, 'en')).toBe('+12.5%');
    expect(formatSignedPercentBp(-300, 'en')).toBe('-3%');
    expect(formatSignedPercentBp(0, 'en')).toBe('0%');
    expect(formatSignedPercentBp(5, 'en')).toBe('0%');
  });
});
