// Charts in messages: view → chart part (build.ts), chart part → PNG (render.ts). See docs/ARCHITECTURE.md.
export { annualPlanChart, budgetUseChart, campaignChart, varianceChart, TOP_LINES, type ChartOutcome } from './build.js';
export type { ChartPart } from './model.js';
export { renderChart, renderSvg, type RenderedChart } from './render.js';
export { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH } from './theme.js';
