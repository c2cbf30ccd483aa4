import { describe, expect, it } from 'vitest';
import { MAX_ID, formatId, parseId } from '../../src/domain/ids.js';

describe('ids', () => {
  it('formats with the prefix', () => {
    expect(formatId('ADJ', 12)).toBe('ADJ-12');
    expect(formatId('CMP', 7)).toBe('CMP-7');
    expect(formatId('RSK', 3)).toBe('RSK-3');
    expect(formatId('EXP', 40)).toBe('EXP-40');
  });
  it.each(['ADJ-12', 'adj-12', 'Adj-12', 'ADJ12', '#12', '12', ' ADJ-12 '])('parses %j as 12', (t) => {
    expect(parseId(t, 'ADJ')).toBe(12);
  });
  it.each(['CMP-12', 'RSK12', 'EXP-12', 'ADJ-0', '0', '#0', '-5', 'ADJ--5', 'ADJ-', '#', '', 'abc', '12a', '1.5', 'ADJ 12', `${MAX_ID + 1}`, '99999999999', '# 12'])(
    'rejects %j',
    (t) => {
      expect(parseId(t, 'ADJ')).toBeNull();
    },
  );
  it('accepts the largest id and every prefix', () => {
    expect(parseId(String(MAX_ID), 'RSK')).toBe(MAX_ID);
    expect(parseId('cmp-7', 'CMP')).toBe(7);
    expect(parseId('EXP40', 'EXP')).toBe(40);
    expect(parseId(formatId('RSK', 3), 'RSK')).toBe(3);
  });
});
