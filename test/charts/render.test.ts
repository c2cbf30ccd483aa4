// Every chart, in both languages, drawn for real (ECharts SSR → resvg) and checked as a picture: a PNG of the right
// size that decodes, bars in the plot area, and text drawn with our font — the same chart drawn with no font at all
// has an empty title area, so the glyphs (Chinese ones included) come from the shipped font, not the system's.
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH, renderChart, renderSvg } from '../../src/charts/index.js';
import type { ChartPart } from '../../src/charts/model.js';
import type { Locale } from '../../src/domain/types.js';
import { CHART_FIXTURES } from '../support/chartFixtures.js';

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Main plot area of each chart, in CSS pixels (see the grid of each option builder). */
const PLOT: Record<ChartPart['kind'], Rect> = {
  'budget-use': { x: 200, y: 115, w: 600, h: 430 },
  variance: { x: 180, y: 130, w: 440, h: 420 },
  campaign: { x: 160, y: 160, w: 380, h: 380 },
  'annual-plan': { x: 100, y: 130, w: 860, h: 420 },
};
/** The start of the title, top left: only Chinese characters in zh-CN, for every chart. */
const TITLE: Rect = { x: 20, y: 12, w: 96, h: 40 };

function decode(png: Buffer): PNG {
  return PNG.sync.read(png);
}

/** Pixels in `r` (CSS px) that are not (near) white. */
function inked(img: PNG, r: Rect): number {
  let n = 0;
  for (let y = r.y * CHART_SCALE; y < (r.y + r.h) * CHART_SCALE; y++) {
    for (let x = r.x * CHART_SCALE; x < (r.x + r.w) * CHART_SCALE; x++) {
      const i = (y * img.width + x) * 4;
      if (img.data[i]! < 235 || img.data[i + 1]! < 235 || img.data[i + 2]! < 235) n++;
    }
  }
  return n;
}

const area = (r: Rect) => r.w * r.h * CHART_SCALE * CHART_SCALE;

describe.each(['zh-CN', 'en'] as Locale[])('charts drawn in %s', (locale) => {
  it.each(CHART_FIXTURES.map((f) => [f.name, f] as const))('%s: a 2000×1200 PNG with bars and text in our font', async (_name, fixture) => {
    const part = fixture.make(locale);
    const chart = await renderChart(part);
    expect(chart.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([chart.width, chart.height]).toEqual([CHART_WIDTH * CHART_SCALE, CHART_HEIGHT * CHART_SCALE]);
    const img = decode(chart.png);
    expect([img.width, img.height]).toEqual([2000, 1200]);
    expect(chart.sha256).toMatch(/^[0-9a-f]{64}$/);

    // Something is drawn in the plot area (bars, lines), and it is not a solid block either.
    const plot = inked(img, PLOT[part.kind]);
    expect(plot).toBeGreaterThan(area(PLOT[part.kind]) * 0.05);
    expect(plot).toBeLessThan(area(PLOT[part.kind]) * 0.95);

    // The title's glyphs come from the shipped font: without it the same area stays blank.
    const bare = decode((await renderChart(part, { withoutFont: true })).png);
    const withFont = inked(img, TITLE);
    expect(withFont).toBeGreaterThan(1_000);
    expect(inked(bare, TITLE)).toBeLessThan(withFont / 50);
    // Only text differs: the bars are the same.
    expect(Math.abs(inked(bare, PLOT[part.kind]) - plot)).toBeLessThan(plot * 0.5);
  });
});

describe('chart text', () => {
  it('zh-CN charts write Chinese labels and money as everywhere else', async () => {
    const svg = await renderSvg(CHART_FIXTURES[0]!.make('zh-CN'));
    expect(svg).toContain('预算使用 — 2026-05');
    expect(svg).toContain('已支出');
    expect(svg).toMatch(/¥[\d.]+万/);
    expect(svg).toContain('font-family:Noto Sans SC');
  });

  it('en charts write English labels with the same money style', async () => {
    const svg = await renderSvg(CHART_FIXTURES[1]!.make('en'));
    expect(svg).toContain('Plan vs actual — 2026-05');
    expect(svg).toContain('Over plan');
    expect(svg).toMatch(/¥[\d.]+[kM]/);
    expect(svg).not.toContain('计划与实际');
  });

  it('the Chinese chart draws different glyphs than the English one', async () => {
    const zh = decode((await renderChart(CHART_FIXTURES[0]!.make('zh-CN'))).png);
    const en = decode((await renderChart(CHART_FIXTURES[0]!.make('en'))).png);
    let differ = 0;
    for (let i = 0; i < zh.data.length; i += 4) if (zh.data[i] !== en.data[i]) differ++;
    expect(differ).toBeGreaterThan(10_000);
  });
});
