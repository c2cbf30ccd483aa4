// What one chat command costs the database, end to end through the Slack surface: the signed slash command is
// recorded (the inbox claim), run from the work queue (the use-case, its done mark and the answer in the outbox),
// delivered to the fake Web API and marked sent. Every SQL statement the process runs meanwhile is counted, and so
// are the interactive transactions (BEGIN). The counts are pinned as upper bounds: a change that adds a round trip
// to the hot path of the benchmark's mixed commands (bench/e2e.ts MIX) fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockText } from '../support/fakeSlack.js';
import { onPostgres } from '../support/tempDb.js';
import { settle } from '../support/waitFor.js';
import { ADMIN, APPROVALS, TEAM, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness;
let statements: string[] = [];
const USER = { id: 'UB1', name: 'bench1' };

beforeAll(async () => {
  // No scheduler and no idle polling: every statement counted is one the command caused.
  h = await startHarness({ onQuery: (sql) => statements.push(sql), scheduler: false, pollMs: 3_600_000 });
  await h.ask(ADMIN, '/budget', 'line add SEM 5000000 Search ads');
  await h.ask(ADMIN, '/budget', 'line add EVT 600000 Events');
  await h.ask(ADMIN, '/mkt', 'channel approvals here', { channelId: APPROVALS });
  await h.ask(ADMIN, '/mkt', 'channel team here', { channelId: TEAM });
  await h.idle();
});
afterAll(async () => h?.close());

interface Cost {
  statements: number;
  transactions: number;
  sql: string[];
}

/** An interactive transaction ends with COMMIT or ROLLBACK (Prisma does not report its BEGIN). */
const endsTransaction = (sql: string) => /^\s*(COMMIT|ROLLBACK)\b/i.test(sql);

/** Until the process is quiet: no work queued or running, nothing left to deliver, no statement for a while. */
async function quiet(): Promise<void> {
  let seen = -1;
  await waitFor(
    async () => {
      const worker = h.app.workers.get('slack')!;
      const still = h.app.work.size() === 0 && worker.backlog() === 0 && statements.length === seen;
      seen = statements.length;
      return still;
    },
    { what: 'the process at rest', intervalMs: 100 },
  );
}

/**
 * Runs one command as the benchmark does and counts what it cost until its answer (and card) were sent and marked.
 * The harness's own reads (h.idle) are not made while counting.
 */
async function cost(text: string, card?: string): Promise<Cost> {
  await quiet();
  const cards = card ? h.fake.messages(card).length : 0;
  const answers = h.answers(USER).length;
  const [command, ...rest] = text.split(' ');
  statements = [];
  const res = await h.slack.command(USER, command!, rest.join(' '), { channelId: 'CB1' });
  expect(res.status).toBe(200);
  const answer = await h.nextAnswer(USER, answers);
  expect(blockText(answer)).not.toMatch(/could not|refused|not allowed|went wrong/i);
  if (card) await waitFor(() => h.fake.messages(card)[cards], { what: `card of ${text}` });
  await quiet();
  const sql = statements;
  return { statements: sql.length, transactions: sql.filter(endsTransaction).length, sql };
}

/**
 * The benchmark's mix, with the most each may cost: statements (COMMIT included) and interactive transactions, from
 * the signed request to the sent marks of its answer and card. PostgreSQL claims due rows in one statement.
 */
const MIX: { text: string; card?: string; sqlite: [number, number]; postgresql: [number, number] }[] = [
  { text: '/budget', sqlite: [9, 1], postgresql: [8, 1] },
  { text: '/risk report market 3 3 bench-risk', card: TEAM, sqlite: [15, 1], postgresql: [14, 1] },
  { text: '/budget request 100 SEM bench-request', card: APPROVALS, sqlite: [18, 1], postgresql: [17, 1] },
  { text: '/campaign list', sqlite: [10, 1], postgresql: [9, 1] },
  { text: '/agenda add bench-topic', sqlite: [12, 1], postgresql: [11, 1] },
];

const show = (c: Cost) => c.sql.map((s) => `  ${s.replace(/\s+/g, ' ').slice(0, 140)}`).join('\n');

describe('database round trips per command (Slack, end to end)', () => {
  it('each command of the benchmark mix costs at most its pinned statements and transactions', async () => {
    // A first run creates the person's row; the benchmark's people have acted before.
    for (const m of MIX) await cost(m.text, m.card);
    for (const m of MIX) {
      const c = await cost(m.text, m.card);
      const [statementsMax, transactionsMax] = onPostgres ? m.postgresql : m.sqlite;
      console.log(`${m.text}: ${c.statements} statements, ${c.transactions} transactions${process.env.SHOW_SQL ? `\n${show(c)}` : ''}`);
      expect(c.statements, `${m.text}\n${show(c)}`).toBeLessThanOrEqual(statementsMax);
      expect(c.transactions, `${m.text}\n${show(c)}`).toBeLessThanOrEqual(transactionsMax);
    }
  });
});
