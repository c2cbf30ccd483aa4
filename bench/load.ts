// The load process of the end-to-end benchmarks (forked by bench/e2e.ts, so the bot under test has its own process
// and the load generator is not the limit: its CPU use is reported). It runs the fake Web API the bot answers into
// (bench/fakeApi.ts) and sends signed Slack commands or encrypted, signed Feishu events over keep-alive connections,
// then reports, per command, when it was sent, acknowledged, answered and (for commands that post one) when its card
// arrived. Messages: parent → { type: 'run', job } ; child → { type: 'ready', url } / { type: 'done', result }.
import { createHmac, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { encrypt, signature } from '../src/platforms/feishu/crypto.js';
import { startFakeApi } from './fakeApi.js';

export const SLACK_SECRET = 'bench-signing-secret-0123456789';
export const FEISHU = { appId: 'cli_bench', appSecret: 'bench-app-secret', verificationToken: 'bench-verification-token', encryptKey: 'bench-encrypt-key' };

export interface Job {
  platform: 'slack' | 'feishu';
  /** The bot's base URL. */
  target: string;
  /** Commands (index → command); a write command's answer and card are awaited as listed. */
  mix: MixEntry[];
  /** sequential: one at a time, each awaited to its answer; load: `connections` closed loops on the ack. */
  mode: 'sequential' | 'load';
  connections?: number;
  /** Stop sending after this many seconds (load), or after `count` commands. */
  durationSec?: number;
  count?: number;
  /** After the window, how long to wait for answers still on their way. */
  settleMs: number;
  /** Tag of this run (keys are "<run>x<n>"). */
  run: number;
  /** As which user (Slack user id / Feishu open_id) a command is sent; default per command. */
  as?: string;
}

export interface MixEntry {
  text: string;
  write: boolean;
  card: boolean;
}

export interface CommandRecord {
  i: number;
  write: boolean;
  sent: number;
  ack?: number;
  status?: number;
  answer?: number;
  card?: number;
  answers: number;
  cards: number;
  needsCard: boolean;
}

export interface LoadResult {
  commands: CommandRecord[];
  windowStart: number;
  windowEnd: number;
  /** CPU time of this process during the run (ms) and its wall time: the load generator's own load. */
  cpuMs: number;
  wallMs: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, headers: Record<string, string>, payload: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(10_000, () => req.destroy());
    req.end(payload);
  });
}

function slackRequest(job: Job, key: string, text: string, user: string): Promise<number> {
  const [command, ...rest] = text.split(' ');
  const body = new URLSearchParams({
    token: 'x',
    team_id: 'T1',
    team_domain: 'bench',
    channel_id: `CB${key}`,
    channel_name: 'bench',
    user_id: user,
    user_name: user.toLowerCase(),
    command: command!,
    text: rest.join(' ').replace(/\{key\}/g, key),
    api_app_id: 'A1',
    response_url: 'https://hooks.slack.invalid/commands/x',
    trigger_id: `${key}.${randomBytes(4).toString('hex')}`,
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return post(`${job.target}/slack/events`, { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig }, body);
}

function feishuRequest(job: Job, key: string, text: string, user: string): Promise<number> {
  const event = {
    schema: '2.0',
    header: { event_id: `ev-${key}-${randomBytes(4).toString('hex')}`, event_type: 'im.message.receive_v1', create_time: String(Date.now()), token: FEISHU.verificationToken, app_id: FEISHU.appId, tenant_key: 'tk1' },
    event: {
      sender: { sender_id: { open_id: user }, sender_type: 'user', tenant_key: 'tk1' },
      message: { message_id: `om-${key}`, chat_id: `oc_p2p_${user}`, chat_type: 'p2p', message_type: 'text', content: JSON.stringify({ text: text.replace(/\{key\}/g, key) }) },
    },
  };
  const raw = JSON.stringify({ encrypt: encrypt(JSON.stringify(event), FEISHU.encryptKey) });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(8).toString('hex');
  return post(
    `${job.target}/feishu/events`,
    { 'content-type': 'application/json', 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature(timestamp, nonce, FEISHU.encryptKey, raw) },
    raw,
  );
}

const records = new Map<string, CommandRecord>();
const waiting = new Map<string, () => void>();
const now = () => performance.timeOrigin + performance.now();

function complete(r: CommandRecord): boolean {
  return r.answer !== undefined && (!r.needsCard || r.card !== undefined);
}

/**
 * Opens `n` keep-alive connections to the server before the window, as the platforms keep theirs open: the figures
 * are of requests, not of connecting (a busy Node server accepts about one new connection per turn of its event loop).
 */
async function openConnections(target: string, n: number): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, () =>
      new Promise<void>((resolve) => {
        const req = request(`${target}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', () => resolve());
        req.end();
      }),
    ),
  );
}

async function runJob(job: Job): Promise<LoadResult> {
  if (job.mode !== 'sequential') await openConnections(job.target, job.connections ?? 50);
  const commands: CommandRecord[] = [];
  const cpu0 = process.cpuUsage();
  const windowStart = now();
  const deadline = job.durationSec ? windowStart + job.durationSec * 1000 : Infinity;
  const limit = job.count ?? Infinity;
  let next = 0;
  let windowEnd = windowStart;

  async function one(): Promise<void> {
    const i = next++;
    const entry = job.mix[i % job.mix.length]!;
    const key = `${job.run}x${i}`;
    const user = job.as ?? (job.platform === 'slack' ? `UB${i % 20}` : `ou_b${key}`);
    const r: CommandRecord = { i, write: entry.write, sent: now(), answers: 0, cards: 0, needsCard: entry.card };
    records.set(key, r);
    commands.push(r);
    const done = job.mode === 'sequential' ? new Promise<void>((resolve) => waiting.set(key, resolve)) : undefined;
    r.status = await (job.platform === 'slack' ? slackRequest(job, key, entry.text, user) : feishuRequest(job, key, entry.text, user));
    r.ack = now();
    if (done) await Promise.race([done, new Promise((resolve) => setTimeout(resolve, job.settleMs))]);
  }

  if (job.mode === 'sequential') {
    while (next < limit) await one();
  } else {
    await Promise.all(
      Array.from({ length: job.connections ?? 50 }, async () => {
        while (next < limit && now() < deadline) await one();
      }),
    );
  }
  windowEnd = now();
  // Answers still on their way.
  const settleUntil = now() + job.settleMs;
  while (now() < settleUntil && commands.some((c) => !complete(c))) await new Promise((resolve) => setTimeout(resolve, 20));
  const cpu = process.cpuUsage(cpu0);
  return { commands, windowStart, windowEnd, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: now() - windowStart };
}

// Run as the forked load process only (bench/e2e.ts imports this file for its types and constants).
if (process.send) {
  const fake = await startFakeApi((kind, key) => {
    const r = records.get(key);
    if (!r) return;
    const at = now();
    if (kind === 'answer') {
      r.answers++;
      r.answer ??= at;
    } else {
      r.cards++;
      r.card ??= at;
    }
    if (complete(r)) waiting.get(key)?.();
  });

  process.on('message', (msg: { type: string; job?: Job }) => {
    if (msg.type === 'run' && msg.job) {
      void runJob(msg.job).then((result) => process.send!({ type: 'done', result }));
    } else if (msg.type === 'exit') {
      fake.server.close();
      process.exit(0);
    }
  });
  process.send!({ type: 'ready', url: fake.url });
}
