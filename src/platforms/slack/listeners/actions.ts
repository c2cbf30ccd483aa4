// Button clicks: the button's value is the action reference the core parses (src/messages/actions.ts); recorded,
// acked, then run. Selects inside modals need nothing until the form is submitted.
import type { AllMiddlewareArgs, App, SlackActionMiddlewareArgs } from '@slack/bolt';
import { crashPoint } from '../../../faults.js';
import { log } from '../../../log.js';
import type { Actor } from '../../../usecases/types.js';
import { deliveryId } from '../ledger.js';
import type { SlackWork } from '../work.js';
import { ADMIT_WAIT_MS, type ListenerContext } from './context.js';

export function registerActions(app: App, { ledger, work, runner }: ListenerContext): void {
  app.action(/.*/, async (args: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
    const { body, action, ack } = args;
    if (body.type !== 'block_actions' || action.type !== 'button') {
      await ack();
      return;
    }
    const team = body.team?.id ?? body.user.team_id ?? '';
    const button = action as { value?: string; action_id: string; action_ts: string };
    const ref = button.value ?? button.action_id;
    const id = deliveryId('act', team, body.user.id, body.trigger_id ?? `${button.action_ts}:${button.action_id}`);
    const actor: Actor = {
      platform: 'slack',
      workspaceId: team,
      userId: body.user.id,
      displayName: body.user.name ?? body.user.username,
      channelId: body.channel?.id,
    };
    const w: SlackWork = { kind: 'action', actor, ref, triggerId: body.trigger_id };
    await work.admit(ADMIT_WAIT_MS);
    const fresh = await ledger.claim(id, w);
    crashPoint('inbox.accepted', 'slack');
    await ack();
    if (!fresh) {
      log.info('slack.duplicate', { kind: 'action', ref });
      return;
    }
    runner.push(id, 'action', (run) => runner.perform(w, run));
  });
}
