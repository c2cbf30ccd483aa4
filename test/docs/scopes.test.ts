// Least privilege: every platform API the code calls (found by reading the source) is mapped to the scopes the
// platform requires for it (from the Slack and Feishu API references), and the manifests and admin guides ask for
// exactly what that needs — nothing missing, nothing unused, nothing another declared scope already covers.
// Calling a new API fails here until it is added to the table below (with the scopes its reference page names).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** What one API call or listener needs: every inner list is one requirement, satisfied by any scope in it. */
type Needs = string[][];

// https://docs.slack.dev/reference/methods — bot token scopes per method.
const SLACK: Record<string, Needs> = {
  'auth.test': [],
  'views.open': [],
  'chat.postMessage': [['chat:write'], ['chat:write.public']], // cards go to bound public channels the bot may not have joined
  'chat.postEphemeral': [['chat:write']],
  'chat.update': [['chat:write']],
  'conversations.open': [['im:write']], // the DM a file is shared into
  'files.getUploadURLExternal': [['files:write']],
  'files.completeUploadExternal': [['files:write']],
  'files.info': [['files:read']], // whether an earlier upload attempt was already shared
  'GET url_private_download': [['files:read']], // the spreadsheet of the plan import modal
  'slash commands': [['commands']],
  'event app_mention': [['app_mentions:read']],
  'interactivity (actions, views, options)': [],
};

/**
 * Calls that work without their scopes (they degrade, and say so in the log): the manifest leaves the scopes out,
 * the admin guide names them as optional.
 */
const SLACK_OPTIONAL: Record<string, string[]> = {
  'conversations.history': ['channels:history', 'groups:history', 'im:history'], // finding a card a crash left unrecorded
};

// https://open.feishu.cn/document (server API reference, 权限要求: any one of the listed scopes).
const FEISHU: Record<string, Needs> = {
  'POST auth/v3/tenant_access_token/internal': [],
  'GET bot/v3/info': [],
  'POST im/v1/messages': [['im:message:send_as_bot', 'im:message', 'im:message:send']],
  'PATCH im/v1/messages/:message_id': [['im:message:send_as_bot', 'im:message', 'im:message:update']],
  'POST im/v1/files': [['im:resource']],
  'POST im/v1/images': [['im:resource']],
  'GET im/v1/messages/:message_id/resources/:file_key': [['im:message:readonly', 'im:message', 'im:message.history:readonly']],
  'event im.message.receive_v1': [['im:message.p2p_msg:readonly'], ['im:message.group_at_msg:readonly']], // DMs, and @bot in groups
  'event application.bot.menu_v6': [],
  'callback card.action.trigger': [],
};

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sources(path);
    return path.endsWith('.ts') ? [{ path, text: readFileSync(path, 'utf8') }] : [];
  });
}

/** The Slack APIs the code uses. */
function slackCalls(): Set<string> {
  const calls = new Set<string>();
  for (const { text } of sources('src/platforms/slack')) {
    for (const m of text.matchAll(/\bclient\.([a-z]+)\.([a-zA-Z]+)(?:\.([a-zA-Z]+))?\(/g)) calls.add([m[1], m[2], m[3]].filter(Boolean).join('.'));
    // The chat.* calls that bypass the WebClient (webApi.ts): call('chat.postMessage', args).
    for (const m of text.matchAll(/\bcall\('([a-z]+\.[a-zA-Z]+)'/g)) calls.add(m[1]!);
    if (/fetch\([^)]*url/.test(text) && text.includes('url_private_download')) calls.add('GET url_private_download');
    if (/\bapp\.command\(/.test(text)) calls.add('slash commands');
    for (const m of text.matchAll(/\bapp\.event\('([a-z_]+)'/g)) calls.add(`event ${m[1]}`);
    if (/\bapp\.(action|view|options)\(/.test(text)) calls.add('interactivity (actions, views, options)');
  }
  calls.add('auth.test'); // Bolt's authorize
  return calls;
}

/** The Feishu APIs the code uses (raw requests, SDK calls, event and callback handlers). */
function feishuCalls(): Set<string> {
  const calls = new Set<string>(['POST auth/v3/tenant_access_token/internal']);
  const sdk: Record<string, string> = {
    'im.file.create': 'POST im/v1/files',
    'im.image.create': 'POST im/v1/images',
    'im.messageResource.get': 'GET im/v1/messages/:message_id/resources/:file_key',
  };
  for (const { text } of sources('src/platforms/feishu')) {
    for (const m of text.matchAll(/method: '(GET|POST|PATCH|PUT|DELETE)', url: [`']open-apis\/([^`'$]+)(\$\{[^}]+\})?/g)) {
      calls.add(`${m[1]} ${m[2]}${m[3] ? ':message_id' : ''}`);
    }
    for (const m of text.matchAll(/url: 'open-apis\/([^']+)'/g)) {
      const method = /method: '(GET|POST|PATCH)'[^}]*$/.exec(text.slice(Math.max(0, m.index! - 120), m.index))?.[1] ?? 'POST';
      calls.add(`${method} ${m[1]}`);
    }
    for (const m of text.matchAll(/\bclient\.([a-z]+\.[a-zA-Z]+\.[a-zA-Z]+)\(/g)) calls.add(sdk[m[1]!] ?? `SDK ${m[1]}`);
    for (const m of text.matchAll(/^\s+'(im\.[a-z_.0-9]+|application\.[a-z_.0-9]+)': async/gm)) calls.add(`event ${m[1]}`);
    for (const m of text.matchAll(/^\s+'(card\.action\.trigger)': async/gm)) calls.add(`callback ${m[1]}`);
  }
  return calls;
}

function check(platform: string, table: Record<string, Needs>, calls: Set<string>, declared: string[]) {
  const unknown = [...calls].filter((c) => !(c in table));
  expect(unknown, `${platform}: add these API calls to the table with the scopes they need`).toEqual([]);
  const needs = [...calls].flatMap((c) => table[c]!.map((group) => ({ call: c, group })));
  const satisfied = (scopes: string[]) => needs.every(({ group }) => group.some((s) => scopes.includes(s)));
  const missing = needs.filter(({ group }) => !group.some((s) => declared.includes(s))).map(({ call, group }) => `${call}: ${group.join(' or ')}`);
  expect(missing, `${platform}: scopes missing`).toEqual([]);
  const unused = declared.filter((s) => !needs.some(({ group }) => group.includes(s)));
  expect(unused, `${platform}: scopes nothing uses`).toEqual([]);
  const redundant = declared.filter((s) => satisfied(declared.filter((x) => x !== s)));
  expect(redundant, `${platform}: scopes another declared scope already covers`).toEqual([]);
}

const backticked = (text: string) => [...text.matchAll(/`([a-z0-9_.]+:[a-z0-9_.:]+)`/g)].map((m) => m[1]!);

describe('least privilege', () => {
  it('Slack: the manifest and the admin guide ask for exactly the bot scopes the code needs', () => {
    const manifest = readFileSync('manifests/slack.yaml', 'utf8');
    const block = /\n {4}bot:\n((?: {6}- .*\n)+)/.exec(manifest)![1]!;
    const declared = [...block.matchAll(/- ([a-z_.:]+)/g)].map((m) => m[1]!);
    const calls = slackCalls();
    expect(calls).toContain('chat.postMessage'); // the scan finds what it should
    const optional = [...calls].filter((c) => c in SLACK_OPTIONAL);
    check('Slack', SLACK, new Set([...calls].filter((c) => !(c in SLACK_OPTIONAL))), declared);
    const doc = readFileSync('docs/slack.md', 'utf8');
    const guide = /\| bot scopes \|(.*)\|/.exec(doc)![1]!;
    expect([...guide.matchAll(/`([a-z_.:]+)`/g)].map((m) => m[1]).sort()).toEqual([...declared].sort());
    for (const call of optional) {
      for (const scope of SLACK_OPTIONAL[call]!) {
        expect(declared, `${scope} is optional: left out of the manifest`).not.toContain(scope);
        expect(doc, `the guide names the optional ${scope}`).toContain(`\`${scope}\``);
      }
    }
  });

  it('Feishu: feishu.json and the admin guide ask for exactly the tenant scopes the code needs', () => {
    const settings = JSON.parse(readFileSync('manifests/feishu.json', 'utf8')) as { scopes: { tenant: { scope: string }[] } };
    const declared = settings.scopes.tenant.map((s) => s.scope);
    const calls = feishuCalls();
    expect(calls).toContain('POST im/v1/messages');
    expect(calls).toContain('event im.message.receive_v1');
    check('Feishu', FEISHU, calls, declared);
    const guide = readFileSync('docs/feishu.md', 'utf8');
    const section = guide.slice(guide.indexOf('## 2. Permissions'), guide.indexOf('## 3.'));
    const table = section.split('\n').filter((l) => l.startsWith('| `'));
    expect(table.flatMap(backticked).sort()).toEqual([...declared].sort());
  });
});
