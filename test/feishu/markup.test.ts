// Typed text through the real Feishu surface: markdown links, <at> tags, @_all, our own mention markup and
// formatting characters in a line name and a reason show on the cards as typed (no link, no mention, no
// broadcast); toasts are plain text with names; leading mentions before a command are skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../support/fakeFeishu.js';
import { HOSTILE_LINE, HOSTILE_NAME } from '../support/hostile.js';
import { feishuVisible } from '../support/visible.js';
import { CHATS, setUpTeam, startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await setUpTeam(h);
  await h.say(USERS.admin, `/budget line add HOST 600000 ${HOSTILE_NAME}`);
  await h.delivered();
});
afterAll(async () => h?.close());

describe('typed text on Feishu', () => {
  it('the approval card shows the line name and the reason as typed, with only the requester mentioned', async () => {
    const before = h.count(CHATS.approvals);
    await h.say(USERS.marketer, `/budget request 3000 HOST ${HOSTILE_LINE}`);
    const card = await h.nextCard(CHATS.approvals, (m) => textOf(m.card).includes('ADJ-1'), before);
    const v = feishuVisible(card.card);
    expect(v.text).toContain(HOSTILE_LINE);
    expect(v.text).toContain(HOSTILE_NAME);
    expect(v.mentions).toEqual([USERS.marketer]);
    expect(v.broadcasts).toEqual([]);
    for (const link of v.links) expect(link).toBe('https://e.x'); // only the typed address, shown in full
    expect(h.fake.refused).toEqual([]);
  });

  it('a refused click answers with a plain-text toast that names the requester', async () => {
    const confirmation = await h.nextCard(USERS.marketer, (m) => JSON.stringify(m.card).includes('adj.cancel:1'), 0);
    const r = await h.client.click(USERS.finance, confirmation, 'adj.cancel:1');
    expect(r.body.toast.type).toBe('error');
    // Feishu tells us no names (no contact scope): the requester is named by their id, never as markup.
    expect(r.body.toast.content).toContain(`（${USERS.marketer}）`);
    expect(r.body.toast.content).not.toMatch(/<@|\*\*/);
  });

  it('skips every leading mention before a command: "@_all @bot /budget" and "@Alice @bot /budget"', async () => {
    for (const text of ['@_all @bot /budget lines', `@${USERS.leader}:Li @bot /budget lines`]) {
      const before = h.count(USERS.finance);
      const r = await h.client.text(USERS.finance, text, { chatId: CHATS.team, group: true, botOpenId: h.fake.botOpenId });
      expect(r.status).toBe(200);
      const answer = await h.nextCard(USERS.finance, () => true, before);
      expect(textOf(answer.card)).toContain('HOST');
      expect(textOf(answer.card)).not.toMatch(/@_all|@_user|不认识|unknown/i);
    }
  });
});
