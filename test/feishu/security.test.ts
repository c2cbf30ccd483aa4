// Forged, stale or replayed requests to POST /feishu/events: refused with 401/400 and no side effect;
// Feishu's re-pushes (same event_id) and repeated card callbacks act once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settle, waitFor } from '../support/waitFor.js';
import { startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const auditCount = () => h.app.db.read((tx) => tx.auditLog.count());
const outboxCount = () => h.app.db.read((tx) => tx.outboxMessage.count());

describe('POST /feishu/events checks', () => {
  it('answers the url_verification challenge only with the right verification token', async () => {
    const good = await h.client.post({ challenge: 'ch-123', token: h.config.feishu!.verificationToken, type: 'url_verification' });
    expect(good).toEqual({ status: 200, body: { challenge: 'ch-123' } });
    const plain = await h.client.post({ challenge: 'ch-9', token: h.config.feishu!.verificationToken, type: 'url_verification' }, { encrypt: false, unsigned: true });
    expect(plain).toEqual({ status: 200, body: { challenge: 'ch-9' } });
    const bad = await h.client.post({ challenge: 'ch-123', token: 'wrong', type: 'url_verification' });
    expect(bad.status).toBe(401);
    expect(JSON.stringify(bad.body)).not.toContain('ch-123');
  });

  it('refuses a forged signature, a wrong token, a stale timestamp, a missing signature and garbage; nothing happens', async () => {
    const cmd = `/mkt role ${USERS.finance} finance`;
    const forged = await h.client.text(USERS.admin, cmd, {}, { signWith: 'not-the-key' });
    const badToken = await h.client.text(USERS.admin, cmd, {}, { token: 'not-the-token' });
    const stale = await h.client.text(USERS.admin, cmd, {}, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const future = await h.client.text(USERS.admin, cmd, {}, { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 });
    const unsigned = await h.client.text(USERS.admin, cmd, {}, { unsigned: true });
    expect([forged.status, badToken.status, stale.status, future.status, unsigned.status]).toEqual([401, 401, 401, 401, 401]);

    const notJson = await fetch(`${h.client.opts.url}/feishu/events`, { method: 'POST', body: 'nope' });
    expect(notJson.status).toBe(400);
    const badCipher = await h.client.post({ x: 1 }, { encrypt: false });
    expect(badCipher.status).toBe(401); // signed, not encrypted, no token
    const garbage = await fetch(`${h.client.opts.url}/feishu/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ encrypt: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }),
    });
    expect(garbage.status).toBe(400);

    await settle(200);
    expect(await h.app.db.read((tx) => tx.roleGrant.count())).toBe(0);
    expect(await h.app.db.read((tx) => tx.processedDelivery.count())).toBe(0);
    expect(await auditCount()).toBe(0);
    expect(await outboxCount()).toBe(0);
    expect(h.fake.calls.filter((c) => c.path.startsWith('/open-apis/im/'))).toEqual([]);
  });

  it('a 5 MB body gets 413 (read to the end, so the client sees the answer, not a reset); nothing happens', async () => {
    const before = await auditCount();
    const res = await fetch(`${h.client.opts.url}/feishu/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ encrypt: 'x'.repeat(5 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    await res.text();
    expect(await auditCount()).toBe(before);
    expect(await outboxCount()).toBe(0);
  });

  it('acts once on an event Feishu pushes again (same event_id)', async () => {
    const first = await h.client.text(USERS.admin, `/mkt role ${USERS.finance} finance`, {}, { eventId: 'evt-repeat-1' });
    const again = await h.client.text(USERS.admin, `/mkt role ${USERS.finance} finance`, {}, { eventId: 'evt-repeat-1' });
    expect([first.status, again.status]).toEqual([200, 200]);
    await waitFor(() => h.count(USERS.admin) >= 1, { what: 'reply to admin' });
    await h.delivered();
    await settle(150);
    expect(h.count(USERS.admin)).toBe(1);
    expect(await h.app.db.read((tx) => tx.roleGrant.count())).toBe(1);
  });
});
