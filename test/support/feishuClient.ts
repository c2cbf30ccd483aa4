// Sends events and card callbacks to the bot exactly as Feishu does: schema 2.0 envelopes, encrypted with
// the app's encrypt key and signed (x-lark-request-timestamp / -nonce / -signature). Options forge the
// signature, the verification token or the timestamp for the security tests, or replay a delivery.
import { randomBytes, randomUUID } from 'node:crypto';
import { encrypt, signature } from '../../src/platforms/feishu/crypto.js';
import { buttonsOf, CONTENT_TOO_LONG, FEISHU_BODY_LIMIT, type FakeMessage } from './fakeFeishu.js';

export interface SendOptions {
  encrypt?: boolean;
  /** Sign with this key instead of the real one. */
  signWith?: string;
  /** Omit the signature headers. */
  unsigned?: boolean;
  token?: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Re-send exactly this body (a re-push keeps event_id and content). */
  eventId?: string;
}

export interface Reply {
  status: number;
  body: any;
  /** The answer's headers (a load balancer in front of replicas names the one that answered). */
  headers?: Headers;
}

export interface FeishuClientOptions {
  url: string;
  appId: string;
  verificationToken: string;
  encryptKey: string;
  tenantKey: string;
}

export class FeishuTestClient {
  constructor(readonly opts: FeishuClientOptions) {}

  /** Posts a raw payload (wrapped in { encrypt } unless encrypt: false), signed. */
  async post(payload: unknown, o: SendOptions = {}): Promise<Reply> {
    const inner = JSON.stringify(payload);
    const raw = o.encrypt === false ? inner : JSON.stringify({ encrypt: encrypt(inner, this.opts.encryptKey) });
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = randomBytes(8).toString('hex');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!o.unsigned) {
      headers['x-lark-request-timestamp'] = timestamp;
      headers['x-lark-request-nonce'] = nonce;
      headers['x-lark-signature'] = signature(timestamp, nonce, o.signWith ?? this.opts.encryptKey, raw);
    }
    const res = await fetch(`${this.opts.url}/feishu/events`, { method: 'POST', headers, body: raw });
    const text = await res.text();
    // Feishu refuses a card callback answer over 30 KB (the person sees an error, the card does not change).
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > FEISHU_BODY_LIMIT) throw new Error(`Feishu would refuse this callback answer: ${bytes} bytes > 30 KB (code ${CONTENT_TOO_LONG})`);
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* keep text */
    }
    // Headers ride along unenumerated, so replies still compare equal to { status, body }.
    return Object.defineProperty({ status: res.status, body }, 'headers', { value: res.headers, enumerable: false }) as Reply;
  }

  envelope(eventType: string, event: unknown, o: SendOptions = {}) {
    return {
      schema: '2.0',
      header: {
        event_id: o.eventId ?? randomUUID().replace(/-/g, ''),
        event_type: eventType,
        create_time: String(Date.now()),
        token: o.token ?? this.opts.verificationToken,
        app_id: this.opts.appId,
        tenant_key: this.opts.tenantKey,
      },
      event,
    };
  }

  event(eventType: string, event: unknown, o: SendOptions = {}): Promise<Reply> {
    return this.post(this.envelope(eventType, event, o), o);
  }

  /**
   * A text message to the bot. In a group, write `@bot` where the bot is mentioned and `@ou_x:Name` for others;
   * they become placeholders @_user_N with a mentions list, as Feishu sends them.
   */
  text(user: string, text: string, where: { chatId?: string; group?: boolean; botOpenId?: string } = {}, o: SendOptions = {}): Promise<Reply> {
    const mentions: { key: string; id: { open_id: string; union_id: string; user_id: string }; name: string; tenant_key: string }[] = [];
    let n = 0;
    const content = text.replace(/@(bot|ou_[A-Za-z0-9]+)(?::([^\s]+))?/g, (_whole, id: string, name?: string) => {
      const key = `@_user_${++n}`;
      const openId = id === 'bot' ? (where.botOpenId ?? 'ou_bot0000000000') : id;
      mentions.push({ key, id: { open_id: openId, union_id: `on_${openId}`, user_id: '' }, name: id === 'bot' ? 'mktops' : (name ?? id), tenant_key: this.opts.tenantKey });
      return key;
    });
    const group = where.group ?? false;
    return this.event(
      'im.message.receive_v1',
      {
        sender: { sender_id: { open_id: user, union_id: `on_${user}`, user_id: null }, sender_type: 'user', tenant_key: this.opts.tenantKey },
        message: {
          message_id: `om_in_${randomUUID().slice(0, 12)}`,
          create_time: String(Date.now()),
          chat_id: where.chatId ?? `oc_p2p_${user}`,
          chat_type: group ? 'group' : 'p2p',
          message_type: 'text',
          content: JSON.stringify({ text: content }),
          mentions: mentions.length ? mentions : undefined,
        },
      },
      o,
    );
  }

  /**
   * A file sent to the bot in a direct chat, as Feishu sends it (message_type file, content {file_key, file_name});
   * register the bytes first with the fake's files.addUserFile(messageId, …).
   */
  file(user: string, messageId: string, file: { file_key: string; file_name: string }, o: SendOptions = {}): Promise<Reply> {
    return this.event(
      'im.message.receive_v1',
      {
        sender: { sender_id: { open_id: user, union_id: `on_${user}`, user_id: null }, sender_type: 'user', tenant_key: this.opts.tenantKey },
        message: {
          message_id: messageId,
          create_time: String(Date.now()),
          chat_id: `oc_p2p_${user}`,
          chat_type: 'p2p',
          message_type: 'file',
          content: JSON.stringify(file),
        },
      },
      o,
    );
  }

  menu(user: string, eventKey: string, o: SendOptions = {}): Promise<Reply> {
    return this.event(
      'application.bot.menu_v6',
      { operator: { operator_name: 'x', operator_id: { open_id: user, union_id: `on_${user}`, user_id: null } }, event_key: eventKey, timestamp: Date.now() },
      o,
    );
  }

  /** A card callback for a value on a message (what Feishu sends when a button is clicked / a form submitted). */
  callback(user: string, message: Pick<FakeMessage, 'message_id' | 'chat_id'>, action: { value: unknown; form_value?: Record<string, unknown>; tag?: string; name?: string }, o: SendOptions = {}): Promise<Reply> {
    return this.event(
      'card.action.trigger',
      {
        operator: { tenant_key: this.opts.tenantKey, open_id: user, union_id: `on_${user}` },
        token: `c-${randomUUID()}`,
        action: { tag: action.tag ?? 'button', value: action.value, form_value: action.form_value, name: action.name },
        host: 'im_message',
        context: { open_message_id: message.message_id, open_chat_id: message.chat_id },
      },
      o,
    );
  }

  /** Clicks the button whose label or action matches on the message's current card. */
  click(user: string, message: FakeMessage, which: string | RegExp, o: SendOptions = {}): Promise<Reply> {
    const button = buttonsOf(message.card).find((b) =>
      typeof which === 'string' ? b.label === which || b.value?.action === which : which.test(b.label) || which.test(String(b.value?.action ?? '')),
    );
    if (!button) throw new Error(`no button ${which} on card: ${JSON.stringify(buttonsOf(message.card).map((b) => b.label))}`);
    return this.callback(user, message, { value: button.value }, o);
  }

  /** Fills and submits the form card of `message` (date values are sent like Feishu's date_picker: "YYYY-MM-DD +0800"). */
  submit(user: string, message: FakeMessage, values: Record<string, string | string[]>, o: SendOptions = {}): Promise<Reply> {
    const button = buttonsOf(message.card).find((b) => b.formSubmit);
    if (!button) throw new Error('no submit button on card');
    const form_value: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) form_value[k] = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v} +0800` : v;
    return this.callback(user, message, { value: button.value, form_value, name: 'submit' }, o);
  }
}
