// Splitting a command line into tokens while remembering where each one starts, so a free-text tail
// (reason, note, title, …) can be taken verbatim from the original line.

/** One whitespace-separated word of the command line. */
export interface Token {
  /** Exactly as typed (quoted back in errors). */
  raw: string;
  /** NFKC-folded (full-width letters, digits and punctuation become ASCII): for ids, dates, codes. */
  norm: string;
  /** `norm` in lower case: for matching keywords and aliases. */
  key: string;
  /** Offset of the token in the line. */
  start: number;
}

/**
 * A refusal raised while parsing; parse.ts turns it into a ParseError with the usage of the command
 * being parsed. Keys are listed in keys.ts.
 */
export class Refusal extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'Refusal';
  }
}

// C0 controls except tab / line feed / carriage return, DEL, C1 controls, and the bidirectional
// overrides/isolates that can make a text display differently from what it says.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

/** The first forbidden control character, as "U+0007", or null. */
export function findControlChar(text: string): string | null {
  const m = CONTROL.exec(text);
  if (!m) return null;
  return `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Tokens of `line`, split on any Unicode white space (includes the ideographic space U+3000). */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  for (const m of line.matchAll(/\S+/gu)) {
    const norm = m[0].normalize('NFKC');
    tokens.push({ raw: m[0], norm, key: norm.toLowerCase(), start: m.index });
  }
  return tokens;
}

/** Length in Unicode code points (a Chinese character or an emoji counts as one). */
export function textLength(s: string): number {
  return [...s].length;
}

/** A short quote of a long text for error messages. */
export function preview(s: string, max = 20): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max).join('')}…`;
}

/** A cursor over the arguments of one subcommand. */
export class Args {
  private i = 0;
  constructor(
    private readonly line: string,
    private readonly tokens: readonly Token[],
  ) {}

  get done(): boolean {
    return this.i >= this.tokens.length;
  }

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  next(): Token | undefined {
    const tok = this.tokens[this.i];
    if (tok) this.i += 1;
    return tok;
  }

  /** The next token, or a refusal with `missingKey` (e.g. cmd.error.missing.amount). */
  need(missingKey: string): Token {
    const tok = this.next();
    if (!tok) throw new Refusal(missingKey);
    return tok;
  }

  /** Everything from the current token to the end of the line, verbatim and trimmed; consumes it all. */
  rest(): string {
    const tok = this.tokens[this.i];
    this.i = this.tokens.length;
    return tok ? this.line.slice(tok.start).trim() : '';
  }

  /** Refuses any argument left over (e.g. `/budget lines foo`). */
  end(): void {
    const tok = this.peek();
    if (tok) throw new Refusal('cmd.error.extra', { token: tok.raw });
  }
}
