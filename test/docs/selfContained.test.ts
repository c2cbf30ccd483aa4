// The repository stands on its own: nothing points outside it (the product's inputs were written elsewhere, but
// a clone has only what is here), and every relative link in README and docs/ names a file that exists.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', '.git', 'data', 'coverage', 'generated', 'artifacts']);
const TEXT = /\.(md|ts|mjs|js|json|ya?ml|sh|toml|prisma|sql|example)$|^run$/;

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (TEXT.test(name) && name !== 'package-lock.json') out.push(path);
  }
  return out;
}

describe('the repository stands on its own', () => {
  it('no file points at the shared inputs outside the repository', () => {
    const outside = ['..', 'shared'].join('/');
    const absolute = ['', 'work', 'shared'].join('/');
    const offenders = files(ROOT)
      .filter((f) => {
        const text = readFileSync(f, 'utf8');
        return text.includes(outside + '/') || text.includes(absolute);
      })
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('every relative link in README and docs/ resolves to a file in the repository', () => {
    const docs = [join(ROOT, 'README.md'), ...files(join(ROOT, 'docs')).filter((n) => n.endsWith('.md'))];
    const broken: string[] = [];
    for (const doc of docs) {
      const text = readFileSync(doc, 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (!target || /^[a-z]+:/i.test(target)) continue;
        if (!existsSync(resolve(dirname(doc), target))) broken.push(`${relative(ROOT, doc)} → ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the policy and the product rules are written down in docs/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('(docs/policy.md)');
    expect(readme).toContain('(docs/product.md)');
    const policy = readFileSync(join(ROOT, 'docs/policy.md'), 'utf8');
    for (const part of ['二', '四', '五', '六', '七', '八']) expect(policy).toMatch(new RegExp(`\\| ${part} `));
  });

  it('screenshots of the playground in both languages are in docs/ and linked from README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('(docs/screenshots/README.md)');
    const index = readFileSync(join(ROOT, 'docs/screenshots/README.md'), 'utf8');
    const images = [...index.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(images.filter((i) => i.startsWith('zh-')).length).toBeGreaterThanOrEqual(5);
    expect(images.filter((i) => i.startsWith('en-')).length).toBe(images.filter((i) => i.startsWith('zh-')).length);
    for (const image of images) expect(statSync(join(ROOT, 'docs/screenshots', image)).size).toBeGreaterThan(10_000);
  });
});
