// "@bot budget" in a channel works like "/budget" (events are acked by Bolt before listeners run).
import type { App } from '@slack/bolt';
import { crashPoint } from '../../../faults.js';
import type { Actor } from '../../../usecases/types.js';
import { deliveryId } from '../ledger.js';
import type { SlackWork } from '../work.js';
import { decodeSlackText, type ListenerContext } from './context.js';

export function registerEvents(app: App, { ledger, runner }: ListenerContext): void {
  app.event('app_mention', async ({ event, body }) => {
    const team = (body as { team_id?: string }).team_id ?? event.team ?? '';
    const eventId = (body as { event_id?: string }).event_id;
    if (!event.user) return;
    const id = deliveryId('evt', team, eventId ?? `${event.channel}:${event.ts}`);
    const text = decodeSlackText(event.text.replace(/<@[UW][A-Z0-9]+>/g, '').trim());
    const actor: Actor = { platform: 'slack', workspaceId: team, userId: event.user, channelId: event.channel };
    const w: SlackWork = { kind: 'mention', actor, text: text.startsWith('/') ? text : `/${text || 'mkt help'}` };
    if (!(await ledger.claim(id, w))) return;
    crashPoint('inbox.accepted', 'slack');
    runner.push(id, 'mention', (run) => runner.perform(w, run));
  });
}
