// `/risk …` (`/风险 …`): report, list, close.
import type { RiskCategory } from '../domain/types.js';
import { RISK_CATEGORY_WORDS, RISK_FILTERS, RISK_SUBCOMMANDS, resolve } from './aliases.js';
import { entityId, freeText, oneOf, scale, unknownSubcommand, type CommandParser, type Ctx } from './args.js';
import type { Intent } from './intents.js';
import { missingKey } from './keys.js';
import type { Args } from './tokens.js';

export function riskCommand(a: Args, c: Ctx): Intent {
  const tok = a.next();
  if (!tok) return { type: 'risk.list', filter: 'open' };
  const sub = resolve(RISK_SUBCOMMANDS, tok.key);
  if (!sub) throw unknownSubcommand(tok, c);
  return RISK_PARSERS[sub](a, c);
}

const RISK_PARSERS: Record<keyof typeof RISK_SUBCOMMANDS, CommandParser> = {
  report: riskReport,
  list: (a, c) => {
    c.usage = 'cmd.usage.risk.list';
    const tok = a.next();
    const filter = tok ? oneOf(RISK_FILTERS, tok, 'cmd.error.bad_filter') : 'open';
    a.end();
    return { type: 'risk.list', filter };
  },
  close: (a, c) => {
    c.usage = 'cmd.usage.risk.close';
    const id = entityId(a.need(missingKey('id')), 'RSK');
    const note = freeText(a, 'note');
    return { type: 'risk.close', id, note };
  },
};

function riskReport(a: Args, c: Ctx): Intent {
  c.usage = 'cmd.usage.risk.report';
  if (a.done) return { type: 'form.open', form: 'risk.report' };
  const category: RiskCategory = oneOf(RISK_CATEGORY_WORDS, a.next()!, 'cmd.error.bad_category');
  const likelihood = scale(a.need(missingKey('likelihood')));
  const impact = scale(a.need(missingKey('impact')));
  const title = freeText(a, 'title');
  return { type: 'risk.report', category, likelihood, impact, title };
}
