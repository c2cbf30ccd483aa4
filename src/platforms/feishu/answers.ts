// What a card callback answers within Feishu's 3 s: a toast, and the card it becomes — the updated card after a
// click, or after a form submission the form drawn again with the person's values and the errors (refused), the next
// form (a follow-up), or the confirmation the form card turns into (accepted: it cannot be submitted twice).
import type { Db } from '../../db/client.js';
import { t } from '../../i18n/index.js';
import { log } from '../../log.js';
import { esc, plainText } from '../../messages/markup.js';
import type { Form, Message } from '../../messages/model.js';
import { createFormSession, loadFormSession } from '../../usecases/formSessions.js';
import type { Core, Outcome } from '../../usecases/types.js';
import { renderForm, renderMessageCards, withErrors, withInitials, type CardJson } from './render.js';
import type { CardAnswer, FeishuWork } from './shapes.js';

export function clip(text: string, n = 200): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

export function createCardAnswers({ core, db }: { core: Core; db: Db }) {
  async function localeOf(outcome?: Outcome) {
    return outcome?.locale ?? (await core.locale());
  }

  /**
   * The card a callback answer carries (one card, under 30 KB). Cards answered in place are short by design
   * (lists come in pages); should one ever need more, its first part is shown and the rest is logged.
   */
  function oneCard(message: Message): CardJson {
    const cards = renderMessageCards(message);
    if (cards.length > 1) log.error('feishu.answer_too_long', { parts: cards.length });
    return cards[0]!;
  }

  async function answerClick(outcome: Outcome): Promise<CardAnswer> {
    const locale = await localeOf(outcome);
    const answer: CardAnswer = {};
    if (outcome.updatedCard) answer.card = { type: 'raw', data: oneCard(outcome.updatedCard.message) };
    if (outcome.openForm) {
      // A form opened from a team card goes to the clicker alone, as a new card in their direct chat (clickItems).
      answer.toast = { type: 'info', content: clip(outcome.toast ?? t(locale, 'feishu.form_sent')) };
      return answer;
    }
    const content = outcome.toast ?? outcome.reply?.summary ?? t(locale, outcome.ok ? 'feishu.done' : 'feishu.failed');
    answer.toast = { type: outcome.ok ? 'success' : 'error', content: clip(content) };
    return answer;
  }

  /** A form card for a callback answer, with a new form session. */
  async function formCardFor(form: Form, opts: { error?: string } = {}): Promise<CardJson> {
    const session = await db.write((tx) => createFormSession(tx, form, new Date()));
    return renderForm(form, { ...opts, session });
  }

  async function answerSubmit(outcome: Outcome, w: Extract<FeishuWork, { kind: 'card' }>): Promise<CardAnswer> {
    const locale = await localeOf(outcome);
    const values = w.values ?? {};
    // The form as it was sent, to draw it again with the person's values and the errors (null once expired:
    // then the card stays as it is and the toast says what is wrong).
    const def = w.form && w.session ? await loadFormSession(db, w.session, w.form, new Date()) : null;
    const again = (form: Form, opts: { error?: string }) => ({ type: 'raw' as const, data: renderForm(form, { ...opts, session: w.session }) });
    const refusalText = outcome.toast ?? outcome.reply?.summary ?? t(locale, 'feishu.failed');
    if (outcome.formErrors && Object.keys(outcome.formErrors).length > 0) {
      const first = Object.values(outcome.formErrors)[0];
      const answer: CardAnswer = { toast: { type: 'error', content: clip(first ? plainText(first) : refusalText) } };
      if (def) {
        const errors = outcome.formErrors;
        const known = new Set(def.fields.map((f) => f.name));
        const general = Object.entries(errors).filter(([k]) => !known.has(k)).map(([, v]) => v);
        answer.card = again(withErrors(withInitials(def, values), errors), general.length ? { error: general.join('\n') } : {});
      }
      return answer;
    }
    if (outcome.openForm) {
      return { toast: { type: 'info', content: clip(outcome.toast ?? plainText(outcome.openForm.title)) }, card: { type: 'raw', data: await formCardFor(outcome.openForm) } };
    }
    if (!outcome.ok) {
      const answer: CardAnswer = { toast: { type: 'error', content: clip(refusalText) } };
      if (def) answer.card = again(withInitials(def, values), { error: esc(refusalText) });
      return answer;
    }
    // Accepted: the form card becomes the confirmation (so it cannot be submitted twice).
    const doneText = outcome.toast ?? plainText(t(locale, 'feishu.done'));
    const shown: Message = outcome.reply ?? outcome.updatedCard?.message ?? { tone: 'success', text: esc(doneText), summary: doneText };
    const toast = outcome.toast ?? outcome.reply?.summary ?? t(locale, 'feishu.done');
    return { toast: { type: 'success', content: clip(toast) }, card: { type: 'raw', data: oneCard(shown) } };
  }

  return { answerClick, answerSubmit, formCardFor };
}
