import { parseCommand } from '../../src/commands/parse.js';
import type { Intent, ParseError, ParseOptions } from '../../src/commands/intents.js';

export const TODAY = '2026-11-26';

export const MENTIONS: NonNullable<ParseOptions['mentions']> = {
  '@_user_1': { userId: 'ou_7d8a6e6df7621556ce0d21922b676706', name: '李雷' },
  '@_user_2': { userId: 'ou_00000000000000000000000000000002' },
};

export function parse(text: string, opts: Partial<ParseOptions> = {}) {
  return parseCommand(text, { today: TODAY, mentions: MENTIONS, ...opts });
}

export function intentOf(text: string, opts: Partial<ParseOptions> = {}): Intent {
  const r = parse(text, opts);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got ${JSON.stringify(r.error)}`);
  return r.intent;
}

export function errorOf(text: string, opts: Partial<ParseOptions> = {}): ParseError {
  const r = parse(text, opts);
  if (r.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused, got ${JSON.stringify(r.intent)}`);
  return r.error;
}
