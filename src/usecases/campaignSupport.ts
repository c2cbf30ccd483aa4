// Helpers shared by the campaigns, risks and agenda use-cases: form value access, per-field validation
// errors that roll back a write, time stamps for messages, and loading a campaign into its card view.
import type { Tx } from '../db/client.js';
import { effectiveStatus } from '../domain/campaigns.js';
import { formatStamp } from '../domain/time.js';
import type { CampaignStatus, KpiKey, Minor } from '../domain/types.js';
import type { CampaignView } from '../messages/builders/campaigns.js';
import type { ProposalSnapshot } from '../messages/builders/campaignForms.js';
import type { Ctx } from './context.js';
import { deciderText } from './approvers.js';
import { mention } from './people.js';
import { escalationNotes } from './escalation.js';
import type { FormValues } from './types.js';

/** Per-field refusals of a form; thrown inside a write so it rolls back, turned into formRefusal outside. */
export type FieldErrors = Record<string, { key: string; params?: Record<string, string | number> }>;
export class FormInvalid extends Error {
  constructor(readonly errors: FieldErrors) {
    super('form invalid');
    this.name = 'FormInvalid';
  }
}

/** A submitted value as one trimmed string ('' when absent; multiselects joined with commas). */
export function str(values: FormValues, name: string): string {
  const v = values[name];
  if (Array.isArray(v)) return v.join(',').trim();
  return typeof v === 'string' ? v.trim() : '';
}

/** Characters as a person counts them (code points: an emoji or a CJK character is one). */
export function charCount(text: string): number {
  return [...text].length;
}

/** The refusal params of a text over its limit, or null: always with the count, never cut. */
export function tooLong(text: string, max: number): { length: number; max: number } | null {
  const length = charCount(text);
  return length > max ? { length, max } : null;
}

/** A multiselect value as a list (accepts an array or a comma-separated string). */
export function list(values: FormValues, name: string): string[] {
  const v = values[name];
  const raw = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [];
  return [...new Set(raw.map((s) => s.trim()).filter(Boolean))];
}

/** "2026-11-05 14:30 UTC+8": the configured time zone, named. */
export function when(ctx: Ctx, at: Date): string {
  return formatStamp(at, ctx.settings.timezone);
}

/** Fen as a plain yuan string for form pre-fills ("12000.50"). */
export function yuanString(minor: Minor): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export const HOLDING_STATUSES: CampaignStatus[] = ['approved', 'running', 'ended'];

export async function loadCampaign(tx: Tx, id: number) {
  return tx.campaign.findUnique({ where: { id }, include: { line: true, owner: true } });
}
export type CampaignRow = NonNullable<Awaited<ReturnType<typeof loadCampaign>>>;

/** What the proposal currently says (the fields of the proposal form). */
export function proposalSnapshot(c: CampaignRow): ProposalSnapshot {
  return {
    name: c.name,
    goal: c.goal,
    theme: c.theme,
    format: c.format,
    channels: parseJson<string[]>(c.channels, []),
    startDate: c.startDate,
    endDate: c.endDate,
    lineCode: c.line.code,
    amount: c.amount,
    kpiTargets: parseJson<Partial<Record<KpiKey, number>>>(c.kpiTargets, {}),
  };
}

/** The audit data of a revision (action `campaign.revise`), read back for the card. */
export interface RevisionAudit {
  at: string;
  comment: string | null;
  changed: string[];
  before: ProposalSnapshot;
  after: ProposalSnapshot;
}

/** The revision that made a pending campaign pending again, if it was revised; null for a first proposal. */
async function latestRevision(tx: Tx, ctx: Ctx, c: CampaignRow): Promise<CampaignView['revision']> {
  if (c.status !== 'pending_approval') return undefined;
  const row = await tx.auditLog.findFirst({
    where: { entity: 'campaign', entityId: String(c.id), action: 'campaign.revise' },
    orderBy: { id: 'desc' },
  });
  const data = parseJson<RevisionAudit | null>(row?.data, null);
  if (!data?.before || !data.after) return undefined;
  return { at: when(ctx, new Date(data.at)), comment: data.comment, before: data.before, after: data.after };
}

export async function campaignView(tx: Tx, ctx: Ctx, c: CampaignRow, opts: { commitments?: boolean } = {}): Promise<CampaignView> {
  const decider = c.decidedById ? await tx.person.findUnique({ where: { id: c.decidedById } }) : null;
  const behalf = c.decidedOnBehalfOfId ? await tx.person.findUnique({ where: { id: c.decidedOnBehalfOfId } }) : null;
  const commitments = opts.commitments
    ? await tx.budgetCommitment.findMany({ where: { campaignId: c.id }, orderBy: { month: 'asc' }, select: { month: true, amount: true } })
    : undefined;
  const revision = await latestRevision(tx, ctx, c);
  return {
    ...proposalSnapshot(c),
    id: c.id,
    lineName: c.line.name,
    status: effectiveStatus(c.status as CampaignStatus, c.startDate, c.endDate, ctx.today),
    owner: mention(c.owner),
    createdAt: when(ctx, c.createdAt),
    decidedBy: decider ? deciderText(ctx.locale, decider, behalf) : undefined,
    decidedAt: c.decidedAt ? when(ctx, c.decidedAt) : undefined,
    decisionComment: c.decisionComment,
    evaluatedAt: c.evaluatedAt ? when(ctx, c.evaluatedAt) : undefined,
    commitments,
    revision,
    escalations: await escalationNotes(tx, 'campaign', c.id, ctx.locale, ctx.settings.timezone),
  };
}
