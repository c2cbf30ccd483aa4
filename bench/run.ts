// npm run bench: runs every bench in turn and prints its figures (no assertions).
// `npm run bench -- <name> [<name>…]` runs only those: slack, feishu, reports, plan.
// Add a bench by appending to BENCHES.
import { execFileSync } from 'node:child_process';
import { runFeishuE2e, runSlackE2e } from './e2e.js';
import { runPlanBench } from './plan.js';
import { runReportsBench } from './reports.js';
import { runChartsBench } from './charts.js';

const BENCHES: { name: string; run: () => Promise<unknown> }[] = [
  { name: 'slack', run: () => runSlackE2e() },
  { name: 'feishu', run: () => runFeishuE2e() },
  { name: 'reports', run: () => runReportsBench() },
  { name: 'plan', run: () => runPlanBench() },
  { name: 'charts', run: () => runChartsBench() },
];

const only = process.argv.slice(2);
const unknown = only.filter((n) => !BENCHES.some((b) => b.name === n));
if (unknown.length > 0) {
  console.error(`Unknown bench ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
// The bot runs as `npm start` runs it: compiled, so build first when src/ changed.
execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
console.log(`load average at start: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const bench of BENCHES) {
  if (only.length > 0 && !only.includes(bench.name)) continue;
  console.log(`\n=== bench: ${bench.name} ===`);
  await bench.run();
}
console.log(`\nload average at end: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
