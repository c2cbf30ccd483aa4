import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadDotEnv } from '../../src/config/dotenv.js';

const keys = ['MKTOPS_TEST_A', 'MKTOPS_TEST_B'];
afterEach(() => keys.forEach((k) => delete process.env[k]));

it('reads .env when present, without overriding the real environment', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dotenv-')), '.env');
  writeFileSync(file, 'MKTOPS_TEST_A=from-file\nMKTOPS_TEST_B=from-file\n');
  process.env.MKTOPS_TEST_B = 'from-env';
  expect(loadDotEnv(file)).toBe(true);
  expect(process.env.MKTOPS_TEST_A).toBe('from-file');
  expect(process.env.MKTOPS_TEST_B).toBe('from-env');
  expect(loadDotEnv(path.join(path.dirname(file), 'missing.env'))).toBe(false);
});
