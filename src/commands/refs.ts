// References to people and chats inside a command line, as each platform writes them.
import { HERE_WORDS } from './aliases.js';
import type { ChannelRef, ParseOptions, UserRef } from './intents.js';
import { Refusal, type Token } from './tokens.js';

// Slack (slash commands with should_escape: true): <@U012ABC|name>, <@U012ABC>; W… for Enterprise Grid users.
const SLACK_USER_ESCAPED = /^<@([UW][A-Z0-9]{2,20})(?:\|([^<>]*))?>$/;
// A Slack user id typed by hand: U/W + upper-case letters and digits, at least one digit.
const SLACK_USER_RAW = /^[UW](?=[A-Z]*\d)[A-Z0-9]{6,20}$/;
// Feishu open_id typed by hand.
const FEISHU_USER_RAW = /^ou_[A-Za-z0-9]{1,64}$/;
// Feishu replaces each @mention in the message text with a placeholder and lists it in message.mentions.
const FEISHU_PLACEHOLDER = /^@_user_\d+$/;

const SLACK_CHANNEL_ESCAPED = /^<#([CGD][A-Z0-9]{2,20})(?:\|([^<>]*))?>$/;
const FEISHU_CHAT_RAW = /^oc_[A-Za-z0-9]{1,64}$/;

/** A mentioned or typed user; refuses anything else, quoting it. */
export function parseUserRef(tok: Token, mentions: ParseOptions['mentions']): UserRef {
  const raw = tok.raw;
  const escaped = SLACK_USER_ESCAPED.exec(raw);
  if (escaped) return withName(escaped[1]!, escaped[2]);
  if (FEISHU_PLACEHOLDER.test(raw)) {
    const m = mentions && Object.prototype.hasOwnProperty.call(mentions, raw) ? mentions[raw] : undefined;
    if (!m || !m.userId) throw new Refusal('cmd.error.unknown_mention', { token: raw });
    return withName(m.userId, m.name);
  }
  if (SLACK_USER_RAW.test(raw) || FEISHU_USER_RAW.test(raw)) return { userId: raw };
  throw new Refusal('cmd.error.bad_user', { token: raw });
}

/** A chat reference or `here`; refuses anything else, quoting it. */
export function parseChannelRef(tok: Token): ChannelRef {
  if ((HERE_WORDS as readonly string[]).includes(tok.key)) return { here: true };
  const escaped = SLACK_CHANNEL_ESCAPED.exec(tok.raw);
  if (escaped) {
    const name = escaped[2]?.trim();
    return name ? { here: false, channelId: escaped[1]!, name } : { here: false, channelId: escaped[1]! };
  }
  if (FEISHU_CHAT_RAW.test(tok.raw)) return { here: false, channelId: tok.raw };
  throw new Refusal('cmd.error.bad_channel', { token: tok.raw });
}

function withName(userId: string, name: string | undefined): UserRef {
  const trimmed = name?.trim();
  return trimmed ? { userId, name: trimmed } : { userId };
}
