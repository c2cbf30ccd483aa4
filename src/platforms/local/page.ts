// The playground page: one self-contained HTML document (inline CSS and JS, no external assets).
// Messages and forms arrive from the server already rendered and escaped (render.ts); the script only
// inserts those fragments, and sets every other text with textContent.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../config/paths.js';
import type { Locale } from '../../domain/types.js';
import { allCatalogs } from '../../i18n/index.js';
import { CAST, LOCAL_CHANNELS } from './cast.js';

/** The longest command the compose box sends (rows pasted after `/budget plan import`); the server refuses longer ones too. */
export const COMMAND_MAX = 60_000;

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

// The page's style and script are real files next to this one (assets/; read from src/ by the bundled app too),
// inlined into the document with the request's nonce, so the page stays one self-contained response under a strict
// Content-Security-Policy.
const ASSETS = path.join(projectRoot, 'src/platforms/local/assets');
const CSS = readFileSync(path.join(ASSETS, 'page.css'), 'utf8');
const JS = readFileSync(path.join(ASSETS, 'page.js'), 'utf8');

/** The favicon: a small chart in the product's colours (served at /favicon.svg and /favicon.ico). */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f2937"/>' +
  '<rect x="7" y="16" width="4" height="9" rx="1" fill="#60a5fa"/><rect x="14" y="11" width="4" height="14" rx="1" fill="#34d399"/>' +
  '<rect x="21" y="6" width="4" height="19" rx="1" fill="#fbbf24"/></svg>';

export interface PageOptions {
  nonce: string;
  locale: Locale;
  /** The bot's time zone (IANA name): every time on the page is shown in it. */
  timezone: string;
  jobs: readonly string[];
}

export function renderPage(opts: PageOptions): string {
  const conf = {
    locale: opts.locale,
    timezone: opts.timezone,
    labels: chromeLabels(),
    cast: CAST,
    channels: LOCAL_CHANNELS,
    jobs: opts.jobs,
  };
  const nonce = opts.nonce.replace(/[^A-Za-z0-9+/=]/g, '');
  const pane = (id: string, label: string, cls = '') =>
    `<section class="pane${cls}" data-pane="${id}"${id === 'replies' ? ' id="replies"' : ''}>` +
    `<h2 class="pane-head"><button type="button" class="pane-title" aria-expanded="false" data-i18n-title="local.pane.enlarge.hint">` +
    `<span class="pane-name">${label}</span><span class="fresh-count"></span><span class="count"></span><span class="toggle" data-i18n="local.pane.enlarge"></span>` +
    `</button></h2><div class="list" tabindex="0"></div></section>`;
  return `<!doctype html>
<html lang="${opts.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Playground</title>
<link rel="icon" type="image/svg+xml" href="/favicon.svg">
<style nonce="${nonce}">${CSS}</style>
</head>
<body>
<header class="top">
  <h1 data-i18n="local.title"></h1>
  <label><span data-i18n="local.user"></span> <select id="user"></select></label>
  <label><span data-i18n="local.send_from"></span> <select id="channel"></select></label>
  <button type="button" class="btn" id="demo" data-i18n="local.demo" data-i18n-title="local.demo.hint"></button>
  <span class="tz" id="tz"></span>
  <span class="spacer"></span>
  <div class="jobs" id="jobs"><span class="jobs-label" data-i18n="local.jobs"></span></div>
</header>
<main>
  <div class="left">
    <div class="compose">
      <form id="compose" autocomplete="off">
        <input id="text" name="text" data-max="${COMMAND_MAX}" data-i18n-placeholder="local.command.placeholder">
        <button type="submit" class="btn btn-primary" data-i18n="local.send"></button>
      </form>
      <div class="counter" data-for="text"></div>
      <div class="hint" data-i18n-rich="local.command.hint"></div>
    </div>
    <div id="forms" class="forms"></div>
    ${pane('replies', '<span data-i18n="local.pane.replies"></span>', ' replies')}
  </div>
  <div class="panes">
    ${LOCAL_CHANNELS.map((c) => pane(c, `#${c}`)).join('\n    ')}
    ${pane('dm', '<span data-i18n="local.pane.dms"></span>')}
  </div>
</main>
<div id="backdrop" class="backdrop" hidden></div>
<div id="toast" role="status" aria-live="polite" hidden></div>
<script type="application/json" id="conf">${scriptJson(conf)}</script>
<script nonce="${nonce}">${JS}</script>
</body>
</html>`;
}
