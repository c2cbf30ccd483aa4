// A loopback WebSocket server for the fakes of the platforms' "dial-out" modes (Slack Socket Mode, the Feishu long
// connection). It uses the `ws` package, which is only a transitive dependency (of @slack/socket-mode and the Lark
// SDK) and ships no types (@types/ws is not installed): it is loaded with require() and the little of it the fakes
// use is typed here.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';

/** The part of ws's WebSocket the fakes use. */
export interface WsSocket {
  readonly readyState: number;
  send(data: string | Uint8Array, cb?: (error?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}

interface WebSocketServer {
  on(event: 'connection', listener: (socket: WsSocket, req: IncomingMessage) => void): this;
  readonly clients: Set<WsSocket>;
  close(cb?: (error?: Error) => void): void;
}

const ws = createRequire(import.meta.url)('ws') as {
  WebSocketServer: new (options: { server: Server }) => WebSocketServer;
  OPEN: number;
};

export const WS_OPEN = ws.OPEN;

export interface LoopbackWsServer {
  /** ws://127.0.0.1:<port> (no path). */
  base: string;
  /** Every connection accepted so far, oldest first, with the request path + query it was opened with. */
  connections: { socket: WsSocket; url: string; closed: boolean }[];
  close(): Promise<void>;
}

export async function startWsServer(onConnection: (socket: WsSocket, req: IncomingMessage) => void): Promise<LoopbackWsServer> {
  const http = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end('upgrade required');
  });
  const wss = new ws.WebSocketServer({ server: http });
  const connections: LoopbackWsServer['connections'] = [];
  wss.on('connection', (socket, req) => {
    const entry = { socket, url: req.url ?? '/', closed: false };
    connections.push(entry);
    socket.on('close', () => (entry.closed = true));
    socket.on('error', () => undefined);
    onConnection(socket, req);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    base: `ws://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of wss.clients) socket.terminate();
        wss.close(() => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
      }),
  };
}
