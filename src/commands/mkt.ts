// `/mkt …` (`/营销 …`): help, roles, chat purposes, settings, language, delegation (approvals.ts).
import { CHANNEL_PURPOSE_WORDS, HELP_TOPICS, LOCALE_WORDS, MKT_SUBCOMMANDS, REVOKE_WORDS, ROLE_WORDS, SETTING_KEYS, resolve } from './aliases.js';
import { mktDelegate } from './approvals.js';
import { freeText, oneOf, unknownSubcommand, type CommandParser, type Ctx } from './args.js';
import type { Intent } from './intents.js';
import { missingKey } from './keys.js';
import { parseChannelRef, parseUserRef } from './refs.js';
import { Refusal, type Args } from './tokens.js';

export function mktCommand(a: Args, c: Ctx): Intent {
  const tok = a.next();
  if (!tok) return { type: 'mkt.help' };
  const sub = resolve(MKT_SUBCOMMANDS, tok.key);
  if (!sub) throw unknownSubcommand(tok, c);
  return MKT_PARSERS[sub](a, c);
}

const MKT_PARSERS: Record<keyof typeof MKT_SUBCOMMANDS, CommandParser> = {
  help: mktHelp,
  role: mktRole,
  roles: (a, c) => {
    c.usage = 'cmd.usage.mkt.roles';
    a.end();
    return { type: 'mkt.roles' };
  },
  channel: (a, c) => {
    c.usage = 'cmd.usage.mkt.channel';
    const purpose = oneOf(CHANNEL_PURPOSE_WORDS, a.need(missingKey('purpose')), 'cmd.error.bad_purpose');
    const channel = parseChannelRef(a.need(missingKey('channel')));
    a.end();
    return { type: 'mkt.channel', purpose, channel };
  },
  set: mktSet,
  lang: mktLang,
  delegate: mktDelegate,
  delegates: (a, c) => {
    c.usage = 'cmd.usage.mkt.delegates';
    a.end();
    return { type: 'mkt.delegates' };
  },
};

export function mktHelp(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.mkt.help';
  const tok = a.next();
  if (!tok) return { type: 'mkt.help' };
  const topic = oneOf(HELP_TOPICS, tok, 'cmd.error.bad_help_topic');
  a.end();
  return { type: 'mkt.help', topic };
}

/** `role <user> <role>` grants; `role <user> -<role>` and `role <user> remove <role>` revoke; `role` alone lists. */
function mktRole(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.mkt.role';
  if (a.done) return { type: 'mkt.roles' };
  const user = parseUserRef(a.next()!, c.opts.mentions);
  let tok = a.need(missingKey('role'));
  let revoke = false;
  if (resolve(REVOKE_WORDS, tok.key)) {
    revoke = true;
    tok = a.need(missingKey('role'));
  }
  let word = tok.key;
  if (word.startsWith('-') || word.startsWith('+')) {
    revoke = revoke || word.startsWith('-');
    word = word.slice(1);
  }
  const role = resolve(ROLE_WORDS, word);
  if (!role) throw new Refusal('cmd.error.bad_role', { token: tok.raw });
  a.end();
  return { type: 'mkt.role', user, role, revoke };
}

function mktSet(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.mkt.set';
  const keyToken = a.need(missingKey('key'));
  const key = SETTING_KEYS.find((k) => k === keyToken.key);
  if (!key) throw new Refusal('cmd.error.unknown_setting', { token: keyToken.raw });
  const value = freeText(a, 'value');
  return { type: 'mkt.set', key, value };
}

function mktLang(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.mkt.lang';
  const locale = oneOf(LOCALE_WORDS, a.need(missingKey('locale')), 'cmd.error.bad_locale');
  a.end();
  return { type: 'mkt.lang', locale };
}
