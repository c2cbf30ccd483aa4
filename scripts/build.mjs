// `npm run build`: bundles src/ into dist/ with esbuild — what production runs with plain node (no TypeScript
// compiler at run time). One file per entry point, the code they share in dist/chunks/; a platform's code (and its
// SDK) sits in a chunk of its own, loaded only when that platform is configured. The packages are bundled too: a
// start reads a few large files instead of resolving and compiling some thousand small modules (start-up time and
// memory: README, "Benchmarks"). Left outside, loaded from node_modules: the native SQLite driver, the PostgreSQL
// driver, the Lark SDK, and the packages loaded only for a spreadsheet or a chart (these find their own files at
// run time).
// Types are checked by `npm run typecheck` (part of `npm test`), not here: the build only transpiles.
//   node scripts/build.mjs            build
//   node scripts/build.mjs --if-stale build only when a file under src/ is newer than the last build
// `npm install` builds once (postinstall); `npm start` and `npm run job` build first only when src/ changed since.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.build-stamp');

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

function newestSource() {
  let newest = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  for (const f of [path.join(root, 'package.json'), ...files(src)]) newest = Math.max(newest, statSync(f).mtimeMs);
  return newest;
}

/**
 * Prisma's query compiler is WebAssembly that its package ships as one JavaScript module holding a 4 MB base64
 * string; compiling that module at every start costs ~35 ms. The bundle reads the same string from a text file
 * beside the chunks instead (the generated client decodes it as before).
 */
const prismaWasmAsText = {
  name: 'prisma-wasm-as-text',
  setup(b) {
    const require = createRequire(path.join(root, 'package.json'));
    b.onResolve({ filter: /^@prisma\/client\/runtime\/query_compiler_\w+_bg\.\w+\.wasm-base64\.mjs$/ }, (args) => ({
      path: require.resolve(args.path),
      namespace: 'prisma-wasm',
    }));
    // The generated client compiles the module synchronously (new WebAssembly.Module) on the main thread; compiled
    // asynchronously, V8 does it on background threads while the start goes on (the platform's code loads meanwhile).
    b.onLoad({ filter: /[\\/]generated[\\/]prisma[\\/]internal[\\/]class\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const sync = 'return new WebAssembly.Module(wasmArray)';
      if (!source.includes(sync)) throw new Error(`unexpected layout of ${args.path}`);
      return { contents: source.replace(sync, 'return await WebAssembly.compile(wasmArray)'), loader: 'ts' };
    });
    b.onLoad({ filter: /.*/, namespace: 'prisma-wasm' }, (args) => {
      const name = `${path.basename(args.path, '.mjs')}.txt`;
      const text = readFileSync(args.path, 'latin1').match(/const wasm = "([A-Za-z0-9+/=]+)"/)?.[1];
      if (!text) throw new Error(`unexpected layout of ${args.path}`);
      mkdirSync(path.join(dist, 'chunks'), { recursive: true });
      writeFileSync(path.join(dist, 'chunks', name), text);
      return {
        contents: `import { readFileSync } from 'node:fs';\nexport const wasm = readFileSync(new URL(${JSON.stringify(`./${name}`)}, import.meta.url), 'latin1');\n`,
        loader: 'js',
      };
    });
  },
};

/**
 * Bolt loads its Socket Mode client (and with it a WebSocket stack, ~1 MB of code) at every start, but the bot uses
 * it only when SLACK_APP_TOKEN is set. The bundle puts a stand-in where Bolt imports it: constructing the stand-in
 * loads the real client from node_modules (kept outside the bundle) and returns it, so a start over HTTP never
 * reads that code and Socket Mode works as before (test/start/compiled.test.ts starts the bundle in Socket Mode).
 */
const socketModeOnDemand = {
  name: 'socket-mode-on-demand',
  setup(b) {
    b.onResolve({ filter: /^@slack\/socket-mode$/ }, (args) =>
      args.namespace === 'on-demand' ? { path: args.path, external: true } : { path: 'socket-mode', namespace: 'on-demand' },
    );
    b.onLoad({ filter: /.*/, namespace: 'on-demand' }, () => ({
      contents: [
        'export class SocketModeClient {',
        '  constructor(...args) {',
        "    const { SocketModeClient: Real } = require('@slack/socket-mode');",
        '    return new Real(...args);',
        '  }',
        '}',
        '',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

const ifStale = process.argv.includes('--if-stale');
if (ifStale && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource()) process.exit(0);

const started = Date.now();
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
try {
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      main: 'src/main.ts', // npm start
      job: 'src/cli/job.ts', // npm run job
      drawWorker: 'src/charts/drawWorker.ts', // the chart thread (src/charts/drawer.ts)
      migrate: 'src/db/migrate.ts', // the migration applier alone (the benchmark's raw-SQLite baseline uses it)
    },
    outdir: 'dist',
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    plugins: [prismaWasmAsText, socketModeOnDemand],
    logLevel: 'warning',
    external: [
      'better-sqlite3',
      '@larksuiteoapi/node-sdk', // finds its own package.json from its folder
      'pg',
      'pg-native',
      'exceljs',
      'csv-parse',
      'echarts',
      '@resvg/resvg-wasm',
      'harfbuzzjs',
      '@expo-google-fonts/noto-sans-sc',
    ],
    // Bundled CommonJS packages call require() for Node's own modules: give every ES module file one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  // Which source and package files went into which output file (test/start/compiled.test.ts reads it).
  writeFileSync(path.join(dist, 'meta.json'), JSON.stringify(result.metafile));
} catch {
  console.error('build failed: see the errors above');
  process.exit(1);
}
writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
// Stamped with the start of the build: a file saved while the build ran is newer, and the next start builds again.
utimesSync(stamp, started / 1000, started / 1000);
console.error(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
