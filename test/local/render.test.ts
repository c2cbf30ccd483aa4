import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { translateMentions } from '../../src/platforms/local/cast.js';
import { escapeHtml, renderForm, renderMessage, richText } from '../../src/platforms/local/render.js';
import { renderPage } from '../../src/platforms/local/page.js';

describe('playground renderer', () => {
  it('escapes everything a message carries, so markup in user input is inert', () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
    const html = renderMessage({
      tone: 'danger',
      title: `RSK-1 ${evil}`,
      text: `**${evil}** by <@local:mia|Mia<b>>`,
      fields: [{ label: evil, value: evil }],
      sections: [{ heading: evil, text: evil, fields: [{ label: 'x', value: evil }], buttons: [{ label: evil, action: 'rsk.own:1" onclick="x' }] }],
      context: [evil],
      buttons: [{ label: evil, action: 'adj.approve:1', style: 'primary' }],
      summary: evil,
    });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b>/);
    // No event-handler attribute outside a quoted attribute value.
    const tags = html.match(/<[^>]*>/g) ?? [];
    for (const tag of tags) expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\son\w+=/);
    expect(tags.every((tag) => /^<\/?(div|dl|dt|dd|strong|span|button|code)\b/.test(tag))).toBe(true);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('data-action="rsk.own:1&quot; onclick=&quot;x"');
  });

  it('renders bold, mentions and line breaks', () => {
    expect(richText('**ADJ-3** for <@local:mia|Mia>\nline 2')).toBe(
      '<strong>ADJ-3</strong> for <span class="mention" title="local:mia">@Mia</span><br>line 2',
    );
    expect(richText('<@slack:U123>')).toContain('@U123');
    expect(richText('use `/agenda add <topic…>` now')).toBe('use <code>/agenda add &lt;topic…&gt;</code> now');
    expect(escapeHtml(`<a href="x">'`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;');
  });

  it('keeps each money value, sign included, in one unbreakable span', () => {
    expect(richText('可用 -¥10,000.00，已超支 ¥1,234,567.89（¥5万）')).toBe(
      '可用 <span class="money">-¥10,000.00</span>，已超支 <span class="money">¥1,234,567.89</span>（<span class="money">¥5万</span>）',
    );
    expect(richText('**-¥10.00** <b>')).toBe('<strong><span class="money">-¥10.00</span></strong> &lt;b&gt;');
    expect(richText('no money here: 100 ¥')).toBe('no money here: 100 ¥');
  });

  it('renders a card with fields, sections, context and buttons', () => {
    const html = renderMessage({
      tone: 'info',
      title: 'Budget request ADJ-1',
      fields: [{ label: 'Amount', value: '¥5,000.00' }],
      sections: [{ heading: 'Line', text: 'SEM' }],
      context: ['ADJ-1'],
      buttons: [
        { label: 'Approve', action: 'adj.approve:1', style: 'primary' },
        { label: 'Reject', action: 'adj.reject:1', style: 'danger' },
      ],
      summary: 'Budget request',
    });
    expect(html).toContain('class="card tone-info"');
    expect(html).toContain('<dt>Amount</dt><dd><span class="money">¥5,000.00</span></dd>');
    expect(html).toContain('<button type="button" class="btn btn-primary" data-action="adj.approve:1">Approve</button>');
    expect(html).toContain('data-action="adj.reject:1"');
    expect(html).toContain('class="card-context"');
  });

  it('renders every form field kind, with initial values, submitted values and errors', () => {
    const html = renderForm(
      {
        id: 'campaign.new',
        title: 'New <campaign>',
        submitLabel: 'Submit',
        intro: 'Fill **all**',
        fields: [
          { kind: 'text', name: 'name', label: 'Name', required: true, maxLength: 80 },
          { kind: 'textarea', name: 'theme', label: 'Theme', initial: '</textarea><script>' },
          { kind: 'number', name: 'kpi', label: 'KPI' },
          { kind: 'money', name: 'amount', label: 'Amount', placeholder: '5万' },
          { kind: 'select', name: 'goal', label: 'Goal', options: [{ value: 'sales', label: 'Sales' }, { value: 'leads', label: 'Leads' }], initial: 'leads' },
          { kind: 'multiselect', name: 'channels', label: 'Channels', options: [{ value: 'wechat', label: 'WeChat' }, { value: 'weibo', label: 'Weibo' }], initial: 'wechat,weibo' },
          { kind: 'date', name: 'start', label: 'Start', initial: '2025-11-01', hint: 'YYYY-MM-DD' },
        ],
      },
      { name: 'Double 11' },
      { amount: 'Bad amount "<x>"' },
    );
    expect(html).toContain('data-form="campaign.new"');
    expect(html).toContain('New &lt;campaign&gt;');
    expect(html).toContain('<strong>all</strong>');
    // No maxlength (the browser would cut pasted text silently): a counter against data-max instead.
    expect(html).toMatch(/<input id="(f\d+-0)" type="text" name="name" value="Double 11" required data-max="80"><div class="counter" data-for="\1"><\/div>/);
    expect(html).not.toContain('maxlength');
    expect(html).toContain('&lt;/textarea&gt;&lt;script&gt;</textarea>');
    expect(html).not.toContain('<script');
    expect(html).toContain('<option value="leads" selected>Leads</option>');
    expect(html).toContain('value="wechat" checked');
    expect(html).toContain('value="weibo" checked');
    expect(html).toMatch(/type="date" name="start" value="2025-11-01"/);
    expect(html).toContain('class="form-field has-error" data-field="amount" data-kind="money"');
    expect(html).toContain('Bad amount &quot;&lt;x&gt;&quot;');
  });

  it('shows code in hints and errors as code, never as literal backticks', () => {
    const html = renderForm({
      id: 'campaign.new',
      title: 'New',
      submitLabel: 'Submit',
      fields: [{ kind: 'select', name: 'line', label: 'Line', hint: '活动开始日期所在财年的预算科目（`/budget lines`）。', error: '用 `/budget lines` 查看', options: [] }],
    });
    expect(html).toContain('<div class="hint">活动开始日期所在财年的预算科目（<code>/budget lines</code>）。</div>');
    expect(html).toContain('用 <code>/budget lines</code> 查看');
    expect(html).not.toContain('`');
  });

  it('turns @names of the cast into Feishu-style mention placeholders', () => {
    expect(translateMentions('/mkt role @fei finance')).toEqual({
      text: '/mkt role @_user_1 finance',
      mentions: { '@_user_1': { userId: 'fei', name: 'Fei' } },
    });
    expect(translateMentions('/mkt role @Li leader @nobody').text).toBe('/mkt role @_user_1 leader @nobody');
    expect(translateMentions('mail me@fei.example').text).toBe('mail me@fei.example');
  });

  it('serves a self-contained page: no external URLs, both languages, script data cannot break out', () => {
    const html = renderPage({ nonce: 'abc123', locale: 'en', timezone: 'Asia/Shanghai', jobs: ['weekly-agenda'] });
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html.match(/<link\b[^>]*>/gi)).toEqual(['<link rel="icon" type="image/svg+xml" href="/favicon.svg">']);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain('<script nonce="abc123">');
    expect(html).toContain('local playground');
    expect(html).toContain('本地试用');
    // Only the two script elements the page defines.
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    // The page script is valid JavaScript, and its configuration is valid JSON.
    const code = /<script nonce="abc123">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(() => new Script(code)).not.toThrow();
    const conf = JSON.parse(/<script type="application\/json" id="conf">([\s\S]*?)<\/script>/.exec(html)![1]!);
    expect(conf.cast.map((c: { id: string }) => c.id)).toEqual(['ada', 'fei', 'li', 'mia', 'max']);
    expect(conf.labels.en['local.send']).toBe('Send');
    expect(conf.labels['zh-CN']['local.send']).toBe('发送');
    expect(conf.labels.en['role.finance']).toBe('Finance');
  });
});
