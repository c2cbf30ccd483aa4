// The one HTTP server of the process: platform routes plus GET /healthz.
// Routing ignores the query string (the Lark SDK's adapter hangs on one, so we route ourselves).
import { createServer, type Server } from 'node:http';
import { log } from '../log.js';
import type { RouteHandler } from '../platforms/surface.js';

export interface HttpServerOptions {
  routes: Record<string, RouteHandler>;
  /** What GET /healthz reports; `ok: false` answers 503 (e.g. the database is unreachable). */
  health: () => Record<string, unknown> | Promise<Record<string, unknown>>;
}

export function createHttpServer(opts: HttpServerOptions): Server {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    // HEAD is answered like GET (Node sends the headers and drops the body), so monitors can probe.
    const key = `${req.method === 'HEAD' ? 'GET' : req.method} ${path}`;
    if (key === 'GET /healthz') {
      void Promise.resolve()
        .then(() => opts.health())
        .catch((error: unknown) => {
          log.error('http.health_failed', { error });
          return { ok: false };
        })
        .then((health) => {
          const report: Record<string, unknown> = { ok: true };
          Object.assign(report, health);
          const body = JSON.stringify(report);
          res.writeHead(report.ok === false ? 503 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
          res.end(body);
        });
      return;
    }
    const handler = opts.routes[key];
    if (!handler) {
      // A known path asked with another method gets 405 and the methods it has.
      const allowed = Object.keys(opts.routes)
        .filter((k) => k.slice(k.indexOf(' ') + 1) === path)
        .map((k) => k.slice(0, k.indexOf(' ')));
      if (allowed.includes('GET')) allowed.push('HEAD');
      const status = allowed.length ? 405 : 404;
      res.writeHead(status, { 'content-type': 'application/json', ...(allowed.length ? { allow: allowed.join(', ') } : {}) });
      res.end(JSON.stringify({ ok: false, error: status === 405 ? 'method_not_allowed' : 'not_found' }));
      return;
    }
    Promise.resolve(handler(req, res)).catch((error) => {
      log.error('http.handler_failed', { route: key, error });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      if (!res.writableEnded) res.end(JSON.stringify({ ok: false }));
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
