// Which chats are one-to-one, as far as their id tells: Slack direct messages are D…, the playground's are dm-….
// Feishu chat ids do not tell (oc_… for both); its adapter says so from the event (chat_type p2p).
export function isDirectChatId(platform: string, chatId: string): boolean {
  if (platform === 'slack') return /^D[A-Z0-9]+$/.test(chatId);
  if (platform === 'local') return chatId.startsWith('dm-');
  return false;
}
