// `/budget plan …` (`/预算 计划 …`) and `/budget export` — the annual plan's part of the command language.
// Called from parse.ts; same rules: pure, refusals quote the bad token, usage of the deepest subcommand.
import { parseMoney } from '../domain/money.js';
import { LINE_CODE, parseCategory } from '../domain/plan.js';
import { resolve, type AliasTable } from './aliases.js';
import type { Intent } from './intents.js';
import { MAX_LENGTH, missingKey, type UsageKey } from './keys.js';
import { Args, Refusal, preview, textLength, type Token } from './tokens.js';

export const PLAN_SUBCOMMANDS = {
  show: ['show', '查看'],
  new: ['new', '新建'],
  import: ['import', '导入'],
  line: ['line', '科目', '添加科目'],
  remove: ['remove', '删除', '移除'],
  template: ['template', '模板'],
  submit: ['submit', '提交'],
} as const satisfies AliasTable<string>;

export const FROM_WORDS = { from: ['from', '复制', '基于', '从'] } as const satisfies AliasTable<string>;

/** Most characters of pasted rows after `/budget plan import` (about 2,000 rows of a dozen cells). */
export const MAX_PASTE = 400_000;

interface PlanCtx {
  command: string;
  usage: UsageKey;
}

function year(tok: Token): number {
  if (!/^\d{4}$/.test(tok.norm)) throw new Refusal('cmd.error.bad_year', { token: tok.raw });
  const y = Number(tok.norm);
  if (y < 2000 || y > 2100) throw new Refusal('cmd.error.bad_year', { token: tok.raw });
  return y;
}

function optionalYear(a: Args): number | undefined {
  const tok = a.peek();
  if (!tok || !/^\d{4}$/.test(tok.norm)) return undefined;
  a.next();
  return year(tok);
}

function code(tok: Token): string {
  const up = tok.norm.toUpperCase();
  if (!LINE_CODE.test(up)) throw new Refusal('cmd.error.bad_line_code', { token: tok.raw });
  return up;
}

/** `/budget plan …`; `a` is after the word `plan`. */
export function planCommand(a: Args, c: PlanCtx): Intent {
  c.usage = 'cmd.usage.budget.plan';
  const tok = a.peek();
  if (!tok) return { type: 'plan.show' };
  if (/^\d{4}$/.test(tok.norm)) {
    a.next();
    const y = year(tok);
    a.end();
    return { type: 'plan.show', year: y };
  }
  a.next();
  const sub = resolve(PLAN_SUBCOMMANDS, tok.key);
  if (!sub) throw new Refusal('cmd.error.unknown_subcommand', { token: tok.raw, command: `${c.command} plan` });
  switch (sub) {
    case 'show': {
      const y = optionalYear(a);
      a.end();
      return y ? { type: 'plan.show', year: y } : { type: 'plan.show' };
    }
    case 'new': {
      c.usage = 'cmd.usage.budget.plan.new';
      const y = year(a.need('cmd.error.missing.year'));
      let from: number | undefined;
      const word = a.next();
      if (word) {
        if (!resolve(FROM_WORDS, word.key)) throw new Refusal('cmd.error.extra', { token: word.raw });
        from = year(a.need('cmd.error.missing.year'));
      }
      a.end();
      return from ? { type: 'plan.new', year: y, from } : { type: 'plan.new', year: y };
    }
    case 'import':
      c.usage = 'cmd.usage.budget.plan.import';
      return planImport(a);
    case 'line': {
      c.usage = 'cmd.usage.budget.plan.line';
      const y = year(a.need('cmd.error.missing.year'));
      const lineCode = code(a.need(missingKey('code')));
      const catTok = a.need(missingKey('category'));
      const category = parseCategory(catTok.raw);
      if (!category) throw new Refusal('cmd.error.bad_plan_category', { token: catTok.raw });
      const amountTok = a.need(missingKey('amount'));
      const parsed = parseMoney(amountTok.raw, { allowZero: true });
      if (!parsed.ok) throw new Refusal(parsed.error.key, { ...parsed.error.params, token: amountTok.raw });
      const name = a.rest();
      if (!name) throw new Refusal(missingKey('name'));
      if (textLength(name) > MAX_LENGTH.name) throw new Refusal('cmd.error.too_long', { token: preview(name), max: MAX_LENGTH.name, length: textLength(name) });
      return { type: 'plan.line', year: y, code: lineCode, category, annual: parsed.value, name };
    }
    case 'remove': {
      c.usage = 'cmd.usage.budget.plan.remove';
      const y = year(a.need('cmd.error.missing.year'));
      const lineCode = code(a.need(missingKey('code')));
      a.end();
      return { type: 'plan.remove', year: y, code: lineCode };
    }
    case 'template': {
      const y = optionalYear(a);
      a.end();
      return y ? { type: 'plan.template', year: y } : { type: 'plan.template' };
    }
    case 'submit': {
      c.usage = 'cmd.usage.budget.plan.submit';
      const y = year(a.need('cmd.error.missing.year'));
      a.end();
      return { type: 'plan.submit', year: y };
    }
  }
}

/**
 * `/budget plan import [YYYY]` then, on the next lines, pasted rows (CSV, or cells copied from a spreadsheet, which
 * arrive tab-separated). Without rows the import form opens (or, on Feishu, the bot waits for a file).
 */
function planImport(a: Args): Intent {
  const rest = a.rest();
  const newline = rest.search(/\r?\n/);
  const first = (newline < 0 ? rest : rest.slice(0, newline)).trim();
  let rows = newline < 0 ? '' : rest.slice(newline).replace(/^\r?\n/, '');
  let y: number | undefined;
  if (first) {
    if (/^\S+$/.test(first) && /^\d{4}$/.test(first.normalize('NFKC'))) {
      y = year({ raw: first, norm: first.normalize('NFKC'), key: first, start: 0 });
    } else if (/[,\t，]/.test(first)) {
      // Rows started on the command's own line.
      rows = `${first}\n${rows}`;
    } else {
      throw new Refusal('cmd.error.extra', { token: preview(first) });
    }
  }
  if (rows.length > MAX_PASTE) throw new Refusal('cmd.error.paste_too_long', { token: preview(rows.trim()), max: MAX_PASTE, length: rows.length });
  rows = rows.trim() ? rows : '';
  return { type: 'plan.import', ...(y ? { year: y } : {}), ...(rows ? { rows } : {}) };
}

/** `/budget export [YYYY]`. */
export function exportCommand(a: Args, c: PlanCtx): Intent {
  c.usage = 'cmd.usage.budget.export';
  const y = optionalYear(a);
  a.end();
  return y ? { type: 'budget.export', year: y } : { type: 'budget.export' };
}
