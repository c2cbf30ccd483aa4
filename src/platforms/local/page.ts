// The playground page: one self-contained HTML document (inline CSS and JS, no external assets).
// Messages and forms arrive from the server already rendered and escaped (render.ts); the script only
// inserts those fragments, and sets every other text with textContent.
import type { Locale } from '../../domain/types.js';
import { allCatalogs } from '../../i18n/index.js';
import { CAST, demoScript, LOCAL_CHANNELS } from './cast.js';

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function chromeLabels(): Record<Locale, Record<string, string>> {
  const all = allCatalogs();
  const pick = (catalog: Record<string, string>) =>
    Object.fromEntries(Object.entries(catalog).filter(([k]) => k.startsWith('local.') || k.startsWith('role.')));
  return { en: pick(all.en), 'zh-CN': pick(all['zh-CN']) };
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;background:#f3f4f6;color:#1f2937}
header{display:flex;flex-wrap:wrap;gap:12px;align-items:center;padding:10px 16px;background:#1f2937;color:#f9fafb}
header h1{font-size:16px;margin:0 12px 0 0}
header label{display:flex;gap:6px;align-items:center}
header select{padding:4px 6px;border-radius:4px;border:0}
.spacer{flex:1}
.jobs{display:flex;gap:6px;flex-wrap:wrap;align-items:center}
main{display:grid;grid-template-columns:minmax(320px,1fr) 2fr;gap:12px;padding:12px;height:calc(100vh - 56px)}
.left{display:flex;flex-direction:column;gap:12px;min-height:0}
.compose{background:#fff;border-radius:8px;padding:10px;box-shadow:0 1px 2px #0002}
.compose form{display:flex;gap:6px}
.compose input{flex:1;padding:8px;border:1px solid #d1d5db;border-radius:6px;font:inherit}
.compose .hint{color:#6b7280;font-size:12px;margin-top:6px}
.panes{display:grid;grid-template-columns:1fr 1fr;grid-auto-rows:minmax(0,1fr);gap:12px;min-height:0}
.pane{background:#fff;border-radius:8px;box-shadow:0 1px 2px #0002;display:flex;flex-direction:column;min-height:0}
.pane h2{font-size:13px;margin:0;padding:8px 10px;border-bottom:1px solid #e5e7eb;display:flex;justify-content:space-between}
.pane .list{overflow:auto;padding:8px;flex:1;display:flex;flex-direction:column;gap:8px}
.pane.replies{flex:1;min-height:0}
.empty{color:#9ca3af;font-style:italic}
.msg .meta{font-size:11px;color:#6b7280;margin-bottom:2px;display:flex;gap:6px}
.badge{background:#e5e7eb;border-radius:8px;padding:0 6px}
.badge.private{background:#fef3c7}
.badge.edited{background:#dbeafe}
.card{border-left:4px solid #9ca3af;background:#f9fafb;border-radius:4px;padding:8px 10px}
.card.tone-info{border-color:#3b82f6}.card.tone-success{border-color:#10b981}.card.tone-warning{border-color:#f59e0b}.card.tone-danger{border-color:#ef4444}
.card-title{font-weight:600;margin-bottom:4px}
.card-text,.section-text{white-space:normal;word-wrap:break-word}
.fields{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:4px 12px;margin:6px 0}
.fields dt{font-size:11px;color:#6b7280}.fields dd{margin:0}
.section{border-top:1px solid #e5e7eb;margin-top:6px;padding-top:6px}
.section-heading{font-weight:600}
.card-context{font-size:11px;color:#6b7280;margin-top:6px}
.buttons{display:flex;gap:6px;flex-wrap:wrap;margin-top:6px}
.btn{padding:5px 10px;border:1px solid #d1d5db;border-radius:6px;background:#fff;cursor:pointer;font:inherit}
.btn:hover{background:#f3f4f6}
.btn-primary{background:#2563eb;border-color:#2563eb;color:#fff}.btn-primary:hover{background:#1d4ed8}
.btn-danger{background:#dc2626;border-color:#dc2626;color:#fff}.btn-danger:hover{background:#b91c1c}
.btn:disabled{opacity:.5;cursor:wait}
.mention{color:#1d4ed8;background:#eff6ff;border-radius:3px;padding:0 2px}
code{background:#eef2ff;border-radius:3px;padding:0 3px;font:12px ui-monospace,Menlo,Consolas,monospace}
.forms:empty{display:none}
.bot-form{background:#fff;border:2px solid #2563eb;border-radius:8px;padding:10px;display:flex;flex-direction:column;gap:8px}
.form-title{font-weight:600;font-size:15px}
.form-field label{display:block;font-weight:500;margin-bottom:2px}
.form-field input[type=text],.form-field input[type=date],.form-field textarea,.form-field select{width:100%;padding:6px;border:1px solid #d1d5db;border-radius:6px;font:inherit}
.form-field.has-error input,.form-field.has-error textarea,.form-field.has-error select{border-color:#dc2626}
.checks{display:flex;flex-wrap:wrap;gap:4px 12px}
.check{font-weight:normal !important;display:inline-flex !important;gap:4px}
.hint{color:#6b7280;font-size:12px}
.error{color:#dc2626;font-size:12px}
.error:empty{display:none}
.req{color:#dc2626}
.form-buttons{display:flex;gap:6px}
#toast{position:fixed;bottom:16px;left:50%;transform:translateX(-50%);background:#111827;color:#fff;padding:8px 14px;border-radius:6px;max-width:80vw}
@media (max-width:900px){main{grid-template-columns:1fr;height:auto}.panes{grid-template-columns:1fr;grid-auto-rows:420px}}
`;

// The page script. Plain ES2020, no dependencies. Only server-rendered fragments (escaped by render.ts)
// go through innerHTML; everything else is textContent.
const JS = `
'use strict';
const CONF = JSON.parse(document.getElementById('conf').textContent);
const L = CONF.labels;
let locale = CONF.locale;
const $ = (sel, root) => (root || document).querySelector(sel);
const tr = (key, params) => {
  const s = (L[locale] && L[locale][key]) || L.en[key] || key;
  return s.replace(/\\{(\\w+)\\}/g, (w, n) => (params && n in params ? String(params[n]) : w));
};
const state = { user: localStorage.getItem('pg.user') || CONF.cast[0].id, cursor: 0, items: new Map(), replies: {}, polling: false, gen: 0 };
if (!CONF.cast.some((c) => c.id === state.user)) state.user = CONF.cast[0].id;
const cmdHistory = [];
let historyAt = 0;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function applyLabels() {
  document.documentElement.lang = locale;
  document.title = tr('local.title');
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = tr(e.getAttribute('data-i18n'));
  for (const e of document.querySelectorAll('[data-i18n-placeholder]')) e.placeholder = tr(e.getAttribute('data-i18n-placeholder'));
  for (const e of document.querySelectorAll('[data-i18n-title]')) e.title = tr(e.getAttribute('data-i18n-title'));
  const userSel = $('#user');
  userSel.textContent = '';
  for (const c of CONF.cast) {
    const o = el('option', '', c.name + ' — ' + tr('role.' + c.role));
    o.value = c.id;
    userSel.appendChild(o);
  }
  userSel.value = state.user;
  const chanSel = $('#channel');
  const current = chanSel.value || 'dm';
  chanSel.textContent = '';
  const dm = el('option', '', tr('local.channel.dm'));
  dm.value = 'dm';
  chanSel.appendChild(dm);
  for (const c of CONF.channels) {
    const o = el('option', '', '#' + c);
    o.value = c;
    chanSel.appendChild(o);
  }
  chanSel.value = current;
  renderPanes();
}

let toastTimer;
function toast(text) {
  const t = $('#toast');
  t.textContent = text;
  t.hidden = !text;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 4000);
}

async function call(path, body) {
  let res;
  try {
    res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch (e) {
    toast(tr('local.error.network'));
    return null;
  }
  let data = null;
  try { data = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) {
    toast((data && data.message) || res.status + ' ' + res.statusText);
    return null;
  }
  return data;
}

function paneFor(item) {
  if (item.kind === 'dm') return 'dm';
  if (CONF.channels.includes(item.channel)) return item.channel;
  return 'dm';
}

function itemNode(item) {
  const box = el('div', 'msg');
  const meta = el('div', 'meta');
  meta.appendChild(el('span', '', new Date(item.at).toLocaleString(locale)));
  if (paneFor(item) === 'dm' && item.kind !== 'dm') meta.appendChild(el('span', 'badge', '#' + item.channel));
  if (item.privateTo && item.kind === 'ephemeral') meta.appendChild(el('span', 'badge private', tr('local.only_you')));
  if (item.updated) meta.appendChild(el('span', 'badge edited', tr('local.edited')));
  if (item.cardKey) meta.appendChild(el('span', 'badge', item.cardKey));
  box.appendChild(meta);
  const body = el('div', 'body');
  body.innerHTML = item.html; // rendered and escaped by the server (render.ts)
  box.appendChild(body);
  box.dataset.channel = item.channel;
  return box;
}

function renderPanes() {
  const lists = {};
  for (const p of ['dm'].concat(CONF.channels)) {
    const list = document.querySelector('[data-pane="' + p + '"] .list');
    if (!list) continue;
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 30;
    list.textContent = '';
    lists[p] = { list: list, atBottom: atBottom, n: 0 };
  }
  const items = Array.from(state.items.values()).sort((a, b) => a.id - b.id);
  for (const item of items) {
    const target = lists[paneFor(item)];
    if (!target) continue;
    target.list.appendChild(itemNode(item));
    target.n++;
  }
  for (const k of Object.keys(lists)) {
    const x = lists[k];
    if (x.n === 0) x.list.appendChild(el('div', 'empty', tr('local.pane.empty')));
    if (x.atBottom) x.list.scrollTop = x.list.scrollHeight;
  }
  renderReplies();
}

function renderReplies() {
  const list = $('#replies .list');
  list.textContent = '';
  const replies = state.replies[state.user] || [];
  if (replies.length === 0) list.appendChild(el('div', 'empty', tr('local.pane.empty')));
  for (const r of replies) {
    const box = el('div', 'msg');
    const meta = el('div', 'meta');
    meta.appendChild(el('span', '', r.at));
    meta.appendChild(el('span', 'badge private', tr('local.only_you')));
    if (r.command) meta.appendChild(el('code', '', r.command));
    box.appendChild(meta);
    const body = el('div', 'body');
    body.innerHTML = r.html; // rendered and escaped by the server (render.ts)
    box.appendChild(body);
    list.appendChild(box);
  }
  list.scrollTop = list.scrollHeight;
}

function addReply(user, html, command) {
  const list = state.replies[user] || (state.replies[user] = []);
  list.push({ html: html, command: command, at: new Date().toLocaleTimeString(locale) });
  if (list.length > 50) list.splice(0, list.length - 50);
  try { sessionStorage.setItem('pg.replies', JSON.stringify(state.replies)); } catch (e) { /* full */ }
  if (user === state.user) renderReplies();
}

function handleOutcome(data, user, command) {
  if (!data) return;
  if (data.locale && data.locale !== locale) { locale = data.locale; applyLabels(); }
  if (data.updatedCard) {
    for (const item of state.items.values()) {
      if (item.cardKey === data.updatedCard.cardKey) { item.html = data.updatedCard.html; item.updated = true; }
    }
    renderPanes();
  }
  if (data.form) showForm(data.form.html, user);
  if (data.reply) addReply(user, data.reply.html, command);
  else if (data.toast && !data.form) toast(data.toast);
  pollSoon();
}

function showForm(html, user) {
  const box = $('#forms');
  box.innerHTML = html; // rendered and escaped by the server (render.ts)
  const form = box.querySelector('form');
  form.dataset.user = user;
  const first = form.querySelector('input,textarea,select');
  if (first) first.focus();
}

function formValues(form) {
  const values = {};
  for (const field of form.querySelectorAll('.form-field')) {
    const name = field.getAttribute('data-field');
    if (field.getAttribute('data-kind') === 'multiselect') {
      values[name] = Array.from(field.querySelectorAll('input[type=checkbox]:checked')).map((c) => c.value);
    } else {
      const input = field.querySelector('input,textarea,select');
      values[name] = input ? input.value : '';
    }
  }
  return values;
}

// A form with a file picker (the plan import): the file goes to /local/import as base64 with the other values.
async function importFile(form, picker, user) {
  const file = picker.files && picker.files[0];
  const values = formValues(form);
  if (!file) return call('/local/submit', { user: user, form: form.getAttribute('data-form'), values: values, channel: $('#channel').value });
  const buffer = await file.arrayBuffer();
  let binary = '';
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return call('/local/import', { user: user, year: values.year || '', name: file.name, data: btoa(binary), channel: $('#channel').value });
}

async function submitForm(form) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  const user = form.dataset.user || state.user;
  const picker = form.querySelector('input[type=file]');
  const data = picker
    ? await importFile(form, picker, user)
    : await call('/local/submit', { user: user, form: form.getAttribute('data-form'), values: formValues(form), channel: $('#channel').value });
  button.disabled = false;
  if (!data) return;
  for (const field of form.querySelectorAll('.form-field')) {
    field.classList.remove('has-error');
    field.querySelector('.error').textContent = '';
  }
  form.querySelector('.form-error').textContent = '';
  if (data.formErrors && Object.keys(data.formErrors).length) {
    for (const name of Object.keys(data.formErrors)) {
      const field = Array.from(form.querySelectorAll('.form-field')).find((f) => f.getAttribute('data-field') === name);
      if (field) { field.classList.add('has-error'); field.querySelector('.error').textContent = data.formErrors[name]; }
      else form.querySelector('.form-error').textContent += data.formErrors[name] + ' ';
    }
    return;
  }
  if (!data.ok && !data.form && data.reply && !data.formErrors) {
    // A refusal of the whole submission: keep the form so nothing typed is lost.
    form.querySelector('.form-error').textContent = data.toast || '';
  } else {
    $('#forms').textContent = '';
  }
  handleOutcome(data, user, null);
}

async function sendCommand(text, user, channel) {
  const data = await call('/local/command', { user: user, text: text, channel: channel });
  handleOutcome(data, user, text);
  return data;
}

async function poll() {
  if (state.polling) return;
  state.polling = true;
  const gen = state.gen;
  try {
    const res = await fetch('/local/feed?user=' + encodeURIComponent(state.user) + '&since=' + state.cursor, { headers: { accept: 'application/json' } });
    if (res.ok) {
      const data = await res.json();
      if (gen === state.gen) {
        let changed = false;
        if (data.locale && data.locale !== locale) { locale = data.locale; applyLabels(); }
        for (const item of data.items) { state.items.set(item.id, item); changed = true; }
        if (data.cursor < state.cursor) { state.items.clear(); state.cursor = 0; } // a fresh database
        else state.cursor = data.cursor;
        if (changed) renderPanes();
      }
    }
  } catch (e) { /* server restarting: try again later */ }
  state.polling = false;
}

let soon = [];
function pollSoon() {
  for (const t of soon) clearTimeout(t);
  soon = [150, 600, 1500].map((ms) => setTimeout(poll, ms));
}

function switchUser(id) {
  state.user = id;
  localStorage.setItem('pg.user', id);
  state.gen++;
  state.items.clear();
  state.cursor = 0;
  $('#forms').textContent = '';
  renderPanes();
  poll();
}

async function setupDemo(button) {
  button.disabled = true;
  let ok = 0;
  for (const step of CONF.demo) {
    const data = await sendCommand(step.text, 'ada', step.channel);
    if (data && data.ok) ok++;
  }
  button.disabled = false;
  toast(tr('local.demo.done', { ok: ok, total: CONF.demo.length }));
}

document.addEventListener('click', async (ev) => {
  const target = ev.target instanceof Element ? ev.target : null;
  if (!target) return;
  const action = target.closest('[data-action]');
  if (action) {
    action.disabled = true;
    const msg = action.closest('.msg');
    const channel = msg && msg.dataset.channel ? msg.dataset.channel : 'dm';
    const data = await call('/local/action', { user: state.user, ref: action.getAttribute('data-action'), channel: /^[A-Za-z0-9_-]{1,64}$/.test(channel) ? channel : 'dm' });
    action.disabled = false;
    handleOutcome(data, state.user, null);
    return;
  }
  if (target.closest('[data-cancel]')) { $('#forms').textContent = ''; return; }
  const job = target.closest('[data-job]');
  if (job) {
    job.disabled = true;
    const data = await call('/local/job', { name: job.getAttribute('data-job') });
    job.disabled = false;
    if (data) toast(data.message);
    pollSoon();
    return;
  }
  if (target.id === 'demo') setupDemo(target);
});

document.addEventListener('submit', (ev) => {
  const form = ev.target;
  ev.preventDefault();
  if (form.id === 'compose') {
    const input = $('#text');
    const text = input.value.trim();
    if (!text) return;
    cmdHistory.push(text);
    historyAt = cmdHistory.length;
    input.value = '';
    sendCommand(text, state.user, $('#channel').value);
  } else if (form.classList.contains('bot-form')) {
    submitForm(form);
  }
});

$('#text').addEventListener('keydown', (ev) => {
  if (ev.key === 'ArrowUp' && historyAt > 0) { historyAt--; ev.target.value = cmdHistory[historyAt]; ev.preventDefault(); }
  else if (ev.key === 'ArrowDown' && historyAt < cmdHistory.length) { historyAt++; ev.target.value = cmdHistory[historyAt] || ''; ev.preventDefault(); }
});
$('#user').addEventListener('change', (ev) => switchUser(ev.target.value));

try { state.replies = JSON.parse(sessionStorage.getItem('pg.replies') || '{}') || {}; } catch (e) { state.replies = {}; }
const jobs = $('#jobs');
if (CONF.jobs.length === 0) jobs.hidden = true;
for (const name of CONF.jobs) {
  const b = el('button', 'btn');
  b.type = 'button';
  b.setAttribute('data-job', name);
  b.setAttribute('data-i18n', 'local.job.' + name);
  jobs.appendChild(b);
}
applyLabels();
poll();
setInterval(poll, 1200);
`;

export interface PageOptions {
  nonce: string;
  locale: Locale;
  jobs: readonly string[];
}

export function renderPage(opts: PageOptions): string {
  const conf = {
    locale: opts.locale,
    labels: chromeLabels(),
    cast: CAST,
    channels: LOCAL_CHANNELS,
    jobs: opts.jobs,
    demo: demoScript(),
  };
  const nonce = opts.nonce.replace(/[^A-Za-z0-9+/=]/g, '');
  const pane = (id: string, label: string) =>
    `<section class="pane" data-pane="${id}"><h2><span>${label}</span></h2><div class="list"></div></section>`;
  return `<!doctype html>
<html lang="${opts.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Playground</title>
<style nonce="${nonce}">${CSS}</style>
</head>
<body>
<header>
  <h1 data-i18n="local.title"></h1>
  <label><span data-i18n="local.user"></span> <select id="user"></select></label>
  <label><span data-i18n="local.send_from"></span> <select id="channel"></select></label>
  <button type="button" class="btn" id="demo" data-i18n="local.demo" data-i18n-title="local.demo.hint"></button>
  <span class="spacer"></span>
  <div class="jobs" id="jobs"><span data-i18n="local.jobs"></span></div>
</header>
<main>
  <div class="left">
    <div class="compose">
      <form id="compose" autocomplete="off">
        <input id="text" name="text" maxlength="4000" data-i18n-placeholder="local.command.placeholder">
        <button type="submit" class="btn btn-primary" data-i18n="local.send"></button>
      </form>
      <div class="hint" data-i18n="local.command.hint"></div>
    </div>
    <div id="forms" class="forms"></div>
    <section class="pane replies" id="replies"><h2><span data-i18n="local.pane.replies"></span></h2><div class="list"></div></section>
  </div>
  <div class="panes">
    ${LOCAL_CHANNELS.map((c) => pane(c, `#${c}`)).join('\n    ')}
    <section class="pane" data-pane="dm"><h2><span data-i18n="local.pane.dms"></span></h2><div class="list"></div></section>
  </div>
</main>
<div id="toast" role="status" hidden></div>
<script type="application/json" id="conf">${scriptJson(conf)}</script>
<script nonce="${nonce}">${JS}</script>
</body>
</html>`;
}
