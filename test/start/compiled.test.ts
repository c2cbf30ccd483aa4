// Production start runs the bundled JavaScript in dist/ with plain node (`npm start`: build when src/ changed, then
// `node dist/main.js`): no TypeScript compiler at run time, the playground's assets found, and a platform's SDK
// loaded only when that platform is configured. The SDKs the build bundles (Bolt) are seen through dist/meta.json,
// which says which package files went into each file of dist/.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../crash/bot.js';
import { startFakeSlack } from '../support/fakeSlack.js';
import { commandPayload, envelope, startFakeSlackSocket } from '../support/fakeSlackSocket.js';
import { waitFor } from '../support/waitFor.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'mktops-compiled-'));

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  /** Module URLs the process resolved. */
  imports: () => string[];
  stop: () => Promise<void>;
}

async function startCompiled(name: string, env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const trace = path.join(dir, `${name}.imports`);
  const child = spawn(process.execPath, ['--import', './test/support/importTrace.mjs', 'dist/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${path.join(dir, `${name}.db`)}`,
      IMPORT_TRACE: trace,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  let ended = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => ((ended = true), resolve())));
  await waitFor(async () => ended || (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok, {
    what: `${name} to answer /healthz`,
    timeoutMs: 60_000,
    intervalMs: 50,
  });
  if (ended) throw new Error(`${name} ended before it was ready:\n${out.slice(-2000)}`);
  return {
    child,
    port,
    output: () => out,
    imports: () => readFileSync(trace, 'utf8').split('\n').filter(Boolean),
    async stop() {
      if (!ended) child.kill('SIGTERM');
      await exited;
    },
  };
}

interface Meta {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/** The packages a process loaded: those resolved from node_modules, and those bundled into the dist/ files it loaded. */
function packagesLoaded(imports: string[]): Set<string> {
  const meta = JSON.parse(readFileSync(path.join(ROOT, 'dist/meta.json'), 'utf8')) as Meta;
  const packages = new Set<string>();
  const add = (file: string) => {
    const m = /node_modules\/((@[^/]+\/)?[^/]+)\//.exec(file);
    if (m) packages.add(m[1]!);
  };
  for (const url of imports) {
    if (!url.startsWith('file:')) continue;
    const file = fileURLToPath(url);
    add(file);
    const output = meta.outputs[path.relative(ROOT, file).split(path.sep).join('/')];
    for (const input of Object.keys(output?.inputs ?? {})) add(input);
  }
  return packages;
}

const loaded = (imports: string[], pkg: string) => packagesLoaded(imports).has(pkg);

describe('npm start runs the compiled app', () => {
  beforeAll(async () => {
    // What `npm start` runs first (prestart): a build when src/ is newer than dist/ (a fresh clone built at install).
    await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, timeout: 240_000 });
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('node dist/main.js');
    expect(pkg.scripts.prestart).toContain('scripts/build.mjs --if-stale');
    expect(pkg.scripts.job).toBe('node dist/job.js');
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the playground from dist/ with its assets, and loads no chat SDK, no TypeScript compiler', async () => {
    const app = await startCompiled('playground', {});
    try {
      const page = await fetch(`http://127.0.0.1:${app.port}/`).then((r) => r.text());
      // The stylesheet and script are inlined from src/platforms/local/assets (the bundle reads them there).
      const css = readFileSync(path.join(ROOT, 'src/platforms/local/assets/page.css'), 'utf8');
      expect(page).toContain(css.trim().split('\n')[0]);
      expect(page).toContain('<script');
      const imports = app.imports();
      expect(imports.some((u) => u.includes('/dist/main.js'))).toBe(true);
      expect(imports.some((u) => u.includes('/src/') && u.endsWith('.ts'))).toBe(false);
      for (const pkg of ['tsx', 'typescript', '@slack/bolt', '@larksuiteoapi/node-sdk', 'exceljs']) expect(loaded(imports, pkg), pkg).toBe(false);

      // A chart is drawn by the bundled chart thread (dist/drawWorker.js) and served as a PNG.
      const base = `http://127.0.0.1:${app.port}`;
      const post = (route: string, body: unknown) =>
        fetch(base + route, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(body) });
      expect((await post('/local/command', { user: 'ada', text: '/budget line add SEM 120000 Search ads' })).status).toBe(200);
      expect((await post('/local/command', { user: 'mia', text: '/budget chart' })).status).toBe(200);
      let file: { id: string } | undefined;
      await waitFor(
        async () => {
          const feed = (await fetch(`${base}/local/feed?user=mia&since=0`).then((r) => r.json())) as { items: { file?: { id: string; name: string } }[] };
          file = feed.items.find((i) => i.file?.name.startsWith('chart-budget-use-'))?.file;
          return Boolean(file);
        },
        { what: 'the chart in the feed', timeoutMs: 30_000, intervalMs: 100 },
      );
      const png = Buffer.from(await (await fetch(`${base}/local/file?id=${file!.id}&user=mia`)).arrayBuffer());
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(app.imports().some((u) => u.endsWith('/dist/drawWorker.js'))).toBe(true);
    } finally {
      await app.stop();
    }
  });

  it('with only Slack configured (over HTTP), neither the Lark SDK nor the Socket Mode client is loaded', async () => {
    const app = await startCompiled('slack', {
      SLACK_BOT_TOKEN: 'xoxb-compiled',
      SLACK_SIGNING_SECRET: 'compiled-signing-secret',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
    });
    try {
      expect(loaded(app.imports(), '@slack/bolt')).toBe(true);
      expect(loaded(app.imports(), '@larksuiteoapi/node-sdk')).toBe(false);
      // Over HTTP, Bolt's Socket Mode client (and its WebSocket stack) is never read: the bundle loads it on demand.
      expect(loaded(app.imports(), '@slack/socket-mode')).toBe(false);
      // Prisma's query compiler was compiled off the main thread (the bundle's WebAssembly.compile), and it works:
      // /healthz answered through it.
      expect(app.imports().filter((line) => line.startsWith('wasm:sync:'))).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('in Socket Mode (SLACK_APP_TOKEN) the bundle loads the Socket Mode client on demand, dials out and acks envelopes', async () => {
    const socket = await startFakeSlackSocket();
    const fake = await startFakeSlack({ socketModeUrl: socket.url });
    const app = await startCompiled('socket', {
      SLACK_BOT_TOKEN: 'xoxb-compiled',
      SLACK_SIGNING_SECRET: 'unused-in-socket-mode',
      SLACK_APP_TOKEN: 'xapp-1-A1-compiled',
      SLACK_API_URL: fake.url,
      ADMIN_USERS: 'slack:UADMIN',
    });
    try {
      await waitFor(() => socket.connections().length === 1, { what: 'the Socket Mode connection', timeoutMs: 30_000 });
      expect(loaded(app.imports(), '@slack/socket-mode')).toBe(true);
      const env = envelope('slash_commands', commandPayload({ id: 'UADMIN', name: 'admin' }, '/budget', ''));
      expect(await socket.deliver(env)).toEqual({ envelope_id: env.envelope_id, payload: {} });
      await waitFor(() => fake.ephemerals('UADMIN').length > 0, { what: 'the answer to /budget', timeoutMs: 30_000 });
    } finally {
      await app.stop();
      await socket.close();
      await fake.close();
    }
  });

  it('with only Feishu configured, the Slack SDK is never loaded', async () => {
    const app = await startCompiled('feishu', {
      FEISHU_APP_ID: 'cli_compiled',
      FEISHU_APP_SECRET: 'compiled-app-secret',
      FEISHU_VERIFICATION_TOKEN: 'compiled-verification-token',
      FEISHU_ENCRYPT_KEY: 'compiled-encrypt-key',
      FEISHU_DOMAIN: 'http://127.0.0.1:9',
    });
    try {
      expect(loaded(app.imports(), '@larksuiteoapi/node-sdk')).toBe(true);
      expect(loaded(app.imports(), '@slack/bolt')).toBe(false);
    } finally {
      await app.stop();
    }
  });
});
