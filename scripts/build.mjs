// `npm run build`: compiles src/ to dist/ (tsc -p tsconfig.build.json) and copies every file of src/ that is not
// TypeScript (the playground's stylesheet and script, fonts, …) beside the compiled modules, so dist/ finds its
// assets where src/ does. Production runs dist/ with plain node: no TypeScript compiler at run time.
//   node scripts/build.mjs            build (incremental)
//   node scripts/build.mjs --if-stale build only when a file under src/ (or a tsconfig) is newer than the last build
// `npm install` builds once (postinstall); `npm start` and `npm run job` build first only when src/ changed since.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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
  let newest = 0;
  for (const f of [path.join(root, 'tsconfig.json'), path.join(root, 'tsconfig.build.json'), ...files(src)]) {
    newest = Math.max(newest, statSync(f).mtimeMs);
  }
  return newest;
}

const ifStale = process.argv.includes('--if-stale');
if (ifStale && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource()) process.exit(0);

const started = Date.now();
const tsc = path.join(path.dirname(fileURLToPath(import.meta.resolve('typescript/package.json'))), 'bin', 'tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
} catch {
  console.error('build failed: see the TypeScript errors above');
  process.exit(1);
}
let copied = 0;
for (const file of files(src)) {
  if (file.endsWith('.ts')) continue;
  const target = path.join(dist, path.relative(src, file));
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(file, target);
  copied++;
}
writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
// Stamped with the start of the build: a file saved while tsc ran is newer, and the next start builds again.
utimesSync(stamp, started / 1000, started / 1000);
console.error(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s (${copied} asset files copied)`);
