// zh-CN replies: the texts exist, no raw i18n keys leak into what people read.
import { describe, expect, it } from 'vitest';
import { budgetCatalog } from '../../src/i18n/catalog/budget.js';
import type { Message } from '../../src/messages/model.js';
import type { Outcome } from '../../src/usecases/types.js';
import { outbox, text, world } from './budgetSetup.js';

const RAW_KEY = /\b(budget|adj|admin|core|cmd|error|money|role|help)\.[a-z_]+(\.[a-z_]+)*\b/;

// Button action references and form/field ids are machine references, not text people read.
const visible = (v: unknown) => JSON.stringify(v ?? {}, (k, x) => (k === 'action' || k === 'id' || k === 'name' ? undefined : x));

function everything(o: Outcome): string {
  const parts = [text(o), o.toast ?? '', visible(o.formErrors), visible(o.openForm), visible(o.updatedCard?.message)];
  return parts.join('\n');
}

function messageText(m: Message): string {
  return visible(m);
}

describe('zh-CN', () => {
  it('catalog: same keys and placeholders in both languages', () => {
    const en = budgetCatalog.en;
    const zh = budgetCatalog['zh-CN'];
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en)) expect(ph(zh[key]!), key).toEqual(ph(en[key]!));
  });

  it('replies, cards, forms and refusals are in Chinese with no raw keys', async () => {
    const w = await world();
    expect((await w.core.command(w.admin, '/mkt lang zh')).ok).toBe(true);
    const firstRow = (await outbox(w.db)).length; // earlier rows were written in English
    const outcomes: [string, Outcome][] = [];
    const run = async (label: string, o: Promise<Outcome>) => {
      const r = await o;
      outcomes.push([label, r]);
      return r;
    };
    const req = await run('request', w.core.command(w.alice, '/预算 申请 6万 SEM 2026-11 双十一加投'));
    expect(req.ok, text(req)).toBe(true);
    expect(text(req)).toContain('已提交审批');
    expect(text(req)).toContain('尚未绑定审批群');

    const fin = await run('finance', w.core.action(w.fin, 'adj.approve:1'));
    expect(text(fin)).toContain('等待领导审批');
    expect(fin.updatedCard?.message.text).toContain('财务已通过');
    const self = await run('self', w.core.action(w.alice, 'adj.approve:1'));
    expect(self.ok).toBe(false);
    const lead = await run('leader', w.core.action(w.lead, 'adj.approve:1'));
    expect(text(lead)).toContain('预算已调整');
    const late = await run('late', w.core.action(w.lead2, 'adj.approve:1'));
    expect(text(late)).toMatch(/ADJ-1 已由 <@slack:ULEAD001\|Leo> 于 2026-11-10 10:00 UTC\+8 批准/);

    await run('status', w.core.command(w.bob, '/预算'));
    await run('unknown line', w.core.command(w.bob, '/预算 申请 5000 TIKTOK 试试'));
    await run('exceeds', w.core.command(w.bob, '/budget transfer 20万 WEIBO SEM 太多'));
    await run('spend', w.core.command(w.fin, '/budget spend 9000 WEIBO 2026-11-02 微博投放'));
    await run('form', w.core.command(w.bob, '/budget transfer'));
    await run('form errors', w.core.submit(w.bob, 'budget.request', { line: 'X', amount: '-1', month: '13', reason: '' }));
    await run('reject form', w.core.command(w.bob, '/budget request 100 SEM 小额'));
    await run('reject open', w.core.action(w.fin, 'adj.reject:2'));
    await run('not admin', w.core.command(w.bob, '/mkt set reminder_hours 3'));
    await run('bad cron', w.core.command(w.admin, '/mkt set schedule.reminders 0 25 * * *'));
    await run('roles', w.core.command(w.bob, '/mkt roles'));
    await run('lines', w.core.command(w.bob, '/budget lines'));

    for (const [label, o] of outcomes) {
      expect(o.locale, label).toBe('zh-CN');
      const all = everything(o);
      expect(all, label).not.toMatch(RAW_KEY);
      expect(all, label).toMatch(/[\u4e00-\u9fff]/);
    }
    // Cards and DMs in the outbox too.
    const rows = (await outbox(w.db)).slice(firstRow);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      const m = JSON.parse(row.payload).message as Message;
      expect(messageText(m), row.kind).not.toMatch(RAW_KEY);
      expect(messageText(m)).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(text(outcomes.find(([l]) => l === 'bad cron')![1])).toContain('小时字段“25”必须在 0–23 之间');
  });
});
