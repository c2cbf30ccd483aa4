// Every environment variable the bot reads, validated with zod at start. A wrong value stops the start with
// one message naming the variable and the expected form. Secret values are never printed.
import { z } from 'zod';
import { LOCALES, PLATFORMS, type Locale } from '../domain/types.js';

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** name → [schema, expected form shown when invalid, secret?] */
const VARIABLES = {
  PORT: [z.coerce.number().int().min(1).max(65535).default(3000), 'a TCP port number, e.g. 3000'],
  HOST: [z.string().trim().min(1).default('0.0.0.0'), 'an address to listen on, e.g. 0.0.0.0 or 127.0.0.1'],
  DATABASE_URL: [
    z.string().trim().regex(/^(file:.+|postgres(ql)?:\/\/\S+)$/i).default('file:./data/mktops.db'),
    'a SQLite URL such as file:./data/mktops.db, or a PostgreSQL URL such as postgresql://user:password@host:5432/mktops',
    true,
  ],
  DATABASE_POOL_SIZE: [
    z.coerce.number().int().min(1).max(200).default(10),
    'a number of connections from 1 to 200, e.g. 10 (PostgreSQL; see docs/operations.md for sizing replicas)',
  ],
  BOT_TIMEZONE: [z.string().trim().default('Asia/Shanghai').refine(isTimeZone), 'an IANA time zone, e.g. Asia/Shanghai'],
  BOT_LOCALE: [z.enum(LOCALES).default('zh-CN'), 'zh-CN or en'],
  ADMIN_USERS: [
    z
      .string()
      .default('')
      .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(new RegExp(`^(${PLATFORMS.join('|')}):[\\w.-]+(:[\\w.-]+)?$`)))),
    'a comma-separated list like slack:U012ABC,feishu:ou_7d8a… (optionally platform:workspace:user)',
  ],
  INSTANCE_ID: [
    optionalString.pipe(z.string().regex(/^[\w.:-]{1,100}$/).optional()),
    'letters, digits, . : _ - (at most 100), e.g. bot-1',
  ],
  LOG_LEVEL: [z.enum(['debug', 'info', 'warn', 'error']).default('info'), 'debug, info, warn or error'],
  SLACK_BOT_TOKEN: [optionalString.pipe(z.string().regex(/^xoxb-/).optional()), 'a bot token starting with xoxb-', true],
  SLACK_SIGNING_SECRET: [optionalString.pipe(z.string().min(8).optional()), "the app's signing secret", true],
  SLACK_APP_TOKEN: [optionalString.pipe(z.string().regex(/^xapp-/).optional()), 'an app-level token starting with xapp- (Socket Mode)', true],
  SLACK_API_URL: [optionalString.pipe(z.string().url().optional()), 'a URL such as https://slack.com/api/'],
  FEISHU_APP_ID: [optionalString.pipe(z.string().regex(/^cli_\w+$/).optional()), 'an app id starting with cli_'],
  FEISHU_APP_SECRET: [optionalString, "the app's secret", true],
  FEISHU_VERIFICATION_TOKEN: [optionalString, "the app's verification token", true],
  FEISHU_ENCRYPT_KEY: [optionalString, "the app's encrypt key", true],
  FEISHU_MODE: [z.enum(['webhook', 'ws']).default('webhook'), 'webhook or ws'],
  FEISHU_DOMAIN: [
    z
      .string()
      .trim()
      .default('feishu')
      .refine((v) => v === 'feishu' || v === 'lark' || /^https?:\/\/\S+$/.test(v)),
    'feishu, lark, or a URL',
  ],
} as const satisfies Record<string, readonly [z.ZodType, string, boolean?]>;

export type VariableName = keyof typeof VARIABLES;
export const VARIABLE_NAMES = Object.keys(VARIABLES) as VariableName[];

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  appToken?: string;
  apiUrl?: string;
}
export interface FeishuConfig {
  appId: string;
  appSecret: string;
  verificationToken: string;
  encryptKey?: string;
  mode: 'webhook' | 'ws';
  /** 'feishu', 'lark' or a base URL. */
  domain: string;
}
export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  /** PostgreSQL: connections this process's pool may hold (its /healthz and start-up migration use one more each). */
  databasePoolSize?: number;
  timezone: string;
  locale: Locale;
  adminUsers: string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /**
   * Names this instance across restarts (default: host name and PORT): work it accepted and outbox rows it claimed
   * before a crash are taken up again at its next start at once, not after a lease. Unique per running replica.
   */
  instanceId?: string;
  slack?: SlackConfig;
  feishu?: FeishuConfig;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, expected: string) {
    super(`Invalid ${variable}: expected ${expected}.`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const v: Record<string, unknown> = {};
  for (const name of VARIABLE_NAMES) {
    const [schema, expected] = VARIABLES[name];
    const raw = env[name];
    const parsed = (schema as z.ZodType).safeParse(raw === undefined || raw.trim() === '' ? undefined : raw);
    if (!parsed.success) throw new ConfigError(name, expected); // never echo the value: it may be a secret
    v[name] = parsed.data;
  }
  const slackParts = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] as const;
  const feishuParts = ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN'] as const;
  const requireAll = (parts: readonly VariableName[], platform: string) => {
    const set = parts.filter((p) => v[p] !== undefined);
    if (set.length > 0 && set.length < parts.length) {
      const missing = parts.find((p) => v[p] === undefined)!;
      throw new ConfigError(missing, `a value, because other ${platform} variables are set (${set.join(', ')})`);
    }
    return set.length === parts.length;
  };
  const hasSlack = requireAll(slackParts, 'Slack');
  const hasFeishu = requireAll(feishuParts, 'Feishu');
  return {
    port: v.PORT as number,
    host: v.HOST as string,
    databaseUrl: v.DATABASE_URL as string,
    databasePoolSize: v.DATABASE_POOL_SIZE as number,
    timezone: v.BOT_TIMEZONE as string,
    locale: v.BOT_LOCALE as Locale,
    adminUsers: v.ADMIN_USERS as string[],
    logLevel: v.LOG_LEVEL as AppConfig['logLevel'],
    instanceId: v.INSTANCE_ID as string | undefined,
    slack: hasSlack
      ? {
          botToken: v.SLACK_BOT_TOKEN as string,
          signingSecret: v.SLACK_SIGNING_SECRET as string,
          appToken: v.SLACK_APP_TOKEN as string | undefined,
          apiUrl: v.SLACK_API_URL as string | undefined,
        }
      : undefined,
    feishu: hasFeishu
      ? {
          appId: v.FEISHU_APP_ID as string,
          appSecret: v.FEISHU_APP_SECRET as string,
          verificationToken: v.FEISHU_VERIFICATION_TOKEN as string,
          encryptKey: v.FEISHU_ENCRYPT_KEY as string | undefined,
          mode: v.FEISHU_MODE as 'webhook' | 'ws',
          domain: v.FEISHU_DOMAIN as string,
        }
      : undefined,
  };
}
