// `/agenda …` (`/议程 …`): the weekly sync's topics.
import { AGENDA_SUBCOMMANDS, resolve } from './aliases.js';
import { freeText, positiveInt, unknownSubcommand, type CommandParser, type Ctx } from './args.js';
import type { Intent } from './intents.js';
import { missingKey } from './keys.js';
import type { Args } from './tokens.js';

export function agendaCommand(a: Args, c: Ctx): Intent {
  const tok = a.next();
  if (!tok) return { type: 'agenda.show' };
  const sub = resolve(AGENDA_SUBCOMMANDS, tok.key);
  if (!sub) throw unknownSubcommand(tok, c);
  return AGENDA_PARSERS[sub](a, c);
}

const AGENDA_PARSERS: Record<keyof typeof AGENDA_SUBCOMMANDS, CommandParser> = {
  show: (a, c) => {
    c.usage = 'cmd.usage.agenda.show';
    a.end();
    return { type: 'agenda.show' };
  },
  add: (a, c) => {
    c.usage = 'cmd.usage.agenda.add';
    return { type: 'agenda.add', topic: freeText(a, 'topic') };
  },
  remove: (a, c) => {
    c.usage = 'cmd.usage.agenda.remove';
    const n = positiveInt(a.need(missingKey('number')));
    a.end();
    return { type: 'agenda.remove', n };
  },
  post: (a, c) => {
    c.usage = 'cmd.usage.agenda.post';
    a.end();
    return { type: 'agenda.post' };
  },
};
