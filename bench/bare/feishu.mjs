// Baselines for bench/e2e.ts (plain node): the bare Lark SDK.
//   node bench/bare/feishu.mjs ack     an EventDispatcher (decrypts the event) whose message handler only returns
//   node bench/bare/feishu.mjs answer  … and answers the sender with im/v1/messages (the bare SDK's end to end)
// Env: PORT, FEISHU_URL (the fake Open API). Serves POST /feishu/events and GET /healthz.
import { createServer } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';

const mode = process.argv[2] ?? 'ack';
const client = new lark.Client({ appId: 'cli_bench', appSecret: 'bench-app-secret', domain: process.env.FEISHU_URL, loggerLevel: lark.LoggerLevel.error });
const dispatcher = new lark.EventDispatcher({
  verificationToken: 'bench-verification-token',
  encryptKey: 'bench-encrypt-key',
  loggerLevel: lark.LoggerLevel.error,
}).register({
  'im.message.receive_v1': async (data) => {
    if (mode === 'answer') {
      setImmediate(() =>
        client.im.message
          .create({
            params: { receive_id_type: 'open_id' },
            data: { receive_id: data.sender.sender_id.open_id, msg_type: 'text', content: JSON.stringify({ text: 'done' }) },
          })
          .catch(() => undefined),
      );
    }
    return {};
  },
});

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') return res.writeHead(200).end('{"ok":true}');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const answer = await dispatcher.invoke(Object.assign(Object.create({ headers: req.headers }), body));
    const text = JSON.stringify(answer ?? {});
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.stdout.write('READY\n'));
