// What a typed command means, independent of platform. src/commands/parse.ts turns text into these.
import type { FormKind } from '../messages/actions.js';
import type { PlanCategory } from '../domain/plan.js';
import type {
  ChannelPurpose,
  Locale,
  LocalDate,
  Minor,
  Month,
  RiskCategory,
  Role,
} from '../domain/types.js';

/** A person named in a command: the platform user id (Slack "U…", Feishu "ou_…"). */
export interface UserRef {
  userId: string;
  /** Name as written in the mention, if any (for messages only; never trusted). */
  name?: string;
}

/** A chat named in a command, or "here" = the chat the command was sent in. */
export type ChannelRef = { here: true } | { here: false; channelId: string; name?: string };

/** A record whose audit trail `/audit` shows: ADJ-12, CMP-7, RSK-3, AMD-3, or PLAN-2027 (id = the year). */
export interface AuditRecordRef {
  kind: 'ADJ' | 'CMP' | 'RSK' | 'PLAN' | 'AMD';
  id: number;
}

export const RISK_LIST_FILTERS = ['high', 'medium', 'low', 'open', 'all'] as const;
export type RiskListFilter = (typeof RISK_LIST_FILTERS)[number];
export const CAMPAIGN_LIST_FILTERS = ['pending', 'approved', 'running', 'ended', 'evaluated', 'active', 'all'] as const;
export type CampaignListFilter = (typeof CAMPAIGN_LIST_FILTERS)[number];

export type Intent =
  | { type: 'budget.status'; month?: Month }
  | { type: 'budget.lines' }
  | { type: 'budget.chart'; month?: Month } // /budget chart [YYYY-MM]
  | { type: 'budget.line.add'; code: string; category?: PlanCategory; annualAmount: Minor; name: string }
  | { type: 'budget.request'; amount: Minor; line: string; month?: Month; reason: string }
  | { type: 'budget.transfer'; amount: Minor; fromLine: string; toLine: string; month?: Month; reason: string }
  | { type: 'budget.spend'; amount: Minor; line: string; date?: LocalDate; note: string }
  | { type: 'budget.show'; id: number } // /budget show ADJ-12
  | { type: 'budget.cancel'; id: number } // /budget cancel ADJ-12
  | { type: 'budget.export'; year?: number }
  | { type: 'plan.show'; year?: number }
  | { type: 'plan.new'; year: number; from?: number }
  /** Pasted rows (CSV or tab-separated cells) follow the command; without them a file is asked for. */
  | { type: 'plan.import'; year?: number; rows?: string }
  | { type: 'plan.line'; year: number; code: string; category: PlanCategory; annual: Minor; name: string }
  | { type: 'plan.remove'; year: number; code: string }
  | { type: 'plan.template'; year?: number }
  | { type: 'plan.submit'; year: number }
  | { type: 'campaign.list'; filter: CampaignListFilter }
  | { type: 'campaign.show'; id: number }
  | { type: 'campaign.close'; id: number } // opens the close form for that campaign
  | { type: 'risk.report'; category: RiskCategory; likelihood: number; impact: number; title: string }
  | { type: 'risk.list'; filter: RiskListFilter }
  | { type: 'risk.close'; id: number; note: string }
  | { type: 'agenda.show' }
  | { type: 'agenda.add'; topic: string }
  | { type: 'agenda.remove'; n: number }
  | { type: 'agenda.post' }
  | { type: 'mkt.help'; topic?: 'budget' | 'campaign' | 'risk' | 'agenda' | 'mkt' | 'audit' }
  | { type: 'mkt.role'; user: UserRef; role: Role; revoke: boolean }
  | { type: 'mkt.roles' }
  | { type: 'mkt.channel'; purpose: ChannelPurpose; channel: ChannelRef }
  | { type: 'mkt.set'; key: string; value: string }
  | { type: 'mkt.lang'; locale: Locale }
  /** `/mkt delegate [for @li] @wang [until YYYY-MM-DD] [finance|leader]`. */
  | { type: 'mkt.delegate'; for?: UserRef; to: UserRef; until?: LocalDate; role?: 'finance' | 'leader' }
  | { type: 'mkt.delegate.off'; for?: UserRef; role?: 'finance' | 'leader' }
  | { type: 'mkt.delegates' }
  | { type: 'audit.show'; record: AuditRecordRef; page: number }
  | { type: 'audit.export'; month?: Month }
  /** A command given without arguments where a form exists (`/campaign new`, `/risk report`, `/budget request`). */
  | { type: 'form.open'; form: FormKind };

/** A refusal of the parser: an i18n key (src/i18n/catalog/commands.ts) and its parameters, e.g. the bad token and the right syntax. */
export interface ParseError {
  key: string;
  params: Record<string, string | number>;
  /** i18n key of the correct syntax for the command that was attempted (shown under the error). */
  usage?: string;
}

export type ParseResult = { ok: true; intent: Intent } | { ok: false; error: ParseError };

export interface ParseOptions {
  /** Feishu: placeholder ("@_user_1") → open_id of the mentioned user. */
  mentions?: Record<string, { userId: string; name?: string }>;
  /** Reference date for months/dates without a year, and for validation. */
  today: LocalDate;
}
