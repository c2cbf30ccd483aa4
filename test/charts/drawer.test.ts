// Charts are drawn on a thread of their own (src/charts/drawer.ts), so the bot's event loop keeps answering while
// ECharts and resvg work: the same PNG as drawing in place, from another thread; a chart that cannot be drawn fails
// alone, and the thread is started again after it ended.
import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { drawChart, stopDrawing } from '../../src/charts/drawer.js';
import { renderChart } from '../../src/charts/index.js';
import type { ChartPart } from '../../src/charts/model.js';
import { CHART_FIXTURES } from '../support/chartFixtures.js';

afterAll(() => stopDrawing());

describe('the chart drawing thread', () => {
  it('draws the same PNG as drawing in place, on another thread, several charts at once', async () => {
    const parts = CHART_FIXTURES.map((f) => f.make('zh-CN'));
    const drawn = await Promise.all(parts.map((p) => drawChart(p)));
    for (const [i, chart] of drawn.entries()) {
      expect(chart.threadId).not.toBe(threadId);
      expect(chart.png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(chart.sha256).toBe((await renderChart(parts[i]!)).sha256);
    }
  }, 60_000);

  it('a chart it cannot draw fails alone; after the thread ended, the next chart starts it again', async () => {
    const broken = { kind: 'no-such-chart' } as unknown as ChartPart;
    await expect(drawChart(broken)).rejects.toThrow(/chart not drawn/);
    const first = await drawChart(CHART_FIXTURES[0]!.make('en'));
    await stopDrawing();
    const again = await drawChart(CHART_FIXTURES[0]!.make('en'));
    expect(again.sha256).toBe(first.sha256);
    expect(again.threadId).not.toBe(first.threadId);
  }, 60_000);

  it('a thread ended with a draw under way fails that draw only, not the draws of the thread started after it', async () => {
    const part = CHART_FIXTURES[1]!.make('en');
    const cut = drawChart(part);
    const ending = stopDrawing(); // e.g. the idle timer, just as a new chart arrives
    const next = drawChart(part);
    await ending;
    await expect(cut).rejects.toThrow(/exited/);
    expect((await next).png.subarray(1, 4).toString('latin1')).toBe('PNG');
  }, 60_000);
});
