// Reports bench: how long the weekly agenda (collectAgenda + agendaMessage) and the monthly variance report
// (and the monthly budget summary) take to build at a small size (1k expenses) and a large one (100k expenses,
// 5k campaigns, 5k risks). Seeds a temp SQLite file per size with better-sqlite3 in one transaction, then
// times each build through the app's Db (median of several runs). Target: < 200 ms each at the large size.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../src/db/client.js';
import { agendaMessage, collectAgenda } from '../src/usecases/agenda.js';
import { monthlyBudgetMessageFor, varianceReportMessageFor } from '../src/usecases/reports.js';
import { defaultSettings } from '../src/usecases/settings.js';

export interface ReportsBenchSize {
  name: string;
  expenses: number;
  campaigns: number;
  risks: number;
  lines: number;
  people: number;
  adjustments: number;
}

export const SIZES: ReportsBenchSize[] = [
  { name: '1k', expenses: 1_000, campaigns: 50, risks: 50, lines: 40, people: 50, adjustments: 50 },
  { name: 'large', expenses: 100_000, campaigns: 5_000, risks: 5_000, lines: 40, people: 500, adjustments: 2_000 },
  { name: '1M', expenses: 1_000_000, campaigns: 5_000, risks: 5_000, lines: 40, people: 500, adjustments: 2_000 },
];

const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);
const CAMPAIGN_STATUSES = ['pending_approval', 'approved', 'running', 'ended', 'evaluated', 'rejected'];
const RISK_GRADES: [string, number, number][] = [
  ['high', 4, 5],
  ['medium', 3, 3],
  ['low', 1, 2],
];

/** Deterministic pseudo-random numbers, so both sizes are shaped alike run after run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function seed(file: string, size: ReportsBenchSize): void {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  const rand = rng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const iso = (d: string) => `${d}T02:00:00.000+00:00`;
  const now = '2026-11-30T02:00:00.000+00:00';
  raw.transaction(() => {
    const person = raw.prepare('INSERT INTO Person (platform, workspaceId, userId, displayName, createdAt) VALUES (?, ?, ?, ?, ?)');
    for (let i = 1; i <= size.people; i++) person.run('slack', 'T1', `U${String(i).padStart(6, '0')}`, `Person ${i}`, now);
    const role = raw.prepare('INSERT INTO RoleGrant (personId, role, createdAt) VALUES (?, ?, ?)');
    role.run(1, 'finance', now);
    role.run(2, 'leader', now);
    raw.prepare('INSERT INTO FiscalYear (year, currency) VALUES (2026, ?)').run('CNY');
    const line = raw.prepare('INSERT INTO BudgetLine (fiscalYearId, code, name, annualAmount, ownerId, createdAt) VALUES (1, ?, ?, ?, ?, ?)');
    const alloc = raw.prepare('INSERT INTO MonthlyAllocation (lineId, month, planned, updatedAt) VALUES (?, ?, ?, ?)');
    for (let l = 1; l <= size.lines; l++) {
      const monthly = 1_000_000 + Math.floor(rand() * 50) * 100_000;
      line.run(`L${String(l).padStart(3, '0')}`, `Budget line ${l}`, monthly * 12, l % 3 === 0 ? null : 1 + (l % size.people), now);
      for (const m of MONTHS) alloc.run(l, m, monthly, now);
    }
    const campaign = raw.prepare(
      `INSERT INTO Campaign (name, goal, theme, format, channels, startDate, endDate, lineId, amount, kpiTargets, status, ownerId, createdAt, updatedAt)
       VALUES (?, 'sales', 'theme', 'other', '[]', ?, ?, ?, ?, '{}', ?, ?, ?, ?)`,
    );
    const commitment = raw.prepare('INSERT INTO BudgetCommitment (campaignId, lineId, month, amount) VALUES (?, ?, ?, ?)');
    for (let c = 1; c <= size.campaigns; c++) {
      const start = `${pick(MONTHS)}-${String(1 + Math.floor(rand() * 20)).padStart(2, '0')}`;
      const endDay = Math.min(28, Number(start.slice(8)) + 7);
      const end = `${start.slice(0, 8)}${String(endDay).padStart(2, '0')}`;
      const lineId = 1 + Math.floor(rand() * size.lines);
      const status = pick(CAMPAIGN_STATUSES);
      campaign.run(`Campaign ${c}`, start, end, lineId, 100_000, status, 1 + (c % size.people), now, now);
      if (['approved', 'running', 'ended'].includes(status)) commitment.run(c, lineId, start.slice(0, 7), 100_000);
    }
    const expense = raw.prepare('INSERT INTO Expense (lineId, month, date, amount, note, recordedById, campaignId, createdAt) VALUES (?, ?, ?, ?, ?, 1, ?, ?)');
    for (let e = 1; e <= size.expenses; e++) {
      const month = pick(MONTHS.slice(0, 11));
      const date = `${month}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
      const campaignId = rand() < 0.2 ? 1 + Math.floor(rand() * size.campaigns) : null;
      expense.run(1 + Math.floor(rand() * size.lines), month, date, 1_000 + Math.floor(rand() * 50_000), 'bench', campaignId, now);
    }
    const risk = raw.prepare(
      `INSERT INTO Risk (category, likelihood, impact, score, grade, title, ownerId, reporterId, status, dueDate, createdAt, updatedAt)
       VALUES ('market', ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
    );
    for (let r = 1; r <= size.risks; r++) {
      const [grade, l, i] = pick(RISK_GRADES);
      const status = rand() < 0.5 ? 'open' : pick(['mitigating', 'closed', 'accepted']);
      risk.run(l, i, l * i, grade, `Risk ${r}`, rand() < 0.3 ? null : 1 + (r % size.people), status, `${pick(MONTHS)}-15`, now, now);
    }
    const adj = raw.prepare(
      `INSERT INTO BudgetAdjustment (kind, amount, toLineId, month, reason, status, requesterId, createdAt, updatedAt)
       VALUES ('increase', 100000, ?, ?, 'bench', ?, ?, ?, ?)`,
    );
    for (let a = 1; a <= size.adjustments; a++) {
      const created = iso(`2026-11-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`);
      adj.run(1 + Math.floor(rand() * size.lines), pick(MONTHS), pick(['pending_finance', 'pending_leader', 'approved', 'rejected']), 3 + (a % (size.people - 3)), created, created);
    }
    const variance = raw.prepare('INSERT INTO VarianceExplanation (lineId, month, reason, byId, createdAt) VALUES (?, ?, ?, 1, ?)');
    for (let l = 1; l <= Math.min(10, size.lines); l++) variance.run(l, '2026-10', `Reason ${l}`, now);
    const topic = raw.prepare("INSERT INTO AgendaTopic (text, addedById, status, createdAt) VALUES (?, 1, 'open', ?)");
    for (let i = 1; i <= 12; i++) topic.run(`Topic ${i}`, now);
  })();
  raw.pragma('optimize');
  raw.close();
}

async function median(runs: number, work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 10; i++) await work(); // warm-up (JIT, prepared statements, caches)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export interface ReportsBenchResult {
  size: string;
  agendaMs: number;
  reportMs: number;
  budgetMs: number;
  seedMs: number;
}

async function measure(db: Db, runs: number) {
  const settings = defaultSettings({ timezone: 'Asia/Shanghai', locale: 'zh-CN', adminUsers: [] });
  const now = new Date('2026-11-30T02:00:00Z');
  const agendaMs = await median(runs, () =>
    db.read(async (tx) => agendaMessage('zh-CN', await collectAgenda(tx, { today: '2026-11-30', month: '2026-11', now, settings }))),
  );
  const reportMs = await median(runs, () => db.read((tx) => varianceReportMessageFor(tx, 'zh-CN', '2026-10')));
  const budgetMs = await median(runs, () => db.read((tx) => monthlyBudgetMessageFor(tx, 'zh-CN', '2026-11')));
  return { agendaMs, reportMs, budgetMs };
}

export async function runReportsBench(opts: { runs?: number; sizes?: ReportsBenchSize[] } = {}): Promise<ReportsBenchResult[]> {
  const runs = opts.runs ?? 9;
  const results: ReportsBenchResult[] = [];
  for (const size of opts.sizes ?? SIZES) {
    const dir = mkdtempSync(path.join(tmpdir(), 'mktops-bench-reports-'));
    const file = path.join(dir, 'bench.db');
    try {
      const db = await openDatabase(`file:${file}`); // applies the migrations
      await db.close();
      const t0 = performance.now();
      seed(file, size);
      const seedMs = performance.now() - t0;
      const reopened = await openDatabase(`file:${file}`);
      try {
        results.push({ size: size.name, seedMs, ...(await measure(reopened, runs)) });
      } finally {
        await reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(10);
  const header = ['', ...results.map((r) => r.size)];
  const rows: [string, (r: ReportsBenchResult) => number][] = [
    ['weekly agenda (collect + message)', (r) => r.agendaMs],
    ['monthly variance report', (r) => r.reportMs],
    ['monthly budget summary', (r) => r.budgetMs],
    ['seeding (better-sqlite3, 1 tx)', (r) => r.seedMs],
  ];
  console.log(`median of ${runs} runs; sizes: ${(opts.sizes ?? SIZES).map((s) => `${s.name} = ${s.expenses} expenses, ${s.campaigns} campaigns, ${s.risks} risks, ${s.lines} lines`).join('; ')}`);
  console.log(header.map((h, i) => (i === 0 ? h.padEnd(36) : h.padStart(10))).join(''));
  for (const [label, get] of rows) console.log(label.padEnd(36) + results.map((r) => fmt(get(r))).join(''));
  const large = results.find((r) => r.size === 'large');
  if (large) {
    const ok = large.agendaMs < 200 && large.reportMs < 200;
    console.log(`target < 200 ms each at ${large.size}: ${ok ? 'met' : 'NOT met'}`);
  }
  const million = results.find((r) => r.size === '1M');
  if (million) console.log(`target: agenda ≤ 30 ms at 1M expenses: ${million.agendaMs <= 30 ? 'met' : 'NOT met'}`);
  return results;
}

// `npx tsx bench/reports.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) await runReportsBench();
