// Charts through the outbox. A message that carries a chart (Message.chart) is delivered in two steps, so a chart
// never holds back the figures:
//   1. its text goes out first, as any message, with a line saying the chart follows;
//   2. once the platform accepted the text, a chart row is written in the same transaction that marks the text sent
//      (dedupe key chart:<text row id>, so once per report copy): the worker draws the PNG (src/charts/), stores it
//      (StoredFile, reused by every copy of the same chart) and the platform places it — Slack shares it in the text's
//      thread, Feishu sends a card with the image (im/v1/images), the playground shows it inline.
// A chart row that the platform finally refuses (or that cannot be drawn) leaves a one-line note instead, so the
// chart is never silently missing. Updates of a card (kind 'update') send the text only: the chart went with the post.
import { createHash } from 'node:crypto';
import type { ChartPart } from '../charts/model.js';
import type { Db, Tx } from '../db/client.js';
import { t } from '../i18n/index.js';
import { esc, plainText } from '../messages/markup.js';
import type { Message } from '../messages/model.js';
import { storeFile } from './files.js';
import { queueOnce } from './outboxStore.js';
import type { OutboxFile, OutboxKind } from './types.js';

/** Where the text of a chart row landed (the message the chart belongs to), when the platform said. */
export interface ChartOf {
  outboxId: number;
  channelId?: string;
  messageId?: string;
}

export const PNG_MIME = 'image/png';

/** The text of a message that carries a chart: without the chart, with a line saying it follows. */
export function textOnly(message: Message): Message {
  const { chart, ...text } = message;
  if (!chart) return message;
  return { ...text, context: [...(text.context ?? []), t(chart.locale, 'chart.pending')] };
}

/** The follow-up message that carries only the chart: its title, and the alt text as its summary. */
export function chartMessage(chart: ChartPart): Message {
  // A chart's texts are plain (they are drawn); a message's title is markup.
  return { title: esc(chart.title), chart, summary: `${chart.title}: ${chart.alt}` };
}

/** The note sent when a chart could not be delivered after all. */
export function chartMissingMessage(chart: ChartPart): Message {
  const text = t(chart.locale, 'chart.missing');
  return { tone: 'warning', text, context: [esc(chart.title)], summary: plainText(text) };
}

/** A chart's stored file name: the same chart (same data, same language) is drawn and stored once. */
export function chartFileName(chart: ChartPart): string {
  const hash = createHash('sha256').update(JSON.stringify(chart)).digest('hex').slice(0, 20);
  return `chart-${chart.kind}-${hash}.png`;
}

/**
 * The stored PNG of `chart`, drawn now if no earlier row stored it. Drawing happens outside any transaction and off
 * the main thread (src/charts/drawer.ts: ~0.1 s a chart); two workers drawing the same chart at once store it twice,
 * which is harmless.
 */
export async function chartFile(db: Db, chart: ChartPart): Promise<OutboxFile> {
  const name = chartFileName(chart);
  const existing = await db.read((tx) => tx.storedFile.findFirst({ where: { name, mime: PNG_MIME }, select: { id: true } }));
  if (existing) return { fileId: existing.id, name, title: chart.title, mode: 'image' };
  const { drawChart } = await import('../charts/drawer.js');
  const png = await drawChart(chart);
  const file = await db.write((tx) => storeFile(tx, { name, mime: PNG_MIME, bytes: png.png, title: chart.title }));
  return { ...file, mode: 'image' };
}

/** Writes a chart row: same platform, workspace and addressee as the text it follows. */
export async function enqueueChart(
  tx: Tx,
  row: { platform: string; workspaceId: string; kind: OutboxKind; target: string },
  chart: ChartPart,
  of: ChartOf,
  dedupeKey = `chart:${row.platform}:${of.outboxId}`,
): Promise<void> {
  await queueOnce(tx, { ...row, dedupeKey }, { message: chartMessage(chart), chartOf: of });
}

/** After a chart row died: the note that the chart is missing, to the same addressee (once). */
export async function enqueueChartMissing(
  tx: Tx,
  row: { id: number; platform: string; workspaceId: string; kind: OutboxKind; target: string },
  chart: ChartPart,
): Promise<void> {
  const { id, ...to } = row;
  await queueOnce(tx, { ...to, dedupeKey: `chart-missing:${row.platform}:${id}` }, { message: chartMissingMessage(chart) });
}
