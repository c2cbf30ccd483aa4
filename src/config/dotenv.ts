// `.env` in the working directory is read at start (values already in the environment win), so an admin can
// keep the settings of docs/slack.md and docs/feishu.md in one file. Node's own parser (20.12+), no dependency.
import { existsSync } from 'node:fs';

export function loadDotEnv(file = '.env'): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}
