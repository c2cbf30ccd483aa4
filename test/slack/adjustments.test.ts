// The budget adjustment flow through Slack only: slash commands, button clicks on the cards the fake Web API
// received, and the reject-reason modal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockText, buttonsOf, type FakeMessage } from '../support/fakeSlack.js';
import { settle } from '../support/waitFor.js';
import { ADMIN, APPROVALS, FIN, LEAD, MKT, MKT2, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.ask(ADMIN, '/mkt', 'role <@UFIN|fin> finance');
  await h.ask(ADMIN, '/mkt', 'role <@ULEAD|lead> leader');
  await h.ask(ADMIN, '/mkt', 'channel approvals here', { channelId: APPROVALS });
  await h.ask(FIN, '/budget', 'line add SEM 1200000 Search ads');
});
afterAll(async () => h?.close());

/** Clicks and waits for the private answer to the clicker. */
async function clickAndAnswer(user: typeof MKT, card: FakeMessage, prefix: string): Promise<string> {
  const before = h.answers(user).length;
  const res = await h.slack.click(user, card, prefix);
  expect(res.status).toBe(200);
  expect(res.text).toBe(''); // empty ack
  return blockText(await h.nextAnswer(user, before));
}

async function newRequest(user: typeof MKT, text: string): Promise<{ card: FakeMessage; original: FakeMessage; id: string }> {
  const before = h.fake.messages(APPROVALS).length;
  const answer = await h.ask(user, '/budget', `request ${text}`);
  const id = /ADJ-\d+/.exec(blockText(answer))?.[0];
  expect(id, blockText(answer)).toBeTruthy();
  const card = await waitFor(() => h.fake.messages(APPROVALS)[before], { what: 'approval card' });
  return { card, original: structuredClone(card), id: id! };
}

describe('budget adjustment by button clicks', () => {
  it('request → card → self-approval refused → finance → leader → requester DMed → budget changed → stale click refused', async () => {
    const { card, original, id } = await newRequest(MKT, '6万 SEM more search before 11.11');

    // The card in the approvals channel: who, what, the line's figures, Approve/Reject buttons.
    const text = blockText(card);
    expect(text).toContain(id);
    expect(text).toContain('<@UMKT>');
    expect(text).toContain('¥60,000.00');
    expect(text).toContain('more search before 11.11');
    for (const figure of ['Plan', 'Spent', 'Committed', 'Available']) expect(text).toContain(figure);
    expect(text).toContain('¥100,000.00');
    const buttons = buttonsOf(card);
    expect(buttons.map((b) => [b.value, b.style])).toEqual([
      [`adj.approve:${id.slice(4)}`, 'primary'],
      [`adj.reject:${id.slice(4)}`, 'danger'],
    ]);
    expect(buttons.every((b) => b.actionId === b.value)).toBe(true);

    // The requester cannot approve their own request (they do not even hold the role): a private refusal, card unchanged.
    const countsBefore = await h.counts();
    expect(await clickAndAnswer(MKT, original, 'adj.approve')).toMatch(/Nothing was changed/);
    await settle();
    expect(card.updates).toBe(0);
    expect({ ...(await h.counts()), processed: 0 }).toEqual({ ...countsBefore, processed: 0 });

    // Finance approves: ≥ the ¥50,000 threshold, so the card is updated in place and now waits for a leader.
    expect(await clickAndAnswer(FIN, original, 'adj.approve')).toMatch(/waits for a leader/);
    await waitFor(() => card.updates === 1, { what: 'card updated after the finance decision' });
    expect(blockText(card)).toMatch(/waiting for a leader/i);
    expect(blockText(card)).toContain('<@UFIN>');
    expect(buttonsOf(card).map((b) => b.value)).toEqual([`adj.approve:${id.slice(4)}`, `adj.reject:${id.slice(4)}`]);

    // The leader approves: executed, card without buttons, requester DMed, /budget shows the new plan.
    const dmsBefore = h.fake.messages('DMKT').length;
    expect(await clickAndAnswer(LEAD, card, 'adj.approve')).toMatch(/budget was changed/);
    await waitFor(() => card.updates === 2, { what: 'card updated after the leader decision' });
    expect(buttonsOf(card)).toEqual([]);
    expect(blockText(card)).toMatch(/Approved by <@ULEAD>/);
    expect(blockText(card)).toContain('¥160,000.00');
    const dm = await waitFor(() => h.fake.messages('DMKT').slice(dmsBefore).find((m) => /approved by <@ULEAD>/.test(blockText(m))));
    expect(blockText(dm)).toContain(id);
    // The DM went to the user id (Slack opens the DM), with a notification text.
    const dmCall = h.fake.ok('chat.postMessage').find((c) => c.args.channel === 'UMKT' && /ULEAD|lead/.test(JSON.stringify(c.args.blocks)));
    expect(dmCall?.args.text).toBeTruthy();

    const status = blockText(await h.ask(MKT, '/budget', ''));
    expect(status).toContain('¥160,000.00');

    // A click on the stale card (old buttons) answers "already approved by … at …" and changes nothing.
    const adjBefore = await h.app.db.read((tx) => tx.budgetAdjustment.findFirstOrThrow({ where: { id: Number(id.slice(4)) } }));
    const auditBefore = (await h.counts()).audit;
    expect(await clickAndAnswer(FIN, original, 'adj.approve')).toMatch(/already approved by <@ULEAD> at \d{4}-\d\d-\d\d \d\d:\d\d/);
    await settle();
    const adjAfter = await h.app.db.read((tx) => tx.budgetAdjustment.findFirstOrThrow({ where: { id: Number(id.slice(4)) } }));
    expect(adjAfter).toEqual(adjBefore);
    expect((await h.counts()).audit).toBe(auditBefore);
    expect(card.updates).toBe(2);
  });

  it('nobody approves their own request, even holding the role', async () => {
    const { card, original, id } = await newRequest(FIN, '1500 SEM my own request');
    expect(await clickAndAnswer(FIN, original, 'adj.approve')).toMatch(/own/i);
    await settle();
    expect(card.updates).toBe(0);
    const adj = await h.app.db.read((tx) => tx.budgetAdjustment.findFirstOrThrow({ where: { id: Number(id.slice(4)) } }));
    expect(adj.status).toBe('pending_finance');
  });

  it('a rapid double click acts once', async () => {
    const { card, original, id } = await newRequest(MKT, '1000 SEM small top-up');
    const before = h.answers(FIN).length;
    const [a, b] = await Promise.all([h.slack.click(FIN, original, 'adj.approve'), h.slack.click(FIN, original, 'adj.approve')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await waitFor(() => h.answers(FIN).length >= before + 2, { what: 'two answers' });
    await h.idle();
    const answers = h.answers(FIN).slice(before).map(blockText);
    expect(answers.filter((t) => /You approved/.test(t))).toHaveLength(1);
    // The loser is told that nothing was changed (the request is no longer waiting for finance).
    expect(answers.filter((t) => /Nothing was changed/.test(t)), answers.join('\n---\n')).toHaveLength(1);
    const adj = await h.app.db.read((tx) => tx.budgetAdjustment.findFirstOrThrow({ where: { id: Number(id.slice(4)) } }));
    expect(adj.status).toBe('pending_leader'); // an increase raises the yearly total: a leader decides too
    const steps = await h.app.db.read((tx) => tx.approvalStep.count({ where: { adjustmentId: Number(id.slice(4)) } }));
    expect(steps).toBe(1); // one finance decision, not two
    await waitFor(() => card.updates === 1);
    await settle();
    expect(card.updates).toBe(1);
  });

  it('reject with a reason through the modal; an empty reason keeps the modal open with an error', async () => {
    const { card, original, id } = await newRequest(MKT2, '2000 SEM posters');
    const viewsBefore = h.fake.views().length;
    const res = await h.slack.click(FIN, original, 'adj.reject');
    expect(res.status).toBe(200);
    const view = await waitFor(() => h.fake.views()[viewsBefore], { what: 'views.open' });
    const open = h.fake.ok('views.open').at(-1)!;
    expect(open.args.trigger_id).toBe(res.triggerId);
    expect(view.callback_id).toBe(`adj.reject:${id.slice(4)}`);
    const reason = view.blocks.find((b: any) => b.type === 'input' && b.block_id === 'reason');
    expect(reason.element).toMatchObject({ type: 'plain_text_input', multiline: true });

    const empty = await h.slack.submitView(FIN, view, { reason: '' });
    expect(empty.status).toBe(200);
    expect(empty.json).toMatchObject({ response_action: 'errors', errors: { reason: expect.any(String) } });
    const still = await h.app.db.read((tx) => tx.budgetAdjustment.findFirstOrThrow({ where: { id: Number(id.slice(4)) } }));
    expect(still.status).toBe('pending_finance');

    const dmsBefore = h.fake.messages('DMKT2').length;
    const ok = await h.slack.submitView(FIN, view, { reason: 'Posters are in the Q1 plan already' });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe(''); // closes the modal
    await waitFor(() => card.updates === 1, { what: 'card updated after the rejection' });
    expect(blockText(card)).toMatch(/Rejected by <@UFIN>/);
    expect(blockText(card)).toContain('Posters are in the Q1 plan already');
    expect(buttonsOf(card)).toEqual([]);
    const dm = await waitFor(() => h.fake.messages('DMKT2')[dmsBefore]);
    expect(blockText(dm)).toMatch(/reject/i);
  });

  it('the requester cancels from the confirmation; someone else cannot', async () => {
    const before = h.answers(MKT).length;
    const { card, id } = await newRequest(MKT, '3000 SEM cancel me');
    const confirmation = h.answers(MKT)[before]!;
    expect(buttonsOf(confirmation).map((b) => b.value)).toEqual([`adj.cancel:${id.slice(4)}`]);
    expect(await clickAndAnswer(MKT2, structuredClone(confirmation), 'adj.cancel')).toMatch(/Only the requester \(mkt\)/);
    expect(await clickAndAnswer(MKT, confirmation, 'adj.cancel')).toMatch(/cancel/i);
    await waitFor(() => card.updates === 1);
    expect(buttonsOf(card)).toEqual([]);
    const adj = await h.app.db.read((tx) => tx.budgetAdjustment.findFirstOrThrow({ where: { id: Number(id.slice(4)) } }));
    expect(adj.status).toBe('cancelled');
  });
});
