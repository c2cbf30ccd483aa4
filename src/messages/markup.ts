// The small markup of the message model (see model.ts): **bold**, `code`, <@platform:userId|Name>.

/** Plain text for summaries, notifications and toasts: mentions become names, markers are dropped. */
export function stripMarkup(text: string): string {
  return text.replace(/<@[^:>]+:[^|>]+\|([^>]*)>/g, '$1').replace(/\*\*/g, '');
}
