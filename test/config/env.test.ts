import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.js';

describe('configuration', () => {
  it('has sensible defaults and no platform when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: 'file:./data/mktops.db',
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      adminUsers: [],
    });
    expect(config.slack).toBeUndefined();
    expect(config.feishu).toBeUndefined();
  });

  it('parses platforms and admin users', () => {
    const config = loadConfig({
      ADMIN_USERS: 'slack:U012ABC, feishu:ou_7d8a,slack:T1:U9',
      SLACK_BOT_TOKEN: 'xoxb-1-2',
      SLACK_SIGNING_SECRET: 'abcdefgh123',
      FEISHU_APP_ID: 'cli_a1',
      FEISHU_APP_SECRET: 's',
      FEISHU_VERIFICATION_TOKEN: 'v',
      FEISHU_MODE: 'ws',
      FEISHU_DOMAIN: 'http://127.0.0.1:9999',
      BOT_LOCALE: 'en',
    });
    expect(config.adminUsers).toEqual(['slack:U012ABC', 'feishu:ou_7d8a', 'slack:T1:U9']);
    expect(config.slack).toEqual({ botToken: 'xoxb-1-2', signingSecret: 'abcdefgh123', appToken: undefined, apiUrl: undefined });
    expect(config.feishu?.mode).toBe('ws');
    expect(config.locale).toBe('en');
  });

  it.each([
    ['PORT', 'http', /PORT: expected a TCP port/],
    ['BOT_TIMEZONE', 'Mars/Olympus', /BOT_TIMEZONE: expected an IANA time zone/],
    ['BOT_LOCALE', 'fr', /BOT_LOCALE: expected zh-CN or en/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: expected a SQLite URL such as file:.+ or a PostgreSQL URL/],
    ['DATABASE_POOL_SIZE', '0', /DATABASE_POOL_SIZE: expected a number of connections from 1 to 200/],
    ['ADMIN_USERS', 'U012ABC', /ADMIN_USERS: expected a comma-separated list/],
    ['FEISHU_MODE', 'socket', /FEISHU_MODE: expected webhook or ws/],
    ['FEISHU_DOMAIN', 'example', /FEISHU_DOMAIN: expected feishu, lark, or a URL/],
  ])('refuses a bad %s with one message naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('never prints a secret value', () => {
    const secret = 'xoxp-super-secret-token';
    let error: unknown;
    try {
      loadConfig({ SLACK_BOT_TOKEN: secret, SLACK_SIGNING_SECRET: 'abcdefgh123' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toMatch(/SLACK_BOT_TOKEN: expected a bot token starting with xoxb-/);
    expect(String((error as Error).message)).not.toContain(secret);
  });

  it('names the missing half of a platform configuration', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET/);
    expect(() => loadConfig({ FEISHU_APP_ID: 'cli_1', FEISHU_APP_SECRET: 'x' })).toThrow(/FEISHU_VERIFICATION_TOKEN/);
  });
});
