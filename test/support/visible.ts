// What a person would see, read the way each platform reads its markup: the visible text, and the mentions,
// broadcasts and links the platform would make of it. Strict on purpose: every character a platform could read as
// formatting is treated as formatting (and dropped from the visible text), so typed text that reaches a platform
// unescaped shows up as a difference in the text, and a mention or link that was not meant shows up in the lists.

export interface Visible {
  text: string;
  /** People the platform would notify / link (Slack user ids, Feishu open_ids). */
  mentions: string[];
  /** @channel / @here / @everyone (Slack), @all (Feishu). */
  broadcasts: string[];
  /** Link targets (explicit links: Slack <url|text>, Feishu [t](u) / <a> / <link>). */
  links: string[];
}

const empty = (): Visible => ({ text: '', mentions: [], broadcasts: [], links: [] });

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', nbsp: ' ', apos: "'" };

/** Character references decoded in one pass (what was `&amp;lt;` shows as `&lt;`). */
function decodeEntities(s: string): string {
  return s.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

// ------------------------------------------------------------------------------------------------ Slack

/** Slack mrkdwn as Slack reads it: <@U> <#C> <!…> <url|t> entities, *_~` formatting, :emoji:, leading > quotes. */
export function mrkdwnVisible(text: string, v: Visible = empty()): Visible {
  let out = '';
  const re = /<([^<>]*)>/g;
  let last = 0;
  const plain = (s: string) => {
    s = s
      .replace(/[*_~`]/g, '') // formatting markers
      .replace(/:[a-z0-9_+'-]+:/gi, '☺') // emoji codes
      .replace(/(^|\n)[ \t]*&gt;/g, '$1'); // quotes
    out += decodeEntities(s);
  };
  for (const m of text.matchAll(re)) {
    plain(text.slice(last, m.index));
    const inner = m[1]!;
    if (inner.startsWith('@')) {
      v.mentions.push(inner.slice(1).split('|')[0]!);
      out += '@';
    } else if (inner.startsWith('#')) out += '#';
    else if (inner.startsWith('!')) {
      v.broadcasts.push(inner.slice(1).split('|')[0]!);
      out += '@';
    } else {
      const [url, label] = inner.split('|');
      v.links.push(url!);
      out += label ?? url;
    }
    last = m.index! + m[0].length;
  }
  plain(text.slice(last));
  v.text += out;
  return v;
}

function richTextVisible(block: any, v: Visible): void {
  for (const section of block.elements ?? []) {
    for (const e of section.elements ?? []) {
      if (e.type === 'text') v.text += e.text;
      else if (e.type === 'user') {
        v.mentions.push(e.user_id);
        v.text += '@';
      } else if (e.type === 'channel') v.text += '#';
      else if (e.type === 'broadcast') {
        v.broadcasts.push(e.range);
        v.text += '@';
      } else if (e.type === 'link') {
        v.links.push(e.url);
        v.text += e.text ?? e.url;
      } else if (e.type === 'emoji') v.text += '☺';
    }
  }
}

function plainTextVisible(o: any, v: Visible): void {
  v.text += o.emoji === false ? o.text : String(o.text).replace(/:[a-z0-9_+'-]+:/gi, '☺');
}

function textObjectVisible(o: any, v: Visible): void {
  if (!o) return;
  if (o.type === 'mrkdwn') mrkdwnVisible(o.text, v);
  else plainTextVisible(o, v);
}

/** A Block Kit message (or several parts of one) as Slack shows it; blocks separated by line breaks. */
export function slackVisible(msgs: { blocks?: any[] } | { blocks?: any[] }[]): Visible {
  const v = empty();
  for (const msg of Array.isArray(msgs) ? msgs : [msgs]) {
    for (const b of msg.blocks ?? []) {
      switch (b.type) {
        case 'header':
          plainTextVisible(b.text, v);
          break;
        case 'section':
          if (b.text) textObjectVisible(b.text, v);
          for (const f of b.fields ?? []) {
            textObjectVisible(f, v);
            v.text += '\n';
          }
          break;
        case 'context':
          for (const e of b.elements ?? []) {
            textObjectVisible(e, v);
            v.text += '\n';
          }
          break;
        case 'rich_text':
          richTextVisible(b, v);
          break;
        case 'actions':
          for (const e of b.elements ?? []) if (e.text) plainTextVisible(e.text, v), (v.text += ' ');
          break;
        case 'input':
          plainTextVisible(b.label, v);
          if (b.hint) (v.text += '\n'), plainTextVisible(b.hint, v);
          break;
      }
      v.text += '\n';
    }
  }
  return v;
}

// ------------------------------------------------------------------------------------------------ Feishu

/**
 * Feishu card markdown as Feishu reads it: <at id=…>, links ([t](u), <a href>, <link>), other tags, ** * ~~ `
 * formatting, :EMOJI:, line-start syntax (# - + > = 1.), and finally character references.
 */
export function feishuMarkdownVisible(md: string, v: Visible = empty()): Visible {
  let s = md;
  s = s.replace(/<at\s+id=["']?([^"'\s>]+)["']?\s*>(?:<\/at>)?/gi, (_w, id: string) => {
    if (id === 'all') v.broadcasts.push('all');
    else v.mentions.push(id);
    return '@';
  });
  s = s.replace(/!?\[([^\]]*)\]\(([^)]*)\)/g, (_w, label: string, url: string) => {
    v.links.push(url);
    return label;
  });
  s = s.replace(/<a\s[^>]*href=["']?([^"'\s>]+)[^>]*>/gi, (_w, url: string) => {
    v.links.push(url);
    return '';
  });
  s = s.replace(/<link\s[^>]*url=["']?([^"'\s>]+)[^>]*>/gi, (_w, url: string) => {
    v.links.push(url);
    return '';
  });
  s = s.replace(/<\/?[a-z][^<>]*>/gi, ''); // <font>, <text_tag>, </a>, …
  s = s.replace(/https?:\/\/[^\s<>)]+/g, (url) => {
    v.links.push(url); // an address Feishu links shows in full, which is fine, but is listed
    return url;
  });
  s = s
    .replace(/[*~`_]/g, '')
    .replace(/:[A-Za-z0-9_+-]+:/g, '☺')
    .replace(/(^|\n)[ \t]*(#{1,6} |[-+*] |> ?|=+|\d+[.)] )/g, '$1');
  v.text += decodeEntities(s);
  return v;
}

/** A card (or several) as Feishu shows it: header, markdown, buttons, inputs' labels. */
export function feishuVisible(cards: any | any[]): Visible {
  const v = empty();
  for (const card of Array.isArray(cards) ? cards : [cards]) {
    if (card?.header?.title?.content) v.text += `${card.header.title.content}\n`;
    const walk = (node: any): void => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(walk);
      switch (node.tag) {
        case 'markdown':
          feishuMarkdownVisible(node.content, v);
          v.text += '\n';
          break;
        case 'button':
          v.text += `${node.text?.content ?? ''} `;
          break;
        case 'input':
          v.text += `${node.label?.content ?? ''}\n`;
          break;
        case 'select_static':
        case 'multi_select_static':
          for (const o of node.options ?? []) v.text += `${o.text?.content ?? ''}\n`;
          break;
      }
      for (const key of ['elements', 'columns']) if (Array.isArray(node[key])) node[key].forEach(walk);
      if (node.body) walk(node.body);
    };
    walk(card);
  }
  return v;
}

// ------------------------------------------------------------------------------------------------ playground

/** Playground HTML as a browser shows it: tags dropped, <br> as a line break, mentions and links listed. */
export function htmlVisible(html: string): Visible {
  const v = empty();
  for (const m of html.matchAll(/<span class="mention" title="([^"]*)">/g)) v.mentions.push(decodeEntities(m[1]!));
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]*)"/g)) v.links.push(decodeEntities(m[1]!));
  v.text = decodeEntities(html.replace(/<br>/g, '\n').replace(/<\/(div|dd|dt)>/g, '\n').replace(/<[^>]*>/g, ''));
  return v;
}
