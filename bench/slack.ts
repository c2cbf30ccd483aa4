// Ack latency and throughput of signed slash commands over loopback (autocannon, 50 connections, ~5 s each):
// our bot on a read command (/budget) and a write command (/risk report …), next to a bare Bolt app that only
// acks — same machine, same run. Each server runs in its own process (bench/slackServer.ts). Every request is
// signed with a fresh timestamp and carries its own trigger_id, so the delivery ledger never short-circuits.
// Targets (docs/slack.md): p99 < 50 ms at 50 connections; throughput ≥ 70 % of bare Bolt. Prints, asserts nothing.
import autocannon, { type Result } from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECRET = 'bench-signing-secret-0123456789'; // = BENCH_SECRET in slackServer.ts

export interface SlackBenchOptions {
  connections?: number;
  durationSec?: number;
  warmupSec?: number;
}

interface Scenario {
  name: string;
  server: 'bot' | 'bare';
  command: string;
  text: (i: number) => string;
}

const SCENARIOS: Scenario[] = [
  { name: 'bare Bolt (ack only)', server: 'bare', command: '/budget', text: () => '' },
  { name: 'bot: /budget (read)', server: 'bot', command: '/budget', text: () => '' },
  { name: 'bot: /risk report (write)', server: 'bot', command: '/risk', text: (i) => `report market 2 2 Bench risk number ${i}` },
];

async function startServer(mode: 'bot' | 'bare'): Promise<{ child: ChildProcess; port: number; stop: () => Promise<string> }> {
  const tsx = path.join(here, '..', 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [path.join(here, 'slackServer.ts'), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'error' },
  });
  let out = '';
  child.stdout!.setEncoding('utf8');
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} server did not start`)), 30_000);
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return {
    child,
    port,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
      return /STATS (.*)/.exec(out)?.[1] ?? '';
    },
  };
}

function load(port: number, scenario: Scenario, connections: number, durationSec: number, runId: string): Promise<Result> {
  let n = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}/slack/events`,
    connections,
    duration: durationSec,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const i = ++n;
          const triggerId = `${runId}.${i}`;
          const body = new URLSearchParams({
            token: 'x',
            team_id: 'T1',
            team_domain: 'bench',
            channel_id: 'CGENERAL',
            channel_name: 'general',
            user_id: `UBENCH${i % 20}`,
            user_name: `bench${i % 20}`,
            command: scenario.command,
            text: scenario.text(i),
            api_app_id: 'A1',
            response_url: 'https://hooks.slack.invalid/commands/x',
            trigger_id: triggerId,
          }).toString();
          const ts = Math.floor(Date.now() / 1000);
          const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
          return {
            ...req,
            body,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-slack-request-timestamp': String(ts),
              'x-slack-signature': signature,
            },
          };
        },
      },
    ],
  });
}

export interface SlackBenchRow {
  name: string;
  p50: number;
  p99: number;
  rps: number;
  total: number;
  errors: number;
  non2xx: number;
  server?: string;
}

export async function runSlackBench(opts: SlackBenchOptions = {}): Promise<SlackBenchRow[]> {
  const connections = opts.connections ?? 50;
  const durationSec = opts.durationSec ?? 5;
  const warmupSec = opts.warmupSec ?? 1;
  const rows: SlackBenchRow[] = [];
  console.log(`Slack ack bench: ${connections} connections, ${durationSec} s per scenario (+${warmupSec} s warm-up), signed slash commands over loopback`);
  for (const scenario of SCENARIOS) {
    const server = await startServer(scenario.server);
    try {
      if (warmupSec > 0) await load(server.port, scenario, connections, warmupSec, `warm-${randomUUID()}`);
      const r = await load(server.port, scenario, connections, durationSec, `run-${randomUUID()}`);
      rows.push({
        name: scenario.name,
        p50: r.latency.p50,
        p99: r.latency.p99,
        rps: r.requests.average,
        total: r.requests.total,
        errors: r.errors + r.timeouts,
        non2xx: r.non2xx,
      });
    } finally {
      const stats = await server.stop();
      if (rows.at(-1)?.name === scenario.name) rows.at(-1)!.server = stats;
    }
  }
  print(rows);
  return rows;
}

function print(rows: SlackBenchRow[]): void {
  const bare = rows.find((r) => r.name.startsWith('bare'));
  const pad = (s: string | number, w: number) => String(s).padStart(w);
  console.log('');
  console.log(`${'scenario'.padEnd(28)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('req/s', 10)}${pad('vs bare', 9)}${pad('total', 9)}${pad('errors', 8)}${pad('non2xx', 8)}`);
  for (const r of rows) {
    const ratio = bare && bare.rps > 0 ? `${Math.round((r.rps / bare.rps) * 100)} %` : '-';
    console.log(`${r.name.padEnd(28)}${pad(r.p50, 8)}${pad(r.p99, 8)}${pad(Math.round(r.rps), 10)}${pad(ratio, 9)}${pad(r.total, 9)}${pad(r.errors, 8)}${pad(r.non2xx, 8)}`);
  }
  for (const r of rows) if (r.server) console.log(`  ${r.name}: server state at stop ${r.server}`);
  console.log('\nTargets: p99 < 50 ms at 50 connections; throughput ≥ 70 % of bare Bolt.');
}
