// Entry of `npm run job -- <name>` (see runJob.ts). Exits explicitly: platform clients may hold sockets open.
import { runJobCommand } from './runJob.js';

const code = await runJobCommand(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`job failed: ${(error as Error)?.stack ?? String(error)}`);
  return 1;
});
process.exit(code);
