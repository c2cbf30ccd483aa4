// Acceptance criterion of the budget alerts (raised by the budget use-cases when spend is recorded): each of
// 80 % and 100 % fires once per line and month, not on later spends of that month, and again next month.
import { describe, expect, it } from 'vitest';
import { createCore } from '../../src/usecases/core.js';
import type { Actor } from '../../src/usecases/types.js';
import { config, FakeClock, openDb, outboxRows } from './helpers.js';

const slack = (userId: string, displayName: string): Actor => ({ platform: 'slack', workspaceId: 'T1', userId, displayName, channelId: 'CCMD' });

describe('threshold alerts through /budget spend', () => {
  it('fire once at 80 % and once at 100 % per line and month, and again in the next month', async () => {
    const db = await openDb();
    const clock = new FakeClock('2026-11-10T02:00:00Z');
    const core = createCore({ db, config: config(), clock });
    const admin = slack('UADMIN', 'Ada');
    const fin = slack('UFIN', 'Fay');
    const ok = async (who: Actor, text: string) => {
      const o = await core.command(who, text);
      expect(o.ok, `${text}: ${JSON.stringify(o.reply)}`).toBe(true);
    };
    await ok(admin, '/mkt role <@UFIN|Fay> finance');
    await ok(fin, '/budget line add SEM 120000 Search engine marketing'); // ¥10,000 a month
    await ok(fin, '/budget line add WX 120000 WeChat');

    const alerts = async () => (await outboxRows(db)).filter((r) => r.dedupeKey?.startsWith('alert:')).map((r) => r.dedupeKey!.split(':').slice(0, 4).join(':'));
    const line = async (code: string) => (await db.read((tx) => tx.budgetLine.findFirstOrThrow({ where: { code } }))).id;
    const sem = await line('SEM');
    const wx = await line('WX');

    await ok(fin, '/budget spend 7000 SEM Baidu'); // 70 %
    expect(await alerts()).toEqual([]);
    await ok(fin, '/budget spend 1000 SEM Baidu'); // 80 %
    expect(await alerts()).toEqual([`alert:${sem}:2026-11:80`]);
    await ok(fin, '/budget spend 500 SEM Baidu'); // 85 %: no new alert
    await ok(fin, '/budget spend 1500 SEM Baidu'); // 100 %
    await ok(fin, '/budget spend 2000 SEM Baidu'); // 120 %: no new alert
    await ok(fin, '/budget spend 1 SEM Baidu');
    expect(await alerts()).toEqual([`alert:${sem}:2026-11:80`, `alert:${sem}:2026-11:100`]);
    // Another line is independent; a single spend across both thresholds raises both, once.
    await ok(fin, '/budget spend 12000 WX Big push');
    await ok(fin, '/budget spend 10 WX Small');
    expect(await alerts()).toEqual([`alert:${sem}:2026-11:80`, `alert:${sem}:2026-11:100`, `alert:${wx}:2026-11:80`, `alert:${wx}:2026-11:100`]);

    // December: the thresholds count again.
    clock.set('2026-12-02T02:00:00Z');
    await ok(fin, '/budget spend 9000 SEM Baidu'); // 90 % of December
    await ok(fin, '/budget spend 100 SEM Baidu');
    expect((await alerts()).slice(4)).toEqual([`alert:${sem}:2026-12:80`]);
    const rows = await db.read((tx) => tx.thresholdAlert.findMany({ orderBy: { id: 'asc' } }));
    expect(rows.map((r) => `${r.lineId}:${r.month}:${r.threshold}`)).toEqual([
      `${sem}:2026-11:80`,
      `${sem}:2026-11:100`,
      `${wx}:2026-11:80`,
      `${wx}:2026-11:100`,
      `${sem}:2026-12:80`,
    ]);
    await db.close();
  });
});
