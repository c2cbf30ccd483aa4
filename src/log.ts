// Structured JSON logs on stdout/stderr. Values under secret-looking keys and token-like strings are redacted.
type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /token|secret|password|authorization|encrypt|signature|cookie/i;
const SECRET_VALUE = /\b(xox[abprs]-[\w-]+|xapp-[\w-]+|t-[\w.-]{20,}|Bearer\s+\S+)/g;
/** The password of a URL such as postgresql://user:password@host/db. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

let threshold: number = LEVELS[(process.env.LOG_LEVEL as Level) ?? 'info'] ?? LEVELS.info;
let sink: (line: string, level: Level) => void = (line, level) =>
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 5) return '[deep]';
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1), stack: value.stack?.split('\n').slice(0, 4).join('\n') };
  if (typeof value === 'string') return value.replace(SECRET_VALUE, '[redacted]').replace(URL_PASSWORD, '$1[redacted]@');
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}

function write(level: Level, event: string, fields: Record<string, unknown> = {}): void {
  if (LEVELS[level] < threshold) return;
  sink(JSON.stringify({ t: new Date().toISOString(), level, event, ...(redact(fields) as object) }), level);
}

export const log = {
  debug: (event: string, fields?: Record<string, unknown>) => write('debug', event, fields),
  info: (event: string, fields?: Record<string, unknown>) => write('info', event, fields),
  warn: (event: string, fields?: Record<string, unknown>) => write('warn', event, fields),
  error: (event: string, fields?: Record<string, unknown>) => write('error', event, fields),
  setLevel(level: Level) {
    threshold = LEVELS[level];
  },
  /** Tests capture logs to assert that no secret is ever printed. */
  setSink(fn: (line: string, level: Level) => void) {
    sink = fn;
  },
};
