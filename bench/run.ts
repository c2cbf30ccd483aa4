// npm run bench: runs every bench in turn and prints its figures (no assertions).
// Add a bench by appending to BENCHES (e.g. the reports bench).
import { runSlackBench } from './slack.js';
import { runPlanBench } from './plan.js';
import { runReportsBench } from './reports.js';

const BENCHES: { name: string; run: () => Promise<unknown> }[] = [
  { name: 'slack', run: () => runSlackBench() },
  { name: 'reports', run: () => runReportsBench() },
  { name: 'plan', run: () => runPlanBench() },
];

const only = process.argv.slice(2);
for (const bench of BENCHES) {
  if (only.length > 0 && !only.includes(bench.name)) continue;
  console.log(`\n=== bench: ${bench.name} ===`);
  await bench.run();
}
