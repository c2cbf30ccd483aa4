// `/audit` and `/audit export` on a real SQLite file: the whole history in order with who, when (zone named),
// before → after, stand-in decisions with their delegation, escalations; paging; who may read; the CSV export
// (neutralised against formula injection) delivered as a file through the outbox.
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/scheduler/index.js';
import { csvCell } from '../../src/usecases/auditTrail.js';
import { parseMarkup, plainText } from '../../src/messages/markup.js';
import { expectRefusedNothingWritten, outbox, slackUser, text, world } from './budgetSetup.js';

const config = { timezone: 'Asia/Shanghai', locale: 'en' as const, adminUsers: ['slack:UADMIN'] };

describe('/audit on a request that went through delegation and escalation', () => {
  it('lists every change in order, with who, local time, the zone, before → after', async () => {
    const w = await world({ now: '2026-11-10T02:00:00Z' });
    expect((await w.core.command(w.fin, '/mkt delegate <@UBOB0001|Bob> until 2026-11-30')).ok).toBe(true);
    expect((await w.core.command(w.alice, '/budget request 6万 SEM 2026-11 **Double 11** <@slack:UX|x> push')).ok).toBe(true);
    const s = createScheduler({ db: w.db, config, clock: w.clock, timers: false });
    w.clock.set('2026-11-12T02:30:00Z'); // 48.5 h later: escalated
    expect((await s.events()).map((r) => r.key)).toEqual(['ADJ-1:finance']);
    w.clock.set('2026-11-12T03:00:00Z');
    expect((await w.core.action(w.bob, 'adj.approve:1')).ok).toBe(true);
    w.clock.set('2026-11-12T06:00:00Z');
    expect((await w.core.action(w.lead, 'adj.approve:1')).ok).toBe(true);

    const o = await w.core.command(w.alice, '/audit ADJ-1'); // the requester may read her own record
    expect(o.ok, text(o)).toBe(true);
    const m = o.reply!;
    expect(m.title).toBe('Audit trail — ADJ-1');
    expect(m.context?.[0]).toContain('Times in Asia/Shanghai');
    const lines = m.text!.split('\n');
    expect(lines).toHaveLength(4);
    // Typed text shows as typed: no bold, no mention of UX (it is escaped markup).
    expect(plainText(lines[0]!)).toBe('1. 2026-11-10 10:00 UTC+8 · Alice · requested ¥60,000.00 more for SEM in 2026-11; reason “**Double 11** <@slack:UX|x> push”; status — → Waiting for finance');
    expect(parseMarkup(lines[0]!).filter((sp) => sp.kind === 'person').map((sp) => sp.kind === 'person' && sp.id)).toEqual(['UALICE01']);
    expect(parseMarkup(lines[0]!).some((sp) => sp.kind === 'text' && sp.bold)).toBe(false);
    // Finance (Fay, Finn), Bob standing in for Fay, and both leaders by DM (no leaders' chat is bound).
    expect(lines[1]).toBe('2. 2026-11-12 10:30 UTC+8 · the bot · escalated after 48 h waiting for finance review (5 direct messages, 0 posts in the leaders’ chat)');
    expect(lines[2]).toContain('<@slack:UBOB0001|Bob> on behalf of <@slack:UFIN0001|Fay> · finance approved; status Waiting for finance → Waiting for leader');
    expect(lines[2]).toContain('as stand-in under DLG-1 (<@slack:UFIN0001|Fay> → <@slack:UBOB0001|Bob>, Finance, set by <@slack:UFIN0001|Fay> at 2026-11-10 10:00 UTC+8, until 2026-11-30 (end of day, Asia/Shanghai))');
    expect(lines[3]).toContain('<@slack:ULEAD001|Leo> · leader approved; status Waiting for leader → Approved; SEM plan ¥10,000.00 → ¥70,000.00; SEM annual ¥120,000.00 → ¥180,000.00');
    expect(lines[2]).toMatch(/^3\. 2026-11-12 11:00 UTC\+8 /);
    expect(lines[3]).toMatch(/^4\. 2026-11-12 14:00 UTC\+8 /);
  });

  it('zh-CN: the same trail in Chinese', async () => {
    const w = await world();
    expect((await w.core.command(w.admin, '/mkt lang zh')).ok).toBe(true);
    expect((await w.core.command(w.alice, '/预算 申请 3000 SEM 2026-11 加投')).ok).toBe(true);
    expect((await w.core.action(w.fin, 'adj.reject:1')).ok).toBe(true);
    expect((await w.core.submit(w.fin, 'adj.reject:1', { reason: '预算不足' })).ok).toBe(true);
    const o = await w.core.command(w.fin, '/审计 ADJ-1');
    expect(o.reply?.title).toBe('审计记录 — ADJ-1');
    expect(o.reply?.text).toContain('财务驳回；状态 待财务审核 → 已驳回');
    expect(o.reply?.context?.[0]).toContain('时间为 Asia/Shanghai');
  });

  it('only finance, leaders, admins and the record’s own people may read it; unknown ids and bad input are refused', async () => {
    const w = await world();
    expect((await w.core.command(w.alice, '/budget request 3000 SEM 2026-11 Extra')).ok).toBe(true);
    const carl = slackUser('UCARL001', 'Carl');
    await expectRefusedNothingWritten(w, () => w.core.command(carl, '/audit ADJ-1'), /Only finance, leaders, admins and the people on ADJ-1/);
    for (const who of [w.fin, w.lead, w.admin, w.alice]) expect((await w.core.command(who, '/audit ADJ-1')).ok).toBe(true);
    await expectRefusedNothingWritten(w, () => w.core.command(w.fin, '/audit ADJ-99'), /ADJ-99 does not exist/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.fin, '/audit PLAN-2031'), /PLAN-2031 does not exist/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.fin, '/audit XYZ-1'), /not a record/);
    await expectRefusedNothingWritten(w, () => w.core.command(w.fin, '/audit ADJ-1 0'), /`0`/);
    expect(text(await w.core.command(w.fin, '/audit'))).toContain('/audit ADJ-12');
  });

  it('pages a long history, with buttons to the next and previous page', async () => {
    const w = await world();
    expect((await w.core.command(w.alice, '/budget plan new 2027')).ok).toBe(true);
    for (let i = 1; i <= 35; i++) expect((await w.core.command(w.alice, `/budget plan line 2027 L${String(i).padStart(3, '0')} other ${1000 + i} Line ${i}`)).ok).toBe(true);
    const first = await w.core.command(w.alice, '/audit PLAN-2027');
    expect(first.reply?.context?.[0]).toContain('page 1 of 3 · 36 entries');
    expect(first.reply?.text?.split('\n')).toHaveLength(15);
    expect(first.reply?.buttons?.map((b) => b.action)).toEqual(['audit.page:PLAN:2027:2']);
    const last = await w.core.action(w.alice, 'audit.page:PLAN:2027:3');
    expect(last.reply?.context?.[0]).toContain('page 3 of 3');
    expect(last.reply?.text).toContain('36. ');
    expect(last.reply?.buttons?.map((b) => b.action)).toEqual(['audit.page:PLAN:2027:2']);
    expect((await w.core.command(w.alice, '/audit PLAN-2027 9')).reply?.context?.[0]).toContain('page 3 of 3');
  });
});

describe('/audit export', () => {
  it('sends the month as a CSV file by DM (admin, finance), cells neutralised against formula injection', async () => {
    const w = await world();
    const mallory = slackUser('UMAL0001', '=HYPERLINK("http://x","click")');
    expect((await w.core.command(mallory, '/budget request 3000 SEM 2026-11 @SUM(1+1)')).ok).toBe(true);
    await expectRefusedNothingWritten(w, () => w.core.command(w.alice, '/audit export'), /Only admins and finance members/);
    const o = await w.core.command(w.fin, '/audit export 2026-11');
    expect(o.ok, text(o)).toBe(true);
    const row = (await outbox(w.db)).find((r) => r.kind === 'dm' && r.target === 'UFIN0001' && JSON.parse(r.payload).file)!;
    const file = JSON.parse(row.payload).file as { fileId: number; name: string };
    expect(file.name).toBe('audit-2026-11.csv');
    const stored = await w.db.read((tx) => tx.storedFile.findUniqueOrThrow({ where: { id: file.fileId } }));
    expect(stored.mime).toBe('text/csv');
    const csv = Buffer.from(stored.bytes).toString('utf8');
    expect(csv.startsWith('\uFEFFid,time,timezone,actor,on_behalf_of,action,record,details\r\n')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""click"") (slack:UMAL0001)"`);
    expect(csv).toContain(',adjustment.request,ADJ-1,');
    expect(csv).toMatch(/\r\n\d+,2026-11-10 \d\d:\d\d:\d\d,Asia\/Shanghai,/);
    for (const line of csv.split('\r\n').slice(1)) for (const cell of line.split(',')) expect(cell).not.toMatch(/^[=+\-@]/);
    expect(text(await w.core.command(w.fin, '/audit export 2025-01'))).toContain('Nothing was recorded in 2025-01');
  });

  it('csvCell neutralises = + - @ tab and CR, and quotes', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+86 123')).toBe("'+86 123");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('plain')).toBe('plain');
  });
});
