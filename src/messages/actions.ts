// Compact references carried by buttons ("adj.approve:12") and forms ("adj.reject:12").
// They fit Slack's action_id/value and Feishu's callback value, and are validated on the way back in:
// a click or submission whose reference does not parse is refused without touching the database.
import { z } from 'zod';

const id = z.coerce.number().int().positive().max(2_147_483_647);
/** The approval step a plan button was made for: 1 finance, 2 leader (a stale click names the step it meant). */
const planStep = z.coerce.number().int().min(1).max(2);
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
/** The revision of the campaign a decision button was drawn for (cards drawn before revisions were stamped: none). */
const revision = z.coerce.number().int().min(1).max(1_000_000);
const campaignDecision = z.union([z.tuple([id, revision]), z.tuple([id])]);

/** Lists shown in pages (src/messages/layout.ts); each area answers its own. */
export const PAGED_VIEWS = ['budget.status', 'budget.lines', 'risk.list', 'campaign.list', 'agenda.topics', 'report.variance', 'report.budget'] as const;
export type PagedView = (typeof PAGED_VIEWS)[number];
const pageNo = z.coerce.number().int().min(1).max(100_000);
/** What a paged view needs besides the page: a month, a year or a list filter. */
const pageArg = z.string().regex(/^[A-Za-z0-9_-]{0,20}$/);

const actionSchemas = {
  'adj.approve': z.tuple([id]),
  'adj.reject': z.tuple([id]), // opens form adj.reject:<id> asking for a reason
  'adj.cancel': z.tuple([id]),
  'cmp.approve': campaignDecision, // id, revision
  'cmp.reject': campaignDecision, // opens form cmp.reject:<id>:<revision>
  'cmp.changes': campaignDecision, // opens form cmp.changes:<id>:<revision>
  'cmp.shortfall': z.tuple([id]), // opens budget.request form pre-filled with the shortfall
  'cmp.close': z.tuple([id]), // opens form campaign.close:<id>
  'cmp.revise': z.tuple([id]), // owner of a changes_requested campaign: opens form campaign.revise:<id>
  'rsk.own': z.tuple([id]),
  'rsk.strategy': z.tuple([id]), // opens form risk.strategy:<id>
  'alert.request': z.tuple([id, month]), // line id, month: opens budget.request pre-filled
  'var.explain': z.tuple([id, month]), // line id, month: opens form var.explain:<line>:<month>
  'plan.approve': z.tuple([id, id, planStep]), // plan id, version, step (1 finance, 2 leader)
  'plan.reject': z.tuple([id, id, planStep]), // opens form plan.reject:<id>:<version>:<step>
  'plan.changes': z.tuple([id, id, planStep]), // opens form plan.changes:<id>:<version>:<step>
  'amd.approve': z.tuple([id, planStep]), // plan amendment id, step (1 finance, 2 leader)
  'amd.reject': z.tuple([id, planStep]), // opens form amd.reject:<id>:<step>
  'audit.page': z.tuple([z.enum(['ADJ', 'CMP', 'RSK', 'PLAN', 'AMD']), id, z.coerce.number().int().min(1).max(9999)]), // record, page
  'form.open': z.tuple([z.enum(['budget.request', 'budget.transfer', 'budget.spend', 'campaign.new', 'risk.report'])]),
  page: z.union([z.tuple([z.enum(PAGED_VIEWS), pageNo]), z.tuple([z.enum(PAGED_VIEWS), pageNo, pageArg])]), // another page of a list
} as const;

export type ActionKind = keyof typeof actionSchemas;
export type ActionRef = { [K in ActionKind]: { kind: K; args: z.infer<(typeof actionSchemas)[K]> } }[ActionKind];

export function actionRef<K extends ActionKind>(kind: K, ...args: (string | number)[]): string {
  return [kind, ...args].join(':');
}

export function parseActionRef(raw: unknown): ActionRef | null {
  if (typeof raw !== 'string' || raw.length > 100) return null;
  const [kind, ...args] = raw.split(':');
  if (!kind || !(kind in actionSchemas)) return null;
  const parsed = actionSchemas[kind as ActionKind].safeParse(args);
  return parsed.success ? ({ kind, args: parsed.data } as ActionRef) : null;
}

const formSchemas = {
  'budget.request': z.tuple([]),
  'budget.transfer': z.tuple([]),
  'budget.spend': z.tuple([]),
  'campaign.new': z.tuple([]),
  'campaign.close': z.tuple([id]),
  'campaign.revise': z.tuple([id]),
  'risk.report': z.tuple([]),
  'risk.strategy': z.tuple([id]),
  'adj.reject': z.tuple([id]),
  'cmp.reject': campaignDecision,
  'cmp.changes': campaignDecision,
  'var.explain': z.tuple([id, month]),
  'plan.reject': z.tuple([id, id, planStep]),
  'plan.changes': z.tuple([id, id, planStep]),
  'plan.import': z.tuple([]),
  'amd.reject': z.tuple([id, planStep]),
} as const;

export type FormKind = keyof typeof formSchemas;
export type FormRef = { [K in FormKind]: { kind: K; args: z.infer<(typeof formSchemas)[K]> } }[FormKind];

export function formRef<K extends FormKind>(kind: K, ...args: (string | number)[]): string {
  return [kind, ...args].join(':');
}

export function parseFormRef(raw: unknown): FormRef | null {
  if (typeof raw !== 'string' || raw.length > 100) return null;
  const [kind, ...args] = raw.split(':');
  if (!kind || !(kind in formSchemas)) return null;
  const parsed = formSchemas[kind as FormKind].safeParse(args);
  return parsed.success ? ({ kind, args: parsed.data } as FormRef) : null;
}
