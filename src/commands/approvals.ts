// `/mkt delegate …`, `/mkt delegates` and `/audit …` (`/营销 委托`, `/审计`): the approvals part of the command
// language. Called from parse.ts; same rules: pure, refusals quote the bad token, usage of the deepest subcommand.
import { parseId } from '../domain/ids.js';
import { parseLocalDate } from '../domain/time.js';
import { resolve, type AliasTable } from './aliases.js';
import type { AuditRecordRef, Intent, ParseOptions } from './intents.js';
import { missingKey, type UsageKey } from './keys.js';
import { parseUserRef } from './refs.js';
import { Args, Refusal, type Token } from './tokens.js';

interface SubCtx {
  opts: ParseOptions;
  usage: UsageKey;
}

export const DELEGATE_WORDS = {
  off: ['off', 'end', 'stop', '取消', '结束', '关闭'],
  for: ['for', '替', '为'],
  until: ['until', 'till', 'to', '至', '到', '直到'],
} as const satisfies AliasTable<string>;

export const APPROVAL_ROLE_WORDS = {
  finance: ['finance', '财务'],
  leader: ['leader', '领导'],
} as const satisfies AliasTable<string>;

export const AUDIT_SUBCOMMANDS = {
  export: ['export', '导出'],
} as const satisfies AliasTable<string>;

const DATE_LIKE = /^\d{4}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日?)$/;

function date(tok: Token): string {
  const d = DATE_LIKE.test(tok.norm) ? parseLocalDate(tok.norm) : null;
  if (d === null) throw new Refusal('cmd.error.bad_until', { token: tok.raw });
  return d;
}

/** The optional tail `[until YYYY-MM-DD] [finance|leader]`, in either order. */
function delegateTail(a: Args): { until?: string; role?: 'finance' | 'leader' } {
  const out: { until?: string; role?: 'finance' | 'leader' } = {};
  for (let tok = a.next(); tok; tok = a.next()) {
    const role = resolve(APPROVAL_ROLE_WORDS, tok.key);
    if (role && !out.role) {
      out.role = role;
      continue;
    }
    if (!out.until && resolve(DELEGATE_WORDS, tok.key) === 'until') {
      out.until = date(a.need(missingKey('date')));
      continue;
    }
    if (!out.until && DATE_LIKE.test(tok.norm)) {
      out.until = date(tok);
      continue;
    }
    throw new Refusal('cmd.error.extra', { token: tok.raw });
  }
  return out;
}

/** `/mkt delegate …`; `a` is after the word `delegate`. */
export function mktDelegate(a: Args, c: SubCtx): Intent {
  c.usage = 'cmd.usage.mkt.delegate';
  let tok = a.need(missingKey('user'));
  let forUser;
  if (resolve(DELEGATE_WORDS, tok.key) === 'for') {
    forUser = parseUserRef(a.need(missingKey('user')), c.opts.mentions);
    tok = a.need(missingKey('user'));
  }
  if (resolve(DELEGATE_WORDS, tok.key) === 'off') {
    const rest = a.next();
    let role: 'finance' | 'leader' | undefined;
    if (rest) {
      role = resolve(APPROVAL_ROLE_WORDS, rest.key);
      if (!role) throw new Refusal('cmd.error.bad_role', { token: rest.raw });
    }
    a.end();
    return { type: 'mkt.delegate.off', ...(forUser ? { for: forUser } : {}), ...(role ? { role } : {}) };
  }
  const to = parseUserRef(tok, c.opts.mentions);
  const tail = delegateTail(a);
  return { type: 'mkt.delegate', ...(forUser ? { for: forUser } : {}), to, ...tail };
}

/** ADJ-12, CMP-7, RSK-3, AMD-3, PLAN-2027. */
export function recordRef(tok: Token): AuditRecordRef {
  const plan = /^plan-(\d{4})$/i.exec(tok.norm);
  if (plan) return { kind: 'PLAN', id: Number(plan[1]) };
  const amd = /^amd-([1-9]\d{0,9})$/i.exec(tok.norm);
  if (amd && Number(amd[1]) <= 2_147_483_647) return { kind: 'AMD', id: Number(amd[1]) };
  for (const kind of ['ADJ', 'CMP', 'RSK'] as const) {
    const id = parseId(tok.norm, kind);
    if (id !== null) return { kind, id };
  }
  throw new Refusal('cmd.error.bad_record', { token: tok.raw });
}

/** `/audit ADJ-12 [page]`, `/audit export [YYYY-MM]`; `a` is after the command word. */
export function auditCommand(a: Args, c: SubCtx, month: (tok: Token) => string | null): Intent {
  c.usage = 'cmd.usage.audit';
  const tok = a.next();
  if (!tok) return { type: 'mkt.help', topic: 'audit' };
  if (resolve(AUDIT_SUBCOMMANDS, tok.key) === 'export') {
    c.usage = 'cmd.usage.audit.export';
    const m = a.next();
    let value: string | null = null;
    if (m) {
      value = month(m);
      if (value === null) throw new Refusal('cmd.error.bad_month', { token: m.raw });
    }
    a.end();
    return value ? { type: 'audit.export', month: value } : { type: 'audit.export' };
  }
  const record = recordRef(tok);
  const pageTok = a.next();
  let page = 1;
  if (pageTok) {
    if (!/^[1-9]\d{0,3}$/.test(pageTok.norm)) throw new Refusal('cmd.error.bad_number', { token: pageTok.raw });
    page = Number(pageTok.norm);
  }
  a.end();
  return { type: 'audit.show', record, page };
}
