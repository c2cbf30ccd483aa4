// The annual budget plan area: `/budget plan …` and `/budget export`. Files the bot makes (template, export) are
// stored and sent to the person's direct chat through the outbox (src/delivery/files.ts, notify.directFile); files
// people give the bot are fetched by their platform's adapter and handed to `importPlanFile`.
import { markup, plainText } from '../../messages/markup.js';
import { XLSX_MIME, storeFile } from '../../delivery/files.js';
import { splitAnnual } from '../../domain/plan.js';
import { t } from '../../i18n/index.js';
import type { FormRef } from '../../messages/actions.js';
import type { Form, Message } from '../../messages/model.js';
import { planFromText, readPlanFile, type PlanImport, type RowProblem } from '../../sheets/import.js';
import { planTemplate } from '../../sheets/template.js';
import { formRefusal, refusal, reply, type Area, type Ctx } from '../context.js';
import { directFile } from '../notify.js';
import type { FormValues, Outcome } from '../types.js';
import { exportYear } from './export.js';
import { withProgress } from '../progress.js';
import { decidePlan, newPlan, removeDraftLine, replaceDraftLines, setDraftLine, showPlan, submitPlan } from './flow.js';
import { awaitFile, takeRecentFile } from './pending.js';
import { amendmentRejectForm, decideAmendment, submitAmendmentReject } from './amend.js';

/** The year a plan command means when none is given: next year from October on (planning season), else this one. */
export function defaultPlanYear(ctx: Ctx): number {
  const [y, m] = ctx.month.split('-').map(Number) as [number, number];
  return m >= 10 ? y + 1 : y;
}

export function actorPerson(ctx: Ctx) {
  return { platform: ctx.actor.platform, workspaceId: ctx.actor.workspaceId, userId: ctx.actor.userId };
}

async function sendTemplate(ctx: Ctx, year: number | undefined): Promise<Outcome> {
  const y = year ?? defaultPlanYear(ctx);
  const bytes = await planTemplate(ctx.locale, y);
  const name = ctx.locale === 'en' ? `budget-plan-${y}-template.xlsx` : `${y}年度预算计划模板.xlsx`;
  await ctx.deps.db.write(async (tx) => {
    const file = await storeFile(tx, { name, mime: XLSX_MIME, bytes, title: name });
    const text = t(ctx.locale, 'plan.template.comment', { year: y });
    await directFile(tx, actorPerson(ctx), file, { tone: 'info', text, summary: plainText(text) });
  });
  const text = t(ctx.locale, 'plan.template.sent');
  return reply(ctx, { tone: 'success', text, summary: plainText(text) });
}

// ------------------------------------------------------------------------------------------------ import

const SHOWN_PROBLEMS = 15;

/** Every bad row (up to a readable number), in the person's language. Nothing was written. */
export function importRefusal(ctx: Ctx, year: number, result: Extract<PlanImport, { ok: false }>): Outcome {
  if (result.refusal) {
    const text = t(ctx.locale, 'plan.import.refused', { year, reason: markup(t(ctx.locale, result.refusal.key, result.refusal.params ?? {})) });
    return { ok: false, reply: { tone: 'danger', text, summary: plainText(text) }, toast: plainText(text), locale: ctx.locale };
  }
  const lines = result.problems.slice(0, SHOWN_PROBLEMS).map((p: RowProblem) => {
    const reason = markup(t(ctx.locale, p.key, p.params ?? {}));
    const value = p.value.length > 40 ? `${p.value.slice(0, 39)}…` : p.value;
    return value
      ? t(ctx.locale, 'plan.import.row', { row: p.row, column: p.column, value, reason })
      : t(ctx.locale, 'plan.import.row_empty', { row: p.row, column: p.column, reason });
  });
  if (result.problems.length > SHOWN_PROBLEMS) lines.push(t(ctx.locale, 'plan.import.more', { n: result.problems.length - SHOWN_PROBLEMS }));
  const head = t(ctx.locale, 'plan.import.refused_rows', { year, n: result.problems.length });
  const message: Message = { tone: 'danger', title: head, text: lines.join('\n'), summary: plainText(head) };
  return { ok: false, reply: message, toast: plainText(head), locale: ctx.locale };
}

async function applyImport(ctx: Ctx, year: number, result: PlanImport, source: string): Promise<Outcome> {
  if (!result.ok) return importRefusal(ctx, year, result);
  return replaceDraftLines(ctx, year, result.lines, source);
}

/** A file a person gave the bot for `/budget plan import` (fetched by their platform's adapter). */
export async function importPlanFile(ctx: Ctx, year: number | undefined, file: { name: string; bytes: Buffer }): Promise<Outcome> {
  const y = year ?? defaultPlanYear(ctx);
  const size = file.bytes.length < 1024 * 1024 ? `${Math.max(1, Math.round(file.bytes.length / 1024))} KB` : `${(file.bytes.length / 1024 / 1024).toFixed(1)} MB`;
  return withProgress(ctx, () => note(ctx, 'plan.progress.import_file', { name: file.name, size, year: y }), async () =>
    applyImport(ctx, y, await readPlanFile(file), file.name),
  );
}

function note(ctx: Ctx, key: string, params: Record<string, string | number>): Message {
  const text = t(ctx.locale, key, params);
  return { tone: 'info', text, summary: plainText(text) };
}

function importForm(ctx: Ctx, year: number): Form {
  return {
    id: 'plan.import',
    title: t(ctx.locale, 'plan.form.import.title'),
    submitLabel: t(ctx.locale, 'plan.form.import.submit'),
    intro: t(ctx.locale, 'plan.form.import.intro'),
    fields: [
      { kind: 'text', name: 'year', label: t(ctx.locale, 'plan.form.import.year'), required: true, initial: String(year), maxLength: 4 },
      { kind: 'file', name: 'file', label: t(ctx.locale, 'plan.form.import.file'), required: true },
    ],
  };
}

async function importCommand(ctx: Ctx, year: number | undefined, rows: string | undefined): Promise<Outcome> {
  const y = year ?? defaultPlanYear(ctx);
  if (rows) {
    const n = Math.max(0, rows.split(/\r?\n/).filter((l) => l.trim()).length - 1);
    return withProgress(ctx, () => note(ctx, 'plan.progress.import_rows', { n, year: y }), async () =>
      applyImport(ctx, y, planFromText(rows), t(ctx.locale, 'plan.import.source.paste')),
    );
  }
  if (ctx.actor.platform === 'feishu') {
    // Feishu forms have no file field: the file is sent to the bot in the DM, just before or just after this.
    const recent = await takeRecentFile(ctx);
    if (recent) return { ok: true, locale: ctx.locale, importFile: { ...recent, year: y } };
    await awaitFile(ctx, y);
    const text = t(ctx.locale, 'plan.import.wait_file', { year: y });
    return reply(ctx, { tone: 'info', text, summary: plainText(text) });
  }
  return { ok: true, openForm: importForm(ctx, y), locale: ctx.locale };
}

function commentForm(ctx: Ctx, kind: 'plan.reject' | 'plan.changes', id: number, version: number, step: number): Form {
  return {
    id: `${kind}:${id}:${version}:${step}`,
    title: t(ctx.locale, kind === 'plan.reject' ? 'plan.form.reject.title' : 'plan.form.changes.title'),
    submitLabel: t(ctx.locale, 'plan.form.submit'),
    fields: [{ kind: 'textarea', name: 'comment', label: t(ctx.locale, 'plan.form.comment'), required: true, maxLength: 500 }],
  };
}

function value(values: FormValues, name: string): string {
  const v = values[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
}

async function submitComment(ctx: Ctx, ref: { args: [number, number, number] }, values: FormValues, decision: 'rejected' | 'changes_requested'): Promise<Outcome> {
  const comment = value(values, 'comment');
  if (!comment) return formRefusal(ctx, { comment: { key: 'plan.error.comment_required' } });
  if ([...comment].length > 500) return formRefusal(ctx, { comment: { key: 'budget.error.too_long', params: { max: 500, length: [...comment].length } } });
  return decidePlan(ctx, ref.args[0], ref.args[1], ref.args[2], decision, comment);
}

export const planArea: Area = {
  commands: {
    'plan.show': (ctx, intent) => showPlan(ctx, intent.year, defaultPlanYear(ctx)),
    'plan.new': (ctx, intent) => newPlan(ctx, intent.year, intent.from),
    'plan.import': (ctx, intent) => importCommand(ctx, intent.year, intent.rows),
    'plan.line': (ctx, intent) =>
      setDraftLine(ctx, intent.year, { code: intent.code, name: intent.name, category: intent.category, owner: null, months: splitAnnual(intent.annual) }),
    'plan.remove': (ctx, intent) => removeDraftLine(ctx, intent.year, intent.code),
    'plan.template': (ctx, intent) => sendTemplate(ctx, intent.year),
    'plan.submit': (ctx, intent) => submitPlan(ctx, intent.year),
    'budget.export': (ctx, intent) => exportYear(ctx, intent.year ?? Number(ctx.month.slice(0, 4))),
  },
  actions: {
    'plan.approve': (ctx, ref) => decidePlan(ctx, ref.args[0], ref.args[1], ref.args[2], 'approved'),
    'plan.reject': async (ctx, ref) => ({ ok: true, openForm: commentForm(ctx, 'plan.reject', ref.args[0], ref.args[1], ref.args[2]), locale: ctx.locale }),
    'plan.changes': async (ctx, ref) => ({ ok: true, openForm: commentForm(ctx, 'plan.changes', ref.args[0], ref.args[1], ref.args[2]), locale: ctx.locale }),
    'amd.approve': (ctx, ref) => decideAmendment(ctx, ref.args[0], ref.args[1], 'approved'),
    'amd.reject': async (ctx, ref) => ({ ok: true, openForm: amendmentRejectForm(ctx, ref.args[0], ref.args[1]), locale: ctx.locale }),
  },
  forms: {
    'plan.reject': {
      open: async (ctx, ref) => commentForm(ctx, 'plan.reject', ref.args[0], ref.args[1], ref.args[2]),
      submit: (ctx, ref, values) => submitComment(ctx, ref, values, 'rejected'),
    },
    'plan.changes': {
      open: async (ctx, ref) => commentForm(ctx, 'plan.changes', ref.args[0], ref.args[1], ref.args[2]),
      submit: (ctx, ref, values) => submitComment(ctx, ref, values, 'changes_requested'),
    },
    'amd.reject': {
      open: async (ctx, ref) => amendmentRejectForm(ctx, ref.args[0], ref.args[1]),
      submit: (ctx, ref, values) => submitAmendmentReject(ctx, ref.args[0], ref.args[1], values),
    },
    'plan.import': {
      open: async (ctx) => importForm(ctx, defaultPlanYear(ctx)),
      // The file itself arrives through Core.importPlan (the adapter fetched it); a submission without one is refused.
      submit: async (ctx: Ctx, _ref: FormRef, _values: FormValues) => formRefusal(ctx, { file: { key: 'plan.import.no_file' } }),
    },
  },
};
