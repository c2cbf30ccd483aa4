// Builders shared by every area: refusals, simple confirmations, attaching a chart.
import type { ChartOutcome } from '../../charts/build.js';
import type { Locale } from '../../domain/types.js';
import { t, type Param } from '../../i18n/index.js';
import { plainText } from '../markup.js';
import type { Message } from '../model.js';

/** A refusal: what went wrong (quoting the bad input) and, when known, the right syntax. */
export function errorMessage(
  locale: Locale,
  key: string,
  params: Record<string, Param> = {},
  usageKey?: string,
): Message {
  const text = t(locale, key, params);
  const usage = usageKey ? t(locale, usageKey) : undefined;
  return {
    tone: 'danger',
    text,
    sections: usage ? [{ heading: t(locale, 'core.usage.title'), text: usage }] : undefined,
    summary: plainText(text),
  };
}

/** A short confirmation with optional fields. */
export function noticeMessage(text: string, opts: Partial<Omit<Message, 'summary' | 'text'>> = {}): Message {
  return { tone: 'success', ...opts, text, summary: plainText(text) };
}

/** Attaches a chart, or — when it cannot be drawn (no lines, nothing planned) — its one-line note. */
export function withChart(message: Message, outcome: ChartOutcome): Message {
  if (outcome.chart) return { ...message, chart: outcome.chart };
  return { ...message, context: [...(message.context ?? []), outcome.omitted] };
}
