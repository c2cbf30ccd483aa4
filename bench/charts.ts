// Charts bench: the time to draw a chart as a PNG (ECharts SSR → SVG → resvg at 2×, with the font subset), as a
// person waits for it after the report's text, for a budget of 15 and of 200 lines, both chart kinds that depend on
// the number of lines, side by side with the text of the same report (the baseline a person already waits for).
// Three rounds of RUNS renders each: min / median / max of the round means. Target ≤ 150 ms per chart.
// Then memory: RSS and heap before and after 1,000 renders (after a warm-up and a GC); target: back within 20 MiB.
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { budgetUseChart, renderChart } from '../src/charts/index.js';
import type { ChartPart } from '../src/charts/model.js';
import type { Locale } from '../src/domain/types.js';
import { monthlyBudgetMessage, varianceReportMessage } from '../src/messages/builders/reports.js';
import { budgetFixture, fixtureLines, varianceFixture } from '../test/support/chartFixtures.js';

const ROUNDS = 3;
const RUNS = 10;
const TARGET_MS = 150;
const MEMORY_RENDERS = 1_000;
const MEMORY_TARGET_MIB = 20;

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g();
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

type Spread = { min: number; median: number; max: number };

function spread(values: number[]): Spread {
  const v = [...values].sort((a, b) => a - b);
  return { min: v[0]!, median: v[Math.floor(v.length / 2)]!, max: v[v.length - 1]! };
}

/**
 * Round means of wall time and of this process's CPU time. On a shared machine other work stretches the wall time;
 * the CPU time is what one render costs (drawing is single-threaded: alone on a core, wall ≈ CPU).
 */
async function rounds(fn: () => Promise<unknown> | unknown): Promise<{ wall: Spread; cpu: Spread }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < RUNS; i++) await fn();
    wall.push((performance.now() - t0) / RUNS);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000 / RUNS);
  }
  return { wall: spread(wall), cpu: spread(cpu) };
}

function textBaseline(kind: 'budget' | 'variance', n: number, locale: Locale): () => unknown {
  const lines = fixtureLines(n);
  if (kind === 'budget') {
    const view = {
      month: '2026-05' as const,
      previous: '2026-04' as const,
      lines: lines.map((l, i) => ({ lineId: i + 1, ...l })),
      overspent: [],
      high: [],
    };
    return () => monthlyBudgetMessage(locale, view);
  }
  const view = {
    month: '2026-05' as const,
    lines: lines.map((l, i) => ({
      lineId: i + 1,
      code: l.code,
      name: l.name,
      owner: null,
      plan: l.plan,
      actual: l.spent,
      variance: l.spent - l.plan,
      percentBp: null,
      beyond: false,
      explanation: null,
    })),
    total: { plan: 0, actual: 0, variance: 0, percentBp: null },
  };
  return () => varianceReportMessage(locale, view);
}

const mib = (bytes: number) => bytes / 1024 / 1024;

export async function runChartsBench(): Promise<void> {
  const cold0 = performance.now();
  await renderChart(budgetFixture('zh-CN', 15));
  console.log(`first chart after start (loads ECharts, HarfBuzz and the 10 MB font): ${(performance.now() - cold0).toFixed(0)} ms`);

  const cases: { label: string; part: ChartPart; text: () => unknown }[] = [];
  for (const n of [15, 200]) {
    cases.push({ label: `budget use, ${n} lines`, part: budgetFixture('zh-CN', n), text: textBaseline('budget', n, 'zh-CN') });
    cases.push({ label: `variance + YTD, ${n} lines`, part: varianceFixture('zh-CN', n), text: textBaseline('variance', n, 'zh-CN') });
  }
  const fmt = (r: Spread) => `${r.min.toFixed(1)} / ${r.median.toFixed(1)} / ${r.max.toFixed(1)}`.padStart(24);
  console.log(`${ROUNDS} rounds × ${RUNS} renders, round means in ms (min / median / max); zh-CN; 2000×1200 PNG; load average ${loadavg()[0]!.toFixed(1)}`);
  console.log(`${''.padEnd(28)}${'chart PNG, wall'.padStart(24)}${'chart PNG, CPU'.padStart(24)}${'text (baseline), wall'.padStart(24)}`);
  let worstWall = 0;
  let worstCpu = 0;
  for (const c of cases) {
    // Different line counts make different charts: the lines are folded into top 15 + others either way.
    const chart = await rounds(() => renderChart(c.part));
    const text = await rounds(c.text);
    worstWall = Math.max(worstWall, chart.wall.median);
    worstCpu = Math.max(worstCpu, chart.cpu.median);
    console.log(`${c.label.padEnd(28)}${fmt(chart.wall)}${fmt(chart.cpu)}${fmt(text.wall)}`);
  }
  const verdict = (ms: number) => (ms <= TARGET_MS ? 'met' : 'NOT met');
  console.log(
    `target ≤ ${TARGET_MS} ms per chart (worst median): wall ${worstWall.toFixed(1)} ms ${verdict(worstWall)}; CPU ${worstCpu.toFixed(1)} ms ${verdict(worstCpu)}` +
      (loadavg()[0]! > cpus().length ? ' (the machine is busy with other work: the wall time includes waiting for a core)' : ''),
  );

  // Memory: every render builds and disposes an ECharts instance and a resvg tree; nothing may pile up.
  const mix: ChartPart[] = [budgetFixture('zh-CN', 15), budgetFixture('en', 200), varianceFixture('zh-CN', 200), varianceFixture('en', 15)];
  for (const p of mix) await renderChart(p);
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  for (let i = 0; i < MEMORY_RENDERS; i++) {
    // Vary the data so the font cache and ECharts see new text now and then.
    const part = i % 50 === 0 ? budgetUseChart('zh-CN', '2026-05', fixtureLines(15 + (i % 7))).chart! : mix[i % mix.length]!;
    await renderChart(part);
  }
  const seconds = (performance.now() - t0) / 1000;
  gc();
  const after = process.memoryUsage();
  const rss = mib(after.rss - before.rss);
  const heap = mib(after.heapUsed - before.heapUsed);
  console.log(
    `memory after ${MEMORY_RENDERS} renders (${seconds.toFixed(0)} s): RSS ${mib(before.rss).toFixed(0)} → ${mib(after.rss).toFixed(0)} MiB (${rss >= 0 ? '+' : ''}${rss.toFixed(1)}), ` +
      `heap ${mib(before.heapUsed).toFixed(0)} → ${mib(after.heapUsed).toFixed(0)} MiB (${heap >= 0 ? '+' : ''}${heap.toFixed(1)})`,
  );
  console.log(`target: back within ${MEMORY_TARGET_MIB} MiB: ${rss <= MEMORY_TARGET_MIB ? 'met' : 'NOT met'}`);
}

// `npx tsx bench/charts.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) await runChartsBench();
