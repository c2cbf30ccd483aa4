// Block Kit validation as Slack does it, for the fake Web API (chat.*, views.*) and for what the bot answers in an
// ack (modal errors / updates, block_suggestion options). Each check cites the documented limit
// (https://docs.slack.dev/reference/block-kit): a message Slack would refuse with `invalid_blocks` (or a view
// with `invalid_arguments`) is refused here too, so a regression cannot pass the tests.

export const SLACK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  blockId: 255,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  header: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  url: 3000,
  label: 2000,
  hint: 2000,
  placeholder: 150,
  inputMaxLength: 3000,
  options: 100,
  optionGroups: 100,
  optionText: 75,
  optionValue: 150,
  modalTitle: 24,
  callbackId: 255,
  privateMetadata: 3000,
} as const;

type Node = Record<string, any>;

function len(s: unknown): number {
  return typeof s === 'string' ? Array.from(s).length : 0;
}

class Problems {
  readonly list: string[] = [];
  add(path: string, what: string) {
    this.list.push(`${path}: ${what}`);
  }
}

function textObject(p: Problems, path: string, t: unknown, max: number, opts: { plainOnly?: boolean } = {}) {
  if (!t || typeof t !== 'object') return p.add(path, 'missing text object');
  const o = t as Node;
  if (o.type !== 'plain_text' && o.type !== 'mrkdwn') return p.add(path, `bad text type ${String(o.type)}`);
  if (opts.plainOnly && o.type !== 'plain_text') p.add(path, 'must be plain_text');
  if (typeof o.text !== 'string' || o.text.length === 0) return p.add(path, 'empty text');
  if (len(o.text) > max) p.add(path, `text longer than ${max} (${len(o.text)})`);
}

function option(p: Problems, path: string, o: Node) {
  textObject(p, `${path}.text`, o?.text, SLACK_LIMITS.optionText, { plainOnly: true });
  if (typeof o?.value !== 'string' || o.value.length === 0) p.add(path, 'option without value');
  else if (len(o.value) > SLACK_LIMITS.optionValue) p.add(path, `option value longer than ${SLACK_LIMITS.optionValue}`);
}

function actionId(p: Problems, path: string, id: unknown, seen?: Set<string>) {
  if (id === undefined) return;
  if (typeof id !== 'string' || id.length === 0) return p.add(path, 'bad action_id');
  if (len(id) > SLACK_LIMITS.actionId) p.add(path, `action_id longer than ${SLACK_LIMITS.actionId}`);
  if (seen) {
    if (seen.has(id)) p.add(path, `duplicate action_id ${id}`);
    seen.add(id);
  }
}

function element(p: Problems, path: string, e: Node, seen: Set<string>) {
  actionId(p, path, e.action_id, seen);
  if (e.placeholder) textObject(p, `${path}.placeholder`, e.placeholder, SLACK_LIMITS.placeholder, { plainOnly: true });
  switch (e.type) {
    case 'button':
      textObject(p, `${path}.text`, e.text, SLACK_LIMITS.buttonText, { plainOnly: true });
      if (e.value !== undefined && len(e.value) > SLACK_LIMITS.buttonValue) p.add(path, `button value longer than ${SLACK_LIMITS.buttonValue}`);
      if (e.url !== undefined && len(e.url) > SLACK_LIMITS.url) p.add(path, 'url too long');
      if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') p.add(path, 'bad style');
      return;
    case 'static_select':
    case 'multi_static_select': {
      const groups = e.option_groups as Node[] | undefined;
      const options = e.options as Node[] | undefined;
      if (!options && !groups) return p.add(path, 'select without options');
      if (options && (options.length === 0 || options.length > SLACK_LIMITS.options)) p.add(path, `options must be 1–${SLACK_LIMITS.options} (${options.length})`);
      if (groups && (groups.length === 0 || groups.length > SLACK_LIMITS.optionGroups)) p.add(path, 'bad option_groups');
      const all = [...(options ?? []), ...(groups ?? []).flatMap((g) => g.options ?? [])];
      for (const g of groups ?? []) if ((g.options ?? []).length > SLACK_LIMITS.options) p.add(path, 'option group with more than 100 options');
      all.forEach((o, i) => option(p, `${path}.options[${i}]`, o));
      const values = new Set(all.map((o) => o.value));
      for (const init of [e.initial_option, ...(e.initial_options ?? [])].filter(Boolean)) {
        if (!values.has(init.value)) p.add(path, `initial option ${init.value} is not an option`);
      }
      return;
    }
    case 'external_select':
    case 'multi_external_select':
      for (const init of [e.initial_option, ...(e.initial_options ?? [])].filter(Boolean)) option(p, `${path}.initial`, init);
      return;
    case 'plain_text_input': {
      const max = e.max_length ?? SLACK_LIMITS.inputMaxLength;
      if (max > SLACK_LIMITS.inputMaxLength) p.add(path, 'max_length over 3000');
      if (e.initial_value !== undefined && len(e.initial_value) > max) p.add(path, 'initial_value longer than max_length');
      return;
    }
    case 'number_input':
    case 'datepicker':
      return;
    case 'file_input':
      if (e.max_files !== undefined && (e.max_files < 1 || e.max_files > 10)) p.add(path, 'max_files must be 1–10');
      return;
    default:
      p.add(path, `unknown element ${String(e.type)}`);
  }
}

function richText(p: Problems, path: string, b: Node) {
  if (!Array.isArray(b.elements) || b.elements.length === 0) return p.add(path, 'rich_text without elements');
  b.elements.forEach((s: Node, i: number) => {
    if (!['rich_text_section', 'rich_text_list', 'rich_text_preformatted', 'rich_text_quote'].includes(s.type)) return p.add(`${path}[${i}]`, 'bad rich text element');
    if (!Array.isArray(s.elements) || s.elements.length === 0) return p.add(`${path}[${i}]`, 'empty rich_text_section');
    s.elements.forEach((e: Node, j: number) => {
      const at = `${path}[${i}][${j}]`;
      if (e.type === 'text') {
        if (typeof e.text !== 'string' || e.text.length === 0) p.add(at, 'empty text element');
      } else if (e.type === 'user') {
        if (!/^[UW][A-Z0-9]+$/.test(e.user_id ?? '')) p.add(at, 'bad user_id');
      } else if (e.type === 'channel') {
        if (!/^[CGD][A-Z0-9]+$/.test(e.channel_id ?? '')) p.add(at, 'bad channel_id');
      } else if (e.type === 'link') {
        if (typeof e.url !== 'string') p.add(at, 'link without url');
      } else if (!['emoji', 'broadcast', 'usergroup', 'date', 'color'].includes(e.type)) p.add(at, `unknown rich text element ${String(e.type)}`);
    });
  });
}

/** Problems with `blocks` for a message (modal: false) or a view (modal: true); empty when Slack would accept them. */
export function blockProblems(blocks: unknown, opts: { modal?: boolean } = {}): string[] {
  const p = new Problems();
  if (!Array.isArray(blocks)) {
    p.add('blocks', 'not an array');
    return p.list;
  }
  const max = opts.modal ? SLACK_LIMITS.modalBlocks : SLACK_LIMITS.messageBlocks;
  if (blocks.length > max) p.add('blocks', `more than ${max} blocks (${blocks.length})`);
  const blockIds = new Set<string>();
  blocks.forEach((b: Node, i: number) => {
    const path = `blocks[${i}](${String(b?.type)})`;
    if (!b || typeof b !== 'object') return p.add(path, 'not an object');
    if (b.block_id !== undefined) {
      if (typeof b.block_id !== 'string' || b.block_id.length === 0 || len(b.block_id) > SLACK_LIMITS.blockId) p.add(path, 'bad block_id');
      else if (blockIds.has(b.block_id)) p.add(path, `duplicate block_id ${b.block_id}`);
      else blockIds.add(b.block_id);
    }
    const seen = new Set<string>();
    switch (b.type) {
      case 'section':
        if (!b.text && !b.fields) p.add(path, 'section without text or fields');
        if (b.text) textObject(p, `${path}.text`, b.text, SLACK_LIMITS.sectionText);
        if (b.fields) {
          if (!Array.isArray(b.fields) || b.fields.length === 0 || b.fields.length > SLACK_LIMITS.fields) p.add(path, `fields must be 1–${SLACK_LIMITS.fields}`);
          (b.fields ?? []).forEach((f: unknown, j: number) => textObject(p, `${path}.fields[${j}]`, f, SLACK_LIMITS.fieldText));
        }
        if (b.accessory) element(p, `${path}.accessory`, b.accessory, seen);
        return;
      case 'header':
        return textObject(p, `${path}.text`, b.text, SLACK_LIMITS.header, { plainOnly: true });
      case 'divider':
        return;
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > SLACK_LIMITS.contextElements) p.add(path, `context elements must be 1–${SLACK_LIMITS.contextElements}`);
        (b.elements ?? []).forEach((e: unknown, j: number) => textObject(p, `${path}.elements[${j}]`, e, SLACK_LIMITS.contextText));
        return;
      case 'actions':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > SLACK_LIMITS.actionsElements) p.add(path, `actions elements must be 1–${SLACK_LIMITS.actionsElements}`);
        (b.elements ?? []).forEach((e: Node, j: number) => element(p, `${path}.elements[${j}]`, e, seen));
        return;
      case 'rich_text':
        return richText(p, path, b);
      case 'input':
        if (!opts.modal) return p.add(path, 'input block outside a modal');
        textObject(p, `${path}.label`, b.label, SLACK_LIMITS.label, { plainOnly: true });
        if (b.hint) textObject(p, `${path}.hint`, b.hint, SLACK_LIMITS.hint, { plainOnly: true });
        if (!b.element) return p.add(path, 'input without element');
        return element(p, `${path}.element`, b.element, seen);
      default:
        p.add(path, `unknown block type ${String(b.type)}`);
    }
  });
  return p.list;
}

/** Problems with a modal view (views.open / views.update / response_action: update). */
export function viewProblems(view: unknown): string[] {
  const v = (view ?? {}) as Node;
  const p = new Problems();
  if (v.type !== 'modal') p.add('view', 'not a modal');
  textObject(p, 'view.title', v.title, SLACK_LIMITS.modalTitle, { plainOnly: true });
  if (v.submit) textObject(p, 'view.submit', v.submit, SLACK_LIMITS.modalTitle, { plainOnly: true });
  if (v.close) textObject(p, 'view.close', v.close, SLACK_LIMITS.modalTitle, { plainOnly: true });
  if (v.callback_id !== undefined && len(v.callback_id) > SLACK_LIMITS.callbackId) p.add('view.callback_id', 'too long');
  if (v.private_metadata !== undefined && len(v.private_metadata) > SLACK_LIMITS.privateMetadata) p.add('view.private_metadata', 'too long');
  return [...p.list, ...blockProblems(v.blocks, { modal: true })];
}

/** Problems with a block_suggestion answer ({ options } or { option_groups }). */
export function optionsAnswerProblems(body: unknown): string[] {
  const b = (body ?? {}) as Node;
  const p = new Problems();
  const options = b.options as Node[] | undefined;
  const groups = b.option_groups as Node[] | undefined;
  if (!options && !groups) p.add('answer', 'no options');
  if (options && options.length > SLACK_LIMITS.options) p.add('answer', `more than ${SLACK_LIMITS.options} options (${options.length})`);
  if (groups && groups.length > SLACK_LIMITS.optionGroups) p.add('answer', 'too many option groups');
  [...(options ?? []), ...(groups ?? []).flatMap((g) => g.options ?? [])].forEach((o, i) => option(p, `options[${i}]`, o));
  return p.list;
}
