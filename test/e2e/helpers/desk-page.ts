// Driving the demo desk page in Chromium: open it (optionally with the app's built bundle and boot info
// from the app's own hooks), sign in as a demo user, and ask from the Awesome Bar.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { createLogger } from '../../../src/log/logger.js';
import { startGateway, type RunningGateway } from '../../../src/server.js';
import { startStandin, type Standin } from '../../../src/standin/index.js';

export interface Demo {
  standin: Standin;
  gw: RunningGateway;
  logs: string[];
  close(): Promise<void>;
}

/** A demo-mode gateway (no frappe.url, as `npm start`) in front of a fresh stand-in: it serves /demo/desk/. */
export async function startDemo(env: Record<string, string> = {}): Promise<Demo> {
  const standin = await startStandin();
  const config = loadConfig(
    { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    mkdtempSync(join(tmpdir(), 'fmg-e2e-')),
  );
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const gw = await startGateway(config, createLogger(config.log, sink), standin.url);
  expect(gw.gateway.demo, 'the gateway must run in demo mode to serve /demo/desk/').toBe(true);
  return {
    standin,
    gw,
    logs,
    close: async () => {
      await gw.close();
      await standin.close();
    },
  };
}

export interface DeskOptions {
  /** bootinfo.mcp_gateway as the app's boot_session hook computed it. */
  boot?: unknown;
  /** frappe.boot.versions.frappe, e.g. "16.9.0". */
  version?: string;
  /** The app's bundle as `bench build` makes it: served instead of the ES-module entry. */
  bundle?: string;
  /** Same-origin path the desk posts to (proxy mode), routed to the gateway's /api/v1/chat as nginx would. */
  proxyPath?: string;
}

export interface DeskPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and failed loads. */
  problems: string[];
}

/** A fresh browser profile (own cookie jar) on the demo desk page, ready for input. */
export async function openDesk(browser: Browser, gatewayUrl: string, options: DeskOptions = {}): Promise<DeskPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // Failed loads are reported with their URL by the response listener below.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
      problems.push(`console error: ${msg.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  if (options.boot !== undefined || options.version) {
    await page.addInitScript(
      ({ boot, version }) => {
        const w = window as unknown as Record<string, unknown>;
        if (boot !== undefined) w.__demo_boot__ = boot;
        if (version) w.__demo_frappe_version__ = version;
      },
      { boot: options.boot, version: options.version },
    );
  }
  const bundle = options.bundle;
  if (bundle !== undefined) {
    await page.route('**/demo/desk/js/**', (route) =>
      route.request().url().endsWith('/frappe_mcp_gateway.bundle.js')
        ? route.fulfill({ contentType: 'application/javascript', body: bundle })
        : route.abort(),
    );
  }
  if (options.proxyPath) {
    await page.route(`**${options.proxyPath}/api/v1/chat`, (route) =>
      route.continue({ url: `${gatewayUrl}/api/v1/chat` }),
    );
  }
  await page.goto(`${gatewayUrl}/demo/desk/`);
  await page.waitForFunction(
    () => (window as unknown as { frappe?: { demo?: { ready?: boolean } } }).frappe?.demo?.ready,
  );
  return { context, page, problems };
}

export async function signIn(page: Page, gatewayUrl: string, user: string): Promise<void> {
  await page.getByRole('button', { name: `Sign in as ${user}` }).click();
  await expect.poll(() => page.locator('#demo-session-user').textContent()).toBe(`Signed in as ${user}.`);
  const state = await page.evaluate(() => {
    const f = (window as unknown as { frappe: { csrf_token: string; session: { user: string } } }).frappe;
    return {
      csrf: f.csrf_token,
      user: f.session.user,
      field: (document.getElementById('demo-csrf-token') as HTMLInputElement).value,
    };
  });
  expect(state.user).toBe(user);
  expect(state.csrf).toMatch(/^[0-9a-f]{16,}$/);
  expect(state.field).toBe(state.csrf);
  // The sid is an httpOnly cookie of this origin: the page cannot read it, the browser sends it.
  const sid = (await page.context().cookies(gatewayUrl)).find((c) => c.name === 'sid');
  expect(sid?.httpOnly).toBe(true);
  expect(await page.evaluate(() => document.cookie)).not.toContain('sid=');
}

/** The labels of the Awesome Bar's dropdown after typing `text`. */
export async function typeInAwesomeBar(page: Page, text: string): Promise<string[]> {
  const bar = page.locator('#navbar-search');
  await bar.click();
  await bar.pressSequentially(text, { delay: 5 });
  const items = page.locator('.awesomplete ul[role=listbox] > li');
  await expect.poll(() => items.count()).toBeGreaterThan(0);
  return (await items.locator('a > span:first-child').allTextContents()).map((t) => t.trim());
}

/** Types the question into the Awesome Bar and picks "Ask AI" from the dropdown. */
export async function askFromAwesomeBar(page: Page, question: string): Promise<void> {
  const bar = page.locator('#navbar-search');
  await bar.click();
  await bar.pressSequentially(question, { delay: 5 });
  const items = page.locator('.awesomplete ul[role=listbox] > li');
  // As in the desk: "@ai …" hides the other results; only the bar's own help entry stays below it.
  const label = `Ask AI: ${question.replace(/^@ai\s+/, '')}`;
  await expect
    .poll(async () => (await items.locator('a > span:first-child').allTextContents()).map((t) => t.trim()))
    .toEqual([label, 'Help on Search']);
  // The dropdown re-renders once the debounced input settles; wait for autoFirst to mark the item.
  await expect.poll(() => items.first().getAttribute('aria-selected')).toBe('true');
  await bar.press('Enter');
}

export const answerDialog = (page: Page) => page.locator('.modal.show').filter({ has: page.locator('.mcp-ai-answer') });
