// Baselines for bench/e2e.ts, plain JavaScript run by plain node (no TypeScript at start):
//   node bench/bare/slack.mjs ack     a bare Bolt app whose command listener only acks
//   node bench/bare/slack.mjs answer  … acks, then answers with chat.postEphemeral (the bare SDK's end to end)
//   node bench/bare/slack.mjs sqlite  … and writes the rows our bot writes for a command with raw better-sqlite3
//                                     prepared statements (the physical limit of the same work on this machine)
// Env: PORT, SLACK_API_URL, SIGNING_SECRET, DATABASE_FILE (sqlite). Serves GET /healthz.
import bolt from '@slack/bolt';

const mode = process.argv[2] ?? 'ack';
const app = new bolt.App({
  signingSecret: process.env.SIGNING_SECRET,
  token: 'xoxb-bench',
  botId: 'BBOT',
  botUserId: 'UBOT',
  logLevel: bolt.LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => (res.writeHead(200), res.end('{"ok":true}')) }],
});

let rows;
if (mode === 'sqlite') {
  const { applyMigrations } = await import('../../dist/migrate.js');
  const { default: Database } = await import('better-sqlite3');
  applyMigrations(process.env.DATABASE_FILE);
  const db = new Database(process.env.DATABASE_FILE);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const now = () => new Date().toISOString();
  const s = {
    accept: db.prepare('INSERT INTO ProcessedDelivery (id, receivedAt, payload, owner) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id'),
    person: db.prepare('SELECT id FROM Person WHERE platform = ? AND workspaceId = ? AND userId = ?'),
    addPerson: db.prepare('INSERT INTO Person (platform, workspaceId, userId, displayName, createdAt) VALUES (?, ?, ?, ?, ?) RETURNING id'),
    risk: db.prepare(
      "INSERT INTO Risk (category, likelihood, impact, score, grade, title, reporterId, status, createdAt, updatedAt) VALUES ('market', 3, 3, 9, 'medium', ?, ?, 'open', ?, ?) RETURNING id",
    ),
    audit: db.prepare("INSERT INTO AuditLog (at, actorId, action, entity, entityId, data) VALUES (?, ?, 'risk.report', 'Risk', ?, ?)"),
    outbox: db.prepare(
      "INSERT INTO OutboxMessage (platform, workspaceId, kind, target, payload, status, nextAttemptAt, createdAt) VALUES ('slack', 'T1', ?, ?, ?, 'pending', ?, ?) RETURNING id",
    ),
    done: db.prepare('UPDATE ProcessedDelivery SET doneAt = ?, payload = NULL WHERE id = ? AND doneAt IS NULL'),
    claim: db.prepare("UPDATE OutboxMessage SET status = 'sending', attempts = attempts + 1 WHERE id = ? AND status = 'pending'"),
    sent: db.prepare("UPDATE OutboxMessage SET status = 'sent', sentAt = ? WHERE id = ?"),
  };
  rows = {
    accept: (id, payload) => s.accept.get(id, now(), payload, 'bare') !== undefined,
    work: db.transaction((id, user, title, answer) => {
      const t = now();
      const person = s.person.get('slack', 'T1', user) ?? s.addPerson.get('slack', 'T1', user, user, t);
      const risk = s.risk.get(title, person.id, t, t);
      s.audit.run(t, person.id, String(risk.id), JSON.stringify({ title }));
      const out = s.outbox.get('ephemeral', answer.target, JSON.stringify(answer), t, t);
      s.done.run(t, id);
      return out.id;
    }),
    claim: (id) => s.claim.run(id),
    sent: (id) => s.sent.run(now(), id),
  };
}

app.command(/.*/, async ({ command, ack, client }) => {
  const id = `slack:cmd:${command.trigger_id}`;
  if (rows && !rows.accept(id, JSON.stringify({ kind: 'command', text: command.text }))) return ack();
  await ack();
  if (mode === 'ack') return;
  setImmediate(async () => {
    const text = `Done: ${command.command} ${command.text}`;
    const outboxId = rows?.work(id, command.user_id, command.text, { target: `${command.channel_id}/${command.user_id}`, text });
    if (outboxId !== undefined) rows.claim(outboxId);
    await client.chat.postEphemeral({ channel: command.channel_id, user: command.user_id, text });
    if (outboxId !== undefined) rows.sent(outboxId);
  });
});

await app.start(Number(process.env.PORT ?? 0));
process.stdout.write('READY\n');
