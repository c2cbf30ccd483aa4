// Every plan message stays within Slack's limits at 200 lines, checked by the fake's Block Kit validation (50
// blocks, 3,000-character sections, 10 fields, 150-character headers): the card at each step, the v2 card with a
// 200-line diff, an import refusal with 200 bad rows. Typed line names and comments show as typed and notify nobody.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockText, buttonsOf } from '../support/fakeSlack.js';
import { HOSTILE_LINE, HOSTILE_NAME } from '../support/hostile.js';
import { namedPlan, planAsXlsx, seasonalPlan } from '../support/planFixtures.js';
import { slackVisible } from '../support/visible.js';
import { ADMIN, APPROVALS, FIN, LEAD, MKT, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.ask(ADMIN, '/mkt', 'role <@UFIN|fin> finance');
  await h.ask(ADMIN, '/mkt', 'role <@ULEAD|lead> leader');
  await h.ask(ADMIN, '/mkt', 'channel approvals here', { channelId: APPROVALS });
  await h.ask(MKT, '/budget', 'plan new 2040');
});
afterAll(async () => h?.close());

async function importFile(bytes: Buffer): Promise<string> {
  const before = h.fake.views().length;
  await h.slack.command(MKT, '/budget', 'plan import 2040');
  const view = await waitFor(() => h.fake.views()[before], { what: 'import modal' });
  const n = h.answers(MKT).length;
  await h.slack.submitView(MKT, view, { year: '2040', file: JSON.stringify(h.fake.files.addUserFile('plan.xlsx', bytes)) });
  const answer = await waitFor(() => h.answers(MKT).slice(n).find((m) => /Imported \d+ lines|Nothing was imported/.test(blockText(m))), { what: 'import answer' });
  return blockText(answer);
}

const planCard = () => h.fake.messages(APPROVALS).find((m) => blockText(m).includes('PLAN-2040'));

describe('the plan at 200 lines on Slack', () => {
  it('an import refusal of 200 bad rows lists 15 and counts the rest, within the limits', async () => {
    const bad = seasonalPlan(200).map((l) => ({ ...l, category: 'nope' as never }));
    const text = await importFile(await planAsXlsx(bad));
    expect(text).toContain('Row 2, category');
    expect(text).toContain('and 185 more');
    expect(h.fake.refused()).toEqual([]);
  });

  it('the card at every step, and v2 with all 200 lines changed, fit; typed names and the comment show as typed', async () => {
    expect(await importFile(await planAsXlsx(namedPlan(200, HOSTILE_NAME)))).toContain('Imported 200 lines');
    await h.ask(MKT, '/budget', 'plan submit 2040');
    const card = await waitFor(planCard, { what: 'plan card' });
    expect(card.blocks.length).toBeLessThanOrEqual(50);
    let v = slackVisible(card);
    expect(v.text).toContain(`${HOSTILE_NAME} 1`);
    expect([...new Set(v.mentions)]).toEqual(['UMKT']);
    expect([v.broadcasts, v.links]).toEqual([[], []]);

    // Finance asks for changes with a comment full of markup.
    const views = h.fake.views().length;
    await h.slack.click(FIN, card, buttonsOf(card).find((b) => b.value.startsWith('plan.changes'))!.value);
    const form = await waitFor(() => h.fake.views()[views], { what: 'comment modal' });
    await h.slack.submitView(FIN, form, { comment: HOSTILE_LINE });
    await waitFor(() => (blockText(card).includes('Draft') ? true : undefined), { what: 'card back to draft' });

    expect(await importFile(await planAsXlsx(namedPlan(200, HOSTILE_NAME, 100)))).toContain('Imported 200 lines');
    await h.ask(MKT, '/budget', 'plan submit 2040');
    // v2 updates the same card in place; a note in the channel says it is back.
    await waitFor(() => (/Changed 200: [^\n]*and 192 more/.test(blockText(card)) ? true : undefined), { what: 'card updated with the diff' });
    await waitFor(() => h.fake.messages(APPROVALS).find((m) => blockText(m).includes('Plan 2040 v2 is back for finance review')), { what: 'resubmission note' });
    expect(h.fake.messages(APPROVALS).filter((m) => blockText(m).includes('Budget plan 2040'))).toHaveLength(1);
    expect(card.blocks.length).toBeLessThanOrEqual(50);
    v = slackVisible(card);
    expect(v.text).toContain(HOSTILE_LINE);
    expect(v.mentions.filter((m) => m !== 'UMKT' && m !== 'UFIN')).toEqual([]);
    expect([v.broadcasts, v.links]).toEqual([[], []]);

    const approve = () => buttonsOf(card).find((b) => b.value.startsWith('plan.approve'))!.value;
    await h.slack.click(FIN, card, approve());
    await waitFor(() => (blockText(card).includes('Waiting for leadership approval') ? true : undefined), { what: 'leader step' });
    await h.slack.click(LEAD, card, approve());
    await waitFor(() => (blockText(card).includes('Approved (locked)') ? true : undefined), { what: 'approved' });
    await h.idle();
    expect(h.fake.refused()).toEqual([]);
  });
});
