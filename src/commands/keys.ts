// Every i18n key the parser can return (texts in src/i18n/catalog/commands.ts). Amount errors are passed
// through from parseMoney (money.error.*, catalogued by src/domain/money.ts's owner).

export const MISSING_ARGS = [
  'amount',
  'line',
  'from_line',
  'to_line',
  'reason',
  'note',
  'code',
  'name',
  'id',
  'category',
  'likelihood',
  'impact',
  'title',
  'topic',
  'number',
  'user',
  'role',
  'channel',
  'purpose',
  'key',
  'value',
  'locale',
] as const;
export type MissingArg = (typeof MISSING_ARGS)[number];

export const missingKey = (arg: MissingArg): string => `cmd.error.missing.${arg}`;

export const ERROR_KEYS = [
  'cmd.error.unknown_command',
  'cmd.error.unknown_subcommand',
  'cmd.error.extra',
  'cmd.error.control_char',
  'cmd.error.bad_month',
  'cmd.error.bad_date',
  'cmd.error.future_date',
  'cmd.error.bad_id',
  'cmd.error.bad_user',
  'cmd.error.unknown_mention',
  'cmd.error.bad_channel',
  'cmd.error.bad_role',
  'cmd.error.bad_category',
  'cmd.error.bad_scale',
  'cmd.error.bad_number',
  'cmd.error.bad_line_code',
  'cmd.error.bad_filter',
  'cmd.error.bad_purpose',
  'cmd.error.bad_locale',
  'cmd.error.bad_help_topic',
  'cmd.error.too_long',
  'cmd.error.same_line',
  'cmd.error.unknown_setting',
  'cmd.error.invalid',
  ...MISSING_ARGS.map(missingKey),
] as const;

export const USAGE_KEYS = [
  'cmd.usage.overview',
  'cmd.usage.budget',
  'cmd.usage.budget.status',
  'cmd.usage.budget.lines',
  'cmd.usage.budget.line.add',
  'cmd.usage.budget.request',
  'cmd.usage.budget.transfer',
  'cmd.usage.budget.spend',
  'cmd.usage.budget.show',
  'cmd.usage.budget.cancel',
  'cmd.usage.campaign',
  'cmd.usage.campaign.new',
  'cmd.usage.campaign.list',
  'cmd.usage.campaign.show',
  'cmd.usage.campaign.close',
  'cmd.usage.risk',
  'cmd.usage.risk.report',
  'cmd.usage.risk.list',
  'cmd.usage.risk.close',
  'cmd.usage.agenda',
  'cmd.usage.agenda.show',
  'cmd.usage.agenda.add',
  'cmd.usage.agenda.remove',
  'cmd.usage.agenda.post',
  'cmd.usage.mkt',
  'cmd.usage.mkt.help',
  'cmd.usage.mkt.role',
  'cmd.usage.mkt.roles',
  'cmd.usage.mkt.channel',
  'cmd.usage.mkt.set',
  'cmd.usage.mkt.lang',
] as const;
export type UsageKey = (typeof USAGE_KEYS)[number];

/** Full help texts (`/mkt help [topic]`). */
export const HELP_KEYS = ['help.overview', 'help.budget', 'help.campaign', 'help.risk', 'help.agenda', 'help.mkt'] as const;

/** Maximum lengths of free-text arguments, in characters (code points). */
export const MAX_LENGTH = { reason: 500, note: 500, title: 120, name: 120, topic: 200, value: 200 } as const;
