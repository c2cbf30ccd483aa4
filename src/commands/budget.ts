// `/budget …` (`/预算 …`): status, lines, chart, requests, transfers, spending, and the plan's subcommands (plan.ts).
import { parseCategory } from '../domain/plan.js';
import { BUDGET_SUBCOMMANDS, LINE_ADD_WORDS, resolve } from './aliases.js';
import { amount, freeText, idOnly, lineCode, monthToken, optionalDate, optionalMonth, unknownSubcommand, type CommandParser, type Ctx } from './args.js';
import type { Intent } from './intents.js';
import { missingKey } from './keys.js';
import { exportCommand, planCommand } from './plan.js';
import { Refusal, type Args } from './tokens.js';

export function budgetCommand(a: Args, c: Ctx): Intent {
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
