// `/campaign …` (`/活动 …`): propose (a form), list, show, close.
import { CAMPAIGN_FILTERS, CAMPAIGN_SUBCOMMANDS, resolve } from './aliases.js';
import { idOnly, oneOf, unknownSubcommand, type CommandParser, type Ctx } from './args.js';
import type { Intent } from './intents.js';
import type { Args } from './tokens.js';

export function campaignCommand(a: Args, c: Ctx): Intent {
  const tok = a.next();
  if (!tok) return { type: 'campaign.list', filter: 'active' };
  const sub = resolve(CAMPAIGN_SUBCOMMANDS, tok.key);
  if (!sub) throw unknownSubcommand(tok, c);
  return CAMPAIGN_PARSERS[sub](a, c);
}

const CAMPAIGN_PARSERS: Record<keyof typeof CAMPAIGN_SUBCOMMANDS, CommandParser> = {
  new: (a, c) => {
    c.usage = 'cmd.usage.campaign.new';
    a.end(); // a proposal has too many fields for one line: always the form
    return { type: 'form.open', form: 'campaign.new' };
  },
  list: (a, c) => {
    c.usage = 'cmd.usage.campaign.list';
    const tok = a.next();
    const filter = tok ? oneOf(CAMPAIGN_FILTERS, tok, 'cmd.error.bad_filter') : 'active';
    a.end();
    return { type: 'campaign.list', filter };
  },
  show: (a, c) => ({ type: 'campaign.show', id: idOnly(a, c, 'cmd.usage.campaign.show', 'CMP') }),
  close: (a, c) => ({ type: 'campaign.close', id: idOnly(a, c, 'cmd.usage.campaign.close', 'CMP') }),
};
