// A small round-robin HTTP load balancer on loopback, in front of several bot processes (the replicas test): each
// request goes to the next replica; a replica that refuses the connection (it is down) is skipped, as a load
// balancer's health check would; a replica that dies mid-request leaves the caller a 502, as Slack and Feishu see a
// timeout. No sticky sessions. The answer names the replica that served it (`x-replica`), so a test can send a
// platform's retry to a different one.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';

export interface RoundRobinProxy {
  port: number;
  /** Requests served per replica index. */
  served: number[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startRoundRobinProxy(ports: number[]): Promise<RoundRobinProxy> {
  let next = 0;
  const served = ports.map(() => 0);
  const forward = (index: number, req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer } | 'refused'>((resolve) => {
      const upstream = request(
        { host: '127.0.0.1', port: ports[index], method: req.method, path: req.url, headers: { ...req.headers, connection: 'close' } },
        (res) => {
          readBody(res).then(
            (b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }),
            () => resolve({ status: 502, headers: {}, body: Buffer.from('replica died mid-answer') }),
          );
        },
      );
      upstream.on('error', (error: NodeJS.ErrnoException) =>
        resolve(error.code === 'ECONNREFUSED' ? 'refused' : { status: 502, headers: {}, body: Buffer.from(`replica failed: ${error.code ?? error.message}`) }),
      );
      upstream.end(body);
    });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      for (let tried = 0; tried < ports.length; tried++) {
        const index = next++ % ports.length;
        const answer = await forward(index, req, body);
        if (answer === 'refused') continue;
        served[index]!++;
        const headers: Record<string, string | string[]> = { 'x-replica': String(index) };
        for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !['connection', 'transfer-encoding', 'keep-alive'].includes(k)) headers[k] = v;
        headers['content-length'] = String(answer.body.length);
        res.writeHead(answer.status, headers);
        res.end(answer.body);
        return;
      }
      res.writeHead(503).end('no replica is up');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    served,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
