// `/audit ADJ-12|CMP-7|RSK-3|PLAN-2027` (`/审计`): a record's whole history from the append-only audit log — who,
// when (local time, zone named), before → after for amounts, statuses and texts, including stand-in decisions (with
// the delegation they used) and escalations — paged. `/audit export [YYYY-MM]`: the month's log as a CSV file in a DM
// (admin, finance), through the outbox's file delivery. Also the `/mkt delegate…` commands' area (delegation.ts).
import type { AuditRecordRef } from '../commands/intents.js';
import type { Tx } from '../db/client.js';
import { storeFile } from '../delivery/files.js';
import { formatMoney } from '../domain/money.js';
import { addMonths, formatStamp, localDate, startOfLocalDayUtc, wallClock } from '../domain/time.js';
import type { Month } from '../domain/types.js';
import { t } from '../i18n/index.js';
import { auditTrailMessage, type AuditEntry } from '../messages/builders/approvals.js';
import { esc, markup, plainText, type Markup } from '../messages/markup.js';
import { deciderText } from './approvers.js';
import { whoMay } from './whoMay.js';
import { refuse, reply, type Area, type Ctx } from './context.js';
import { endDelegation, listDelegations, setDelegation, untilText } from './delegation.js';
import { directFile } from './notify.js';
import { findPerson, mention, rolesOf } from './people.js';
import type { Outcome } from './types.js';

type PersonRow = NonNullable<Awaited<ReturnType<Tx['person']['findUnique']>>>;
type AuditRow = Awaited<ReturnType<Tx['auditLog']['findMany']>>[number];
type Data = Record<string, unknown>;

const ENTITY: Record<AuditRecordRef['kind'], string> = { ADJ: 'BudgetAdjustment', CMP: 'campaign', RSK: 'risk', PLAN: 'BudgetPlan', AMD: 'PlanAmendment' };
const STATUS_PREFIX: Record<AuditRecordRef['kind'], string> = { ADJ: 'adjustment.status', CMP: 'campaign.status', RSK: 'risk.status', PLAN: 'plan.status', AMD: 'plan.amend.status' };

const keyOf = (r: AuditRecordRef): string => `${r.kind}-${r.id}`;

/** The record's audit rows and the people who belong to it (may see its trail). */
async function loadRecord(tx: Tx, r: AuditRecordRef): Promise<{ entityId: number; people: Set<number> } | null> {
  const people = new Set<number>();
  const add = (...ids: (number | null | undefined)[]) => ids.forEach((id) => typeof id === 'number' && people.add(id));
  if (r.kind === 'ADJ') {
    const a = await tx.budgetAdjustment.findUnique({ where: { id: r.id }, include: { steps: true } });
    if (!a) return null;
    add(a.requesterId, ...a.steps.flatMap((s) => [s.deciderId, s.onBehalfOfId]));
    return { entityId: a.id, people };
  }
  if (r.kind === 'CMP') {
    const c = await tx.campaign.findUnique({ where: { id: r.id } });
    if (!c) return null;
    add(c.ownerId, c.decidedById, c.decidedOnBehalfOfId);
    return { entityId: c.id, people };
  }
  if (r.kind === 'RSK') {
    const k = await tx.risk.findUnique({ where: { id: r.id } });
    if (!k) return null;
    add(k.reporterId, k.ownerId);
    return { entityId: k.id, people };
  }
  if (r.kind === 'AMD') {
    const a = await tx.planAmendment.findUnique({ where: { id: r.id }, include: { steps: true } });
    if (!a) return null;
    add(a.requesterId, ...a.steps.flatMap((s) => [s.deciderId, s.onBehalfOfId]));
    return { entityId: a.id, people };
  }
  const p = await tx.budgetPlan.findUnique({ where: { year: r.id }, include: { steps: true } });
  if (!p) return null;
  add(p.drafterId, p.submittedById, ...p.steps.flatMap((s) => [s.deciderId, s.onBehalfOfId]));
  return { entityId: p.id, people };
}

function parse(row: AuditRow): Data {
  try {
    const v = JSON.parse(row.data) as unknown;
    return v && typeof v === 'object' ? (v as Data) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : JSON.stringify(v));
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Describes one audit row; `status` is the record's status before it (replayed), updated when the row changes it. */
class Describer {
  status: string | null = null;
  planTotal: number | null = null;
  constructor(
    private readonly ctx: Ctx,
    private readonly kind: AuditRecordRef['kind'],
    private readonly people: Map<number, PersonRow>,
    private readonly delegations: Map<number, { text: string }>,
  ) {}

  private money(v: unknown): string {
    const n = num(v);
    return n === null ? str(v) : formatMoney(n, this.ctx.locale);
  }

  private statusName(s: string): string {
    return t(this.ctx.locale, `${STATUS_PREFIX[this.kind]}.${s}`);
  }

  /** "status: A → B" when the row moves the record to `to`. */
  private move(to: string | null): string | null {
    if (!to || to === this.status) return null;
    const text = t(this.ctx.locale, 'audit.status', { before: this.status ? this.statusName(this.status) : '—', after: this.statusName(to) });
    this.status = to;
    return text;
  }

  /** Text a person typed, quoted: escaped, so it shows as typed (t() escapes string parameters). */
  private quote(v: unknown): Markup {
    return markup(t(this.ctx.locale, 'audit.quote', { text: str(v) }));
  }

  describe(row: AuditRow, d: Data): string {
    const L = this.ctx.locale;
    const parts: string[] = [];
    const push = (s: string | null | undefined) => {
      if (s) parts.push(s);
    };
    const a = row.action;
    if (a === 'approval.escalate') {
      push(t(L, 'audit.what.escalate', { hours: num(d.hours) ?? 0, step: t(L, `esc.step.${str(d.step) === 'leader' ? 'leader' : 'finance'}`), dms: num(d.dms) ?? 0, posts: num(d.posts) ?? 0 }));
    } else if (a === 'adjustment.request') {
      const what = d.kind === 'transfer' ? t(L, 'adj.summary.transfer', { amount: this.money(d.amount), from: str(d.fromLine), to: str(d.toLine), month: str(d.month) }) : t(L, 'adj.summary.increase', { amount: this.money(d.amount), line: str(d.toLine), month: str(d.month) });
      push(t(L, 'audit.what.requested', { what: markup(what) }));
      push(t(L, 'audit.reason', { text: this.quote(d.reason) }));
      push(this.move('pending_finance'));
    } else if (a === 'adjustment.approve' || a === 'adjustment.reject') {
      push(t(L, `audit.what.step.${str(d.step) === 'leader' ? 'leader' : 'finance'}.${a === 'adjustment.reject' ? 'rejected' : 'approved'}`));
      push(this.move(str(d.to) || null));
      const e = (d.executed ?? null) as Data | null;
      if (e) {
        if (e.fromLine) push(t(L, 'audit.amount', { label: `${str(e.fromLine)} ${str(d.month ?? '')}`.trim(), before: this.money(e.fromBefore), after: this.money(e.fromAfter) }));
        push(t(L, 'audit.amount', { label: str(e.toLine), before: this.money(e.toBefore), after: this.money(e.toAfter) }));
        if (e.annualAfter !== undefined) push(t(L, 'audit.annual', { label: str(e.toLine), before: this.money(e.annualBefore), after: this.money(e.annualAfter) }));
      }
      if (d.comment) push(t(L, 'audit.comment', { text: this.quote(d.comment) }));
    } else if (a === 'adjustment.cancel') {
      push(t(L, 'audit.what.cancelled'));
      push(this.move(str(d.to) || 'cancelled'));
    } else if (a === 'campaign.propose') {
      push(t(L, 'audit.what.proposed', { name: this.quote(d.name), amount: this.money(d.amount), line: str(d.lineCode), start: str(d.startDate), end: str(d.endDate) }));
      push(this.move('pending_approval'));
    } else if (a === 'campaign.approve' || a === 'campaign.rejected' || a === 'campaign.changes_requested') {
      const to = a === 'campaign.approve' ? 'approved' : a.slice('campaign.'.length);
      push(t(L, `audit.what.campaign.${to}`));
      push(this.move(to));
      const commitments = Array.isArray(d.commitments) ? (d.commitments as Data[]) : [];
      if (commitments.length) push(t(L, 'audit.commitments', { list: commitments.map((c) => `${str(c.month)} ${this.money(c.amount)}`).join(', ') }));
      if (d.comment) push(t(L, 'audit.comment', { text: this.quote(d.comment) }));
    } else if (a === 'campaign.revise') {
      push(t(L, 'audit.what.revised'));
      const before = (d.before ?? {}) as Data;
      const after = (d.after ?? {}) as Data;
      for (const field of Array.isArray(d.changed) ? (d.changed as string[]) : []) {
        const show = (v: unknown) => (field === 'amount' ? this.money(v) : this.quote(v));
        push(t(L, 'audit.change', { field, before: show(before[field]), after: show(after[field]) }));
      }
      push(this.move('pending_approval'));
    } else if (a === 'campaign.evaluate') {
      push(t(L, 'audit.what.evaluated', { cost: this.money(d.actualCost) }));
      if (d.lessons) push(t(L, 'audit.lessons', { text: this.quote(d.lessons) }));
      push(this.move('evaluated'));
    } else if (a === 'risk.report') {
      push(t(L, 'audit.what.risk_reported', { title: this.quote(d.title), score: num(d.score) ?? 0, grade: str(d.grade) }));
      push(this.move('open'));
    } else if (a === 'risk.own') {
      push(t(L, 'audit.what.risk_owned'));
    } else if (a === 'risk.strategy') {
      push(t(L, 'audit.what.risk_strategy', { strategy: str(d.strategy), due: str(d.dueDate) || '—' }));
      if (d.note) push(t(L, 'audit.comment', { text: this.quote(d.note) }));
      push(this.move(str(d.status) || null));
    } else if (a === 'risk.close') {
      push(t(L, 'audit.what.risk_closed'));
      if (d.note) push(t(L, 'audit.comment', { text: this.quote(d.note) }));
      push(this.move('closed'));
    } else if (a === 'plan.amend.request') {
      push(t(L, 'audit.what.amend_request', { code: str(d.code), name: this.quote(d.name), annual: this.money(d.annual), year: str(d.year) }));
      push(this.move('pending_finance'));
    } else if (/^plan\.amend\.(finance|leader)\.(approved|rejected)$/.test(a)) {
      const [, step, decision] = /^plan\.amend\.(finance|leader)\.(approved|rejected)$/.exec(a)!;
      push(t(L, `audit.what.step.${step}.${decision}`));
      push(this.move(decision === 'rejected' ? 'rejected' : step === 'finance' ? 'pending_leader' : 'approved'));
      if (d.comment) push(t(L, 'audit.comment', { text: this.quote(d.comment) }));
    } else if (a.startsWith('plan.')) {
      const total = num(d.total);
      const totals = () => {
        if (total === null) return null;
        const text = t(L, 'audit.total', { before: this.planTotal === null ? '—' : this.money(this.planTotal), after: this.money(total) });
        this.planTotal = total;
        return text;
      };
      const version = num(d.version);
      const m = /^plan\.(finance|leader)\.(approved|rejected|changes_requested)$/.exec(a);
      if (m) {
        push(t(L, `audit.what.step.${m[1]}.${m[2]}`));
        push(this.move(m[2] === 'rejected' ? 'rejected' : m[2] === 'changes_requested' ? 'draft' : m[1] === 'finance' ? 'pending_leader' : 'approved'));
        if (d.comment) push(t(L, 'audit.comment', { text: this.quote(d.comment) }));
      } else if (a === 'plan.new' || a === 'plan.migrated') {
        push(t(L, a === 'plan.new' ? 'audit.what.plan_new' : 'audit.what.plan_migrated', { version: version ?? 1 }));
        push(this.move(a === 'plan.new' ? 'draft' : 'approved'));
      } else if (a === 'plan.import') {
        push(t(L, 'audit.what.plan_import', { n: num(d.lines) ?? 0, source: str(d.source) }));
        push(totals());
      } else if (a === 'plan.line') {
        push(t(L, 'audit.what.plan_line', { code: str(d.code), annual: this.money(d.annual) }));
      } else if (a === 'plan.remove') {
        push(t(L, 'audit.what.plan_remove', { code: str(d.code) }));
      } else if (a === 'plan.submit') {
        push(t(L, 'audit.what.plan_submit', { version: version ?? 1, n: num(d.lines) ?? 0 }));
        push(totals());
        push(this.move('pending_finance'));
      } else push(this.generic(a, d));
    } else push(this.generic(a, d));
    const delegationId = num(d.delegationId);
    if (delegationId !== null) push(this.delegations.get(delegationId)?.text);
    return parts.join(t(L, 'audit.separator'));
  }

  private generic(action: string, d: Data): string {
    const pairs = Object.entries(d)
      .filter(([k]) => k !== 'onBehalfOfId' && k !== 'delegationId')
      .map(([k, v]) => `${esc(k)}: ${esc(str(v).slice(0, 120))}`);
    return [`\`${esc(action)}\``, ...pairs].join(' · ');
  }
}

async function entriesOf(tx: Tx, ctx: Ctx, r: AuditRecordRef, entityId: number): Promise<AuditEntry[]> {
  const rows = await tx.auditLog.findMany({ where: { entity: ENTITY[r.kind], entityId: String(entityId) }, orderBy: { id: 'asc' } });
  const data = rows.map(parse);
  const delegationIds = [...new Set(data.map((d) => num(d.delegationId)).filter((x): x is number => x !== null))];
  const delegationRows = delegationIds.length ? await tx.delegation.findMany({ where: { id: { in: delegationIds } } }) : [];
  const personIds = new Set<number>();
  rows.forEach((row, i) => {
    if (row.actorId !== null) personIds.add(row.actorId);
    const b = num(data[i]!.onBehalfOfId);
    if (b !== null) personIds.add(b);
  });
  for (const d of delegationRows) [d.delegatorId, d.delegateId, d.createdById].forEach((id) => personIds.add(id));
  const people = new Map((await tx.person.findMany({ where: { id: { in: [...personIds] } } })).map((p) => [p.id, p]));
  const tz = ctx.settings.timezone;
  const stamp = (at: Date) => formatStamp(at, tz);
  const delegations = new Map(
    delegationRows.map((d) => [
      d.id,
      {
        text: t(ctx.locale, 'audit.delegation', {
          key: `DLG-${d.id}`,
          delegator: people.get(d.delegatorId) ? mention(people.get(d.delegatorId)!) : '?',
          standIn: people.get(d.delegateId) ? mention(people.get(d.delegateId)!) : '?',
          role: t(ctx.locale, `role.${d.role}`),
          by: people.get(d.createdById) ? mention(people.get(d.createdById)!) : '?',
          at: stamp(d.createdAt),
          until: markup(untilText(ctx, d.until, tz)),
        }),
      },
    ]),
  );
  const describer = new Describer(ctx, r.kind, people, delegations);
  return rows.map((row, i) => {
    const d = data[i]!;
    const actor = row.actorId !== null ? people.get(row.actorId) : undefined;
    const behalf = num(d.onBehalfOfId);
    const who = actor ? deciderText(ctx.locale, actor, behalf !== null ? people.get(behalf) : null) : markup(t(ctx.locale, 'audit.the_bot'));
    return { at: stamp(row.at), who, what: describer.describe(row, d) };
  });
}

async function mayRead(tx: Tx, ctx: Ctx, people: Set<number>): Promise<boolean> {
  const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
  if (roles.has('finance') || roles.has('leader') || roles.has('admin')) return true;
  const me = await findPerson(tx, ctx.actor);
  return me !== null && people.has(me.id);
}

export async function showAudit(ctx: Ctx, r: AuditRecordRef, page: number): Promise<Outcome> {
  return ctx.deps.db.read(async (tx) => {
    const key = keyOf(r);
    const found = await loadRecord(tx, r);
    if (!found) refuse('core.error.not_found', { id: key });
    if (!(await mayRead(tx, ctx, found.people))) {
      refuse('audit.error.forbidden', { key, who: await whoMay(tx, ctx.locale, ctx.deps.config, { roles: ['finance', 'leader', 'admin'] }) });
    }
    const entries = await entriesOf(tx, ctx, r, found.entityId);
    return reply(ctx, auditTrailMessage(ctx.locale, { key, kind: r.kind, id: r.id, tz: ctx.settings.timezone, entries, page }));
  });
}

// ------------------------------------------------------------------------------------------------- export

/** A CSV cell: quoted when needed; a leading = + - @ (or tab / CR) is neutralised so no spreadsheet runs it. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function recordKeyOf(entity: string, entityId: string, plans: Map<number, number>): string {
  switch (entity) {
    case 'BudgetAdjustment':
      return `ADJ-${entityId}`;
    case 'campaign':
      return `CMP-${entityId}`;
    case 'risk':
      return `RSK-${entityId}`;
    case 'BudgetPlan':
      return plans.has(Number(entityId)) ? `PLAN-${plans.get(Number(entityId))}` : `PLAN#${entityId}`;
    case 'Delegation':
      return `DLG-${entityId}`;
    case 'PlanAmendment':
      return `AMD-${entityId}`;
    default:
      return `${entity}:${entityId}`;
  }
}

export async function exportAudit(ctx: Ctx, month: Month | undefined): Promise<Outcome> {
  const m = month ?? ctx.month;
  return ctx.deps.db.write(async (tx) => {
    const roles = await rolesOf(tx, ctx.deps.config, ctx.actor);
    if (!roles.has('admin') && !roles.has('finance')) refuse('audit.error.export_forbidden', { who: await whoMay(tx, ctx.locale, ctx.deps.config, { roles: ['admin', 'finance'] }) });
    const tz = ctx.settings.timezone;
    const from = startOfLocalDayUtc(`${m}-01`, tz);
    const to = startOfLocalDayUtc(`${addMonths(m, 1)}-01`, tz);
    const rows = await tx.auditLog.findMany({ where: { at: { gte: from, lt: to } }, orderBy: { id: 'asc' } });
    if (rows.length === 0) {
      const text = t(ctx.locale, 'audit.export.empty', { month: m });
      return reply(ctx, { tone: 'info', text, summary: text });
    }
    const data = rows.map(parse);
    const ids = new Set<number>();
    rows.forEach((r, i) => {
      if (r.actorId !== null) ids.add(r.actorId);
      const b = num(data[i]!.onBehalfOfId);
      if (b !== null) ids.add(b);
    });
    const people = new Map((await tx.person.findMany({ where: { id: { in: [...ids] } } })).map((p) => [p.id, p]));
    const plans = new Map((await tx.budgetPlan.findMany({ select: { id: true, year: true } })).map((p) => [p.id, p.year]));
    const name = (id: number | null) => {
      const p = id !== null ? people.get(id) : undefined;
      return p ? `${p.displayName ?? p.userId} (${p.platform}:${p.userId})` : '';
    };
    const header = ['id', 'time', 'timezone', 'actor', 'on_behalf_of', 'action', 'record', 'details'];
    const lines = [header.join(',')];
    rows.forEach((r, i) => {
      const wc = wallClock(r.at, tz);
      const time = `${localDate(r.at, tz)} ${[wc.hour, wc.minute, wc.second].map((n) => String(n).padStart(2, '0')).join(':')}`;
      const cells = [String(r.id), time, tz, r.actorId === null ? 'bot' : name(r.actorId), name(num(data[i]!.onBehalfOfId)), r.action, recordKeyOf(r.entity, r.entityId, plans), r.data];
      lines.push(cells.map(csvCell).join(','));
    });
    // UTF-8 with a BOM and CRLF: what Excel (Chinese editions included) opens correctly.
    const bytes = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
    const fileName = `audit-${m}.csv`;
    const file = await storeFile(tx, { name: fileName, mime: 'text/csv', bytes, title: fileName });
    const text = t(ctx.locale, 'audit.export.file', { month: m, n: rows.length, tz });
    await directFile(tx, { platform: ctx.actor.platform, workspaceId: ctx.actor.workspaceId, userId: ctx.actor.userId }, file, { tone: 'info', text, summary: plainText(text) });
    const replyText = t(ctx.locale, 'audit.export.sent', { month: m, n: rows.length });
    return reply(ctx, { tone: 'success', text: replyText, summary: replyText });
  });
}

export const approvalsArea: Area = {
  commands: {
    'audit.show': (ctx, intent) => showAudit(ctx, intent.record, intent.page),
    'audit.export': (ctx, intent) => exportAudit(ctx, intent.month),
    'mkt.delegate': (ctx, intent) => setDelegation(ctx, intent),
    'mkt.delegate.off': (ctx, intent) => endDelegation(ctx, intent),
    'mkt.delegates': (ctx) => listDelegations(ctx),
  },
  actions: {
    'audit.page': (ctx, ref) => showAudit(ctx, { kind: ref.args[0], id: ref.args[1] }, ref.args[2]),
  },
};
