// Options of external selects: a select with more options than Slack lets a modal carry (100) is an external select,
// and Slack asks for the options matching what the person types (answered within the ack; a read, nothing written).
import type { App } from '@slack/bolt';
import type { Actor } from '../../../usecases/types.js';
import { parseModalMeta, slackOption } from '../modal.js';
import type { ListenerContext } from './context.js';

export function registerOptions(app: App, { core }: ListenerContext): void {
  app.options({ type: 'block_suggestion' }, async ({ body, ack }) => {
    const b = body as { action_id?: string; value?: string; team?: { id?: string } | null; user?: { id: string; team_id?: string }; view?: { private_metadata?: string; callback_id?: string } };
    const meta = parseModalMeta(b.view?.private_metadata, b.view?.callback_id);
    if (!meta || !b.user || !b.action_id) {
      await ack({ options: [] });
      return;
    }
    const actor: Actor = { platform: 'slack', workspaceId: b.team?.id ?? b.user.team_id ?? '', userId: b.user.id, channelId: meta.channelId };
    const options = (await core.options?.(actor, meta.form, b.action_id, String(b.value ?? ''))) ?? [];
    await ack({ options: options.map(slackOption) } as never);
  });
}
