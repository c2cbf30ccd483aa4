// Modal submissions. Validation errors must be in the ack, so the core runs before it (it is fast); a submission is
// keyed by its form instance (view id + hash), so a double click submits once. A submission slower than the deadline
// closes the modal and is answered privately when done; the plan import's file is fetched after the ack.
import type { App } from '@slack/bolt';
import { crashPoint } from '../../../faults.js';
import { log } from '../../../log.js';
import type { Message } from '../../../messages/model.js';
import { DeliveryAlreadyDone, type Actor, type Outcome } from '../../../usecases/types.js';
import { deliveryId } from '../ledger.js';
import { PLAN_IMPORT_FORM } from '../planImport.js';
import { parseModalMeta, readViewValues, renderModal } from '../modal.js';
import { toPlain } from '../render.js';
import { hasFormErrors, lateSubmitAnswers, type Run, type SlackWork } from '../work.js';
import type { ListenerContext } from './context.js';

/** How long a submission may take before the modal is closed and the answer sent later (Slack allows 3 s). */
const SUBMIT_DEADLINE_MS = 2500;

export function registerViews(app: App, { core, db, ledger, inbox, runner }: ListenerContext): void {
  app.view({ type: 'view_submission', callback_id: /.*/ }, async ({ body, view, ack }) => {
    const meta = parseModalMeta(view.private_metadata, view.callback_id);
    const team = body.team?.id ?? body.user.team_id ?? '';
    const actor: Actor = {
      platform: 'slack',
      workspaceId: team,
      userId: body.user.id,
      displayName: body.user.name,
      channelId: meta?.channelId,
    };
    if (!meta) {
      await ack();
      return;
    }
    // The form instance: the same view (id + hash) submitted twice — a double click — is one submission.
    const id = deliveryId('view', team, view.id, view.hash);
    const values = readViewValues(view.state);
    const w: SlackWork = { kind: 'submit', actor, form: meta.form, values };
    // Recorded before the core runs: should the process die after the modal was closed, the submission is replayed.
    const fresh = await ledger.claim(id, w);
    crashPoint('inbox.accepted', 'slack');
    if (!fresh) {
      await ack();
      log.info('slack.duplicate', { kind: 'view_submission', form: meta.form });
      return;
    }

    if (meta.form === PLAN_IMPORT_FORM) {
      // The file is fetched from Slack and read after the ack: the modal closes, the answer comes privately.
      await ack();
      runner.push(id, 'plan-import', (run) => runner.importFromModal(actor, values, run));
      return;
    }

    const run: Run = { id, committed: false };
    const answers = (o: Outcome): Message[] | 'release' =>
      run.late ? lateSubmitAnswers(o) : hasFormErrors(o) ? 'release' : o.reply ? [o.reply] : [];
    const submitting = core.submit(actor, meta.form, values, { delivery: runner.deliveryOf(run, actor, answers) });
    let early: Outcome | null;
    try {
      early = await Promise.race([submitting, new Promise<null>((r) => setTimeout(() => r(null), SUBMIT_DEADLINE_MS))]);
      // Committed just before the deadline: its answer was chosen already, answer as usual.
      if (early === null && run.committed) early = await submitting;
    } catch (error) {
      await ack();
      if (error instanceof DeliveryAlreadyDone) return;
      // Failed before the ack: the modal stays open and the person may submit again; nothing to replay.
      await db.write((tx) => inbox.release(tx, id)).catch(() => undefined);
      throw error;
    }
    if (early === null) {
      // Slow: close the modal now, answer privately when the core is done.
      run.late = true;
      await ack();
      runner.push(id, 'submit', async () => runner.afterCall(actor, await submitting, run, undefined, answers), run);
      return;
    }
    const outcome = early;
    if (hasFormErrors(outcome)) {
      await ack({ response_action: 'errors', errors: modalErrors(view.blocks as { type: string; block_id?: string }[], outcome.formErrors!) });
      return;
    }
    if (outcome.openForm) {
      // A follow-up form (e.g. "request the shortfall"): replace the modal.
      await ack({ response_action: 'update', view: renderModal(outcome.openForm, { form: outcome.openForm.id, channelId: meta.channelId }) as never });
    } else {
      await ack();
    }
    runner.push(id, 'submit-reply', async () => runner.afterCall(actor, outcome, run, undefined, answers), run);
  });
}

/** Maps the core's per-field errors to the modal's block ids; an error for a field not in the modal goes on the first input. */
export function modalErrors(blocks: { type: string; block_id?: string }[], formErrors: Record<string, string>): Record<string, string> {
  const inputs = blocks.filter((b) => b.type === 'input' && b.block_id).map((b) => b.block_id!);
  const errors: Record<string, string> = {};
  const stray: string[] = [];
  for (const [field, text] of Object.entries(formErrors)) {
    if (inputs.includes(field)) errors[field] = toPlain(text).slice(0, 2000);
    else stray.push(toPlain(text));
  }
  if (stray.length > 0 && inputs[0]) {
    errors[inputs[0]] = [errors[inputs[0]], ...stray].filter(Boolean).join(' / ').slice(0, 2000);
  }
  return errors;
}
