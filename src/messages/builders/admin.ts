// Admin messages: help pages, the roles list, and confirmations of role, channel and setting changes.
import type { Locale, Role } from '../../domain/types.js';
import { labelled, listOf, t } from '../../i18n/index.js';
import { plainText } from '../markup.js';
import type { Message, Section } from '../model.js';

export type HelpTopic = 'overview' | 'budget' | 'campaign' | 'risk' | 'agenda' | 'mkt' | 'audit';

export function helpMessage(locale: Locale, topic: HelpTopic): Message {
  const text = t(locale, `help.${topic}`);
  return { tone: 'info', text, summary: plainText(text.split('\n')[0]!) };
}

/** `/mkt roles`: people per role (mentions); bootstrap admins from ADMIN_USERS are marked. */
export function rolesMessage(locale: Locale, byRole: Record<Exclude<Role, 'marketer'>, string[]>): Message {
  const title = t(locale, 'admin.roles.title');
  const order: Exclude<Role, 'marketer'>[] = ['admin', 'leader', 'finance'];
  const sections: Section[] = order.map((role) => ({
    heading: `**${t(locale, `role.${role}`)}**`,
    text: byRole[role].length > 0 ? listOf(locale, byRole[role]) : t(locale, 'admin.roles.none'),
  }));
  sections.push({ heading: `**${t(locale, 'role.marketer')}**`, text: t(locale, 'admin.roles.everyone') });
  const summary = order.map((r) => labelled(locale, t(locale, `role.${r}`), String(byRole[r].length))).join(' · ');
  return { tone: 'info', title, sections, summary: plainText(labelled(locale, title, summary)) };
}

/** A confirmation with the standard "Done" title. */
export function doneMessage(locale: Locale, text: string): Message {
  return { tone: 'success', title: t(locale, 'core.ok.title'), text, summary: plainText(text) };
}

/** An answer that changed nothing but is not an error (e.g. "already holds the role"). */
export function infoMessage(text: string): Message {
  return { tone: 'info', text, summary: plainText(text) };
}
