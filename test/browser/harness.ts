// Browser tests drive the playground page in Debian's Chromium through playwright-core (no browser download):
// one browser per test file, a playground app on a fresh SQLite file, screenshots saved as CI artifacts.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApp, type App } from '../../src/app.js';
import type { AppConfig } from '../../src/config/env.js';
import type { Locale } from '../../src/domain/types.js';
import type { Clock } from '../../src/usecases/types.js';
import { log } from '../../src/log.js';
import { tempDbFile } from '../support/tempDb.js';

log.setLevel('warn');

/** Where screenshots go (ignored by git; CI keeps the folder as an artifact). */
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../artifacts/browser');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium to drive: CHROMIUM_PATH, else Debian's package. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error('No Chromium found. Install it (Debian: apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji) or set CHROMIUM_PATH.');
  }
  return found;
}

/**
 * Launch flags: headless, and nothing that phones home — in a closed network Chromium's background
 * connections are refused and slow everything down. Playwright gives each launch a fresh profile directory.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

/** A clock that starts at `start` and runs at real speed (dates on cards are stable; leases and back-off still work). */
export function clockFrom(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

export interface Playground {
  app: App;
  base: string;
  close(): Promise<void>;
}

export async function startPlayground(opts: { locale?: Locale; timezone?: string; now?: Date; databaseUrl?: string } = {}): Promise<Playground> {
  const config: AppConfig = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: opts.databaseUrl ?? `file:${tempDbFile('mktops-browser-')}`,
    timezone: opts.timezone ?? 'Asia/Shanghai',
    locale: opts.locale ?? 'zh-CN',
    adminUsers: [],
    logLevel: 'error',
  };
  const app = await startApp(config, { clock: opts.now ? clockFrom(opts.now) : undefined, delivery: { pollMs: 50, baseDelayMs: 50 } });
  return { app, base: `http://127.0.0.1:${app.port}`, close: () => app.close() };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** Records every dialog the page opens (and dismisses it): injected script must never open one. */
export function recordDialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (d) => {
    seen.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return seen;
}

/** Records page errors and console errors (a broken script shows up here). */
export function recordErrors(page: Page): string[] {
  const seen: string[] = [];
  page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.push(`console: ${m.text()}`);
  });
  return seen;
}
