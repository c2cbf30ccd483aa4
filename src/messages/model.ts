// The platform-neutral message model. Use-cases build these (already localized);
// src/platforms/slack renders them as Block Kit, src/platforms/feishu as card JSON 2.0.
// Kept JSON-serializable: messages are stored in the outbox as JSON.
//
// Every text shown to people (titles, texts, labels, values, headings, context, button and option labels, hints,
// errors) is markup (src/messages/markup.ts): **bold**, `code`, mentions, chat references, `\` escapes. User text
// goes in through esc() or a t() parameter, so it shows as typed. Not markup: `summary` (plain text, see
// plainText()), option values, field names, `initial` values and action/form references.
import type { ChartPart } from '../charts/model.js';

export type Tone = 'info' | 'success' | 'warning' | 'danger' | 'neutral';

export interface Field {
  label: string;
  value: string;
}

export interface Button {
  label: string;
  /** Compact action reference, see src/messages/actions.ts, e.g. "adj.approve:12". At most 100 chars. */
  action: string;
  style?: 'primary' | 'danger';
}

/** `file`: one spreadsheet (Slack file_input, the playground's file picker; Feishu asks for the file in the DM). */
export type FormFieldKind = 'text' | 'textarea' | 'number' | 'money' | 'select' | 'multiselect' | 'date' | 'file';

export interface FormField {
  kind: FormFieldKind;
  /** Key under which the value is submitted. */
  name: string;
  label: string;
  required?: boolean;
  placeholder?: string;
  hint?: string;
  /** Pre-filled value ("YYYY-MM-DD" for dates; option values for selects; comma-joined for multiselect). */
  initial?: string;
  options?: { value: string; label: string }[];
  /** Per-field error shown when a submission was refused. */
  error?: string;
  maxLength?: number;
  /**
   * Selects: how to choose by typing, shown where a platform cannot list every option (a Feishu card has a size
   * limit); the core matches what was typed against the option values and labels.
   */
  searchHint?: string;
}

export interface Form {
  /** Form reference, see src/messages/actions.ts, e.g. "campaign.new", "adj.reject:12". */
  id: string;
  title: string;
  submitLabel: string;
  intro?: string;
  fields: FormField[];
}

/** A section of a long message (lists, reports, agenda). */
export interface Section {
  heading?: string;
  text?: string;
  fields?: Field[];
  buttons?: Button[];
}

export interface Message {
  tone?: Tone;
  title?: string;
  /**
   * Markup text with line breaks: **bold**, `code`, person mentions <@platform:userId|Name> (a real mention on that
   * person's platform, the name elsewhere), chat references <#platform:chatId|Name> (a channel link on Slack,
   * "#Name" elsewhere) and `\` escapes for typed text (esc()). See markup.ts.
   */
  text?: string;
  fields?: Field[];
  sections?: Section[];
  /** Small grey lines at the bottom (ids, who/when). */
  context?: string[];
  buttons?: Button[];
  /**
   * A chart drawn from the same view as the text (src/charts/). The figures stay in the text; the delivery sends
   * the text first and the chart right after it (src/delivery/charts.ts), and each platform's renderer places it.
   */
  chart?: ChartPart;
  /** Plain-text summary for notifications and fallbacks (Slack `text`). */
  summary: string;
}
