import { afterEach, expect, it } from 'vitest';
import { log } from '../../src/log.js';

afterEach(() => log.setSink((line) => process.stdout.write(line + '\n')));

it('writes structured JSON lines and never prints secrets', () => {
  const lines: string[] = [];
  log.setSink((line) => lines.push(line));
  log.info('slack.request', {
    botToken: 'xoxb-123-456-abc',
    headers: { authorization: 'Bearer abc.def', 'x-slack-signature': 'v0=deadbeef' },
    note: 'token xoxb-999-888-zzz leaked in text',
    team: 'T1',
  });
  expect(lines).toHaveLength(1);
  const entry = JSON.parse(lines[0]!);
  expect(entry).toMatchObject({ level: 'info', event: 'slack.request', team: 'T1' });
  expect(lines[0]).not.toMatch(/xoxb-123|abc\.def|deadbeef|xoxb-999/);
  expect(entry.note).toBe('token [redacted] leaked in text');
});
