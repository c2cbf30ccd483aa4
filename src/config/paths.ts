// Where the project's files are, found from this module's own file: the same answer from the sources (tests, tsx)
// and from the bundled dist/ (npm start), whatever folder the code runs from. Files the app reads at run time
// (migrations, the playground's assets) are named from here, never relative to the module that reads them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The folder holding package.json, src/, dist/ and prisma/. */
export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** True when this code runs from the TypeScript sources (tests, tsx scripts), false from the bundled dist/. */
export const fromSource = import.meta.url.endsWith('.ts');
