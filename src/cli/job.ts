// Entry of `npm run job -- <name>` (see runJob.ts). Exits explicitly: platform clients may hold sockets open.
import { loadDotEnv } from '../config/dotenv.js';
import { runJobCommand } from './runJob.js';
import { leanWasm } from '../db/client.js';

leanWasm();
loadDotEnv();
const code = await runJobCommand(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`job failed: ${(error as Error)?.stack ?? String(error)}`);
  return 1;
});
process.exit(code);
