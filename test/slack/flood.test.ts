// A flood of commands: while requests keep being acknowledged, their answers keep arriving (the work and the
// delivery are not held back until the flood ends), and every command is answered exactly once. Counts and order
// only — the figures under load are `npm run bench`'s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from './harness.js';
import type { SlackUser } from '../support/slackClient.js';

const COMMANDS = 300;
const CONNECTIONS = 40;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('a flood of commands', () => {
  it('answers are delivered while the flood is being acknowledged, each command answered once', async () => {
    const users: SlackUser[] = Array.from({ length: 10 }, (_, i) => ({ id: `UFLOOD${i}`, name: `flood${i}` }));
    const answered = () => users.reduce((n, u) => n + h.answers(u).length, 0);
    /** Answers that had arrived when the n-th ack came back. */
    const answeredAtAck: number[] = [];
    let next = 0;
    let failed = 0;
    async function connection(): Promise<void> {
      while (next < COMMANDS) {
        const i = next++;
        const res = await h.slack.command(users[i % users.length]!, '/risk', `report market 2 2 Flood risk ${i}`);
        if (res.status !== 200) failed++;
        answeredAtAck.push(answered());
      }
    }
    await Promise.all(Array.from({ length: CONNECTIONS }, connection));
    expect(failed).toBe(0);
    expect(answeredAtAck).toHaveLength(COMMANDS);

    // Answers arrived in the middle of the flood, and by its last ack most of it was answered already: the work
    // keeps pace with the acks instead of waiting for the flood to end.
    expect(answeredAtAck[COMMANDS / 2 - 1]).toBeGreaterThan(0);
    expect(answeredAtAck[COMMANDS - 1]).toBeGreaterThanOrEqual(COMMANDS / 5);

    // Then every command is answered, once.
    await waitFor(() => answered() >= COMMANDS, { what: 'every command answered', timeoutMs: 60_000 });
    await h.idle();
    expect(answered()).toBe(COMMANDS);
    const risks = await h.app.db.read((tx) => tx.risk.findMany({ select: { title: true } }));
    expect(new Set(risks.map((r) => r.title)).size).toBe(COMMANDS);
    expect(risks).toHaveLength(COMMANDS);
  }, 120_000);
});
