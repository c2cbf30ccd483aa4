import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/aliases.js';
import { intentSchema } from '../../src/commands/schema.js';
import { errorOf, intentOf, parse } from './helpers.js';

describe('command words', () => {
  it.each([
    ['/budget lines'],
    ['budget lines'],
    ['／budget lines'],
    ['/Budget LINES'],
    ['BUDGET Lines'],
    ['／ｂｕｄｇｅｔ　ｌｉｎｅｓ'],
    ['  /budget lines  '],
    ['/预算 科目'],
    ['预算 科目'],
    ['／预算 科目'],
    ['/預算 科目'],
  ])('%j is /budget lines', (text) => {
    expect(intentOf(text)).toEqual({ type: 'budget.lines' });
  });

  it.each(Object.entries(COMMANDS).flatMap(([name, words]) => words.map((w) => [name, w] as const)))(
    'every alias of %s parses: %s',
    (_name, word) => {
      expect(parse(word).ok).toBe(true);
      expect(parse(`/${word}`).ok).toBe(true);
    },
  );

  it('refuses an unknown command, quoting it, with the overview as usage', () => {
    expect(errorOf('/budgets')).toEqual({ key: 'cmd.error.unknown_command', params: { token: '/budgets' }, usage: 'cmd.usage.overview' });
    expect(errorOf('hello bot')).toEqual({ key: 'cmd.error.unknown_command', params: { token: 'hello' }, usage: 'cmd.usage.overview' });
    expect(errorOf('/')).toMatchObject({ key: 'cmd.error.unknown_command', params: { token: '/' } });
  });

  it('quotes the command as typed in unknown-subcommand errors', () => {
    expect(errorOf('／預算 乱写').params).toEqual({ token: '乱写', command: '/預算' });
    expect(errorOf('Budget foo').params).toEqual({ token: 'foo', command: '/Budget' });
  });
});

describe('white space', () => {
  it('splits on full-width (ideographic) spaces and keeps them inside the free text', () => {
    expect(intentOf('/预算　申请　5万　SEM　双十一　加投')).toEqual({
      type: 'budget.request',
      amount: 5_000_000,
      line: 'SEM',
      reason: '双十一　加投',
    });
  });

  it('splits on tabs, non-breaking spaces and repeated spaces', () => {
    expect(intentOf('/budget\trequest\u00A05万   SEM\t\tpush it')).toEqual({
      type: 'budget.request',
      amount: 5_000_000,
      line: 'SEM',
      reason: 'push it',
    });
  });

  it('trims the free text but keeps its inner spacing', () => {
    expect(intentOf('/agenda add   Q4  plan \u3000')).toEqual({ type: 'agenda.add', topic: 'Q4  plan' });
  });
});

describe('control characters', () => {
  it.each([
    ['/agenda add bell\u0007', 'U+0007'],
    ['/agenda add nul\u0000', 'U+0000'],
    ['/agenda add esc\u001b[31m', 'U+001B'],
    ['/agenda add del\u007f', 'U+007F'],
    ['/agenda add c1\u0085', 'U+0085'],
    ['/agenda add \u202Eevil', 'U+202E'],
    ['/bud\u0008get', 'U+0008'],
  ])('%j is refused', (text, token) => {
    expect(errorOf(text)).toMatchObject({ key: 'cmd.error.control_char', params: { token } });
  });

  it('allows line breaks inside a free-text tail', () => {
    expect(intentOf('/agenda add first\r\nsecond')).toEqual({ type: 'agenda.add', topic: 'first\r\nsecond' });
  });
});

describe('free-text lengths', () => {
  const exactly = (n: number, ch = '字') => ch.repeat(n);
  it.each([
    ['reason', (s: string) => `/budget request 5万 SEM ${s}`, 500, 'cmd.usage.budget.request'],
    ['reason (transfer)', (s: string) => `/budget transfer 5万 A B ${s}`, 500, 'cmd.usage.budget.transfer'],
    ['note (spend)', (s: string) => `/budget spend 5万 SEM ${s}`, 500, 'cmd.usage.budget.spend'],
    ['note (risk close)', (s: string) => `/risk close RSK-1 ${s}`, 500, 'cmd.usage.risk.close'],
    ['title', (s: string) => `/risk report tech 1 1 ${s}`, 120, 'cmd.usage.risk.report'],
    ['name', (s: string) => `/budget line add SEM 1万 ${s}`, 120, 'cmd.usage.budget.line.add'],
    ['topic', (s: string) => `/agenda add ${s}`, 200, 'cmd.usage.agenda.add'],
  ] as const)('%s: %i characters pass, one more is refused', (_field, make, max, usage) => {
    expect(parse(make(exactly(max))).ok).toBe(true);
    const error = errorOf(make(exactly(max + 1)));
    expect(error).toEqual({
      key: 'cmd.error.too_long',
      params: { token: `${exactly(20)}…`, max, length: max + 1 },
      usage,
    });
  });

  it('counts characters, not UTF-16 units (emoji count as one)', () => {
    expect(parse(`/agenda add ${'🚀'.repeat(200)}`).ok).toBe(true);
    expect(parse(`/agenda add ${'🚀'.repeat(201)}`).ok).toBe(false);
  });
});

describe('user and channel references', () => {
  it('reads Slack escaped mentions with and without a name', () => {
    expect(intentOf('/mkt role <@U0G9QF9C6|alice> leader')).toMatchObject({ user: { userId: 'U0G9QF9C6', name: 'alice' } });
    expect(intentOf('/mkt role <@U0G9QF9C6> leader')).toMatchObject({ user: { userId: 'U0G9QF9C6' } });
    expect(intentOf('/mkt role <@U0G9QF9C6> leader')).not.toHaveProperty('user.name');
  });

  it('looks Feishu placeholders up in opts.mentions', () => {
    const intent = intentOf('/mkt role @_user_3 admin', { mentions: { '@_user_3': { userId: 'ou_abc', name: 'Han' } } });
    expect(intent).toEqual({ type: 'mkt.role', user: { userId: 'ou_abc', name: 'Han' }, role: 'admin', revoke: false });
  });

  it('does not take a mention list entry for a name that only looks like a placeholder', () => {
    expect(errorOf('/mkt role @_all admin')).toMatchObject({ key: 'cmd.error.bad_user', params: { token: '@_all' } });
    expect(errorOf('/mkt role @_user_1x admin')).toMatchObject({ key: 'cmd.error.bad_user', params: { token: '@_user_1x' } });
  });

  it('accepts raw ids typed by hand', () => {
    expect(intentOf('/mkt role U123ABC admin')).toMatchObject({ user: { userId: 'U123ABC' } });
    expect(intentOf('/mkt role ou_xxx admin')).toMatchObject({ user: { userId: 'ou_xxx' } });
  });

  it('binds here / 这里 / 本群 to the current chat', () => {
    for (const word of ['here', 'Here', '这里', '本群']) {
      expect(intentOf(`/mkt channel team ${word}`)).toEqual({ type: 'mkt.channel', purpose: 'team', channel: { here: true } });
    }
  });

  it('reads Slack channel references and Feishu chat ids', () => {
    expect(intentOf('/mkt channel approvals <#C0123ABCD|approvals>')).toMatchObject({
      channel: { here: false, channelId: 'C0123ABCD', name: 'approvals' },
    });
    expect(intentOf('/mkt channel approvals oc_xxx')).toMatchObject({ channel: { here: false, channelId: 'oc_xxx' } });
  });
});

describe('the assembled intents', () => {
  it('all pass the intent schema (sampled over every command)', () => {
    for (const text of [
      '/budget', '/budget 2026-11', '/budget lines', '/budget line add SEM 1万 Search', '/budget request 5万 SEM 2026-12 x',
      '/budget transfer 1 A B y', '/budget spend 1 A today z', '/budget show ADJ-1', '/budget cancel ADJ-1', '/budget request',
      '/campaign', '/campaign show CMP-1', '/campaign close CMP-1', '/campaign new', '/risk', '/risk report tech 1 2 t',
      '/risk close RSK-1 n', '/agenda', '/agenda add t', '/agenda remove 1', '/agenda post', '/mkt', '/mkt help risk',
      '/mkt roles', '/mkt role U123ABC -admin', '/mkt channel team here', '/mkt set timezone UTC', '/mkt lang en',
    ]) {
      expect(intentSchema.safeParse(intentOf(text)).success, text).toBe(true);
    }
  });

  it('never throws, whatever the input', () => {
    const junk = ['<', '<@', '<@>', '<#>', '@_user_', '/budget <@U1|x', '/mkt role <@U1|a|b> admin', '\uD800', '/risk report ' + 'x'.repeat(5000)];
    for (const text of junk) expect(() => parse(text)).not.toThrow();
  });
});
