// The small markup of the message model (see model.ts): **bold**, `code`, person mentions <@platform:userId|Name>
// and chat references <#platform:chatId|Name>. Renderers turn mentions/references of their own platform into real
// links and show everyone else's by name.

/** <@platform:userId|Name> */
export const PERSON_MARKUP = /<@([a-z]+):([^|<>\s]+)(?:\|([^<>]*))?>/g;
/** <#platform:chatId|Name> */
export const CHAT_MARKUP = /<#([a-z]+):([^|<>\s]+)(?:\|([^<>]*))?>/g;

/** A reference to a chat, e.g. the channel a purpose is bound to. */
export function chatRef(platform: string, chatId: string, name: string): string {
  return `<#${platform}:${chatId}|${name.replace(/[<>|]/g, '')}>`;
}

/** Chat references as "#Name" (for renderers that cannot link chats). */
export function chatsAsNames(text: string): string {
  return text.replace(CHAT_MARKUP, (_all, _platform: string, chatId: string, name?: string) => `#${name?.trim() || chatId}`);
}

/** Plain text for summaries, notifications and toasts: mentions become names, markers are dropped. */
export function stripMarkup(text: string): string {
  return chatsAsNames(text).replace(PERSON_MARKUP, (_all, _p: string, userId: string, name?: string) => name ?? userId).replace(/\*\*/g, '');
}
