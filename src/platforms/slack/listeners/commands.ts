// Slash commands: record the delivery (a retry of the same trigger is acked and dropped), ack, then run the command.
import type { App } from '@slack/bolt';
import { crashPoint } from '../../../faults.js';
import { log } from '../../../log.js';
import type { Actor } from '../../../usecases/types.js';
import { deliveryId } from '../ledger.js';
import type { SlackWork } from '../work.js';
import { ADMIT_WAIT_MS, decodeSlackText, type ListenerContext } from './context.js';

export function registerCommands(app: App, { ledger, work, runner }: ListenerContext): void {
  app.command(/^\/.+/, async ({ command, ack }) => {
    const id = deliveryId('cmd', command.team_id, command.user_id, command.trigger_id);
    const actor: Actor = {
      platform: 'slack',
      workspaceId: command.team_id,
      userId: command.user_id,
      displayName: command.user_name,
      channelId: command.channel_id,
    };
    const text = decodeSlackText(`${command.command} ${command.text ?? ''}`.trim());
    const w: SlackWork = { kind: 'command', actor, text, triggerId: command.trigger_id };
    await work.admit(ADMIT_WAIT_MS);
    const fresh = await ledger.claim(id, w);
    crashPoint('inbox.accepted', 'slack');
    await ack();
    if (!fresh) {
      log.info('slack.duplicate', { kind: 'command', command: command.command });
      return;
    }
    runner.push(id, 'command', (run) => runner.perform(w, run));
  });
}
