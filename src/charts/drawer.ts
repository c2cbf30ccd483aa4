// Draws charts on a thread of their own, so the process's one event loop keeps acknowledging requests, running work
// and delivering other messages while ECharts and resvg draw (~0.1 s a chart, ~1–3 s for the first one while they
// load). The thread starts with the first chart, draws one chart at a time, and ends after IDLE_MS without charts
// (its ~40 MiB of ECharts, resvg and font go with it). A draw the thread could not finish — it threw, or the thread
// died — rejects; the delivery worker retries that row later (a new thread is started).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fromSource, projectRoot } from '../config/paths.js';
import type { DrawReply, DrawRequest } from './drawWorker.js';
import type { ChartPart } from './model.js';
import type { RenderedChart } from './render.js';

/** How long the drawing thread stays after its last chart. */
export const IDLE_MS = 60_000;

export interface DrawnChart extends RenderedChart {
  /** The thread that drew it (not the main thread's 0). */
  threadId: number;
}

interface Pending {
  resolve: (chart: DrawnChart) => void;
  reject: (error: Error) => void;
}

/** A drawing thread and the draws it owes (a thread that dies fails only its own draws, never a newer thread's). */
interface Drawing {
  thread: Worker;
  pending: Map<number, Pending>;
}

let current: Drawing | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 1;

/**
 * Bundled (dist/drawWorker.js, production) the thread runs plain JavaScript; run from the sources (tests, tsx
 * scripts) it registers tsx first, which compiles the TypeScript (a dev dependency, never loaded in production).
 */
function startDrawing(): Drawing {
  const entry = pathToFileURL(path.join(projectRoot, fromSource ? 'src/charts/drawWorker.ts' : 'dist/drawWorker.js'));
  const thread = fromSource
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true, name: 'charts' })
    : new Worker(entry, { name: 'charts' });
  thread.unref(); // an idle drawing thread never keeps the process alive
  const drawing: Drawing = { thread, pending: new Map() };
  const { pending } = drawing;
  thread.on('message', (reply: DrawReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve({ png: Buffer.from(reply.png.buffer, reply.png.byteOffset, reply.png.byteLength), width: reply.width, height: reply.height, sha256: reply.sha256, threadId: reply.threadId });
    else p.reject(new Error(`chart not drawn: ${reply.error}`));
    if (pending.size === 0 && current === drawing) armIdle();
  });
  // The failure reaches each waiting draw's caller (the delivery worker logs it and retries the row).
  const fail = (error: Error) => {
    if (current === drawing) current = undefined;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  thread.on('error', fail);
  thread.on('exit', (code) => fail(new Error(`the chart thread exited (${code})`)));
  return drawing;
}

function armIdle(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void stopDrawing(), IDLE_MS);
  idleTimer.unref();
}

/** The chart as the PNG that is sent (render.ts), drawn on the drawing thread. */
export function drawChart(part: ChartPart): Promise<DrawnChart> {
  clearTimeout(idleTimer);
  const drawing = (current ??= startDrawing());
  const id = nextId++;
  return new Promise<DrawnChart>((resolve, reject) => {
    drawing.pending.set(id, { resolve, reject });
    drawing.thread.postMessage({ id, part } satisfies DrawRequest);
  });
}

/** Ends the drawing thread now (it starts again with the next chart). */
export async function stopDrawing(): Promise<void> {
  const drawing = current;
  current = undefined;
  clearTimeout(idleTimer);
  if (drawing) await drawing.thread.terminate();
}
