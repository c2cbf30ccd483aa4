// Typed text through the real Slack surface: a budget line name and a request reason full of markup characters
// (mrkdwn, Slack mentions, <!channel>, Feishu <at>, our own <@slack:…> markup) show on the approval card exactly
// as typed, notify nobody, and every message passes Block Kit validation; refusals and toasts name people in
// plain text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_LINE, HOSTILE_NAME } from '../support/hostile.js';
import { blockText } from '../support/fakeSlack.js';
import { slackVisible } from '../support/visible.js';
import { ADMIN, APPROVALS, FIN, MKT, MKT2, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness;
// Within the 500 characters a reason may have; a Slack command arrives on one line.
const typed = HOSTILE_LINE;

beforeAll(async () => {
  h = await startHarness();
  await h.ask(ADMIN, '/mkt', 'role <@UFIN|fin> finance');
  await h.ask(ADMIN, '/mkt', 'channel approvals here', { channelId: APPROVALS });
  // Slack escapes &, < and > in command text; the surface decodes them.
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  await h.ask(FIN, '/budget', escape(`line add SEM 1200000 ${HOSTILE_NAME}`));
});
afterAll(async () => h?.close());

describe('typed text on Slack', () => {
  it('the approval card shows the line name and the reason as typed and mentions only the requester', async () => {
    const before = h.fake.messages(APPROVALS).length;
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const answer = await h.ask(MKT, '/budget', escape(`request 5000 SEM ${typed}`));
    expect(blockText(answer)).toMatch(/ADJ-1/);
    const card = await waitFor(() => h.fake.messages(APPROVALS)[before], { what: 'approval card' });
    const v = slackVisible(card);
    expect(v.text).toContain(typed); // the reason
    expect(v.text).toContain(HOSTILE_NAME); // the line name
    expect(v.mentions).toEqual(['UMKT']);
    expect(v.broadcasts).toEqual([]);
    expect(v.links).toEqual([]);
    expect(h.fake.refused()).toEqual([]);
  });

  it('a refusal to cancel someone else’s request names the requester in plain text', async () => {
    const confirmation = h.answers(MKT).find((m) => /adj\.cancel/.test(JSON.stringify(m.blocks)))!;
    const before = h.answers(MKT2).length;
    await h.slack.click(MKT2, structuredClone(confirmation), 'adj.cancel');
    const refusal = await h.nextAnswer(MKT2, before);
    expect(refusal.text).toMatch(/Only the requester \(mkt\) can cancel ADJ-1/);
    expect(refusal.text).not.toMatch(/<@|&lt;@/);
  });
});
