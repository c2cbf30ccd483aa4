// Campaign proposals and risk reports through Slack: modals (views.open → view_submission), cards in the
// leaders' channel, approval by click.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockText, buttonsOf } from '../support/fakeSlack.js';
import { ADMIN, FIN, LEAD, LEADERS, MKT, TEAM, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.ask(ADMIN, '/mkt', 'role <@UFIN|fin> finance');
  await h.ask(ADMIN, '/mkt', 'role <@ULEAD|lead> leader');
  await h.ask(ADMIN, '/mkt', 'channel leaders here', { channelId: LEADERS });
  await h.ask(ADMIN, '/mkt', 'channel team here', { channelId: TEAM });
  await h.ask(FIN, '/budget', 'line add EVT 240000 Offline events'); // ¥20,000 a month
});
afterAll(async () => h?.close());

async function openForm(user: typeof MKT, command: string, text: string): Promise<any> {
  const before = h.fake.views().length;
  const res = await h.slack.command(user, command, text);
  expect(res.status).toBe(200);
  const view = await waitFor(() => h.fake.views()[before], { what: `modal for ${command} ${text}` });
  expect(h.fake.ok('views.open').at(-1)!.args.trigger_id).toBe(res.triggerId);
  return view;
}

const proposal = (name: string, amount: string) => ({
  name,
  goal: 'sales',
  theme: 'Spring launch',
  format: 'offline_event',
  channels: ['wechat', 'douyin'],
  start: '2030-04-01',
  end: '2030-04-20',
  line: 'EVT',
  amount,
  kpi_participants: '500',
});

describe('campaign proposal via the modal', () => {
  it('renders the form as Block Kit inputs', async () => {
    const view = await openForm(MKT, '/campaign', 'new');
    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe('campaign.new');
    expect(JSON.parse(view.private_metadata)).toEqual({ form: 'campaign.new', channelId: 'CGENERAL' });
    const el = (name: string) => view.blocks.find((b: any) => b.block_id === name)?.element;
    expect(el('name').type).toBe('plain_text_input');
    expect(el('goal').type).toBe('static_select');
    expect(el('channels').type).toBe('multi_static_select');
    expect(el('start').type).toBe('datepicker');
    expect(el('line').options.map((o: any) => o.value)).toEqual(['EVT']);
    expect(el('amount').type).toBe('plain_text_input'); // "5万" is a valid amount
    expect(view.title.text.length).toBeLessThanOrEqual(24);
  });

  it('proposal → card in the leaders channel → leader approves → budget committed', async () => {
    const view = await openForm(MKT, '/campaign', 'new');
    const before = h.fake.messages(LEADERS).length;
    const answers = h.answers(MKT).length;
    const res = await h.slack.submitView(MKT, view, proposal('Spring fair', '1.5万'));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const confirmation = blockText(await h.nextAnswer(MKT, answers));
    expect(confirmation).toMatch(/CMP-\d+/);
    const card = await waitFor(() => h.fake.messages(LEADERS)[before], { what: 'campaign card' });
    expect(blockText(card)).toContain('Spring fair');
    expect(buttonsOf(card).map((b) => b.value.split(':')[0])).toEqual(expect.arrayContaining(['cmp.approve', 'cmp.reject']));

    const leadAnswers = h.answers(LEAD).length;
    await h.slack.click(LEAD, structuredClone(card), 'cmp.approve');
    expect(blockText(await h.nextAnswer(LEAD, leadAnswers))).toMatch(/approv/i);
    await waitFor(() => card.updates >= 1, { what: 'campaign card updated' });
    expect(buttonsOf(card).some((b) => b.value.startsWith('cmp.approve'))).toBe(false);
    const commitments = await h.app.db.read((tx) => tx.budgetCommitment.findMany());
    expect(commitments.reduce((s, c) => s + c.amount, 0)).toBe(1_500_000);
    const status = blockText(await h.ask(FIN, '/budget', '2030-04'));
    expect(status).toContain('¥15,000.00');
  });

  it('approval refused for lack of budget: the owner gets the request button by DM, says who decides, and it opens the pre-filled request', async () => {
    const view = await openForm(MKT, '/campaign', 'new');
    const before = h.fake.messages(LEADERS).length;
    await h.slack.submitView(MKT, view, proposal('Huge expo', '50000'));
    const card = await waitFor(() => h.fake.messages(LEADERS)[before], { what: 'second campaign card' });
    const commitmentsBefore = await h.app.db.read((tx) => tx.budgetCommitment.count());
    const leadAnswers = h.answers(LEAD).length;
    const ownerDms = h.fake.messages('DMKT').length;
    await h.slack.click(LEAD, structuredClone(card), 'cmp.approve');
    const answer = await h.nextAnswer(LEAD, leadAnswers);
    expect(blockText(answer)).toMatch(/lack|short|not enough|available/i);
    expect(blockText(answer)).toMatch(/mkt, who owns it, was sent a button by direct message/);
    expect(buttonsOf(answer).some((b) => b.value.startsWith('cmp.shortfall'))).toBe(false);
    // The owner's DM: the shortfall, who decides the request, and the button.
    const dm = await waitFor(() => h.fake.messages('DMKT').slice(ownerDms).find((m) => buttonsOf(m).some((b) => b.value.startsWith('cmp.shortfall'))), { what: 'shortfall DM to the owner' });
    expect(blockText(dm)).toMatch(/finance \(fin\)/);
    const viewsBefore = h.fake.views().length;
    await h.slack.click(MKT, structuredClone(dm), 'cmp.shortfall');
    const requestForm = await waitFor(() => h.fake.views()[viewsBefore], { what: 'pre-filled budget request' });
    expect(requestForm.callback_id).toBe('budget.request');
    expect(await h.app.db.read((tx) => tx.budgetCommitment.count())).toBe(commitmentsBefore);
    const campaign = await h.app.db.read((tx) => tx.campaign.findFirstOrThrow({ where: { name: 'Huge expo' } }));
    expect(campaign.status).toBe('pending_approval');
  });

  it('an invalid submission keeps the modal open with per-field errors and writes nothing', async () => {
    const view = await openForm(MKT, '/campaign', 'new');
    const before = await h.counts();
    const res = await h.slack.submitView(MKT, view, { ...proposal('Bad dates', '-5'), end: '2030-03-01' });
    expect(res.json?.response_action).toBe('errors');
    const blockIds = view.blocks.map((b: any) => b.block_id);
    for (const key of Object.keys(res.json.errors)) expect(blockIds).toContain(key);
    expect(Object.keys(res.json.errors)).toEqual(expect.arrayContaining(['amount']));
    expect({ ...(await h.counts()), processed: 0 }).toEqual({ ...before, processed: 0 });
  });
});

describe('risk reports', () => {
  it('inline: a high risk is posted to the leaders channel at once', async () => {
    const before = h.fake.messages(LEADERS).length;
    const answer = blockText(await h.ask(MKT, '/risk', 'report market 4 4 Competitor price war on Double 11'));
    expect(answer).toMatch(/RSK-\d+/);
    const card = await waitFor(() => h.fake.messages(LEADERS).slice(before).find((m) => blockText(m).includes('Competitor price war')), { what: 'high-risk card' });
    expect(blockText(card)).toMatch(/16/);
    expect(buttonsOf(card).map((b) => b.value.split(':')[0])).toEqual(expect.arrayContaining(['rsk.own']));
    const risk = await h.app.db.read((tx) => tx.risk.findFirstOrThrow({ where: { title: { contains: 'Competitor price war' } } }));
    expect(risk).toMatchObject({ category: 'market', likelihood: 4, impact: 4 });
  });

  it('via the modal: a medium risk goes to the team channel, not the leaders', async () => {
    const view = await openForm(MKT, '/risk', 'report');
    const leaders = h.fake.messages(LEADERS).length;
    const team = h.fake.messages(TEAM).length;
    const res = await h.slack.submitView(MKT, view, { category: 'legal', likelihood: '3', impact: '3', title: 'Lottery rules need legal review' });
    expect(res.status).toBe(200);
    await waitFor(() => h.fake.messages(TEAM).slice(team).find((m) => blockText(m).includes('Lottery rules')), { what: 'medium-risk card' });
    await h.idle();
    expect(h.fake.messages(LEADERS).slice(leaders).some((m) => blockText(m).includes('Lottery rules'))).toBe(false);
  });

  it('a form submitted twice (a double click: same view id and hash, two trigger ids) records one risk; a refused one may be corrected and sent again', async () => {
    const view = await openForm(MKT, '/risk', 'report');
    const count = () => h.app.db.read((tx) => tx.risk.count({ where: { title: { startsWith: 'Venue contract' } } }));
    const refused = await h.slack.submitView(MKT, view, { category: 'legal', likelihood: '9', impact: '3', title: 'Venue contract unsigned' });
    expect(refused.json?.response_action).toBe('errors');
    const values = { category: 'legal', likelihood: '3', impact: '3', title: 'Venue contract unsigned' };
    const [a, b] = await Promise.all([h.slack.submitView(MKT, view, values), h.slack.submitView(MKT, view, values)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await waitFor(async () => (await count()) >= 1, { what: 'risk recorded' });
    await h.idle();
    expect(await count()).toBe(1);
    // Submitted again later (the same modal instance): still one.
    expect((await h.slack.submitView(MKT, view, values)).status).toBe(200);
    await h.idle();
    expect(await count()).toBe(1);
  });

  it('a leader takes ownership of a high risk by click', async () => {
    const card = h.fake.messages(LEADERS).find((m) => blockText(m).includes('Competitor price war'))!;
    const answers = h.answers(LEAD).length;
    await h.slack.click(LEAD, structuredClone(card), 'rsk.own');
    await h.nextAnswer(LEAD, answers);
    await waitFor(() => card.updates >= 1);
    expect(blockText(card)).toContain('<@ULEAD>');
  });
});
