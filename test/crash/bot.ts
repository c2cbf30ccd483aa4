// Runs the real bot (`src/main.ts`, as `npm start` does) as a child process against loopback fakes of Slack and
// Feishu, so a test can kill it with SIGKILL at a chosen point (MKTOPS_CRASH_AT, see src/faults.ts) and start it
// again on the same database and port.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../support/waitFor.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BotProcess {
  child: ChildProcess;
  /** What the bot wrote to stdout and stderr (JSON log lines). */
  output(): string;
  /** Resolves with the signal (or exit code) the process ended with. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `node --import tsx src/main.ts` with `env` and waits until /healthz answers (or the process ended). */
export async function startBot(env: Record<string, string>, port: number): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  let ended = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      ended = true;
      resolve({ code, signal });
    }),
  );
  await waitFor(
    async () => ended || (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200,
    { what: 'the bot to answer /healthz', timeoutMs: 60_000, intervalMs: 50 },
  );
  if (ended) throw new Error(`the bot ended before it was ready:\n${out.slice(-2000)}`);
  return {
    child,
    output: () => out,
    exited,
    async stop() {
      if (!ended) child.kill('SIGTERM');
      await exited;
    },
  };
}
