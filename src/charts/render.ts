// Draws a chart part as a PNG on the server, without a browser: Apache ECharts renders the option to an SVG string
// (server-side rendering), resvg rasterises it at 2× with the subset font, zlib packs the pixels as a PNG. ECharts and
// resvg are loaded on first use so the bot starts as fast as before.
//
// resvg runs as WebAssembly (@resvg/resvg-wasm): its trees and pixmaps are freed explicitly after each chart, so
// memory stays flat however many charts are drawn (the native build's objects are freed only when V8 happens to
// collect them, and V8 does not see their ~10 MB each).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EChartsOption } from 'echarts';
import { crc32, deflateSync } from 'node:zlib';
import { annualPlanOption } from './annualPlan.js';
import { budgetUseOption } from './budgetUse.js';
import { campaignOption } from './campaign.js';
import { fontFor } from './font.js';
import type { ChartPart } from './model.js';
import { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH, FONT_FAMILY } from './theme.js';
import { varianceOption } from './variance.js';

const require = createRequire(import.meta.url);

export interface RenderedChart {
  png: Buffer;
  /** Pixels (CHART_WIDTH × CHART_SCALE by CHART_HEIGHT × CHART_SCALE). */
  width: number;
  height: number;
  /** sha256 of the PNG, hex. */
  sha256: string;
}

export interface RenderOptions {
  /** Draw without any font (texts vanish). Only for tests that prove the glyphs come from our font. */
  withoutFont?: boolean;
}

export function chartOption(part: ChartPart): EChartsOption {
  switch (part.kind) {
    case 'budget-use':
      return budgetUseOption(part);
    case 'variance':
      return varianceOption(part);
    case 'campaign':
      return campaignOption(part);
    case 'annual-plan':
      return annualPlanOption(part);
  }
}

type EChartsCore = typeof import('echarts/core');
type ResvgWasm = typeof import('@resvg/resvg-wasm');
let echartsLoading: Promise<EChartsCore> | undefined;
let resvgLoading: Promise<ResvgWasm> | undefined;

/** ECharts with only what the charts use (bars, lines, grid, title, legend, mark lines and areas, SVG renderer). */
function echartsCore(): Promise<EChartsCore> {
  echartsLoading ??= (async () => {
    const [core, charts, components, renderers] = await Promise.all([
      import('echarts/core'),
      import('echarts/charts'),
      import('echarts/components'),
      import('echarts/renderers'),
    ]);
    core.use([
      charts.BarChart,
      charts.LineChart,
      components.GridComponent,
      components.TitleComponent,
      components.LegendComponent,
      components.MarkLineComponent,
      components.MarkAreaComponent,
      renderers.SVGRenderer,
    ]);
    return core;
  })();
  return echartsLoading;
}

function resvg(): Promise<ResvgWasm> {
  resvgLoading ??= (async () => {
    const mod = await import('@resvg/resvg-wasm');
    await mod.initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
    return mod;
  })();
  return resvgLoading;
}

/** The chart as an SVG document (ECharts server-side rendering). */
export async function renderSvg(part: ChartPart): Promise<string> {
  const echarts = await echartsCore();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    chart.setOption(chartOption(part));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * RGBA pixels → PNG (8-bit RGBA, no row filter, zlib level 1). A chart is mostly flat white, which deflate packs well
 * at its fastest level: ~10 ms and ~250 KB for 2000×1200, where resvg's own encoder takes ~5× the time.
 */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height); // each row: filter byte 0 (none), then the row's pixels
  const src = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  for (let y = 0; y < height; y++) src.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export async function rasterise(svg: string, opts: RenderOptions = {}): Promise<{ png: Buffer; width: number; height: number }> {
  const { Resvg } = await resvg();
  // Every character of the document (markup included: a few extra Latin glyphs cost nothing).
  const font = opts.withoutFont
    ? { loadSystemFonts: false }
    : { loadSystemFonts: false, fontBuffers: [fontFor(svg)], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY };
  const tree = new Resvg(svg, { fitTo: { mode: 'zoom', value: CHART_SCALE }, background: '#ffffff', font });
  try {
    const image = tree.render();
    try {
      const { width, height } = image;
      return { png: encodePng(image.pixels, width, height), width, height };
    } finally {
      image.free();
    }
  } finally {
    tree.free();
  }
}

/** The chart as a PNG of 2000×1200 px. */
export async function renderChart(part: ChartPart, opts: RenderOptions = {}): Promise<RenderedChart> {
  const out = await rasterise(await renderSvg(part), opts);
  return { ...out, sha256: createHash('sha256').update(out.png).digest('hex') };
}
