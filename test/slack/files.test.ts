// Files out on Slack, the current way: files.getUploadURLExternal → upload → files.completeUploadExternal, shared in
// the person's DM; retried like every outbox row (429, 5xx) and shared exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSlackFileUrl } from '../../src/platforms/slack/files.js';
import { blockText } from '../support/fakeSlack.js';
import { readWorkbook } from '../support/xlsx.js';
import { MKT, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('outbound files on Slack', () => {
  it('/budget plan template: the XLSX is uploaded and shared in the DM, with the columns and notes in English', async () => {
    const answer = await h.ask(MKT, '/budget', 'plan template 2031');
    expect(blockText(answer)).toContain('direct chat');
    const file = await waitFor(() => h.fake.files.shared('DMKT')[0], { what: 'template shared' });
    expect(file.filename).toBe('budget-plan-2031-template.xlsx');
    expect(file.comment).toContain('Budget plan template (2031)');
    expect(file.shares).toBe(1);
    expect(h.fake.ok('conversations.open').at(-1)?.args.users).toBe('UMKT');
    const book = await readWorkbook(file.bytes!);
    expect(book.Plan![0]!.slice(0, 5)).toEqual(['code', 'name', 'category', 'owner', 'annual']);
    expect(book.Plan![0]!.slice(5)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    expect(book.Plan![1]![0]).toBe('EVT-01');
    expect(String(book.Notes![0]![0])).toContain('2031');
  });

  it('a 5xx on completion is retried with the same upload (no second upload), and the file is shared once', async () => {
    h.fake.reset();
    h.fake.failNext('files.completeUploadExternal', { status: 503 }, { error: 'internal_error' });
    h.fake.failNext('files.getUploadURLExternal', { status: 429, retryAfter: 0 });
    await h.ask(MKT, '/budget', 'plan template');
    await waitFor(() => h.fake.files.shared('DMKT')[0], { what: 'template shared after retries' });
    await h.idle();
    expect(h.fake.calls.filter((c) => c.method === 'files.getUploadURLExternal').map((c) => c.outcome)).toEqual(['http_429', 'ok']);
    expect(h.fake.calls.filter((c) => c.method === 'files.completeUploadExternal').map((c) => c.outcome)).toEqual(['http_503', 'error:internal_error', 'ok']);
    expect(h.fake.files.all()).toHaveLength(1);
    expect(h.fake.files.shared()).toHaveLength(1);
    const uploads = await h.app.db.read((tx) => tx.platformUpload.findMany({ where: { platform: 'slack' } }));
    expect(uploads.filter((u) => /^row:\d+$/.test(u.scope)).at(-1)?.ref).toBe(h.fake.files.all()[0]!.id);
    expect(uploads.filter((u) => /^row:\d+:shared$/.test(u.scope)).at(-1)?.ref).toBe('DMKT'); // completion remembered
  });

  it('a lost answer to the completion (it worked, the answer never came): the retry asks files.info and completes nothing again', async () => {
    h.fake.reset();
    h.fake.failNext('files.completeUploadExternal', { lost: true });
    await h.ask(MKT, '/budget', 'plan template');
    await waitFor(() => h.fake.files.shared('DMKT')[0], { what: 'template shared' });
    await h.idle();
    await waitFor(() => h.app.db.read(async (tx) => (await tx.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } })) === 0), { what: 'outbox drained' });
    // Slack documents one completion per upload: the retry saw the share and stopped there.
    expect(h.fake.calls.filter((c) => c.method === 'files.completeUploadExternal').map((c) => c.outcome)).toEqual(['lost']);
    expect(h.fake.calls.filter((c) => c.method === 'files.info').map((c) => c.outcome)).toEqual(['ok']);
    const [file] = h.fake.files.all();
    expect([file!.shares, file!.completeAgain ?? 0]).toEqual([1, 0]);
    const row = await h.app.db.read((tx) => tx.outboxMessage.findFirstOrThrow({ where: { payload: { contains: '"file":' } }, orderBy: { id: 'desc' } }));
    expect(row.status).toBe('sent');
  });

  it('a completion that never reached Slack: files.info shows the file unshared, so it is completed (once) on the retry', async () => {
    h.fake.reset();
    h.fake.failNext('files.completeUploadExternal', { network: true });
    await h.ask(MKT, '/budget', 'plan template');
    await waitFor(() => h.fake.files.shared('DMKT')[0], { what: 'template shared' });
    await h.idle();
    expect(h.fake.calls.filter((c) => c.method === 'files.completeUploadExternal').map((c) => c.outcome)).toEqual(['network', 'ok']);
    expect(h.fake.calls.filter((c) => c.method === 'files.getUploadURLExternal')).toHaveLength(1);
    expect(h.fake.files.all().map((f) => f.shares)).toEqual([1]);
  });

  it('the fake refuses malformed and oversized uploads like Slack does', async () => {
    const api = async (method: string, body: Record<string, string>) =>
      (await (await fetch(h.fake.url + method, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) })).json()) as Record<string, any>;
    expect((await api('files.getUploadURLExternal', { filename: 'a.xlsx', length: '0' })).error).toBe('invalid_arguments');
    expect((await api('files.getUploadURLExternal', { length: '10' })).error).toBe('invalid_arguments');
    expect((await api('files.getUploadURLExternal', { filename: 'a.xlsx', length: String(2 * 1024 ** 3) })).error).toBe('file_too_large');
    const got = await api('files.getUploadURLExternal', { filename: 'a.xlsx', length: '10' });
    expect((await fetch(got.upload_url, { method: 'POST', body: 'short' })).status).toBe(400);
    expect((await api('files.completeUploadExternal', { files: JSON.stringify([{ id: got.file_id }]), channel_id: 'DMKT' })).error).toBe('file_not_found');
  });

  it('the bot token and the bytes only go to Slack\'s file host or the configured API origin', () => {
    expect(isSlackFileUrl('https://files.slack.com/files-pri/T1-F1/plan.xlsx')).toBe(true);
    expect(isSlackFileUrl('https://files.slack.com:443/upload/v1/abc')).toBe(true);
    for (const bad of [
      'http://files.slack.com/files-pri/x', // not https
      'https://files.slack.com.evil.example/x',
      'https://evil.example/files.slack.com/x',
      'https://user:pw@files.slack.com/x',
      'https://files.slack.com:8443/x',
      'file:///etc/passwd',
      'not a url',
      'http://127.0.0.1:9/x',
    ]) {
      expect(isSlackFileUrl(bad), bad).toBe(false);
    }
    expect(isSlackFileUrl('http://127.0.0.1:4000/files-pri/F1/x.csv', 'http://127.0.0.1:4000/api/')).toBe(true);
    expect(isSlackFileUrl('http://127.0.0.1:4001/files-pri/F1/x.csv', 'http://127.0.0.1:4000/api/')).toBe(false);
  });
});
