// Never cut silently: every form field with a limit, given one character more than it allows, is refused on that
// field (free text with the count), and nothing is written; the same for the free text of commands. The fields are
// read from the forms themselves, so a field added later is checked too.
import { describe, expect, it } from 'vitest';
import type { Form } from '../../src/messages/model.js';
import type { Actor, Outcome } from '../../src/usecases/types.js';
import { counts, proposal, text, world } from './campaignsSetup.js';

/** Free-text fields: their refusal must say how long the text is. */
const FREE_TEXT = new Set(['name', 'theme', 'title', 'description', 'note', 'reason', 'comment', 'lessons']);

async function formOf(o: Promise<Outcome>): Promise<Form> {
  const opened = await o;
  expect(opened.openForm, text(opened)).toBeDefined();
  return opened.openForm!;
}

describe('over-long input is refused with its count, never shortened', () => {
  it('every limited field of every form', async () => {
    const w = await world();
    // Something to decide or evaluate for the forms that need it.
    expect((await w.core.command(w.alice, '/budget request 500 SEM posters')).ok).toBe(true); // ADJ-1
    expect((await w.core.submit(w.alice, 'campaign.new', proposal({ start: '2026-11-10', end: '2026-11-20', amount: '3000' }))).ok).toBe(true); // CMP-1
    expect((await w.core.submit(w.alice, 'campaign.new', proposal())).ok).toBe(true); // CMP-2
    expect((await w.core.action(w.lead, 'cmp.approve:1:1')).ok).toBe(true);
    expect((await w.core.submit(w.lead, 'cmp.changes:2:1', { comment: 'Later please' })).ok).toBe(true);
    expect((await w.core.submit(w.alice, 'campaign.new', proposal())).ok).toBe(true); // CMP-3, pending
    expect((await w.core.command(w.alice, '/risk report market 4 4 Price war')).ok).toBe(true); // RSK-1

    const forms: [Actor, Form][] = [
      [w.alice, await formOf(w.core.command(w.alice, '/budget request'))],
      [w.alice, await formOf(w.core.command(w.alice, '/budget transfer'))],
      [w.fin, await formOf(w.core.command(w.fin, '/budget spend'))],
      [w.alice, await formOf(w.core.command(w.alice, '/campaign new'))],
      [w.alice, await formOf(w.core.command(w.alice, '/risk report'))],
      [w.fin, await formOf(w.core.action(w.fin, 'adj.reject:1'))],
      [w.lead, await formOf(w.core.action(w.lead, 'cmp.reject:3:1'))],
      [w.lead, await formOf(w.core.action(w.lead, 'cmp.changes:3:1'))],
      [w.alice, await formOf(w.core.action(w.alice, 'cmp.close:1'))],
      [w.alice, await formOf(w.core.action(w.alice, 'cmp.revise:2'))],
      [w.lead, await formOf(w.core.action(w.lead, 'rsk.strategy:1'))],
      [w.fin, await formOf(w.core.action(w.fin, 'var.explain:1:2026-10'))],
    ];
    let checked = 0;
    for (const [actor, form] of forms) {
      for (const field of form.fields) {
        if (!field.maxLength || !['text', 'textarea'].includes(field.kind)) continue;
        const before = await counts(w.db);
        const long = '字'.repeat(field.maxLength + 1);
        const o = await w.core.submit(actor, form.id, { [field.name]: long });
        const error = o.formErrors?.[field.name];
        expect(error, `${form.id} ${field.name}: ${text(o)} ${JSON.stringify(o.formErrors)}`).toBeDefined();
        if (FREE_TEXT.has(field.name)) expect(error, `${form.id} ${field.name}`).toContain(String(field.maxLength + 1));
        expect(await counts(w.db), `${form.id} ${field.name}`).toEqual(before);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it('the free text of commands', async () => {
    const w = await world();
    for (const [cmd, max] of [
      ['/budget request 500 SEM ', 500],
      ['/risk report market 3 3 ', 200],
      ['/agenda add ', 200],
    ] as const) {
      const o = await w.core.command(w.alice, cmd + 'x'.repeat(max + 1));
      expect(o.ok, cmd).toBe(false);
      expect(text(o), cmd).toContain(String(max + 1));
    }
  });
});
