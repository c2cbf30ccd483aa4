// The command language: a line as the user typed it (Slack "/budget " + text, Feishu message text with
// the bot mention stripped) → a typed Intent, or a localized refusal quoting the bad token plus the
// usage of the command that was attempted. Pure: no I/O, no database, no platform code.
//
// Shape of the code: COMMAND_PARSERS maps each command to its file (budget.ts, campaign.ts, risk.ts, agenda.ts,
// mkt.ts, approvals.ts for /audit); each reads the subcommand word (aliases in aliases.ts) and hands over to one small
// function per subcommand. Argument readers (args.ts: amount, line code, month, date, id, free text, …) throw a
// Refusal; parseCommand catches it and attaches the usage of the deepest (sub)command reached. A new command lands
// as one file here plus its entry in COMMAND_PARSERS.
import { agendaCommand } from './agenda.js';
import { COMMANDS, resolve, type CommandName } from './aliases.js';
import { auditCommand } from './approvals.js';
import { monthToken, type CommandParser, type Ctx } from './args.js';
import { budgetCommand } from './budget.js';
import { campaignCommand } from './campaign.js';
import type { Intent, ParseOptions, ParseResult } from './intents.js';
import type { UsageKey } from './keys.js';
import { mktCommand, mktHelp } from './mkt.js';
import { riskCommand } from './risk.js';
import { intentSchema } from './schema.js';
import { Args, Refusal, findControlChar, preview, tokenize } from './tokens.js';

/**
 * Parses one command line. Never throws; never looks anything up beyond `opts`.
 * An empty line is a request for help.
 */
export function parseCommand(text: string, opts: ParseOptions): ParseResult {
  const c: Ctx = { opts, command: '', usage: 'cmd.usage.overview' };
  try {
    const control = findControlChar(text);
    if (control) throw new Refusal('cmd.error.control_char', { token: control });
    const line = text.trim();
    const [head, ...rest] = tokenize(line);
    if (!head) return { ok: true, intent: { type: 'mkt.help' } };

    // NFKC already turned a full-width "／" into "/".
    const word = head.key.startsWith('/') ? head.key.slice(1) : head.key;
    const name = resolve(COMMANDS, word);
    if (!name) throw new Refusal('cmd.error.unknown_command', { token: head.raw });
    c.command = `/${head.raw.replace(/^[/／]/, '')}`;
    c.usage = COMMAND_USAGE[name];

    const intent = COMMAND_PARSERS[name](new Args(line, rest), c);
    return validated(intent, line, c);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return { ok: false, error: { key: error.key, params: error.params, usage: c.usage } };
  }
}

function validated(intent: Intent, line: string, c: Ctx): ParseResult {
  const checked = intentSchema.safeParse(intent);
  if (!checked.success) {
    // Only a bug in a subcommand function gets here: refuse rather than pass on something malformed.
    return { ok: false, error: { key: 'cmd.error.invalid', params: { token: preview(line, 40) }, usage: c.usage } };
  }
  return { ok: true, intent };
}

const COMMAND_USAGE: Record<CommandName, UsageKey> = {
  budget: 'cmd.usage.budget',
  campaign: 'cmd.usage.campaign',
  risk: 'cmd.usage.risk',
  agenda: 'cmd.usage.agenda',
  mkt: 'cmd.usage.mkt',
  help: 'cmd.usage.mkt.help',
  audit: 'cmd.usage.audit',
};

const COMMAND_PARSERS: Record<CommandName, CommandParser> = {
  budget: budgetCommand,
  campaign: campaignCommand,
  risk: riskCommand,
  agenda: agendaCommand,
  mkt: mktCommand,
  help: mktHelp,
  audit: (a, c) => auditCommand(a, c, (tok) => monthToken(tok, c)),
};
