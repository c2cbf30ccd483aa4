// Forms as Block Kit modals, and a submitted modal read back into raw form values. Pure functions: no I/O, no Bolt.
// Labels, hints and options are markup shown as plain text; a select with more options than a modal may carry (100)
// becomes an external_select whose options Slack asks for (listeners/options.ts).
import type { Form, FormField } from '../../messages/model.js';
import type { FormValues } from '../../usecases/types.js';
import { LIMITS, textBlocks, toPlain, truncate, type SlackBlock } from './render.js';

/** What a modal carries back in private_metadata: the form reference and the chat it was opened from. */
export interface ModalMeta {
  form: string;
  channelId?: string;
}

/** A select option: the label is markup shown as plain text (a long label ends in "…"; the value is whole). */
export function slackOption(o: { value: string; label: string }) {
  return {
    text: { type: 'plain_text', text: truncate(toPlain(o.label) || o.value, LIMITS.optionText), emoji: false },
    value: o.value,
  };
}

function placeholderOf(field: FormField): object {
  return field.placeholder ? { placeholder: { type: 'plain_text', text: truncate(toPlain(field.placeholder), LIMITS.placeholder), emoji: false } } : {};
}

function inputElement(field: FormField): Record<string, unknown> {
  const placeholder = placeholderOf(field);
  const options = field.options ?? [];
  switch (field.kind) {
    case 'file':
      return { type: 'file_input', action_id: field.name, filetypes: ['xlsx', 'csv'], max_files: 1 };
    case 'textarea':
    case 'text':
    case 'money':
      // Money is free text on purpose: "5万", "¥50,000.50", "50k" are valid amounts (the core parses them).
      return {
        type: 'plain_text_input',
        action_id: field.name,
        ...(field.kind === 'textarea' ? { multiline: true } : {}),
        ...(field.maxLength ? { max_length: Math.min(field.maxLength, LIMITS.inputValue) } : {}),
        ...(field.initial ? { initial_value: field.initial } : {}),
        ...placeholder,
      };
    case 'number':
      return {
        type: 'number_input',
        action_id: field.name,
        is_decimal_allowed: true,
        ...(field.initial && /^-?\d+(\.\d+)?$/.test(field.initial) ? { initial_value: field.initial } : {}),
        ...placeholder,
      };
    case 'select':
    case 'multiselect':
      // Slack refuses a select without options (e.g. no budget lines yet): fall back to free text.
      if (options.length === 0) return inputElement({ ...field, kind: 'text', options: undefined });
      return selectElement(field, options, placeholder);
    case 'date':
      return {
        type: 'datepicker',
        action_id: field.name,
        ...(field.initial && /^\d{4}-\d{2}-\d{2}$/.test(field.initial) ? { initial_date: field.initial } : {}),
        ...placeholder,
      };
  }
}

/**
 * A select: static up to 100 options; beyond, an external select whose options Slack asks for as the person types
 * (block_suggestion, answered by the Slack surface through Core.options).
 */
function selectElement(field: FormField, options: { value: string; label: string }[], placeholder: object): Record<string, unknown> {
  const external = options.length > LIMITS.options;
  const list = external ? { min_query_length: 0 } : { options: options.map(slackOption) };
  if (field.kind === 'select') {
    const initial = options.find((o) => o.value === field.initial);
    return {
      type: external ? 'external_select' : 'static_select',
      action_id: field.name,
      ...list,
      ...(initial ? { initial_option: slackOption(initial) } : {}),
      ...placeholder,
    };
  }
  const wanted = new Set((field.initial ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const initial = options.filter((o) => wanted.has(o.value));
  return {
    type: external ? 'multi_external_select' : 'multi_static_select',
    action_id: field.name,
    ...list,
    ...(initial.length ? { initial_options: initial.map(slackOption) } : {}),
    ...placeholder,
  };
}

/** A form as a modal view for views.open. block_id and action_id of each input are the field name. */
export function renderModal(form: Form, meta: ModalMeta): Record<string, unknown> {
  const blocks: SlackBlock[] = [];
  for (const field of form.fields) {
    const hint = [field.error ? `⚠ ${field.error}` : '', field.hint ?? ''].filter(Boolean).join(' — ');
    blocks.push({
      type: 'input',
      block_id: field.name,
      optional: !field.required,
      label: { type: 'plain_text', text: truncate(toPlain(field.label), LIMITS.label), emoji: false },
      element: inputElement(field),
      ...(hint ? { hint: { type: 'plain_text', text: truncate(toPlain(hint), LIMITS.hint), emoji: false } } : {}),
    });
  }
  const metadata = JSON.stringify(meta);
  return {
    type: 'modal',
    callback_id: form.id.slice(0, 255),
    private_metadata: metadata.length <= 3000 ? metadata : JSON.stringify({ form: meta.form }),
    title: { type: 'plain_text', text: truncate(toPlain(form.title), LIMITS.modalTitle), emoji: false },
    submit: { type: 'plain_text', text: truncate(toPlain(form.submitLabel), LIMITS.modalTitle), emoji: false },
    close: { type: 'plain_text', text: '✕' },
    // The inputs always fit (forms have a few fields); the intro takes the rest of the room.
    blocks: [...(form.intro ? textBlocks(form.intro) : []).slice(0, LIMITS.modalBlocks - blocks.length), ...blocks],
  };
}

/** Reads private_metadata back; refuses anything that is not what renderModal wrote. */
export function parseModalMeta(raw: unknown, callbackId?: string): ModalMeta | null {
  if (typeof raw === 'string' && raw.startsWith('{')) {
    try {
      const m = JSON.parse(raw) as Partial<ModalMeta>;
      if (typeof m.form === 'string') {
        return { form: m.form, channelId: typeof m.channelId === 'string' ? m.channelId : undefined };
      }
    } catch {
      /* fall through */
    }
  }
  return typeof callbackId === 'string' && callbackId ? { form: callbackId } : null;
}

type StateValue = {
  type?: string;
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_options?: { value?: string }[] | null;
  selected_date?: string | null;
};

/** view.state.values → raw form values (field name → string | string[]); the core validates them. */
export function readViewValues(state: unknown): FormValues {
  const values: FormValues = {};
  const blocks = (state as { values?: Record<string, Record<string, StateValue>> } | undefined)?.values ?? {};
  for (const [blockId, actions] of Object.entries(blocks)) {
    for (const v of Object.values(actions ?? {})) {
      if (!v || typeof v !== 'object') continue;
      let value: string | string[] | undefined;
      if (Array.isArray((v as { files?: unknown[] }).files)) {
        // file_input: the file's id, name, size and download URL (fetched by the adapter with the bot token).
        value = ((v as { files: { id?: string; name?: string; size?: number; url_private_download?: string }[] }).files).map((f) =>
          JSON.stringify({ id: f.id ?? '', name: f.name ?? '', size: f.size ?? 0, url: f.url_private_download ?? '' }),
        );
      } else if (Array.isArray(v.selected_options)) value = v.selected_options.map((o) => String(o?.value ?? '')).filter(Boolean);
      else if (v.selected_option !== undefined) value = v.selected_option?.value ?? undefined;
      else if (v.selected_date !== undefined) value = v.selected_date ?? undefined;
      else if (v.value !== undefined) value = v.value ?? undefined;
      values[blockId] = value;
    }
  }
  return values;
}
