// Risk assessment (policy 八): likelihood 1–5 × impact 1–5 on a 5×5 matrix, graded so the response
// matches the stakes — high goes to the leaders at once, medium to the team, low to the register.
import { DomainError, type ChannelPurpose, type RiskGrade, type RiskStatus, type RiskStrategy } from './types.js';

/** A high risk still without an owner this long after it was reported is escalated again. */
export const ESCALATE_AFTER_HOURS = 24;
export const HIGH_MIN_SCORE = 15;
export const MEDIUM_MIN_SCORE = 8;

function assertScale(value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 5) throw new DomainError('error.risk_scale', { value });
}

export function gradeOf(score: number): RiskGrade {
  if (score >= HIGH_MIN_SCORE) return 'high';
  if (score >= MEDIUM_MIN_SCORE) return 'medium';
  return 'low';
}

export function scoreRisk(likelihood: number, impact: number): { score: number; grade: RiskGrade } {
  assertScale(likelihood);
  assertScale(impact);
  const score = likelihood * impact;
  return { score, grade: gradeOf(score) };
}

/** A risk is closed (or accepted) once; closing again would rewrite its history. */
export function canCloseRisk(status: RiskStatus): boolean {
  return status === 'open' || status === 'mitigating';
}

export function isOpenRisk(status: RiskStatus): boolean {
  return canCloseRisk(status);
}

/** Where a new risk is announced: high → leaders, medium → team, low → only the register. */
export function announceTo(grade: RiskGrade): ChannelPurpose | null {
  if (grade === 'high') return 'leaders';
  if (grade === 'medium') return 'team';
  return null;
}

/**
 * Status once a response strategy is chosen for an open risk: "accept" means living with it (final),
 * anything else means work is under way.
 */
export function statusForStrategy(current: RiskStatus, strategy: RiskStrategy): RiskStatus {
  if (!canCloseRisk(current)) return current;
  return strategy === 'accept' ? 'accepted' : 'mitigating';
}

/** A high, unowned, still-open risk reported at least ESCALATE_AFTER_HOURS ago. */
export function needsEscalation(
  risk: { grade: RiskGrade; status: RiskStatus; ownerId: number | null; reportedAt: Date },
  now: Date,
): boolean {
  return (
    risk.grade === 'high' &&
    risk.ownerId === null &&
    canCloseRisk(risk.status) &&
    now.getTime() - risk.reportedAt.getTime() >= ESCALATE_AFTER_HOURS * 3_600_000
  );
}
