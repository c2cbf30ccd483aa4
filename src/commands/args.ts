// What the command parsers share: the context of a parse and the argument readers (amount, line code, month, date,
// id, free text, …). A reader throws a Refusal quoting the bad token; parseCommand (parse.ts) attaches the usage of the
// deepest (sub)command reached. Pure: no I/O.
import { parseId } from '../domain/ids.js';
import { parseMoney } from '../domain/money.js';
import { addDays, parseLocalDate, parseMonth } from '../domain/time.js';
import type { LocalDate, Month } from '../domain/types.js';
import { DATE_WORDS, resolve } from './aliases.js';
import type { Intent, ParseOptions } from './intents.js';
import { MAX_LENGTH, missingKey, type MissingArg, type UsageKey } from './keys.js';
import { Args, Refusal, preview, textLength, type Token } from './tokens.js';

/** What every subcommand function gets: the options, the command word as typed, and the usage to show on a refusal. */
export interface Ctx {
  opts: ParseOptions;
  /** The command as typed, with its slash: "/budget", "/预算". */
  command: string;
  usage: UsageKey;
}

export type CommandParser = (a: Args, c: Ctx) => Intent;

export function unknownSubcommand(tok: Token, c: Ctx): Refusal {
  return new Refusal('cmd.error.unknown_subcommand', { token: tok.raw, command: c.command });
}

/** A word from an alias table, or a refusal with `badKey` quoting it. */
export function oneOf<T extends string>(table: Readonly<Record<T, readonly string[]>>, tok: Token, badKey: string): T {
  const value = resolve(table, tok.key);
  if (!value) throw new Refusal(badKey, { token: tok.raw });
  return value;
}

/** An amount in fen via parseMoney; its refusal (money.error.*) is passed through, quoting the token. */
export function amount(tok: Token, opts: { allowZero?: boolean } = {}): number {
  const parsed = parseMoney(tok.raw, opts);
  if (!parsed.ok) throw new Refusal(parsed.error.key, { ...parsed.error.params, token: tok.raw });
  return parsed.value;
}

const LINE_CODE = /^[A-Za-z0-9_-]{1,20}$/;

/** A budget line code: 1–20 letters, digits, `_` or `-`; stored upper-case. */
export function lineCode(tok: Token): string {
  if (!LINE_CODE.test(tok.norm)) throw new Refusal('cmd.error.bad_line_code', { token: tok.raw });
  return tok.norm.toUpperCase();
}

export function entityId(tok: Token, prefix: 'ADJ' | 'CMP' | 'RSK'): number {
  const id = parseId(tok.norm, prefix);
  if (id === null) throw new Refusal('cmd.error.bad_id', { token: tok.raw, prefix });
  return id;
}

/** `<subcommand> <id>` and nothing else. */
export function idOnly(a: Args, c: Ctx, usage: UsageKey, prefix: 'ADJ' | 'CMP' | 'RSK'): number {
  c.usage = usage;
  const id = entityId(a.need(missingKey('id')), prefix);
  a.end();
  return id;
}

export function scale(tok: Token): number {
  if (!/^[1-5]$/.test(tok.norm)) throw new Refusal('cmd.error.bad_scale', { token: tok.raw });
  return Number(tok.norm);
}

export function positiveInt(tok: Token): number {
  if (!/^[1-9]\d{0,5}$/.test(tok.norm)) throw new Refusal('cmd.error.bad_number', { token: tok.raw });
  return Number(tok.norm);
}

/** The rest of the line, verbatim: required, at most MAX_LENGTH[field] characters. */
export function freeText(a: Args, field: MissingArg & keyof typeof MAX_LENGTH): string {
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
export function monthToken(tok: Token, c: Ctx): Month | null {
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
export function optionalMonth(a: Args, c: Ctx): Month | undefined {
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
export function optionalDate(a: Args, c: Ctx): LocalDate | undefined {
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
