// A fresh SQLite file per test, migrated like production.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/db/client.js';

export function tempDbFile(prefix = 'mktops-test-'): string {
  return path.join(mkdtempSync(path.join(tmpdir(), prefix)), 'test.db');
}

export async function openTempDb(): Promise<Db> {
  return openDatabase(`file:${tempDbFile()}`);
}
