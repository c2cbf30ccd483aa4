// `npm start`: validate the environment, then run every configured platform on one HTTP port.
// With no platform configured, the local playground runs on 127.0.0.1 instead.
import { startApp } from './app.js';
import { loadDotEnv } from './config/dotenv.js';
import { ConfigError, loadConfig, type AppConfig } from './config/env.js';
import { log } from './log.js';
import { leanWasm } from './db/client.js';
import { testStartOptions } from './testClock.js';

function readConfig(): AppConfig {
  try {
    loadDotEnv();
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message} See README.md ("Configuration").`);
      process.exit(1);
    }
    throw error;
  }
}

/** A port that cannot be listened on, as one line saying what to do; null for any other error. */
function listenProblem(error: unknown, port: number, host: string): string | null {
  const code = (error as { code?: unknown })?.code;
  if (code === 'EADDRINUSE') return `Cannot start: port ${port} on ${host} is already in use (another bot or program). Stop it, or set PORT to a free port.`;
  if (code === 'EACCES') return `Cannot start: no permission to listen on port ${port} on ${host}. Use a port above 1023, or set PORT.`;
  if (code === 'EADDRNOTAVAIL') return `Cannot start: ${host} is not an address of this machine. Set HOST to one of its addresses, or 0.0.0.0.`;
  return null;
}

leanWasm();
const config = readConfig();
log.setLevel(config.logLevel);
const playground = !config.slack && !config.feishu;
if (playground) {
  // Nothing to receive from the outside: keep the playground private to this machine.
  config.host = '127.0.0.1';
}

const app = await startApp(config, testStartOptions()).catch((error: unknown) => {
  const why = listenProblem(error, config.port, config.host);
  if (!why) throw error;
  console.error(why);
  process.exit(1);
});
if (playground) {
  console.log(
    [
      `No chat platform is configured, so the local playground is running: http://127.0.0.1:${app.port}/`,
      'To connect Slack set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (docs/slack.md);',
      'to connect Feishu set FEISHU_APP_ID, FEISHU_APP_SECRET and FEISHU_VERIFICATION_TOKEN (docs/feishu.md).',
      `Health check: http://127.0.0.1:${app.port}/healthz`,
    ].join('\n'),
  );
}

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  log.info('app.stopping', { signal });
  await app.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
