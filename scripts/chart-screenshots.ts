// Regenerates the chart screenshots in docs/charts/ (linked from README.md): every chart the bot sends, in zh-CN and
// en, drawn by the same code as in production (src/charts/) from the sample data the tests use.
//   npx tsx scripts/chart-screenshots.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart } from '../src/charts/index.js';
import type { Locale } from '../src/domain/types.js';
import { CHART_FIXTURES } from '../test/support/chartFixtures.js';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'charts');
mkdirSync(out, { recursive: true });
for (const fixture of CHART_FIXTURES) {
  for (const locale of ['zh-CN', 'en'] as Locale[]) {
    const chart = await renderChart(fixture.make(locale));
    const file = path.join(out, `${fixture.name}.${locale}.png`);
    writeFileSync(file, chart.png);
    console.log(`${path.relative(process.cwd(), file)}  ${chart.width}×${chart.height}  ${(chart.png.length / 1024).toFixed(0)} KiB`);
  }
}
