// `npm start`: validate the environment, then run every configured platform on one HTTP port.
// With no platform configured, the local playground runs on 127.0.0.1 instead.
import { startApp } from './app.js';
import { loadDotEnv } from './config/dotenv.js';
import { ConfigError, loadConfig, type AppConfig } from './config/env.js';
import { log } from './log.js';
import { leanWasm } from './db/client.js';

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

leanWasm();
const config = readConfig();
log.setLevel(config.logLevel);
const playground = !config.slack && !config.feishu;
if (playground) {
  // Nothing to receive from the outside: keep the playground private to this machine.
  config.host = '127.0.0.1';
}

const app = await startApp(config);
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
