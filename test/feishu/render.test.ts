// The card JSON 2.0 renderer: mentions, escaping, tones, fields, buttons, forms with errors.
import { describe, expect, it } from 'vitest';
import { normalizeFormValues } from '../../src/platforms/feishu/shapes.js';
import { renderForm, renderMessage, toMarkdown, withErrors, withInitials } from '../../src/platforms/feishu/render.js';
import type { Form } from '../../src/messages/model.js';
import { buttonsOf, elementsOf } from '../support/fakeFeishu.js';

describe('toMarkdown', () => {
  it('turns Feishu mentions into <at>, other platforms into names, keeps **bold**, escapes tags', () => {
    expect(toMarkdown('**ADJ-1** by <@feishu:ou_abc|Fei> and <@slack:U123|Sam> <@local:ada|Ada>')).toBe(
      '**ADJ-1** by <at id=ou_abc></at> and Sam Ada',
    );
    expect(toMarkdown('<at id=all></at> <font color=red>x</font>')).toBe('&#60;at id=all&#62;&#60;/at&#62; &#60;font color=red&#62;x&#60;/font&#62;');
    expect(toMarkdown('<@slack:U1|<at id=all>>')).not.toContain('<at id=all>');
  });
});

describe('renderMessage', () => {
  it('shows the plain-text summary in the chat list as is', () => {
    const card = renderMessage({ text: 'x', summary: 'ADJ-1 by Sam **' }) as { config: { summary: { content: string } } };
    expect(card.config.summary.content).toBe('ADJ-1 by Sam **');
  });

  it('header colour by tone, fields in column sets, buttons with callback values, context in small text', () => {
    const card = renderMessage({
      tone: 'warning',
      title: '追加预算申请 ADJ-1',
      text: 'hello',
      fields: [
        { label: 'A', value: '1' },
        { label: 'B', value: '2' },
        { label: 'C', value: '3' },
      ],
      buttons: [
        { label: '批准', action: 'adj.approve:1', style: 'primary' },
        { label: '驳回', action: 'adj.reject:1', style: 'danger' },
      ],
      context: ['ADJ-1'],
      summary: 's',
    });
    expect(card.schema).toBe('2.0');
    expect(card.header).toEqual({ title: { tag: 'plain_text', content: '追加预算申请 ADJ-1' }, template: 'orange' });
    expect(elementsOf(card).filter((e) => e.tag === 'column_set' && e.flex_mode === 'bisect')).toHaveLength(2);
    expect(buttonsOf(card).map((b) => [b.label, b.value])).toEqual([
      ['批准', { action: 'adj.approve:1' }],
      ['驳回', { action: 'adj.reject:1' }],
    ]);
    expect(elementsOf(card).find((e) => e.tag === 'button').behaviors[0].type).toBe('callback');
    expect(elementsOf(card).some((e) => e.text_size === 'notation' && e.content === 'ADJ-1')).toBe(true);
  });

  it('never renders an empty body', () => {
    expect(elementsOf(renderMessage({ summary: 'only a summary' })).some((e) => e.content === 'only a summary')).toBe(true);
  });
});

describe('renderForm', () => {
  const form: Form = {
    id: 'campaign.new',
    title: 'New campaign',
    submitLabel: 'Submit',
    fields: [
      { kind: 'text', name: 'name', label: 'Name', required: true },
      { kind: 'textarea', name: 'why', label: 'Why' },
      { kind: 'money', name: 'amount', label: 'Amount', required: true },
      { kind: 'select', name: 'goal', label: 'Goal', options: [{ value: 'sales', label: 'Sales' }] },
      { kind: 'multiselect', name: 'ch', label: 'Channels', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] },
      { kind: 'date', name: 'start', label: 'Start' },
    ],
  };

  it('a form container with inputs, selects, a date picker and a submit button carrying the form reference and session', () => {
    const card = renderForm(form, { session: 'abcdefghijklmnop1234' });
    const formEl = elementsOf(card).find((e) => e.tag === 'form');
    expect(formEl).toBeTruthy();
    const els = elementsOf(card);
    expect(els.find((e) => e.name === 'why').input_type).toBe('multiline_text');
    expect(els.find((e) => e.name === 'amount').required).toBe(true);
    expect(els.find((e) => e.name === 'goal').tag).toBe('select_static');
    expect(els.find((e) => e.name === 'ch').tag).toBe('multi_select_static');
    expect(els.find((e) => e.name === 'start').tag).toBe('date_picker');
    const submit = buttonsOf(card).find((b) => b.formSubmit)!;
    expect(submit.value).toEqual({ form: 'campaign.new', fs: 'abcdefghijklmnop1234' }); // the form itself stays on our side
  });

  it('shows errors next to their field and keeps the typed values', () => {
    const again = withErrors(withInitials(form, { name: 'X', amount: 'abc', ch: ['a', 'b'], start: '2026-12-01' }), { amount: 'Not an amount: abc' });
    const els = elementsOf(renderForm(again));
    const i = els.findIndex((e) => e.name === 'amount');
    expect(els[i + 1].content).toContain('Not an amount: abc');
    expect(els.find((e) => e.name === 'name').default_value).toBe('X');
    expect(els.find((e) => e.name === 'ch').selected_values).toEqual(['a', 'b']);
    expect(els.find((e) => e.name === 'start').initial_date).toBe('2026-12-01');
    // nothing but the references travels in the button
    expect(JSON.stringify(buttonsOf(renderForm(again)).find((b) => b.formSubmit)!.value)).toBe('{"form":"campaign.new"}');
  });

  it('normalizes Feishu form values (date picker "YYYY-MM-DD +0800", arrays, numbers)', () => {
    expect(normalizeFormValues({ d: '2026-12-01 +0800', a: ['x', 'y'], n: 5, s: ' t ', o: { x: 1 }, z: null })).toEqual({
      d: '2026-12-01',
      a: ['x', 'y'],
      n: '5',
      s: ' t ',
      z: undefined,
    });
  });
});
