// End to end, as a person feels it: the time from a signed command to its answer (and its card) arriving at the
// platform's Web API, under load. The bot runs as `npm start` runs it (node dist/main.js, its own process, its own
// temp database); a forked load process (bench/load.ts) runs the fake Web API and sends the commands, and reports its
// own CPU use so it is seen not to be the limit. Beside the bot, in the same run: the bare SDKs (bench/bare/), and for
// Slack a bare Bolt app writing the same rows with raw better-sqlite3 — the physical limit of this machine — and the
// same bot on PostgreSQL (a throwaway cluster, scripts/pg-cluster.ts; skipped with a note when PostgreSQL is not installed).
// Three rounds; every figure is printed as min / median / max over the rounds.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { findPgBin, startCluster, type Cluster } from '../scripts/pg-cluster.js';
import { FEISHU, SLACK_SECRET, type Job, type LoadResult, type MixEntry } from './load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

// ------------------------------------------------------------------------------------------ processes

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export interface Server {
  child: ChildProcess;
  url: string;
  /** ms from spawn to the first 200 of /healthz. */
  startMs: number;
  stop(): Promise<void>;
}

/** Spawns `node <args>` and waits for GET /healthz to answer 200. */
export async function startServer(args: string[], env: Record<string, string>, port: number): Promise<Server> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', process.env.BENCH_SERVER_STDERR ? 'inherit' : 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited) throw new Error(`server ${args.join(' ')} exited:\n${err}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (performance.now() - t0 > 60_000) throw new Error(`server ${args.join(' ')} did not start`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const startMs = performance.now() - t0;
  return {
    child,
    url,
    startMs,
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
      if (!exited) child.kill('SIGKILL');
    },
  };
}

export interface Loader {
  fakeUrl: string;
  run(job: Job): Promise<LoadResult>;
  stop(): void;
}

export async function startLoader(): Promise<Loader> {
  const child = fork(path.join(here, 'load.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const fakeUrl = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { type: string; url: string }) => (m.type === 'ready' ? resolve(m.url) : reject(new Error('load process'))));
    child.once('exit', () => reject(new Error('load process exited')));
  });
  return {
    fakeUrl,
    run: (job) =>
      new Promise<LoadResult>((resolve) => {
        const on = (m: { type: string; result: LoadResult }) => {
          if (m.type !== 'done') return;
          child.off('message', on);
          resolve(m.result);
        };
        child.on('message', on);
        child.send({ type: 'run', job });
      }),
    stop: () => child.send({ type: 'exit' }),
  };
}

// ------------------------------------------------------------------------------------------ figures

export function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** Ready: answered, and its card arrived when it posts one. */
const readyAt = (c: LoadResult['commands'][number]) => (c.answer === undefined || (c.needsCard && c.card === undefined) ? undefined : Math.max(c.answer, c.card ?? 0));

export interface Figures {
  [name: string]: number;
}

export function summarize(r: LoadResult, opts: { window?: boolean } = {}): Figures {
  const cmds = r.commands;
  const acks = cmds.filter((c) => c.ack !== undefined).map((c) => c.ack! - c.sent);
  const e2e = cmds.map((c) => (readyAt(c) ?? NaN) - c.sent).filter((v) => !Number.isNaN(v));
  const inWindow = cmds.filter((c) => (readyAt(c) ?? Infinity) <= r.windowEnd);
  const windowSec = (r.windowEnd - r.windowStart) / 1000;
  const lastAck = Math.max(...cmds.map((c) => c.ack ?? 0));
  const lastReady = Math.max(...cmds.map((c) => readyAt(c) ?? 0));
  const f: Figures = {
    commands: cmds.length,
    'ack p50 ms': pct(acks, 50),
    'ack p99 ms': pct(acks, 99),
    'ack max ms': Math.max(...acks),
    'answer p50 ms': pct(e2e, 50),
    'answer p99 ms': pct(e2e, 99),
    lost: cmds.filter((c) => readyAt(c) === undefined).length,
    duplicated: cmds.filter((c) => c.answers > 1 || c.cards > 1).length,
    'non-200': cmds.filter((c) => c.status !== 200).length,
    'load CPU %': (r.cpuMs / r.wallMs) * 100,
  };
  if (opts.window) {
    f['answered in window %'] = (inWindow.length / cmds.length) * 100;
    f['last answer after the window ms'] = lastReady - r.windowEnd;
    f['writes done/s'] = inWindow.filter((c) => c.write).length / windowSec;
    f['commands done/s'] = inWindow.length / windowSec;
  } else {
    f['last answer after last ack ms'] = lastReady - lastAck;
  }
  return f;
}

/** Prints rows of figures, one column group (min / median / max) per subject. */
export function printTable(title: string, subjects: { name: string; rounds: Figures[] }[], keys?: string[]): void {
  const names = keys ?? [...new Set(subjects.flatMap((s) => s.rounds.flatMap((r) => Object.keys(r))))];
  const fmt = (v: number) => (Number.isNaN(v) ? '-' : Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1));
  const cell = (vals: number[]) => {
    const s = vals.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    if (s.length === 0) return '-';
    return `${fmt(s[0]!)} / ${fmt(s[Math.floor((s.length - 1) / 2)]!)} / ${fmt(s.at(-1)!)}`;
  };
  console.log(`\n${title}  (min / median / max over ${Math.max(...subjects.map((s) => s.rounds.length))} rounds)`);
  const w = 34;
  console.log(''.padEnd(30) + subjects.map((s) => s.name.padStart(w)).join(''));
  for (const k of names) {
    if (!subjects.some((s) => s.rounds.some((r) => k in r))) continue;
    console.log(k.padEnd(30) + subjects.map((s) => cell(s.rounds.map((r) => r[k] ?? NaN)).padStart(w)).join(''));
  }
}

/**
 * After the work: how long until RSS is back within 1.5× idle (V8 returns the pages of a flood's garbage some time
 * after the allocation stops, its "memory reducer"), polled each second up to `maxSec`; and RSS then.
 */
async function memoryBack(pid: number, idle: number, maxSec = 60): Promise<Figures> {
  for (let waited = 5; ; waited++) {
    const rss = rssMiB(pid);
    if (rss <= 1.5 * idle || waited >= maxSec) return { 'RSS back ≤ 1.5× idle after s': rss <= 1.5 * idle ? waited : NaN, 'RSS then MiB': rss };
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// ------------------------------------------------------------------------------------------ the commands

/**
 * `{key}` is the command's key; the fake finds answers by channel (Slack) or open_id (Feishu), cards by "bench-<key>".
 * The reads are ones whose size does not grow with the run itself: `/risk list` reads every open risk and pages in
 * memory, so with a register that grows by hundreds a second it would measure the register's size, not the path.
 */
export const MIX: MixEntry[] = [
  { text: '/budget', write: false, card: false },
  { text: '/risk report market 3 3 bench-{key}', write: true, card: true },
  { text: '/budget request 100 SEM bench-{key}', write: true, card: true },
  { text: '/campaign list', write: false, card: false },
  { text: '/agenda add bench-{key}', write: true, card: false },
];

const SEED = ['/budget line add SEM 5000000 Search ads', '/budget line add EVT 600000 Events', '/mkt channel approvals <#CAPPROVALS|approvals>', '/mkt channel team <#CTEAM|team>'];
const FEISHU_SEED = ['/budget line add SEM 5000000 Search ads', '/budget line add EVT 600000 Events', '/mkt channel approvals oc_approvals', '/mkt channel team oc_team'];

/** `dbFile`: a SQLite file, or a postgresql:// URL. */
export function botEnv(platform: 'slack' | 'feishu', fakeUrl: string, dbFile: string): Record<string, string> {
  const common = { DATABASE_URL: dbFile.startsWith('postgresql://') ? dbFile : `file:${dbFile}`, LOG_LEVEL: 'error', HOST: '127.0.0.1', BOT_LOCALE: 'en', INSTANCE_ID: 'bench' };
  return platform === 'slack'
    ? { ...common, ADMIN_USERS: 'slack:UADMIN', SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: `${fakeUrl}/api/` }
    : {
        ...common,
        ADMIN_USERS: 'feishu:ou_admin',
        FEISHU_APP_ID: FEISHU.appId,
        FEISHU_APP_SECRET: FEISHU.appSecret,
        FEISHU_VERIFICATION_TOKEN: FEISHU.verificationToken,
        FEISHU_ENCRYPT_KEY: FEISHU.encryptKey,
        FEISHU_DOMAIN: fakeUrl,
      };
}

let runSeq = 0;
export const job = (platform: 'slack' | 'feishu', target: string, j: Partial<Job>): Job => ({
  platform,
  target,
  mix: MIX,
  mode: 'load',
  settleMs: 30_000,
  run: ++runSeq,
  ...j,
});

export async function seed(loader: Loader, platform: 'slack' | 'feishu', target: string): Promise<void> {
  const mix = (platform === 'slack' ? SEED : FEISHU_SEED).map((text) => ({ text, write: true, card: false }));
  await loader.run(job(platform, target, { mix, mode: 'load', connections: 1, count: mix.length, settleMs: 0, as: platform === 'slack' ? 'UADMIN' : 'ou_admin' }));
  await new Promise((r) => setTimeout(r, 1500)); // the seed's work is done in the background
}

/** A new, empty database on `cluster` (the bot migrates it at start); its URL. */
async function freshPostgresDatabase(cluster: Cluster, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return cluster.url.replace(/\/postgres$/, `/${name}`);
}

// ------------------------------------------------------------------------------------------ the scenarios

export interface E2eOptions {
  sustainedSec?: number;
  burst?: number;
  single?: number;
}

/** Slack: one at a time, sustained 50 connections, a burst; our bot, bare Bolt, bare Bolt + raw better-sqlite3. */
export async function runSlackE2e(opts: E2eOptions = {}): Promise<void> {
  const sustainedSec = opts.sustainedSec ?? Number(process.env.BENCH_SUSTAINED_SEC ?? 20);
  const burst = opts.burst ?? Number(process.env.BENCH_BURST ?? 2000);
  const single = opts.single ?? Number(process.env.BENCH_SINGLE ?? 200);
  // The same bot on PostgreSQL, beside it in the same run (one throwaway cluster, a fresh database per round).
  const cluster = findPgBin() ? await startCluster() : undefined;
  if (!cluster) console.log('PostgreSQL is not installed (see README, "Tests on PostgreSQL"): the bot on PostgreSQL is left out.');
  const subjects = ['bot (npm start)', ...(cluster ? ['bot on PostgreSQL'] : []), 'bare Bolt', 'bare Bolt + raw SQLite'];
  const isBot = (subject: string) => subject.startsWith('bot ');
  const results: Record<string, { single: Figures[]; sustained: Figures[]; burst: Figures[]; process: Figures[] }> = {};
  for (const s of subjects) results[s] = { single: [], sustained: [], burst: [], process: [] };
  console.log(`Slack end to end: ${single} commands one at a time; ${sustainedSec} s of 50 connections; a burst of ${burst} (50 connections). Mixed commands: ${MIX.map((m) => m.text.split(' ').slice(0, 2).join(' ')).join(', ')}.`);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const subject of subjects) {
      const loader = await startLoader();
      const dir = mkdtempSync(path.join(tmpdir(), 'mktops-bench-e2e-'));
      const port = await freePort();
      const database = subject === 'bot on PostgreSQL' ? await freshPostgresDatabase(cluster!, `bench_slack_${round}`) : path.join(dir, 'bot.db');
      const server = isBot(subject)
          ? await startServer(['dist/main.js'], botEnv('slack', loader.fakeUrl, database), port)
          : await startServer(['bench/bare/slack.mjs', subject === 'bare Bolt' ? 'answer' : 'sqlite'], { SLACK_API_URL: `${loader.fakeUrl}/api/`, SIGNING_SECRET: SLACK_SECRET, DATABASE_FILE: path.join(dir, 'bare.db') }, port);
      // The bare apps answer; they post no cards.
      const mix = isBot(subject) ? MIX : MIX.map((m) => ({ ...m, card: false }));
      try {
        if (isBot(subject)) await seed(loader, 'slack', server.url);
        const idle = rssMiB(server.child.pid!);
        results[subject]!.single.push(summarize(await loader.run(job('slack', server.url, { mix, mode: 'sequential', count: single, settleMs: 5000 }))));
        results[subject]!.sustained.push(summarize(await loader.run(job('slack', server.url, { mix, connections: 50, durationSec: sustainedSec })), { window: true }));
        results[subject]!.burst.push(summarize(await loader.run(job('slack', server.url, { mix, connections: 50, count: burst }))));
        await new Promise((r) => setTimeout(r, 5000)); // the work is done: memory should come back
        const figures: Figures = { 'start to /healthz ms': server.startMs, 'idle RSS MiB': idle, 'RSS after the runs MiB': rssMiB(server.child.pid!) };
        if (isBot(subject)) Object.assign(figures, await memoryBack(server.child.pid!, idle));
        results[subject]!.process.push(figures);
      } finally {
        await server.stop();
        loader.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    console.log(`  round ${round} done`);
  }
  cluster?.stop();
  const table = (k: 'single' | 'sustained' | 'burst' | 'process') => subjects.map((s) => ({ name: s, rounds: results[s]![k] }));
  printTable('One at a time (command → answer and card at the fake Web API)', table('single'), ['answer p50 ms', 'answer p99 ms', 'ack p99 ms', 'lost', 'duplicated']);
  printTable(`Sustained: 50 connections, ${sustainedSec} s`, table('sustained'), [
    'commands',
    'ack p50 ms',
    'ack p99 ms',
    'ack max ms',
    'answer p50 ms',
    'answer p99 ms',
    'answered in window %',
    'writes done/s',
    'commands done/s',
    'lost',
    'duplicated',
    'non-200',
    'load CPU %',
  ]);
  printTable(`Burst of ${burst} (50 connections)`, table('burst'), ['ack p99 ms', 'ack max ms', 'answer p99 ms', 'last answer after last ack ms', 'lost', 'duplicated', 'non-200', 'load CPU %']);
  printTable('Process', table('process'));
  console.log('\nTargets: one at a time p99 ≤ 60 ms; sustained p99 ≤ 1,000 ms, ≥ 95 % answered in the window, ≥ 400 writes/s; burst answered ≤ 5,000 ms after its last ack; 0 lost, 0 duplicated; acks < 3 s; start ≤ 2× bare Bolt; idle RSS ≤ 150 MiB, back ≤ 1.5× idle once the work is done.');
}

/** Feishu: ack and answer under 50 connections, per command, beside the bare Lark SDK. */
export async function runFeishuE2e(opts: { sustainedSec?: number } = {}): Promise<void> {
  const sustainedSec = opts.sustainedSec ?? Number(process.env.BENCH_SUSTAINED_SEC ?? 10);
  const subjects = ['bot (npm start)', 'bare Lark SDK (ack)', 'bare Lark SDK (answer)'] as const;
  const results: Record<string, Figures[]> = {};
  for (const s of subjects) results[s] = [];
  console.log(`Feishu end to end: encrypted, signed im.message.receive_v1 text commands, 50 connections, ${sustainedSec} s.`);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const subject of subjects) {
      const loader = await startLoader();
      const dir = mkdtempSync(path.join(tmpdir(), 'mktops-bench-feishu-'));
      const port = await freePort();
      const server =
        subject === 'bot (npm start)'
          ? await startServer(['dist/main.js'], botEnv('feishu', loader.fakeUrl, path.join(dir, 'bot.db')), port)
          : await startServer(['bench/bare/feishu.mjs', subject.includes('answer') ? 'answer' : 'ack'], { FEISHU_URL: loader.fakeUrl }, port);
      try {
        if (subject === 'bot (npm start)') await seed(loader, 'feishu', server.url);
        const mix = subject === 'bot (npm start)' ? MIX : MIX.map((m) => ({ ...m, card: false }));
        // Feishu's acks are not held back (src/platforms/feishu/events.ts), so the 50 connections send more than the
        // work can do: wait long enough for every answer, so that "lost" means lost.
        const r = await loader.run(job('feishu', server.url, { mix, connections: 50, durationSec: sustainedSec, settleMs: 180_000 }));
        const f = summarize(r, { window: true });
        if (subject === 'bare Lark SDK (ack)') for (const k of Object.keys(f)) if (!k.startsWith('ack') && k !== 'commands' && k !== 'non-200' && k !== 'load CPU %') delete f[k];
        // Ack p99 per command.
        MIX.forEach((m, i) => {
          const acks = r.commands.filter((c) => c.i % MIX.length === i && c.ack !== undefined).map((c) => c.ack! - c.sent);
          f[`ack p99 ${m.text.split(' ').slice(0, 2).join(' ')} ms`] = pct(acks, 99);
        });
        results[subject]!.push(f);
      } finally {
        await server.stop();
        loader.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    console.log(`  round ${round} done`);
  }
  printTable(
    `Feishu: 50 connections, ${sustainedSec} s`,
    subjects.map((s) => ({ name: s, rounds: results[s]! })),
  );
  console.log('\nTargets: ack p99 ≤ 100 ms for every command (≤ 5× the bare SDK), never ≥ 3 s; answers flow as on Slack.');
}
