// The playground page's script. Plain ES2020, no dependencies, no build step; served inline with a nonce.
// Only fragments rendered and escaped by the server (render.ts) go through innerHTML; every other text is
// set with textContent. Times are shown in the bot's time zone (the one its cards use), never the browser's.
'use strict';
const CONF = JSON.parse(document.getElementById('conf').textContent);
const L = CONF.labels;
let locale = CONF.locale;
let timezone = CONF.timezone;
const $ = (sel, root) => (root || document).querySelector(sel);
const tr = (key, params) => {
  const s = (L[locale] && L[locale][key]) || L.en[key] || key;
  return s.replace(/\{(\w+)\}/g, (w, n) => (params && n in params ? String(params[n]) : w));
};
const PANES = ['replies'].concat(CONF.channels, ['dm']);
const state = {
  user: localStorage.getItem('pg.user') || CONF.cast[0].id,
  cursor: 0,
  items: new Map(),
  replies: {},
  polling: false,
  gen: 0,
  /** Item id → version already shown (to spot new and changed items). */
  seen: new Map(),
  fresh: {},
  loaded: false,
  focused: null,
};
if (!CONF.cast.some((c) => c.id === state.user)) state.user = CONF.cast[0].id;
const cmdHistory = [];
let historyAt = 0;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// ---- Time, in the bot's zone ----
function zoneOffset(date) {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'shortOffset' })
      .formatToParts(date || new Date())
      .find((p) => p.type === 'timeZoneName');
    return part ? part.value.replace(/^GMT/, 'UTC').replace(/^UTC[+-]0$/, 'UTC') : '';
  } catch (e) {
    return '';
  }
}
function wall(iso) {
  const d = new Date(iso);
  if (isNaN(d.getTime())) return { short: '', full: '' };
  let parts;
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  } catch (e) {
    return { short: d.toISOString(), full: d.toISOString() };
  }
  const p = {};
  for (const x of parts) p[x.type] = x.value;
  const date = p.year + '-' + p.month + '-' + p.day;
  const time = p.hour + ':' + p.minute;
  return { short: p.month + '-' + p.day + ' ' + time, full: date + ' ' + time + ' ' + zoneOffset(d) + ' (' + timezone + ')' };
}
function timeNode(iso) {
  const w = wall(iso);
  const t = el('time', '', w.short);
  t.dateTime = iso;
  t.title = w.full;
  return t;
}

// ---- Labels ----
/** Sets a label whose `code` spans (between backticks) show as code, without parsing any HTML. */
function richLabel(node, text) {
  node.textContent = '';
  text.split('`').forEach((part, i) => {
    if (part) node.appendChild(i % 2 ? el('code', '', part) : document.createTextNode(part));
  });
}

function applyLabels() {
  document.documentElement.lang = locale;
  document.title = tr('local.title');
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = tr(e.getAttribute('data-i18n'));
  for (const e of document.querySelectorAll('[data-i18n-rich]')) richLabel(e, tr(e.getAttribute('data-i18n-rich')));
  for (const e of document.querySelectorAll('[data-i18n-placeholder]')) e.placeholder = tr(e.getAttribute('data-i18n-placeholder'));
  for (const e of document.querySelectorAll('[data-i18n-title]')) e.title = tr(e.getAttribute('data-i18n-title'));
  $('#tz').textContent = tr('local.timezone', { zone: timezone, offset: zoneOffset() });
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
  for (const f of document.querySelectorAll('[data-max]')) updateCounter(f);
  renderPanes();
}

function setView(data) {
  let changed = false;
  if (data.locale && data.locale !== locale) { locale = data.locale; changed = true; }
  if (data.timezone && data.timezone !== timezone) { timezone = data.timezone; changed = true; }
  if (changed) applyLabels();
}

// ---- Toast ----
let toastTimer;
function toast(text) {
  const t = $('#toast');
  t.textContent = text;
  t.hidden = !text;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, Math.min(12000, 4000 + text.length * 60));
}

// ---- Requests ----
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

// ---- Panes ----
function paneFor(item) {
  if (item.kind === 'dm') return 'dm';
  if (CONF.channels.includes(item.channel)) return item.channel;
  return 'dm';
}
function paneNode(id) {
  return document.querySelector('[data-pane="' + id + '"]');
}

function itemNode(item, fresh) {
  const box = el('div', 'msg' + (fresh ? ' fresh' : ''));
  const meta = el('div', 'meta');
  meta.appendChild(timeNode(item.at));
  if (paneFor(item) === 'dm' && item.kind !== 'dm') meta.appendChild(el('span', 'badge', '#' + item.channel));
  if (item.privateTo && item.kind === 'ephemeral') meta.appendChild(el('span', 'badge private', tr('local.only_you')));
  if (item.updated) meta.appendChild(el('span', 'badge edited', tr('local.edited')));
  if (item.cardKey) meta.appendChild(el('span', 'badge', item.cardKey));
  box.appendChild(meta);
  const body = el('div', 'body');
  body.innerHTML = item.html; // rendered and escaped by the server (render.ts)
  box.appendChild(body);
  box.dataset.channel = item.channel;
  box.dataset.id = String(item.id);
  return box;
}

function atBottom(list) {
  return list.scrollTop + list.clientHeight >= list.scrollHeight - 30;
}

function setCount(pane, n) {
  const node = paneNode(pane);
  if (!node) return;
  node.querySelector('.count').textContent = n ? tr('local.pane.count', { n: n }) : '';
  const fresh = state.fresh[pane] || 0;
  node.querySelector('.fresh-count').textContent = fresh ? tr('local.pane.new', { n: fresh }) : '';
}

function renderPanes() {
  const lists = {};
  for (const p of ['dm'].concat(CONF.channels)) {
    const node = paneNode(p);
    if (!node) continue;
    const list = node.querySelector('.list');
    lists[p] = { list: list, bottom: atBottom(list), top: list.scrollTop, n: 0, fresh: 0, firstFresh: null };
    list.textContent = '';
  }
  const items = Array.from(state.items.values()).sort((a, b) => a.id - b.id);
  for (const item of items) {
    const target = lists[paneFor(item)];
    if (!target) continue;
    const before = state.seen.get(item.id);
    // New or changed since the last render (nothing is "new" on the first load).
    const fresh = before !== undefined ? before !== item.version : state.loaded;
    state.seen.set(item.id, item.version);
    const node = itemNode(item, fresh);
    target.list.appendChild(node);
    target.n++;
    if (fresh) { target.fresh++; target.firstFresh = target.firstFresh || node; }
  }
  for (const k of Object.keys(lists)) {
    const x = lists[k];
    if (x.n === 0) x.list.appendChild(el('div', 'empty', tr('local.pane.empty')));
    if (x.fresh && !x.bottom && state.focused !== k) state.fresh[k] = (state.fresh[k] || 0) + x.fresh;
    // Following the conversation: show the news (or the latest card); a card taller than the pane is shown
    // from its top, to be read downwards. Otherwise the reader keeps their place.
    if (x.bottom) {
      const f = x.firstFresh || x.list.lastElementChild;
      x.list.scrollTop = f && f.offsetHeight > x.list.clientHeight ? f.offsetTop - 8 : x.list.scrollHeight;
    } else {
      x.list.scrollTop = x.top;
    }
    setCount(k, x.n);
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
    meta.appendChild(timeNode(r.at));
    meta.appendChild(el('span', 'badge private', tr('local.only_you')));
    if (r.command) meta.appendChild(el('code', '', r.command));
    box.appendChild(meta);
    const body = el('div', 'body');
    body.innerHTML = r.html; // rendered and escaped by the server (render.ts)
    box.appendChild(body);
    list.appendChild(box);
  }
  list.scrollTop = list.scrollHeight;
  setCount('replies', replies.length);
}

function addReply(user, html, command, at) {
  const list = state.replies[user] || (state.replies[user] = []);
  list.push({ html: html, command: command, at: at || new Date().toISOString() });
  if (list.length > 50) list.splice(0, list.length - 50);
  try { sessionStorage.setItem('pg.replies', JSON.stringify(state.replies)); } catch (e) { /* full */ }
  if (user === state.user) renderReplies();
}

// A pane enlarged to fill the window: click its title (again, or Esc, or outside) to restore.
function focusPane(id) {
  const next = state.focused === id ? null : id;
  for (const p of document.querySelectorAll('[data-pane]')) {
    const on = p.getAttribute('data-pane') === next;
    p.classList.toggle('focused', on);
    const title = p.querySelector('.pane-title');
    title.setAttribute('aria-expanded', on ? 'true' : 'false');
    p.querySelector('.toggle').textContent = on ? tr('local.pane.restore') : tr('local.pane.enlarge');
  }
  $('#backdrop').hidden = !next;
  state.focused = next;
  if (next) {
    state.fresh[next] = 0;
    setCount(next, paneNode(next).querySelectorAll('.msg').length);
  }
}

function handleOutcome(data, user, command) {
  if (!data) return;
  setView(data);
  if (data.updatedCard) {
    for (const item of state.items.values()) {
      if (item.cardKey === data.updatedCard.cardKey) { item.html = data.updatedCard.html; item.updated = true; }
    }
    renderPanes();
  }
  if (data.form) showForm(data.form.html, user);
  if (data.reply) addReply(user, data.reply.html, command, data.at);
  else if (data.toast && !data.form) toast(data.toast);
  pollSoon();
}

// ---- Forms ----
function showForm(html, user) {
  if (state.focused) focusPane(state.focused);
  const box = $('#forms');
  box.innerHTML = html; // rendered and escaped by the server (render.ts)
  $('.left').classList.add('form-open');
  const form = box.querySelector('form');
  form.dataset.user = user;
  for (const f of form.querySelectorAll('[data-max]')) updateCounter(f);
  box.scrollTop = 0;
  const first = form.querySelector('input,textarea,select');
  if (first) first.focus({ preventScroll: false });
}

function closeForm() {
  $('#forms').textContent = '';
  $('.left').classList.remove('form-open');
}

function length(text) {
  return Array.from(text).length;
}

/** The counter under a limited input; returns whether the value is within the limit. */
function updateCounter(input) {
  const max = Number(input.getAttribute('data-max'));
  const counter = document.querySelector('.counter[data-for="' + input.id + '"]');
  const n = length(input.value);
  if (counter) {
    counter.textContent = tr('local.counter', { n: n, max: max });
    counter.classList.toggle('over', n > max);
  }
  return n <= max;
}

function overLimit(input) {
  const max = Number(input.getAttribute('data-max'));
  const n = length(input.value);
  return n > max ? tr('local.error.too_long', { n: n, max: max }) : null;
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

function clearErrors(form) {
  for (const field of form.querySelectorAll('.form-field')) {
    field.classList.remove('has-error');
    field.querySelector('.error').textContent = '';
  }
  form.querySelector('.form-error').textContent = '';
}

function showFieldError(form, name, text) {
  const field = Array.from(form.querySelectorAll('.form-field')).find((f) => f.getAttribute('data-field') === name);
  if (field) { field.classList.add('has-error'); field.querySelector('.error').textContent = text; return field; }
  form.querySelector('.form-error').textContent += text + ' ';
  return null;
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
  clearErrors(form);
  // Over-long text is refused here, with its count, instead of being cut (the server refuses it too).
  let firstBad = null;
  for (const input of form.querySelectorAll('[data-max]')) {
    const problem = overLimit(input);
    if (problem) {
      const field = showFieldError(form, input.closest('.form-field').getAttribute('data-field'), problem);
      firstBad = firstBad || field;
    }
  }
  if (firstBad) { firstBad.scrollIntoView({ block: 'nearest' }); return; }
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  const user = form.dataset.user || state.user;
  const picker = form.querySelector('input[type=file]');
  const data = picker
    ? await importFile(form, picker, user)
    : await call('/local/submit', { user: user, form: form.getAttribute('data-form'), values: formValues(form), channel: $('#channel').value });
  button.disabled = false;
  if (!data) return;
  if (data.formErrors && Object.keys(data.formErrors).length) {
    let first = null;
    for (const name of Object.keys(data.formErrors)) first = showFieldError(form, name, data.formErrors[name]) || first;
    const target = form.querySelector('.form-field.has-error') || form.querySelector('.form-error');
    if (target) target.scrollIntoView({ block: 'nearest' });
    return;
  }
  if (!data.ok && !data.form && data.reply && !data.formErrors) {
    // A refusal of the whole submission: keep the form so nothing typed is lost.
    form.querySelector('.form-error').textContent = data.toast || '';
  } else {
    closeForm();
  }
  handleOutcome(data, user, null);
}

// ---- Commands ----
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
        setView(data);
        for (const item of data.items) { state.items.set(item.id, item); changed = true; }
        if (data.cursor < state.cursor) { state.items.clear(); state.seen.clear(); state.cursor = 0; } // a fresh database
        else state.cursor = data.cursor;
        if (changed) renderPanes();
        state.loaded = true;
        document.body.dataset.synced = String(state.cursor);
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
  state.seen.clear();
  state.fresh = {};
  state.loaded = false;
  state.cursor = 0;
  closeForm();
  renderPanes();
  poll();
}

async function setupDemo(button) {
  button.disabled = true;
  const data = await call('/local/demo', {});
  button.disabled = false;
  if (!data) return;
  for (const step of data.steps) if (step.reply) addReply('ada', step.reply.html, step.text, data.at);
  toast(data.message);
  pollSoon();
}

// ---- Events ----
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
  if (target.closest('[data-cancel]')) { closeForm(); return; }
  const title = target.closest('.pane-title');
  if (title) { focusPane(title.closest('[data-pane]').getAttribute('data-pane')); return; }
  if (target.id === 'backdrop') { focusPane(state.focused); return; }
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

document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && state.focused) focusPane(state.focused);
});

document.addEventListener('input', (ev) => {
  const input = ev.target;
  if (input instanceof Element && input.hasAttribute('data-max')) updateCounter(input);
});

for (const p of PANES) {
  const node = paneNode(p);
  if (!node) continue;
  node.querySelector('.list').addEventListener('scroll', (ev) => {
    if (state.fresh[p] && atBottom(ev.target)) { state.fresh[p] = 0; setCount(p, node.querySelectorAll('.msg').length); }
  });
}

document.addEventListener('submit', (ev) => {
  const form = ev.target;
  ev.preventDefault();
  if (form.id === 'compose') {
    const input = $('#text');
    const text = input.value.trim();
    if (!text) return;
    const problem = overLimit(input);
    if (problem) { toast(problem); return; }
    cmdHistory.push(text);
    historyAt = cmdHistory.length;
    input.value = '';
    updateCounter(input);
    sendCommand(text, state.user, $('#channel').value);
  } else if (form.classList.contains('bot-form')) {
    submitForm(form);
  }
});

$('#text').addEventListener('keydown', (ev) => {
  if (ev.key === 'ArrowUp' && historyAt > 0) { historyAt--; ev.target.value = cmdHistory[historyAt]; ev.preventDefault(); }
  else if (ev.key === 'ArrowDown' && historyAt < cmdHistory.length) { historyAt++; ev.target.value = cmdHistory[historyAt] || ''; ev.preventDefault(); }
  else return;
  updateCounter(ev.target);
});
$('#user').addEventListener('change', (ev) => switchUser(ev.target.value));

// The focused pane sits below the header, whatever height the header wraps to.
const header = $('header');
const setHeaderHeight = () => document.documentElement.style.setProperty('--header-h', header.getBoundingClientRect().height + 'px');
if (window.ResizeObserver) new ResizeObserver(setHeaderHeight).observe(header);
setHeaderHeight();

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
