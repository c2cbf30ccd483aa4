// Every Slack listener, one file each (Bolt's sample-app layout): slash commands, button clicks, options of external
// selects, modal submissions and events. A new kind of Slack request lands here as one file.
import type { App } from '@slack/bolt';
import { log } from '../../../log.js';
import { registerActions } from './actions.js';
import { registerCommands } from './commands.js';
import type { ListenerContext } from './context.js';
import { registerEvents } from './events.js';
import { registerOptions } from './options.js';
import { registerViews } from './views.js';

export type { ListenerContext } from './context.js';

export function registerListeners(app: App, ctx: ListenerContext): void {
  registerCommands(app, ctx);
  registerActions(app, ctx);
  registerOptions(app, ctx);
  registerViews(app, ctx);
  registerEvents(app, ctx);
  app.error(async (error) => {
    log.error('slack.listener_failed', { error });
  });
}
