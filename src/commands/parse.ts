// The command language: a line as the user typed it (Slack "/budget " + text, Feishu message text with
// the bot mention stripped) → a typed Intent, or a localized refusal quoting the bad token plus the
// usage of the command that was attempted. Pure: no I/O, no database, no platform code.
//
// Shape of the code: COMMAND_PARSERS maps each command to a function; each of those reads the
// subcommand word (aliases in aliases.ts) and hands over to one small function per subcommand.
// Argument readers (amount, line code, month, date, id, free text, …) throw a Refusal; parseCommand
// catches it and attaches the usage of the deepest (sub)command reached.
import { parseId } from '../domain/ids.js';
import { parseMoney } from '../domain/money.js';
import { parseCategory } from '../domain/plan.js';
import { addDays, parseLocalDate, parseMonth } from '../domain/time.js';
import type { LocalDate, Month, RiskCategory } from '../domain/types.js';
import {
  AGENDA_SUBCOMMANDS,
  BUDGET_SUBCOMMANDS,
  CAMPAIGN_FILTERS,
  CAMPAIGN_SUBCOMMANDS,
  CHANNEL_PURPOSE_WORDS,
  COMMANDS,
  DATE_WORDS,
  HELP_TOPICS,
  LINE_ADD_WORDS,
  LOCALE_WORDS,
  MKT_SUBCOMMANDS,
  RISK_CATEGORY_WORDS,
  RISK_FILTERS,
  RISK_SUBCOMMANDS,
  REVOKE_WORDS,
  ROLE_WORDS,
  SETTING_KEYS,
  resolve,
  type CommandName,
} from './aliases.js';
import type { Intent, ParseOptions, ParseResult } from './intents.js';
import { MAX_LENGTH, missingKey, type MissingArg, type UsageKey } from './keys.js';
import { parseChannelRef, parseUserRef } from './refs.js';
import { exportCommand, planCommand } from './plan.js';
import { auditCommand, mktDelegate } from './approvals.js';
import { intentSchema } from './schema.js';
import { Args, Refusal, findControlChar, preview, textLength, tokenize, type Token } from './tokens.js';

/** What every subcommand function gets: the options, the command word as typed, and the usage to show on a refusal. */
interface Ctx {
  opts: ParseOptions;
  /** The command as typed, with its slash: "/budget", "/预算". */
  command: string;
  usage: UsageKey;
}

type CommandParser = (a: Args, c: Ctx) => Intent;

/**
 * Parses one command line. Never throws; never looks anything up beyond `opts`.
 * An empty line is a request for help.
 */
export function parseCommand(text: string, opts: ParseOptions): ParseResult {
  const c: Ctx = { opts, command: '', usage: 'cmd.usage.overview' };
  try {
    const control = findControlChar(text);
    if (control) throw new Refusal('cmd.error.control_char', { token: control });
    const line = text.trim();
    const [head, ...rest] = tokenize(line);
    if (!head) return { ok: true, intent: { type: 'mkt.help' } };

    // NFKC already turned a full-width "／" into "/".
    const word = head.key.startsWith('/') ? head.key.slice(1) : head.key;
    const name = resolve(COMMANDS, word);
    if (!name) throw new Refusal('cmd.error.unknown_command', { token: head.raw });
    c.command = `/${head.raw.replace(/^[/／]/, '')}`;
    c.usage = COMMAND_USAGE[name];

    const intent = COMMAND_PARSERS[name](new Args(line, rest), c);
    return validated(intent, line, c);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return { ok: false, error: { key: error.key, params: error.params, usage: c.usage } };
  }
}

function validated(intent: Intent, line: string, c: Ctx): ParseResult {
  const checked = intentSchema.safeParse(intent);
  if (!checked.success) {
    // Only a bug in a subcommand function gets here: refuse rather than pass on something malformed.
    return { ok: false, error: { key: 'cmd.error.invalid', params: { token: preview(line, 40) }, usage: c.usage } };
  }
  return { ok: true, intent };
}

const COMMAND_USAGE: Record<CommandName, UsageKey> = {
  budget: 'cmd.usage.budget',
  campaign: 'cmd.usage.campaign',
  risk: 'cmd.usage.risk',
  agenda: 'cmd.usage.agenda',
  mkt: 'cmd.usage.mkt',
  help: 'cmd.usage.mkt.help',
  audit: 'cmd.usage.audit',
};

const COMMAND_PARSERS: Record<CommandName, CommandParser> = {
  budget: budgetCommand,
  campaign: campaignCommand,
  risk: riskCommand,
  agenda: agendaCommand,
  mkt: mktCommand,
  help: mktHelp,
  audit: (a, c) => auditCommand(a, c, (tok) => monthToken(tok, c)),
};

function unknownSubcommand(tok: Token, c: Ctx): Refusal {
  return new Refusal('cmd.error.unknown_subcommand', { token: tok.raw, command: c.command });
}

// ───────────────────────────── /budget (/预算) ─────────────────────────────

function budgetCommand(a: Args, c: Ctx): Intent {
  const tok = a.next();
  if (!tok) return { type: 'budget.status' };
  const sub = resolve(BUDGET_SUBCOMMANDS, tok.key);
  if (sub) return BUDGET_PARSERS[sub](a, c);
  // `/budget 2026-11`: the status of another month.
  c.usage = 'cmd.usage.budget.status';
  const month = monthToken(tok, c);
  if (month === null) {
    c.usage = 'cmd.usage.budget';
    throw unknownSubcommand(tok, c);
  }
  a.end();
  return { type: 'budget.status', month };
}

const BUDGET_PARSERS: Record<keyof typeof BUDGET_SUBCOMMANDS, CommandParser> = {
  status: budgetStatus,
  lines: budgetLines,
  chart: budgetChart,
  line: budgetLine,
  lineAdd: budgetLineAdd,
  request: budgetRequest,
  transfer: budgetTransfer,
  spend: budgetSpend,
  show: (a, c) => ({ type: 'budget.show', id: idOnly(a, c, 'cmd.usage.budget.show', 'ADJ') }),
  cancel: (a, c) => ({ type: 'budget.cancel', id: idOnly(a, c, 'cmd.usage.budget.cancel', 'ADJ') }),
  plan: planCommand,
  export: exportCommand,
};

function budgetStatus(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.budget.status';
  const month = optionalMonth(a, c);
  a.end();
  return month ? { type: 'budget.status', month } : { type: 'budget.status' };
}

function budgetChart(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.budget.chart';
  const month = optionalMonth(a, c);
  a.end();
  return month ? { type: 'budget.chart', month } : { type: 'budget.chart' };
}

function budgetLines(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.budget.lines';
  a.end();
  return { type: 'budget.lines' };
}

/** `line` / `科目` alone lists the lines; `line add …` / `科目 新增 …` creates one. */
function budgetLine(a: Args, c: Ctx): Intent {
  const tok = a.next();
  if (!tok) return budgetLines(a, c);
  if (resolve(LINE_ADD_WORDS, tok.key)) return budgetLineAdd(a, c);
  c.usage = 'cmd.usage.budget.line.add';
  throw unknownSubcommand(tok, c);
}

function budgetLineAdd(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.budget.line.add';
  const code = lineCode(a.need(missingKey('code')));
  // An optional plan category before the amount: `/budget line add SEM2 channel 12万 Search ads`.
  const maybeCategory = a.peek();
  const category = maybeCategory ? parseCategory(maybeCategory.raw) : null;
  if (category) a.next();
  const annualAmount = amount(a.need(missingKey('amount')), { allowZero: true });
  const name = freeText(a, 'name');
  return category ? { type: 'budget.line.add', code, category, annualAmount, name } : { type: 'budget.line.add', code, annualAmount, name };
}

function budgetRequest(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.budget.request';
  if (a.done) return { type: 'form.open', form: 'budget.request' };
  const value = amount(a.need(missingKey('amount')));
  const line = lineCode(a.need(missingKey('line')));
  const month = optionalMonth(a, c);
  const reason = freeText(a, 'reason');
  return { type: 'budget.request', amount: value, line, ...(month ? { month } : {}), reason };
}

function budgetTransfer(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.budget.transfer';
  if (a.done) return { type: 'form.open', form: 'budget.transfer' };
  const value = amount(a.need(missingKey('amount')));
  const fromLine = lineCode(a.need(missingKey('from_line')));
  const toToken = a.need(missingKey('to_line'));
  const toLine = lineCode(toToken);
  if (toLine === fromLine) throw new Refusal('cmd.error.same_line', { token: toToken.raw });
  const month = optionalMonth(a, c);
  const reason = freeText(a, 'reason');
  return { type: 'budget.transfer', amount: value, fromLine, toLine, ...(month ? { month } : {}), reason };
}

function budgetSpend(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.budget.spend';
  if (a.done) return { type: 'form.open', form: 'budget.spend' };
  const value = amount(a.need(missingKey('amount')));
  const line = lineCode(a.need(missingKey('line')));
  const date = optionalDate(a, c);
  const note = freeText(a, 'note');
  return { type: 'budget.spend', amount: value, line, ...(date ? { date } : {}), note };
}

// ───────────────────────────── /campaign (/活动) ─────────────────────────────

function campaignCommand(a: Args, c: Ctx): Intent {
  const tok = a.next();
  if (!tok) return { type: 'campaign.list', filter: 'active' };
  const sub = resolve(CAMPAIGN_SUBCOMMANDS, tok.key);
  if (!sub) throw unknownSubcommand(tok, c);
  return CAMPAIGN_PARSERS[sub](a, c);
}

const CAMPAIGN_PARSERS: Record<keyof typeof CAMPAIGN_SUBCOMMANDS, CommandParser> = {
  new: (a, c) => {
    c.usage = 'cmd.usage.campaign.new';
    a.end(); // a proposal has too many fields for one line: always the form
    return { type: 'form.open', form: 'campaign.new' };
  },
  list: (a, c) => {
    c.usage = 'cmd.usage.campaign.list';
    const tok = a.next();
    const filter = tok ? oneOf(CAMPAIGN_FILTERS, tok, 'cmd.error.bad_filter') : 'active';
    a.end();
    return { type: 'campaign.list', filter };
  },
  show: (a, c) => ({ type: 'campaign.show', id: idOnly(a, c, 'cmd.usage.campaign.show', 'CMP') }),
  close: (a, c) => ({ type: 'campaign.close', id: idOnly(a, c, 'cmd.usage.campaign.close', 'CMP') }),
};

// ───────────────────────────── /risk (/风险) ─────────────────────────────

function riskCommand(a: Args, c: Ctx): Intent {
  const tok = a.next();
  if (!tok) return { type: 'risk.list', filter: 'open' };
  const sub = resolve(RISK_SUBCOMMANDS, tok.key);
  if (!sub) throw unknownSubcommand(tok, c);
  return RISK_PARSERS[sub](a, c);
}

const RISK_PARSERS: Record<keyof typeof RISK_SUBCOMMANDS, CommandParser> = {
  report: riskReport,
  list: (a, c) => {
    c.usage = 'cmd.usage.risk.list';
    const tok = a.next();
    const filter = tok ? oneOf(RISK_FILTERS, tok, 'cmd.error.bad_filter') : 'open';
    a.end();
    return { type: 'risk.list', filter };
  },
  close: (a, c) => {
    c.usage = 'cmd.usage.risk.close';
    const id = entityId(a.need(missingKey('id')), 'RSK');
    const note = freeText(a, 'note');
    return { type: 'risk.close', id, note };
  },
};

function riskReport(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.risk.report';
  if (a.done) return { type: 'form.open', form: 'risk.report' };
  const category: RiskCategory = oneOf(RISK_CATEGORY_WORDS, a.next()!, 'cmd.error.bad_category');
  const likelihood = scale(a.need(missingKey('likelihood')));
  const impact = scale(a.need(missingKey('impact')));
  const title = freeText(a, 'title');
  return { type: 'risk.report', category, likelihood, impact, title };
}

// ───────────────────────────── /agenda (/议程) ─────────────────────────────

function agendaCommand(a: Args, c: Ctx): Intent {
  const tok = a.next();
  if (!tok) return { type: 'agenda.show' };
  const sub = resolve(AGENDA_SUBCOMMANDS, tok.key);
  if (!sub) throw unknownSubcommand(tok, c);
  return AGENDA_PARSERS[sub](a, c);
}

const AGENDA_PARSERS: Record<keyof typeof AGENDA_SUBCOMMANDS, CommandParser> = {
  show: (a, c) => {
    c.usage = 'cmd.usage.agenda.show';
    a.end();
    return { type: 'agenda.show' };
  },
  add: (a, c) => {
    c.usage = 'cmd.usage.agenda.add';
    return { type: 'agenda.add', topic: freeText(a, 'topic') };
  },
  remove: (a, c) => {
    c.usage = 'cmd.usage.agenda.remove';
    const n = positiveInt(a.need(missingKey('number')));
    a.end();
    return { type: 'agenda.remove', n };
  },
  post: (a, c) => {
    c.usage = 'cmd.usage.agenda.post';
    a.end();
    return { type: 'agenda.post' };
  },
};

// ───────────────────────────── /mkt (/营销) ─────────────────────────────

function mktCommand(a: Args, c: Ctx): Intent {
  const tok = a.next();
  if (!tok) return { type: 'mkt.help' };
  const sub = resolve(MKT_SUBCOMMANDS, tok.key);
  if (!sub) throw unknownSubcommand(tok, c);
  return MKT_PARSERS[sub](a, c);
}

const MKT_PARSERS: Record<keyof typeof MKT_SUBCOMMANDS, CommandParser> = {
  help: mktHelp,
  role: mktRole,
  roles: (a, c) => {
    c.usage = 'cmd.usage.mkt.roles';
    a.end();
    return { type: 'mkt.roles' };
  },
  channel: (a, c) => {
    c.usage = 'cmd.usage.mkt.channel';
    const purpose = oneOf(CHANNEL_PURPOSE_WORDS, a.need(missingKey('purpose')), 'cmd.error.bad_purpose');
    const channel = parseChannelRef(a.need(missingKey('channel')));
    a.end();
    return { type: 'mkt.channel', purpose, channel };
  },
  set: mktSet,
  lang: mktLang,
  delegate: mktDelegate,
  delegates: (a, c) => {
    c.usage = 'cmd.usage.mkt.delegates';
    a.end();
    return { type: 'mkt.delegates' };
  },
};

function mktHelp(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.mkt.help';
  const tok = a.next();
  if (!tok) return { type: 'mkt.help' };
  const topic = oneOf(HELP_TOPICS, tok, 'cmd.error.bad_help_topic');
  a.end();
  return { type: 'mkt.help', topic };
}

/** `role <user> <role>` grants; `role <user> -<role>` and `role <user> remove <role>` revoke; `role` alone lists. */
function mktRole(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.mkt.role';
  if (a.done) return { type: 'mkt.roles' };
  const user = parseUserRef(a.next()!, c.opts.mentions);
  let tok = a.need(missingKey('role'));
  let revoke = false;
  if (resolve(REVOKE_WORDS, tok.key)) {
    revoke = true;
    tok = a.need(missingKey('role'));
  }
  let word = tok.key;
  if (word.startsWith('-') || word.startsWith('+')) {
    revoke = revoke || word.startsWith('-');
    word = word.slice(1);
  }
  const role = resolve(ROLE_WORDS, word);
  if (!role) throw new Refusal('cmd.error.bad_role', { token: tok.raw });
  a.end();
  return { type: 'mkt.role', user, role, revoke };
}

function mktSet(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.mkt.set';
  const keyToken = a.need(missingKey('key'));
  const key = SETTING_KEYS.find((k) => k === keyToken.key);
  if (!key) throw new Refusal('cmd.error.unknown_setting', { token: keyToken.raw });
  const value = freeText(a, 'value');
  return { type: 'mkt.set', key, value };
}

function mktLang(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.mkt.lang';
  const locale = oneOf(LOCALE_WORDS, a.need(missingKey('locale')), 'cmd.error.bad_locale');
  a.end();
  return { type: 'mkt.lang', locale };
}

// ───────────────────────────── argument readers ─────────────────────────────

/** A word from an alias table, or a refusal with `badKey` quoting it. */
function oneOf<T extends string>(table: Readonly<Record<T, readonly string[]>>, tok: Token, badKey: string): T {
  const value = resolve(table, tok.key);
  if (!value) throw new Refusal(badKey, { token: tok.raw });
  return value;
}

/** An amount in fen via parseMoney; its refusal (money.error.*) is passed through, quoting the token. */
function amount(tok: Token, opts: { allowZero?: boolean } = {}): number {
  const parsed = parseMoney(tok.raw, opts);
  if (!parsed.ok) throw new Refusal(parsed.error.key, { ...parsed.error.params, token: tok.raw });
  return parsed.value;
}

const LINE_CODE = /^[A-Za-z0-9_-]{1,20}$/;

/** A budget line code: 1–20 letters, digits, `_` or `-`; stored upper-case. */
function lineCode(tok: Token): string {
  if (!LINE_CODE.test(tok.norm)) throw new Refusal('cmd.error.bad_line_code', { token: tok.raw });
  return tok.norm.toUpperCase();
}

function entityId(tok: Token, prefix: 'ADJ' | 'CMP' | 'RSK'): number {
  const id = parseId(tok.norm, prefix);
  if (id === null) throw new Refusal('cmd.error.bad_id', { token: tok.raw, prefix });
  return id;
}

/** `<subcommand> <id>` and nothing else. */
function idOnly(a: Args, c: Ctx, usage: UsageKey, prefix: 'ADJ' | 'CMP' | 'RSK'): number {
  c.usage = usage;
  const id = entityId(a.need(missingKey('id')), prefix);
  a.end();
  return id;
}

function scale(tok: Token): number {
  if (!/^[1-5]$/.test(tok.norm)) throw new Refusal('cmd.error.bad_scale', { token: tok.raw });
  return Number(tok.norm);
}

function positiveInt(tok: Token): number {
  if (!/^[1-9]\d{0,5}$/.test(tok.norm)) throw new Refusal('cmd.error.bad_number', { token: tok.raw });
  return Number(tok.norm);
}

/** The rest of the line, verbatim: required, at most MAX_LENGTH[field] characters. */
function freeText(a: Args, field: MissingArg & keyof typeof MAX_LENGTH): string {
  const text = a.rest();
  if (!text) throw new Refusal(missingKey(field));
  const max = MAX_LENGTH[field];
  const length = textLength(text);
  if (length > max) throw new Refusal('cmd.error.too_long', { token: preview(text), max, length });
  return text;
}

// Months: "2026-11", "2026/11", "2026.11", "2026年11月" (parseMonth), or "11月" = that month of this year.
const MONTH_LIKE = /^\d{4}(?:[-/.]\d{1,2}|年\d{1,2}月?)$/;
const MONTH_OF_THIS_YEAR = /^(\d{1,2})月$/;

/** The month the token names; null when it does not look like a month; a refusal when it looks like one but is not. */
function monthToken(tok: Token, c: Ctx): Month | null {
  let candidate: string | null = null;
  if (MONTH_LIKE.test(tok.norm)) candidate = tok.norm;
  else {
    const m = MONTH_OF_THIS_YEAR.exec(tok.norm);
    if (m) candidate = `${c.opts.today.slice(0, 4)}-${m[1]}`;
  }
  if (candidate === null) return null;
  const month = parseMonth(candidate);
  if (month === null) throw new Refusal('cmd.error.bad_month', { token: tok.raw });
  return month;
}

/** An optional month before a free-text tail: consumed only when the next token looks like a month. */
function optionalMonth(a: Args, c: Ctx): Month | undefined {
  const tok = a.peek();
  if (!tok) return undefined;
  const month = monthToken(tok, c);
  if (month === null) return undefined;
  a.next();
  return month;
}

// Dates: "2026-11-05", "2026/11/5", "2026年11月5日" (parseLocalDate); "11-05", "11/5", "11月5日" = the last
// such day not after today; today / yesterday / 今天 / 昨天.
const DATE_LIKE = /^\d{4}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日?)$/;
const DATE_WITHOUT_YEAR = /^(\d{1,2})(?:[-/](\d{1,2})|月(\d{1,2})日?)$/;

/** An optional spend date before the note: consumed only when the next token looks like a date. */
function optionalDate(a: Args, c: Ctx): LocalDate | undefined {
  const tok = a.peek();
  if (!tok) return undefined;
  const today = c.opts.today;
  let date: LocalDate | null;
  if (Object.prototype.hasOwnProperty.call(DATE_WORDS, tok.key)) {
    date = addDays(today, -DATE_WORDS[tok.key]!);
  } else if (DATE_LIKE.test(tok.norm)) {
    date = parseLocalDate(tok.norm);
  } else {
    const m = DATE_WITHOUT_YEAR.exec(tok.norm);
    if (!m) return undefined;
    const year = Number(today.slice(0, 4));
    const monthDay = `${m[1]}-${m[2] ?? m[3]}`;
    date = parseLocalDate(`${year}-${monthDay}`);
    if (date !== null && date > today) date = parseLocalDate(`${year - 1}-${monthDay}`);
  }
  if (date === null) throw new Refusal('cmd.error.bad_date', { token: tok.raw });
  if (date > today) throw new Refusal('cmd.error.future_date', { token: tok.raw, today });
  a.next();
  return date;
}
