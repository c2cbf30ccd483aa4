// Every word the command language understands, English first, then the Chinese aliases.
// Matching is case-insensitive and width-insensitive (tokens are NFKC-folded and lower-cased first).
// help texts (src/i18n/catalog/commands.ts) document these tables; keep them in step.
import type { CampaignListFilter, RiskListFilter } from './intents.js';

export type AliasTable<T extends string> = Readonly<Record<T, readonly string[]>>;

/** The canonical name whose alias list contains `key` (already lower-cased). */
export function resolve<T extends string>(table: AliasTable<T>, key: string): T | undefined {
  for (const [name, aliases] of Object.entries(table) as [T, readonly string[]][]) {
    if (aliases.includes(key)) return name;
  }
  return undefined;
}

/** Command words, typed with or without a leading `/` (or full-width `／`). Traditional forms are accepted too. */
export const COMMANDS = {
  budget: ['budget', '预算', '預算'],
  campaign: ['campaign', '活动', '活動'],
  risk: ['risk', '风险', '風險'],
  agenda: ['agenda', '议程', '議程'],
  mkt: ['mkt', '营销', '營銷'],
  /** `help` / `帮助` on its own = `/mkt help`. */
  help: ['help', '帮助', '幫助'],
  /** `/audit ADJ-12`, `/audit export [YYYY-MM]`. */
  audit: ['audit', '审计', '審計'],
} as const satisfies AliasTable<string>;
export type CommandName = keyof typeof COMMANDS;

export const BUDGET_SUBCOMMANDS = {
  status: ['status', '状态', '概况'],
  lines: ['lines', '科目列表'],
  chart: ['chart', '图表', '圖表'],
  /** `line` / `科目` / `预算线` alone lists the lines; followed by `add` / `新增` it creates one. */
  line: ['line', '科目', '预算线'],
  lineAdd: ['新增科目', '添加科目'],
  request: ['request', '申请'],
  transfer: ['transfer', '调拨', '转移'],
  spend: ['spend', '支出', '记账'],
  show: ['show', '查看'],
  cancel: ['cancel', '撤回', '取消'],
  plan: ['plan', '计划', '预算计划'],
  export: ['export', '导出'],
} as const satisfies AliasTable<string>;

export const LINE_ADD_WORDS = {
  add: ['add', 'new', '新增', '添加'],
} as const satisfies AliasTable<string>;

export const CAMPAIGN_SUBCOMMANDS = {
  new: ['new', '新建', '提案'],
  list: ['list', '列表'],
  show: ['show', '查看'],
  close: ['close', '结案', '关闭'],
} as const satisfies AliasTable<string>;

export const CAMPAIGN_FILTERS = {
  pending: ['pending', '待审批'],
  approved: ['approved', '已批准'],
  running: ['running', '进行中'],
  ended: ['ended', '已结束'],
  evaluated: ['evaluated', '已评估'],
  active: ['active', '活跃', '当前'],
  all: ['all', '全部'],
} as const satisfies AliasTable<CampaignListFilter>;

export const RISK_SUBCOMMANDS = {
  report: ['report', '上报', '报告'],
  list: ['list', '列表'],
  close: ['close', '关闭'],
} as const satisfies AliasTable<string>;

export const RISK_CATEGORY_WORDS = {
  market: ['market', '市场'],
  tech: ['tech', 'technical', '技术'],
  legal: ['legal', '法律'],
  other: ['other', '其他', '其它'],
} as const satisfies AliasTable<string>;

export const RISK_FILTERS = {
  high: ['high', '高'],
  medium: ['medium', '中'],
  low: ['low', '低'],
  open: ['open', '未关闭'],
  all: ['all', '全部'],
} as const satisfies AliasTable<RiskListFilter>;

export const AGENDA_SUBCOMMANDS = {
  show: ['show', 'list', '查看'],
  add: ['add', '添加'],
  remove: ['remove', '删除', '移除'],
  post: ['post', '发布'],
} as const satisfies AliasTable<string>;

export const MKT_SUBCOMMANDS = {
  help: ['help', '帮助'],
  role: ['role', '角色'],
  roles: ['roles', '角色列表'],
  channel: ['channel', '频道', '群'],
  set: ['set', '设置'],
  lang: ['lang', 'language', '语言'],
  delegate: ['delegate', '委托', '代理'],
  delegates: ['delegates', '委托列表', '代理列表'],
} as const satisfies AliasTable<string>;

export const HELP_TOPICS = {
  budget: ['budget', '/budget', '预算', '/预算'],
  campaign: ['campaign', '/campaign', '活动', '/活动'],
  risk: ['risk', '/risk', '风险', '/风险'],
  agenda: ['agenda', '/agenda', '议程', '/议程'],
  mkt: ['mkt', '/mkt', '营销', '/营销'],
  audit: ['audit', '/audit', '审计', '/审计', 'delegate', '委托', 'approvals', '审批'],
} as const satisfies AliasTable<string>;

export const ROLE_WORDS = {
  admin: ['admin', '管理员'],
  leader: ['leader', '领导'],
  finance: ['finance', '财务'],
  // 营销人员 is the role's name everywhere; 市场 is still understood (it was the word in early help texts).
  marketer: ['marketer', '营销人员', '市场'],
} as const satisfies AliasTable<string>;

/** `/mkt role <user> remove <role>`. */
export const REVOKE_WORDS = {
  remove: ['remove', 'revoke', '移除', '撤销', '删除'],
} as const satisfies AliasTable<string>;

export const CHANNEL_PURPOSE_WORDS = {
  approvals: ['approvals', '审批'],
  team: ['team', '团队'],
  leaders: ['leaders', '领导'],
} as const satisfies AliasTable<string>;

/** "The chat this command was sent in". */
export const HERE_WORDS = ['here', '这里', '本群'] as const;

/** `/mkt set <key>`: the settings a user may change this way (`locale` goes through `/mkt lang`). */
export const SETTING_KEYS = [
  'leader_threshold',
  'reminder_hours',
  'timezone',
  'schedule.weekly-agenda',
  'schedule.monthly-budget',
  'schedule.monthly-report',
  'schedule.reminders',
  'escalate_hours',
  'escalate_hours.finance',
  'escalate_hours.leader',
  'work_hours',
] as const;
export type CommandSettingKey = (typeof SETTING_KEYS)[number];

export const LOCALE_WORDS = {
  'zh-CN': ['zh', 'zh-cn', '中文'],
  en: ['en', 'english', '英文'],
} as const satisfies AliasTable<string>;

/** Relative dates for `/budget spend`: days before the reference "today". */
export const DATE_WORDS: Readonly<Record<string, number>> = {
  today: 0,
  yesterday: 1,
  今天: 0,
  昨天: 1,
};

