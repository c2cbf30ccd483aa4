// The playground's built-in people and chats. Roles are NOT seeded: the cast's intended roles are what
// "Set up demo" grants through real commands (Ada is the bootstrap admin, `local:ada`).
import type { ChannelPurpose, Role } from '../../domain/types.js';

export const LOCAL_WORKSPACE = 'local';
export const LOCAL_ADMIN = 'local:ada';

export interface CastMember {
  id: string;
  name: string;
  /** The role this person plays in the demo (granted by "Set up demo"). */
  role: Role;
}

export const CAST = [
  { id: 'ada', name: 'Ada', role: 'admin' },
  { id: 'fei', name: 'Fei', role: 'finance' },
  { id: 'li', name: 'Li', role: 'leader' },
  { id: 'mia', name: 'Mia', role: 'marketer' },
  { id: 'max', name: 'Max', role: 'marketer' },
] as const satisfies readonly CastMember[];

export type CastId = (typeof CAST)[number]['id'];
export const CAST_IDS = CAST.map((c) => c.id) as [CastId, ...CastId[]];

export function castMember(id: string): CastMember | undefined {
  return CAST.find((c) => c.id === id);
}

/** The playground's chats: one per channel purpose, named like it. */
export const LOCAL_CHANNELS = ['approvals', 'team', 'leaders'] as const satisfies readonly ChannelPurpose[];
export type LocalChannel = (typeof LOCAL_CHANNELS)[number];

/** The chat id of someone's direct conversation with the bot. */
export function dmChannelId(userId: string): string {
  return `dm-${userId}`;
}

/** ADMIN_USERS plus the playground's bootstrap admin (only ever used when the playground runs). */
export function withPlaygroundAdmin(adminUsers: string[]): string[] {
  return adminUsers.includes(LOCAL_ADMIN) ? adminUsers : [...adminUsers, LOCAL_ADMIN];
}

/**
 * People are named in playground commands as `@fei` or `@Fei`. They are handed to the command parser the
 * way Feishu does it: each mention becomes a placeholder `@_user_N`, listed with the user it stands for.
 */
export function translateMentions(text: string): { text: string; mentions: Record<string, { userId: string; name: string }> } {
  const mentions: Record<string, { userId: string; name: string }> = {};
  let n = 0;
  const out = text.replace(/(^|\s)@([A-Za-z][\w-]*)(?=\s|$)/g, (whole, pre: string, word: string) => {
    const member = CAST.find((c) => c.id === word.toLowerCase() || c.name.toLowerCase() === word.toLowerCase());
    if (!member) return whole;
    const key = `@_user_${++n}`;
    mentions[key] = { userId: member.id, name: member.name };
    return `${pre}${key}`;
  });
  return { text: out, mentions };
}

/** What a demo step sets up, so a second "Set up demo" can tell it is already there. */
export type DemoGoal =
  | { kind: 'role'; user: CastId; role: Role }
  | { kind: 'channel'; purpose: ChannelPurpose; channel: LocalChannel }
  | { kind: 'line'; code: string };

export interface DemoStep {
  text: string;
  channel: LocalChannel | 'dm';
  goal: DemoGoal;
}

/** The commands "Set up demo" runs as Ada, in this order (each from the chat given). */
export function demoScript(): DemoStep[] {
  return [
    { text: '/mkt role @fei finance', channel: 'dm', goal: { kind: 'role', user: 'fei', role: 'finance' } },
    { text: '/mkt role @li leader', channel: 'dm', goal: { kind: 'role', user: 'li', role: 'leader' } },
    { text: '/mkt channel approvals here', channel: 'approvals', goal: { kind: 'channel', purpose: 'approvals', channel: 'approvals' } },
    { text: '/mkt channel team here', channel: 'team', goal: { kind: 'channel', purpose: 'team', channel: 'team' } },
    { text: '/mkt channel leaders here', channel: 'leaders', goal: { kind: 'channel', purpose: 'leaders', channel: 'leaders' } },
    { text: '/budget line add SEM 600000 Search ads', channel: 'dm', goal: { kind: 'line', code: 'SEM' } },
    { text: '/budget line add EVT 1200000 Offline events', channel: 'dm', goal: { kind: 'line', code: 'EVT' } },
  ];
}
