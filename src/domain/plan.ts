// The annual budget plan (policy §七(一)): drafted by marketing, reviewed by finance, approved by the leadership,
// then split into monthly budgets. Pure rules: statuses, categories, the spreadsheet columns, the monthly split,
// and what changed between two versions. No I/O.
import type { Minor } from './types.js';

export const PLAN_CATEGORIES = ['activity', 'channel', 'staff', 'other'] as const;
export type PlanCategory = (typeof PLAN_CATEGORIES)[number];

export const PLAN_STATUSES = ['draft', 'pending_finance', 'pending_leader', 'approved', 'rejected'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** Most lines a plan may have (an import beyond this is refused). */
export const MAX_PLAN_LINES = 2000;

/** One line of a plan as drafted: a budget line of the fiscal year once the plan is approved. */
export interface PlanLineDraft {
  code: string;
  name: string;
  category: PlanCategory;
  /** Platform user id of the owner, or null. */
  owner: string | null;
  /** Twelve monthly amounts, January first; the annual amount is their sum. */
  months: Minor[];
}

/** Spreadsheet columns: canonical key → header names accepted (compared case- and width-insensitively). */
export const PLAN_COLUMNS = {
  code: ['code', '科目代码', '代码', 'line code'],
  name: ['name', '科目名称', '名称', 'line name'],
  category: ['category', '类别', '类型'],
  owner: ['owner', '负责人'],
  annual: ['annual', '全年', '年度', '全年预算', 'annual amount'],
} as const;
export type PlanColumn = keyof typeof PLAN_COLUMNS;

const MONTH_NAMES_EN = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES_EN_LONG = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Category words accepted in a cell or a command, English and Chinese. */
export const CATEGORY_WORDS: Record<PlanCategory, readonly string[]> = {
  activity: ['activity', 'activities', '活动费用', '活动', '活动费'],
  channel: ['channel', 'channels', '渠道运营', '渠道', '渠道费用'],
  staff: ['staff', '人员费用', '人员', '人力'],
  other: ['other', '其他', '其它'],
};

function fold(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

export function parseCategory(raw: string): PlanCategory | null {
  const key = fold(raw);
  for (const c of PLAN_CATEGORIES) if (CATEGORY_WORDS[c].includes(key)) return c;
  return null;
}

/** A header cell → its column: a PlanColumn, a month index 0..11, or null when not ours. */
export function resolveHeader(raw: string): PlanColumn | number | null {
  const key = fold(raw);
  if (!key) return null;
  for (const [col, names] of Object.entries(PLAN_COLUMNS) as [PlanColumn, readonly string[]][]) {
    if (names.includes(key)) return col;
  }
  const m = /^(\d{1,2})(?:月|月份)?$/.exec(key) ?? /^m(\d{1,2})$/.exec(key);
  if (m) {
    const n = Number(m[1]);
    return n >= 1 && n <= 12 ? n - 1 : null;
  }
  const cn = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'].map((s) => `${s}月`).indexOf(key);
  if (cn >= 0) return cn;
  const en = MONTH_NAMES_EN.indexOf(key.replace(/\.$/, ''));
  if (en >= 0) return en;
  const long = MONTH_NAMES_EN_LONG.indexOf(key);
  return long >= 0 ? long : null;
}

/**
 * An annual amount split evenly into 12 months, the remainder (in fen) on the last months — so a plan typed as
 * annual figures never front-loads the year.
 */
export function splitAnnual(annual: Minor): Minor[] {
  const base = Math.floor(annual / 12);
  const rest = annual - base * 12;
  return Array.from({ length: 12 }, (_, i) => base + (i >= 12 - rest ? 1 : 0));
}

export function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** Line codes: letters, digits, "_" and "-", up to 20, stored upper case (same as /budget line add). */
export const LINE_CODE = /^[A-Z0-9_-]{1,20}$/;

export interface PlanDiff {
  added: string[];
  removed: string[];
  /** Code, annual before, annual after (only lines whose months or annual changed, or that moved category/name). */
  changed: { code: string; before: Minor; after: Minor }[];
  totalBefore: Minor;
  totalAfter: Minor;
}

/** What changed between two versions of a plan, by line code. */
export function diffPlans(before: readonly PlanLineDraft[], after: readonly PlanLineDraft[]): PlanDiff {
  const old = new Map(before.map((l) => [l.code, l]));
  const now = new Map(after.map((l) => [l.code, l]));
  const added = after.filter((l) => !old.has(l.code)).map((l) => l.code);
  const removed = before.filter((l) => !now.has(l.code)).map((l) => l.code);
  const changed: PlanDiff['changed'] = [];
  for (const l of after) {
    const o = old.get(l.code);
    if (!o) continue;
    const same = o.name === l.name && o.category === l.category && o.owner === l.owner && o.months.every((m, i) => m === l.months[i]);
    if (!same) changed.push({ code: l.code, before: sum(o.months), after: sum(l.months) });
  }
  return { added, removed, changed, totalBefore: sum(before.flatMap((l) => l.months)), totalAfter: sum(after.flatMap((l) => l.months)) };
}
