// Vocabulary of the business domain. Knows nothing of Slack, Feishu or the database.

export const PLATFORMS = ['slack', 'feishu', 'local'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const ROLES = ['admin', 'leader', 'finance', 'marketer'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const CHANNEL_PURPOSES = ['approvals', 'team', 'leaders'] as const;
export type ChannelPurpose = (typeof CHANNEL_PURPOSES)[number];

export const ADJUSTMENT_KINDS = ['increase', 'transfer'] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];
export const ADJUSTMENT_STATUSES = ['pending_finance', 'pending_leader', 'approved', 'rejected', 'cancelled'] as const;
export type AdjustmentStatus = (typeof ADJUSTMENT_STATUSES)[number];

export const CAMPAIGN_STATUSES = [
  'pending_approval',
  'changes_requested',
  'approved',
  'rejected',
  'running',
  'ended',
  'evaluated',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_GOALS = ['awareness', 'sales', 'leads', 'other'] as const;
export type CampaignGoal = (typeof CAMPAIGN_GOALS)[number];
export const CAMPAIGN_FORMATS = ['online_lottery', 'offline_event', 'live_selling', 'content_series', 'other'] as const;
export type CampaignFormat = (typeof CAMPAIGN_FORMATS)[number];
export const CAMPAIGN_CHANNELS = ['wechat', 'weibo', 'douyin', 'xiaohongshu', 'website_seo', 'sem', 'other'] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];
/** KPI keys a campaign can target and report (policy section 五). */
export const KPI_KEYS = ['participants', 'interactions', 'conversions', 'ctr', 'conversion_rate', 'follower_growth', 'revenue'] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

export const RISK_CATEGORIES = ['market', 'tech', 'legal', 'other'] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];
export const RISK_GRADES = ['high', 'medium', 'low'] as const;
export type RiskGrade = (typeof RISK_GRADES)[number];
export const RISK_STATUSES = ['open', 'mitigating', 'closed', 'accepted'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];
export const RISK_STRATEGIES = ['avoid', 'mitigate', 'transfer', 'accept'] as const;
export type RiskStrategy = (typeof RISK_STRATEGIES)[number];

/** Amount in minor units (fen / cents). Always an integer. */
export type Minor = number;
/** "YYYY-MM" in the configured time zone. */
export type Month = string;
/** "YYYY-MM-DD" in the configured time zone. */
export type LocalDate = string;

/**
 * A refusal of the business rules. `code` is an i18n key (see src/i18n/catalog/errors.ts);
 * `params` fill its placeholders. Thrown inside a write, it rolls the write back.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'DomainError';
  }
}
