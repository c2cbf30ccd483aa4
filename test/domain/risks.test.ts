import { describe, expect, it } from 'vitest';
import {
  ESCALATE_AFTER_HOURS,
  announceTo,
  canCloseRisk,
  gradeOf,
  needsEscalation,
  scoreRisk,
  statusForStrategy,
} from '../../src/domain/risks.js';
import { DomainError, RISK_STATUSES } from '../../src/domain/types.js';

describe('gradeOf boundaries', () => {
  it.each([
    [1, 'low'],
    [7, 'low'],
    [8, 'medium'],
    [14, 'medium'],
    [15, 'high'],
    [25, 'high'],
  ])('score %i is %s', (score, grade) => expect(gradeOf(score)).toBe(grade));
});

describe('scoreRisk', () => {
  it('multiplies likelihood by impact and grades at the 7/8 and 14/15 edges', () => {
    expect(scoreRisk(1, 1)).toEqual({ score: 1, grade: 'low' });
    expect(scoreRisk(1, 5)).toEqual({ score: 5, grade: 'low' });
    expect(scoreRisk(2, 3)).toEqual({ score: 6, grade: 'low' });
    expect(scoreRisk(2, 4)).toEqual({ score: 8, grade: 'medium' }); // first medium
    expect(scoreRisk(3, 3)).toEqual({ score: 9, grade: 'medium' });
    expect(scoreRisk(2, 5)).toEqual({ score: 10, grade: 'medium' });
    expect(scoreRisk(3, 4)).toEqual({ score: 12, grade: 'medium' });
    expect(scoreRisk(3, 5)).toEqual({ score: 15, grade: 'high' }); // first high
    expect(scoreRisk(4, 4)).toEqual({ score: 16, grade: 'high' });
    expect(scoreRisk(5, 5)).toEqual({ score: 25, grade: 'high' });
  });
  it('covers the whole 5×5 matrix consistently', () => {
    const counts = { high: 0, medium: 0, low: 0 };
    for (let l = 1; l <= 5; l++) for (let i = 1; i <= 5; i++) counts[scoreRisk(l, i).grade]++;
    // high: 15,16,20,20,25,15 → 6; medium: 8,8,9,10,10,12,12 → 7; low: the other 12
    expect(counts).toEqual({ high: 6, medium: 7, low: 12 });
  });
  it.each([0, 6, -1, 2.5, Number.NaN])('refuses %s on the scale', (v) => {
    expect(() => scoreRisk(v, 3)).toThrow(DomainError);
    expect(() => scoreRisk(3, v)).toThrow(expect.objectContaining({ code: 'error.risk_scale' }));
  });
  it('names the bad value', () => {
    expect(() => scoreRisk(6, 1)).toThrow(expect.objectContaining({ params: { value: 6 } }));
  });
});

describe('risk lifecycle', () => {
  it('closes only open or mitigating risks', () => {
    expect(RISK_STATUSES.filter(canCloseRisk)).toEqual(['open', 'mitigating']);
  });
  it('announces by grade', () => {
    expect(announceTo('high')).toBe('leaders');
    expect(announceTo('medium')).toBe('team');
    expect(announceTo('low')).toBeNull();
  });
  it('moves status with the chosen strategy', () => {
    expect(statusForStrategy('open', 'mitigate')).toBe('mitigating');
    expect(statusForStrategy('open', 'avoid')).toBe('mitigating');
    expect(statusForStrategy('mitigating', 'accept')).toBe('accepted');
    expect(statusForStrategy('closed', 'mitigate')).toBe('closed');
  });
  it('escalates unowned high risks after 24 h', () => {
    expect(ESCALATE_AFTER_HOURS).toBe(24);
    const reportedAt = new Date('2026-11-01T00:00:00Z');
    const base = { grade: 'high' as const, status: 'open' as const, ownerId: null, reportedAt };
    expect(needsEscalation(base, new Date('2026-11-01T23:59:59Z'))).toBe(false);
    expect(needsEscalation(base, new Date('2026-11-02T00:00:00Z'))).toBe(true);
    expect(needsEscalation({ ...base, ownerId: 3 }, new Date('2026-11-03T00:00:00Z'))).toBe(false);
    expect(needsEscalation({ ...base, grade: 'medium' }, new Date('2026-11-03T00:00:00Z'))).toBe(false);
    expect(needsEscalation({ ...base, status: 'closed' }, new Date('2026-11-03T00:00:00Z'))).toBe(false);
  });
});
