// Files out on Feishu: im/v1/files upload, then a `file` message, after the comment card; retried like every
// outbox row, the file uploaded once and each message sent once (uuid).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../support/fakeFeishu.js';
import { readWorkbook } from '../support/xlsx.js';
import { waitFor } from '../support/waitFor.js';
import { startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const fileMessages = (user: string) => h.fake.sentTo(user).filter((m) => m.msg_type === 'file');

describe('outbound files on Feishu', () => {
  it('/预算 计划 模板: a card, then the XLSX uploaded with im/v1/files and sent as a file message, headers in Chinese', async () => {
    await h.say(USERS.marketer, '/预算 计划 模板 2031');
    const file = await waitFor(() => fileMessages(USERS.marketer)[0], { what: 'file message' });
    const uploaded = h.fake.files.get(file.card.file_key)!;
    expect(uploaded.file_type).toBe('xls');
    expect(uploaded.file_name).toBe('2031年度预算计划模板.xlsx');
    const book = await readWorkbook(uploaded.bytes);
    expect(book['预算计划']![0]!.slice(0, 6)).toEqual(['科目代码', '科目名称', '类别', '负责人', '全年', '1月']);
    expect(String(book['填写说明']![0]![0])).toContain('2031 年度预算计划');
    const texts = h.fake.sentTo(USERS.marketer).map((m) => textOf(m.card)).join('\n');
    expect(texts).toContain('预算计划模板（2031 年）');
    expect(texts).toContain('单聊');
  });

  it('a rate limit on the upload and a 5xx on the file message are retried; one upload, one file message', async () => {
    const before = fileMessages(USERS.finance).length;
    const uploadsBefore = h.fake.files.uploaded().length;
    h.fake.failNext({ status: 429, code: 99991400, path: /\/im\/v1\/files$/ });
    h.fake.failNext({ status: 500, code: 1, path: /\/im\/v1\/messages$/ }, 2);
    await h.say(USERS.finance, '/budget plan template');
    await waitFor(() => fileMessages(USERS.finance)[before], { what: 'file message after retries', timeoutMs: 10_000 });
    await h.delivered();
    expect(fileMessages(USERS.finance)).toHaveLength(before + 1);
    expect(h.fake.files.uploaded().length).toBe(uploadsBefore + 1);
    const uploads = h.fake.calls.filter((c) => c.path === '/open-apis/im/v1/files');
    expect(uploads.map((c) => c.status).slice(-2)).toEqual([429, 200]);
  });

  it('the fake refuses an empty file and a file message with an unknown key, like Feishu', async () => {
    const token = (await (await fetch(`${h.fake.url}/open-apis/auth/v3/tenant_access_token/internal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_id: h.config.feishu!.appId, app_secret: h.config.feishu!.appSecret }) })).json()) as { tenant_access_token: string };
    const auth = { authorization: `Bearer ${token.tenant_access_token}` };
    const form = new FormData();
    form.append('file_type', 'xls');
    form.append('file_name', 'empty.xlsx');
    form.append('file', new Blob([]), 'empty.xlsx');
    const empty = await fetch(`${h.fake.url}/open-apis/im/v1/files`, { method: 'POST', headers: auth, body: form });
    expect(((await empty.json()) as { code: number }).code).toBe(234010);
    const bogus = await fetch(`${h.fake.url}/open-apis/im/v1/messages?receive_id_type=open_id`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ receive_id: USERS.marketer, msg_type: 'file', content: JSON.stringify({ file_key: 'file_v3_nope' }) }),
    });
    expect(((await bogus.json()) as { code: number }).code).toBe(230001);
  });
});
