// The chart drawing thread (started by ./drawer.ts): draws each chart part it is sent with render.ts, one at a time,
// and sends the PNG back (its bytes transferred, not copied). Runs no other code of the bot.
import { parentPort, threadId } from 'node:worker_threads';
import type { ChartPart } from './model.js';
import { renderChart } from './render.js';

export interface DrawRequest {
  id: number;
  part: ChartPart;
}

export type DrawReply =
  | { id: number; ok: true; png: Uint8Array; width: number; height: number; sha256: string; threadId: number }
  | { id: number; ok: false; error: string };

parentPort?.on('message', (req: DrawRequest) => {
  renderChart(req.part).then(
    (chart) => {
      // Transferred when the PNG owns its memory; a Buffer from Node's shared pool is copied (transferring would take
      // the pool away from this thread).
      const own = chart.png.byteOffset === 0 && chart.png.byteLength === chart.png.buffer.byteLength;
      const png = own ? new Uint8Array(chart.png.buffer, 0, chart.png.byteLength) : new Uint8Array(chart.png);
      const reply: DrawReply = { id: req.id, ok: true, png, width: chart.width, height: chart.height, sha256: chart.sha256, threadId };
      parentPort!.postMessage(reply, [png.buffer as ArrayBuffer]);
    },
    (error: unknown) => {
      const reply: DrawReply = { id: req.id, ok: false, error: error instanceof Error ? error.message : String(error) };
      parentPort!.postMessage(reply);
    },
  );
});
