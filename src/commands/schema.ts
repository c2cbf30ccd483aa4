// The Intent union as a zod schema: the parser validates what it assembled against it (a last guard
// against a bug in a subcommand function), and anything else that receives an Intent may reuse it.
import { z } from 'zod';
import {
  CHANNEL_PURPOSES,
  LOCALES,
  RISK_CATEGORIES,
  ROLES,
} from '../domain/types.js';
import { isLocalDate, isMonth } from '../domain/time.js';
import type { Intent } from './intents.js';
import { MAX_LENGTH } from './keys.js';
import { SETTING_KEYS } from './aliases.js';
import { textLength } from './tokens.js';
import { PLAN_CATEGORIES } from '../domain/plan.js';
import { MAX_PASTE } from './plan.js';

const month = z.string().refine(isMonth, 'month');
const date = z.string().refine(isLocalDate, 'date');
const amount = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const lineCode = z.string().regex(/^[A-Z0-9_-]{1,20}$/);
const id = z.number().int().positive().max(2_147_483_647);
const text = (max: number) =>
  z
    .string()
    .min(1)
    .refine((s) => s === s.trim() && textLength(s) <= max, 'text');
const scale = z.number().int().min(1).max(5);
const userRef = z.strictObject({ userId: z.string().min(1), name: z.string().min(1).optional() });
const channelRef = z.union([
  z.strictObject({ here: z.literal(true) }),
  z.strictObject({ here: z.literal(false), channelId: z.string().min(1), name: z.string().min(1).optional() }),
]);

const year = z.number().int().min(2000).max(2100);
const planCode = z.string().regex(/^[A-Z0-9_-]{1,20}$/);

export const intentSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('budget.export'), year: year.optional() }),
  z.strictObject({ type: z.literal('plan.show'), year: year.optional() }),
  z.strictObject({ type: z.literal('plan.new'), year, from: year.optional() }),
  z.strictObject({ type: z.literal('plan.import'), year: year.optional(), rows: z.string().min(1).max(MAX_PASTE).optional() }),
  z.strictObject({
    type: z.literal('plan.line'),
    year,
    code: planCode,
    category: z.enum(PLAN_CATEGORIES),
    annual: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    name: text(MAX_LENGTH.name),
  }),
  z.strictObject({ type: z.literal('plan.remove'), year, code: planCode }),
  z.strictObject({ type: z.literal('plan.template'), year: year.optional() }),
  z.strictObject({ type: z.literal('plan.submit'), year }),
  z.strictObject({ type: z.literal('budget.status'), month: month.optional() }),
  z.strictObject({ type: z.literal('budget.lines') }),
  z.strictObject({ type: z.literal('budget.chart'), month: month.optional() }),
  z.strictObject({
    type: z.literal('budget.line.add'),
    code: lineCode,
    category: z.enum(PLAN_CATEGORIES).optional(),
    annualAmount: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    name: text(MAX_LENGTH.name),
  }),
  z.strictObject({
    type: z.literal('budget.request'),
    amount,
    line: lineCode,
    month: month.optional(),
    reason: text(MAX_LENGTH.reason),
  }),
  z
    .strictObject({
      type: z.literal('budget.transfer'),
      amount,
      fromLine: lineCode,
      toLine: lineCode,
      month: month.optional(),
      reason: text(MAX_LENGTH.reason),
    })
    .refine((v) => v.fromLine !== v.toLine, 'same line'),
  z.strictObject({ type: z.literal('budget.spend'), amount, line: lineCode, date: date.optional(), note: text(MAX_LENGTH.note) }),
  z.strictObject({ type: z.literal('budget.show'), id }),
  z.strictObject({ type: z.literal('budget.cancel'), id }),
  z.strictObject({
    type: z.literal('campaign.list'),
    filter: z.enum(['pending', 'approved', 'running', 'ended', 'evaluated', 'active', 'all']),
  }),
  z.strictObject({ type: z.literal('campaign.show'), id }),
  z.strictObject({ type: z.literal('campaign.close'), id }),
  z.strictObject({
    type: z.literal('risk.report'),
    category: z.enum(RISK_CATEGORIES),
    likelihood: scale,
    impact: scale,
    title: text(MAX_LENGTH.title),
  }),
  z.strictObject({ type: z.literal('risk.list'), filter: z.enum(['high', 'medium', 'low', 'open', 'all']) }),
  z.strictObject({ type: z.literal('risk.close'), id, note: text(MAX_LENGTH.note) }),
  z.strictObject({ type: z.literal('agenda.show') }),
  z.strictObject({ type: z.literal('agenda.add'), topic: text(MAX_LENGTH.topic) }),
  z.strictObject({ type: z.literal('agenda.remove'), n: z.number().int().positive() }),
  z.strictObject({ type: z.literal('agenda.post') }),
  z.strictObject({ type: z.literal('mkt.help'), topic: z.enum(['budget', 'campaign', 'risk', 'agenda', 'mkt', 'audit']).optional() }),
  z.strictObject({ type: z.literal('mkt.role'), user: userRef, role: z.enum(ROLES), revoke: z.boolean() }),
  z.strictObject({ type: z.literal('mkt.roles') }),
  z.strictObject({ type: z.literal('mkt.channel'), purpose: z.enum(CHANNEL_PURPOSES), channel: channelRef }),
  z.strictObject({ type: z.literal('mkt.set'), key: z.enum(SETTING_KEYS), value: text(MAX_LENGTH.value) }),
  z.strictObject({ type: z.literal('mkt.lang'), locale: z.enum(LOCALES) }),
  z.strictObject({ type: z.literal('mkt.delegate'), for: userRef.optional(), to: userRef, until: date.optional(), role: z.enum(['finance', 'leader']).optional() }),
  z.strictObject({ type: z.literal('mkt.delegate.off'), for: userRef.optional(), role: z.enum(['finance', 'leader']).optional() }),
  z.strictObject({ type: z.literal('mkt.delegates') }),
  z.strictObject({
    type: z.literal('audit.show'),
    record: z.strictObject({ kind: z.enum(['ADJ', 'CMP', 'RSK', 'PLAN', 'AMD']), id }),
    page: z.number().int().min(1).max(9999),
  }),
  z.strictObject({ type: z.literal('audit.export'), month: month.optional() }),
  z.strictObject({
    type: z.literal('form.open'),
    form: z.enum(['budget.request', 'budget.transfer', 'budget.spend', 'campaign.new', 'risk.report']),
  }),
]);

// Compile-time checks: whatever the schema accepts is an Intent, and every Intent type has a schema.
type SchemaIntent = z.infer<typeof intentSchema>;
export const toIntent = (v: SchemaIntent): Intent => v;
type Uncovered = Exclude<Intent['type'], SchemaIntent['type']>;
const allCovered: [Uncovered] extends [never] ? true : false = true;
void allCovered;
