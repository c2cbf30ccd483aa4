// A replica that loses its database: /healthz answers 503 (the load balancer stops sending it work), and once the
// database is reachable again it answers 200 and handles requests, without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, MKT, startHarness, type Harness } from '../slack/harness.js';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.js';
import { tempDatabaseUrl } from '../support/tempDb.js';
import { waitFor } from '../support/waitFor.js';

let h: Harness;
let proxy: TcpProxy;
beforeAll(async () => {
  const direct = new URL(await tempDatabaseUrl('mktops-health-'));
  proxy = await startTcpProxy(Number(direct.port));
  direct.port = String(proxy.port);
  h = await startHarness({ databaseUrl: direct.toString() });
});
afterAll(async () => {
  await h?.close();
  await proxy?.close();
});

const health = async () => {
  const res = await fetch(`${h.slack.baseUrl}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('/healthz and a lost database', () => {
  it('reports the database, answers 503 while it is unreachable, and recovers on its own', async () => {
    expect(await health()).toEqual({ status: 200, body: { ok: true, database: 'ok', platforms: ['slack'] } });
    await h.ask(ADMIN, '/budget', 'line add SEM 1200000 Search ads');

    await proxy.cut();
    const down = await waitFor(async () => {
      const r = await health();
      return r.status === 503 ? r : undefined;
    }, { what: 'healthz 503', timeoutMs: 15_000 });
    expect(down.body).toEqual({ ok: false, database: 'unreachable', platforms: ['slack'] });

    await proxy.restore();
    await waitFor(async () => (await health()).status === 200, { what: 'healthz 200 again', timeoutMs: 20_000 });
    const answer = await h.ask(MKT, '/budget', 'request 3000 SEM after the outage');
    expect(answer.text).toMatch(/ADJ-1/);
  }, 60_000);
});
