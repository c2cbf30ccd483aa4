import { describe, expect, it } from 'vitest';
import type { Intent } from '../../src/commands/intents.js';
import { errorOf, intentOf } from './helpers.js';

describe('/budget (/预算): accepted forms', () => {
  const cases: [string, Intent][] = [
    // status
    ['/budget', { type: 'budget.status' }],
    ['/budget ', { type: 'budget.status' }],
    ['budget', { type: 'budget.status' }],
    ['/BUDGET', { type: 'budget.status' }],
    ['/预算', { type: 'budget.status' }],
    ['预算', { type: 'budget.status' }],
    ['／预算', { type: 'budget.status' }],
    ['/預算', { type: 'budget.status' }],
    ['/budget 2026-11', { type: 'budget.status', month: '2026-11' }],
    ['/budget 2026-3', { type: 'budget.status', month: '2026-03' }],
    ['/预算 2026年3月', { type: 'budget.status', month: '2026-03' }],
    ['/预算 3月', { type: 'budget.status', month: '2026-03' }],
    ['/预算 ２０２６－１１', { type: 'budget.status', month: '2026-11' }],
    ['/budget status', { type: 'budget.status' }],
    ['/budget status 2026-10', { type: 'budget.status', month: '2026-10' }],
    ['/预算 状态 2026-10', { type: 'budget.status', month: '2026-10' }],
    // lines
    ['/budget lines', { type: 'budget.lines' }],
    ['/budget line', { type: 'budget.lines' }],
    ['/预算 科目', { type: 'budget.lines' }],
    ['/预算 预算线', { type: 'budget.lines' }],
    ['/预算 科目列表', { type: 'budget.lines' }],
    // line add
    ['/budget line add sem 120万 Search engine marketing', { type: 'budget.line.add', code: 'SEM', annualAmount: 120_000_000, name: 'Search engine marketing' }],
    ['/budget line add LIVE channel 12万 Livestream', { type: 'budget.line.add', code: 'LIVE', category: 'channel', annualAmount: 12_000_000, name: 'Livestream' }],
    ['/预算 新增科目 LIVE 渠道运营 12万 直播间', { type: 'budget.line.add', code: 'LIVE', category: 'channel', annualAmount: 12_000_000, name: '直播间' }],
    ['/budget line new KOL_2026 0 KOL seeding', { type: 'budget.line.add', code: 'KOL_2026', annualAmount: 0, name: 'KOL seeding' }],
    ['/预算 科目 新增 SEM 120万 搜索引擎营销', { type: 'budget.line.add', code: 'SEM', annualAmount: 120_000_000, name: '搜索引擎营销' }],
    ['/预算 预算线 添加 SEM 120万 搜索引擎营销', { type: 'budget.line.add', code: 'SEM', annualAmount: 120_000_000, name: '搜索引擎营销' }],
    ['/预算 新增科目 douyin-ads ¥1,200,000.50 抖音 信息流', { type: 'budget.line.add', code: 'DOUYIN-ADS', annualAmount: 120_000_050, name: '抖音 信息流' }],
    ['/预算 添加科目 SEM 50k 搜索', { type: 'budget.line.add', code: 'SEM', annualAmount: 5_000_000, name: '搜索' }],
    // request
    ['/budget request 5万 SEM Double 11 extra push', { type: 'budget.request', amount: 5_000_000, line: 'SEM', reason: 'Double 11 extra push' }],
    ['/budget request 50,000 sem 2026-12 year-end push', { type: 'budget.request', amount: 5_000_000, line: 'SEM', month: '2026-12', reason: 'year-end push' }],
    ['/预算 申请 5万 SEM 双十一加投', { type: 'budget.request', amount: 5_000_000, line: 'SEM', reason: '双十一加投' }],
    ['/预算 申请 1.5万 SEM 12月 年底冲量', { type: 'budget.request', amount: 1_500_000, line: 'SEM', month: '2026-12', reason: '年底冲量' }],
    ['/budget request 5w SEM   keep  the   spacing  ', { type: 'budget.request', amount: 5_000_000, line: 'SEM', reason: 'keep  the   spacing' }],
    ['/budget request', { type: 'form.open', form: 'budget.request' }],
    ['/预算 申请', { type: 'form.open', form: 'budget.request' }],
    // transfer
    ['/budget transfer 2万 WEIBO DOUYIN Douyin converts better', { type: 'budget.transfer', amount: 2_000_000, fromLine: 'WEIBO', toLine: 'DOUYIN', reason: 'Douyin converts better' }],
    ['/budget transfer 2万 weibo douyin 2026-12 move', { type: 'budget.transfer', amount: 2_000_000, fromLine: 'WEIBO', toLine: 'DOUYIN', month: '2026-12', reason: 'move' }],
    ['/预算 调拨 2万 WEIBO DOUYIN 抖音转化更好', { type: 'budget.transfer', amount: 2_000_000, fromLine: 'WEIBO', toLine: 'DOUYIN', reason: '抖音转化更好' }],
    ['/预算 转移 2万 WEIBO DOUYIN 抖音转化更好', { type: 'budget.transfer', amount: 2_000_000, fromLine: 'WEIBO', toLine: 'DOUYIN', reason: '抖音转化更好' }],
    ['/budget transfer', { type: 'form.open', form: 'budget.transfer' }],
    ['/预算 调拨', { type: 'form.open', form: 'budget.transfer' }],
    // spend
    ['/budget spend 3200 SEM Baidu top-up', { type: 'budget.spend', amount: 320_000, line: 'SEM', note: 'Baidu top-up' }],
    ['/budget spend 3,200.50 SEM 2026-11-20 Baidu top-up', { type: 'budget.spend', amount: 320_050, line: 'SEM', date: '2026-11-20', note: 'Baidu top-up' }],
    ['/budget spend 3200 SEM today Baidu', { type: 'budget.spend', amount: 320_000, line: 'SEM', date: '2026-11-26', note: 'Baidu' }],
    ['/budget spend 3200 SEM Yesterday Baidu', { type: 'budget.spend', amount: 320_000, line: 'SEM', date: '2026-11-25', note: 'Baidu' }],
    ['/预算 支出 3200 SEM 今天 百度充值', { type: 'budget.spend', amount: 320_000, line: 'SEM', date: '2026-11-26', note: '百度充值' }],
    ['/预算 记账 3200 SEM 昨天 百度充值', { type: 'budget.spend', amount: 320_000, line: 'SEM', date: '2026-11-25', note: '百度充值' }],
    ['/预算 支出 3200 SEM 2026年11月3日 百度充值', { type: 'budget.spend', amount: 320_000, line: 'SEM', date: '2026-11-03', note: '百度充值' }],
    ['/预算 支出 3200 SEM 11月3日 百度充值', { type: 'budget.spend', amount: 320_000, line: 'SEM', date: '2026-11-03', note: '百度充值' }],
    // a day/month without a year that would be in the future means last year
    ['/budget spend 3200 SEM 12-30 year-end invoice', { type: 'budget.spend', amount: 320_000, line: 'SEM', date: '2025-12-30', note: 'year-end invoice' }],
    ['/budget spend', { type: 'form.open', form: 'budget.spend' }],
    ['/预算 支出', { type: 'form.open', form: 'budget.spend' }],
    ['/预算 记账', { type: 'form.open', form: 'budget.spend' }],
    // show / cancel
    ['/budget show ADJ-12', { type: 'budget.show', id: 12 }],
    ['/budget show adj-12', { type: 'budget.show', id: 12 }],
    ['/预算 查看 ADJ-12', { type: 'budget.show', id: 12 }],
    ['/budget cancel ADJ-3', { type: 'budget.cancel', id: 3 }],
    ['/预算 撤回 ADJ-3', { type: 'budget.cancel', id: 3 }],
    ['/预算 取消 ＡＤＪ－３', { type: 'budget.cancel', id: 3 }],
  ];
  it.each(cases)('%s', (text, intent) => {
    expect(intentOf(text)).toEqual(intent);
  });

  it('keeps the reason verbatim, including punctuation, emoji and inner line breaks', () => {
    expect(intentOf('/budget request 5万 SEM Q4: "push" → 🚀\nsecond line')).toMatchObject({ reason: 'Q4: "push" → 🚀\nsecond line' });
  });

  it('leaves optional month and date out of the intent when not given', () => {
    expect(intentOf('/budget request 5万 SEM why')).not.toHaveProperty('month');
    expect(intentOf('/budget spend 5万 SEM why')).not.toHaveProperty('date');
  });
});

describe('/budget (/预算): refusals', () => {
  const cases: [string, string, Record<string, string | number>, string][] = [
    ['/budget frobnicate', 'cmd.error.unknown_subcommand', { token: 'frobnicate', command: '/budget' }, 'cmd.usage.budget'],
    ['/预算 乱写', 'cmd.error.unknown_subcommand', { token: '乱写', command: '/预算' }, 'cmd.usage.budget'],
    ['/budget 2026-13', 'cmd.error.bad_month', { token: '2026-13' }, 'cmd.usage.budget.status'],
    ['/预算 13月', 'cmd.error.bad_month', { token: '13月' }, 'cmd.usage.budget.status'],
    ['/budget status 2026-00', 'cmd.error.bad_month', { token: '2026-00' }, 'cmd.usage.budget.status'],
    ['/budget status now', 'cmd.error.extra', { token: 'now' }, 'cmd.usage.budget.status'],
    ['/budget 2026-11 extra', 'cmd.error.extra', { token: 'extra' }, 'cmd.usage.budget.status'],
    ['/budget lines foo', 'cmd.error.extra', { token: 'foo' }, 'cmd.usage.budget.lines'],
    ['/budget line remove SEM', 'cmd.error.unknown_subcommand', { token: 'remove', command: '/budget' }, 'cmd.usage.budget.line.add'],
    ['/budget line add', 'cmd.error.missing.code', {}, 'cmd.usage.budget.line.add'],
    ['/budget line add SEM', 'cmd.error.missing.amount', {}, 'cmd.usage.budget.line.add'],
    ['/budget line add SEM 120万', 'cmd.error.missing.name', {}, 'cmd.usage.budget.line.add'],
    ['/budget line add S.E.M 120万 Search', 'cmd.error.bad_line_code', { token: 'S.E.M' }, 'cmd.usage.budget.line.add'],
    ['/budget line add ABCDEFGHIJKLMNOPQRSTU 1 x', 'cmd.error.bad_line_code', { token: 'ABCDEFGHIJKLMNOPQRSTU' }, 'cmd.usage.budget.line.add'],
    ['/预算 新增科目 搜索 120万 搜索引擎', 'cmd.error.bad_line_code', { token: '搜索' }, 'cmd.usage.budget.line.add'],
    ['/budget line add SEM -5 Search', 'money.error.negative', { token: '-5' }, 'cmd.usage.budget.line.add'],
    ['/budget request abc SEM why', 'money.error.format', { token: 'abc' }, 'cmd.usage.budget.request'],
    ['/budget request 0 SEM why', 'money.error.zero', { token: '0' }, 'cmd.usage.budget.request'],
    ['/budget request -5万 SEM why', 'money.error.negative', { token: '-5万' }, 'cmd.usage.budget.request'],
    ['/budget request 1.234 SEM why', 'money.error.decimals', { token: '1.234' }, 'cmd.usage.budget.request'],
    ['/budget request 5万', 'cmd.error.missing.line', {}, 'cmd.usage.budget.request'],
    ['/budget request 5万 SEM', 'cmd.error.missing.reason', {}, 'cmd.usage.budget.request'],
    ['/budget request 5万 SEM 2026-12', 'cmd.error.missing.reason', {}, 'cmd.usage.budget.request'],
    ['/budget request 5万 SEM 2026-13 push', 'cmd.error.bad_month', { token: '2026-13' }, 'cmd.usage.budget.request'],
    ['/budget request 5万 搜索 push', 'cmd.error.bad_line_code', { token: '搜索' }, 'cmd.usage.budget.request'],
    ['/预算 申请 五万 SEM 加投', 'money.error.format', { token: '五万' }, 'cmd.usage.budget.request'],
    ['/budget transfer 2万', 'cmd.error.missing.from_line', {}, 'cmd.usage.budget.transfer'],
    ['/budget transfer 2万 WEIBO', 'cmd.error.missing.to_line', {}, 'cmd.usage.budget.transfer'],
    ['/budget transfer 2万 WEIBO DOUYIN', 'cmd.error.missing.reason', {}, 'cmd.usage.budget.transfer'],
    ['/budget transfer 2万 WEIBO weibo move', 'cmd.error.same_line', { token: 'weibo' }, 'cmd.usage.budget.transfer'],
    ['/budget transfer zero WEIBO DOUYIN move', 'money.error.format', { token: 'zero' }, 'cmd.usage.budget.transfer'],
    ['/budget transfer 2万 WEIBO DOUYIN 2026-99 move', 'cmd.error.bad_month', { token: '2026-99' }, 'cmd.usage.budget.transfer'],
    ['/budget spend 3200', 'cmd.error.missing.line', {}, 'cmd.usage.budget.spend'],
    ['/budget spend 3200 SEM', 'cmd.error.missing.note', {}, 'cmd.usage.budget.spend'],
    ['/budget spend 3200 SEM today', 'cmd.error.missing.note', {}, 'cmd.usage.budget.spend'],
    ['/budget spend 3200 SEM 2026-11-27 tomorrow', 'cmd.error.future_date', { token: '2026-11-27', today: '2026-11-26' }, 'cmd.usage.budget.spend'],
    ['/budget spend 3200 SEM 2026-02-30 bad', 'cmd.error.bad_date', { token: '2026-02-30' }, 'cmd.usage.budget.spend'],
    ['/预算 支出 3200 SEM 2月30日 bad', 'cmd.error.bad_date', { token: '2月30日' }, 'cmd.usage.budget.spend'],
    ['/budget spend 0 SEM nothing', 'money.error.zero', { token: '0' }, 'cmd.usage.budget.spend'],
    ['/budget show', 'cmd.error.missing.id', {}, 'cmd.usage.budget.show'],
    ['/budget show CMP-7', 'cmd.error.bad_id', { token: 'CMP-7', prefix: 'ADJ' }, 'cmd.usage.budget.show'],
    ['/budget show ADJ-12 now', 'cmd.error.extra', { token: 'now' }, 'cmd.usage.budget.show'],
    ['/budget cancel ADJ-0', 'cmd.error.bad_id', { token: 'ADJ-0', prefix: 'ADJ' }, 'cmd.usage.budget.cancel'],
    ['/预算 撤回 第十二号', 'cmd.error.bad_id', { token: '第十二号', prefix: 'ADJ' }, 'cmd.usage.budget.cancel'],
  ];
  it.each(cases)('%s → %s', (text, key, params, usage) => {
    const error = errorOf(text);
    expect(error.key).toBe(key);
    expect(error.params).toMatchObject(params);
    expect(error.usage).toBe(usage);
  });

  it('quotes the amount token verbatim, even full-width', () => {
    expect(errorOf('/预算 申请 ５万元整 SEM 加投').params.token).toBe('５万元整');
  });
});
