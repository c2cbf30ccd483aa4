// The Feishu side of the long connection (FEISHU_MODE=ws), on loopback: the WebSocket server whose URL the fake Open
// API hands out at POST /callback/ws/endpoint (fakeFeishu.ts, `wsUrl`). Frames are protobuf pbbp2.Frame messages
// (the schema the Lark SDK compiles in; encoded here with protobufjs, a dependency of the SDK):
//   Frame  { 1 SeqID uint64, 2 LogID uint64, 3 service int32, 4 method int32 (0 control, 1 data), 5 headers Header[],
//            6 payloadEncoding, 7 payloadType, 8 payload bytes, 9 LogIDNew }
//   Header { 1 key, 2 value }
// The server pushes events as data frames (headers type=event, message_id, sum=1, seq=0, trace_id; payload the
// schema 2.0 event JSON, unencrypted) and the SDK acks each with the same frame carrying an extra biz_rt header and the
// payload { code: 200 | 500, data?: base64(JSON of the handler's answer) }. Control frames: the SDK pings
// (type=ping) and the server answers type=pong with its client config.
import { randomUUID } from 'node:crypto';
// The Lark SDK configures the protobufjs module it shares with this fake when it loads (util.Long = undefined:
// 64-bit fields as numbers). The app loads the SDK only when Feishu is configured, so load it before the types
// below are built, or their fields would expect Long values the SDK removed.
import '@larksuiteoapi/node-sdk';
import protobuf from 'protobufjs';
import { WS_CLIENT_CONFIG } from './fakeFeishu.js';
import { FeishuTestClient, type FeishuClientOptions, type Reply, type SendOptions } from './feishuClient.js';
import { waitFor } from './waitFor.js';
import { startWsServer, WS_OPEN, type WsSocket } from './wsServer.js';

const HeaderType = new protobuf.Type('Header')
  .add(new protobuf.Field('key', 1, 'string', 'required'))
  .add(new protobuf.Field('value', 2, 'string', 'required'));
const FrameType = new protobuf.Type('Frame')
  .add(new protobuf.Field('SeqID', 1, 'uint64', 'required'))
  .add(new protobuf.Field('LogID', 2, 'uint64', 'required'))
  .add(new protobuf.Field('service', 3, 'int32', 'required'))
  .add(new protobuf.Field('method', 4, 'int32', 'required'))
  .add(new protobuf.Field('headers', 5, 'Header', 'repeated'))
  .add(new protobuf.Field('payloadEncoding', 6, 'string'))
  .add(new protobuf.Field('payloadType', 7, 'string'))
  .add(new protobuf.Field('payload', 8, 'bytes'))
  .add(new protobuf.Field('LogIDNew', 9, 'string'));
new protobuf.Root().define('pbbp2').add(HeaderType).add(FrameType);

export const METHOD_CONTROL = 0;
export const METHOD_DATA = 1;
export const SERVICE_ID = 33554678;

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payload?: Uint8Array;
}

export function encodeFrame(frame: Frame): Uint8Array {
  return FrameType.encode(FrameType.fromObject(frame)).finish();
}

export function decodeFrame(data: Uint8Array): Frame {
  const object = FrameType.toObject(FrameType.decode(data), { longs: Number, defaults: true }) as Frame;
  return { ...object, headers: object.headers ?? [] };
}

export const header = (frame: Frame, key: string): string | undefined => frame.headers.find((h) => h.key === key)?.value;

/** The ack of an event frame, decoded: the SDK's { code, data } with data un-base64'd and parsed. */
export interface WsAck {
  frame: Frame;
  code: number;
  /** The event handler's answer (for card callbacks: toast / card), if any. */
  data?: any;
}

export interface FakeFeishuWs {
  /** The URL /callback/ws/endpoint hands out (device_id and service_id as query parameters, like Feishu's). */
  url: string;
  connections(): { url: string; closed: boolean }[];
  /** Every frame the SDK sent, decoded, in order. */
  received: Frame[];
  /** Pushes a schema 2.0 event as a data frame and waits for its ack (matched by the frame's message_id header). */
  push(event: unknown, o?: { frameMessageId?: string }): Promise<WsAck>;
  close(): Promise<void>;
}

export async function startFakeFeishuWs(): Promise<FakeFeishuWs> {
  const received: Frame[] = [];
  let seq = 0;
  const server = await startWsServer((socket) => {
    socket.on('message', (data) => {
      const frame = decodeFrame(data);
      received.push(frame);
      if (frame.method === METHOD_CONTROL && header(frame, 'type') === 'ping') {
        const pong: Frame = {
          SeqID: 0,
          LogID: 0,
          service: frame.service,
          method: METHOD_CONTROL,
          headers: [{ key: 'type', value: 'pong' }],
          payload: new TextEncoder().encode(JSON.stringify(WS_CLIENT_CONFIG)),
        };
        socket.send(encodeFrame(pong));
      }
    });
  });
  const current = (): WsSocket => {
    const open = server.connections.filter((c) => !c.closed && c.socket.readyState === WS_OPEN);
    const last = open[open.length - 1];
    if (!last) throw new Error('no open long connection');
    return last.socket;
  };
  const deviceId = `dev-${randomUUID().slice(0, 8)}`;
  return {
    url: `${server.base}/ws/v2?fpid=1&aid=552564&device_id=${deviceId}&access_key=fake&service_id=${SERVICE_ID}&ticket=${randomUUID()}`,
    connections: () => server.connections.map(({ url, closed }) => ({ url, closed })),
    received,
    async push(event, o = {}) {
      const messageId = o.frameMessageId ?? randomUUID();
      const frame: Frame = {
        SeqID: ++seq,
        LogID: 1000 + seq,
        service: SERVICE_ID,
        method: METHOD_DATA,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: messageId },
          { key: 'sum', value: '1' },
          { key: 'seq', value: '0' },
          { key: 'trace_id', value: `trace-${seq}` },
        ],
        payload: new TextEncoder().encode(JSON.stringify(event)),
      };
      const before = received.length;
      current().send(encodeFrame(frame));
      const ack = await waitFor(
        () => received.slice(before).find((f) => f.method === METHOD_DATA && header(f, 'message_id') === messageId),
        { what: `ack of event frame ${messageId}` },
      );
      const body = JSON.parse(new TextDecoder().decode(ack.payload)) as { code: number; data?: string };
      return { frame: ack, code: body.code, data: body.data ? JSON.parse(Buffer.from(body.data, 'base64').toString('utf8')) : undefined };
    },
    close: () => server.close(),
  };
}

/**
 * FeishuTestClient over the long connection: the same events (text, click, submit, menu) pushed as frames instead
 * of signed HTTP callbacks (the long connection carries them unencrypted). A Reply is { status: the ack's code (200), body: the handler's answer }; `lastAck` keeps
 * the whole ack.
 */
export class FeishuWsTestClient extends FeishuTestClient {
  lastAck: WsAck | undefined;
  /** The last event pushed (to push it again: a re-push keeps the event_id). */
  lastEvent: unknown;
  constructor(
    opts: FeishuClientOptions,
    private readonly ws: FakeFeishuWs,
  ) {
    super(opts);
  }

  override async post(payload: unknown, _o: SendOptions = {}): Promise<Reply> {
    this.lastEvent = payload;
    const ack = await this.ws.push(payload);
    this.lastAck = ack;
    return { status: ack.code, body: ack.data ?? {} };
  }
}
