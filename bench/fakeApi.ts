// A lean loopback fake of the Slack Web API and the Feishu Open API for the benchmarks: it answers what the bot calls
// (auth, posting, updating, opening DMs) and reports when an answer or a card for a benchmark command arrives. The
// tests' fakes (test/support) check every Block Kit and card limit; this one only finds the command a message is
// for, so the load process that runs it is not the limit.
//   Slack: a private answer is chat.postEphemeral to the command's channel "CB<key>"; a card is chat.postMessage whose
//          text holds "bench-<key>".
//   Feishu: a private answer is im/v1/messages to the open_id "ou_b<key>"; a card (a post to a chat) holds "bench-<key>".
import { createServer, type IncomingMessage, type Server } from 'node:http';

export type Arrival = (kind: 'answer' | 'card', key: string) => void;

const SLACK_CHANNEL = /"?channel"?[=:]"?CB([0-9]+x[0-9]+)/;
const FEISHU_USER = /ou_b([0-9]+x[0-9]+)/;
const MARK = /bench-([0-9]+x[0-9]+)/;

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeApi(arrived: Arrival): Promise<{ url: string; server: Server; calls: () => number }> {
  let seq = 0;
  let calls = 0;
  const server = createServer(async (req, res) => {
    const raw = await body(req);
    calls++;
    const url = req.url ?? '/';
    const reply = (json: unknown) => {
      const text = JSON.stringify(json);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const ts = `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;
    if (url.startsWith('/api/')) {
      const method = url.slice(5).split('?')[0];
      // The WebClient sends a form; chat.* go as JSON (src/platforms/slack/webApi.ts), read as they are.
      const form = !String(req.headers['content-type'] ?? '').includes('application/json');
      const decoded = form && raw.includes('%') ? decodeURIComponent(raw.replace(/\+/g, ' ')) : raw;
      switch (method) {
        case 'auth.test':
          return reply({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
        case 'chat.postEphemeral': {
          const key = SLACK_CHANNEL.exec(decoded)?.[1];
          if (key) arrived('answer', key);
          return reply({ ok: true, message_ts: ts });
        }
        case 'chat.postMessage': {
          const key = MARK.exec(decoded)?.[1];
          if (key) arrived('card', key);
          const channel = /"?channel"?[=:]"?([A-Z0-9]+)/.exec(decoded)?.[1] ?? 'C0';
          return reply({ ok: true, ts, channel, message: { ts } });
        }
        case 'conversations.open':
          return reply({ ok: true, channel: { id: `D${seq}` } });
        default:
          return reply({ ok: true, ts, channel: 'C0' });
      }
    }
    if (url.startsWith('/open-apis/')) {
      if (url.startsWith('/open-apis/auth/v3/')) return reply({ code: 0, tenant_access_token: 't-bench', app_access_token: 'a-bench', expire: 7200 });
      if (url.startsWith('/open-apis/bot/v3/info')) return reply({ code: 0, bot: { open_id: 'ou_bot' } });
      if (url.startsWith('/open-apis/im/v1/messages') && req.method === 'POST') {
        const user = FEISHU_USER.exec(raw)?.[1];
        if (user && url.includes('receive_id_type=open_id')) arrived('answer', user);
        else {
          const key = MARK.exec(raw)?.[1];
          if (key) arrived('card', key);
        }
        return reply({ code: 0, data: { message_id: `om_${seq}` } });
      }
      return reply({ code: 0, data: {} });
    }
    res.writeHead(404);
    res.end();
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, server, calls: () => calls };
}
