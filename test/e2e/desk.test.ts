// Browser end-to-end (issue #7): headless Chromium drives the demo desk page served by a demo-mode
// gateway in front of the stand-in: sign in as a demo user, type "@ai …" in the Awesome Bar, pick
// "Ask AI", and watch the answer stream into the dialog with the caller's own permissions.
//
// Needs the Debian package `chromium` (/usr/bin/chromium) and the npm package playwright-core.
// Never skipped: without chromium the test fails and says how to install it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPresent, launchChromium, missingChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log/logger.js';
import { startGateway, type RunningGateway } from '../../src/server.js';
import { startStandin, type Standin } from '../../src/standin/index.js';

let standin: Standin;
let gw: RunningGateway;
let browser: Browser;
const logs: string[] = [];

const MISSING_CHROMIUM = missingChromium('the browser E2E test');

beforeAll(async () => {
  // Without chromium, every test below fails with MISSING_CHROMIUM (a failure, never a skip).
  if (!chromiumPresent()) return;
  standin = await startStandin();
  // Demo mode: a config without frappe.url, fronting the stand-in's URL (as `npm start` does).
  const config = loadConfig(
    { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    mkdtempSync(join(tmpdir(), 'fmg-e2e-')),
  );
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  gw = await startGateway(config, createLogger(config.log, sink), standin.url);
  expect(gw.gateway.demo, 'the gateway must run in demo mode to serve /demo/desk/').toBe(true);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await gw?.close();
  await standin?.close();
});

/** A fresh browser profile (own cookie jar) on the demo desk page, ready for input. */
async function openDesk(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  if (!browser) throw new Error(MISSING_CHROMIUM);
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
  await page.goto(`${gw.url}/demo/desk/`);
  await page.waitForFunction(
    () => (window as unknown as { frappe?: { demo?: { ready?: boolean } } }).frappe?.demo?.ready,
  );
  return { context, page, problems };
}

async function signIn(page: Page, user: string): Promise<void> {
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
  const sid = (await page.context().cookies(gw.url)).find((c) => c.name === 'sid');
  expect(sid?.httpOnly).toBe(true);
  expect(await page.evaluate(() => document.cookie)).not.toContain('sid=');
}

/** Types the question into the Awesome Bar and picks "Ask AI" from the dropdown. */
async function askFromAwesomeBar(page: Page, question: string): Promise<void> {
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

const dialog = (page: Page) => page.locator('.modal.show').filter({ has: page.locator('.mcp-ai-answer') });

describe('demo desk in Chromium: @ai in the Awesome Bar against the real gateway', () => {
  it('streams a ranking of the top customers into the dialog for the sales user', async () => {
    const { context, page, problems } = await openDesk();
    try {
      await signIn(page, 'sales@example.com');

      // Watch the wire: the chat request is same-origin, carries the CSRF token, and streams SSE back.
      const chat = page.waitForRequest((r) => r.url().endsWith('/api/v1/chat') && r.method() === 'POST');
      const chatResponse = page.waitForResponse((r) => r.url().endsWith('/api/v1/chat'));
      // If a step below fails first, closing the context rejects these: not an unhandled rejection.
      chat.catch(() => undefined);
      chatResponse.catch(() => undefined);
      await askFromAwesomeBar(page, '@ai show me top 5 customers');
      const request = await chat;
      const headers = await request.allHeaders();
      expect(headers['x-frappe-csrf-token']).toBe(
        await page.evaluate(() => (window as unknown as { frappe: { csrf_token: string } }).frappe.csrf_token),
      );
      expect(headers.accept).toContain('text/event-stream');
      expect(headers.cookie ?? '').toContain('sid=');
      expect(JSON.parse(request.postData() ?? '{}')).toMatchObject({ message: 'show me top 5 customers' });
      const response = await chatResponse;
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain('text/event-stream');

      const d = dialog(page);
      await d.waitFor({ state: 'visible' });
      expect(await d.locator('textarea').inputValue()).toBe('show me top 5 customers');
      // A Sales User may not read invoices: customers are ranked by their submitted Sales Orders (two have some).
      const rows = d.locator('.mcp-ai-table tbody tr');
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
      expect(await d.locator('.mcp-ai-answer').textContent()).toContain('by submitted Sales Orders');
      await expect.poll(() => d.locator('.mcp-ai-status').textContent(), { timeout: 15_000 }).toBe('');
      expect(await d.locator('.mcp-ai-error').textContent()).toBe('');

      // Distinct customers, each a link to its record; following one stays on this page.
      const links = d.locator('.mcp-ai-table tbody tr a[href^="/app/customer/"]');
      expect(await links.count()).toBe(2);
      const names = await links.allTextContents();
      expect(new Set(names)).toEqual(new Set(['Initech', 'Pied Piper']));
      const before = page.url();
      await links.first().click();
      expect(page.url()).toBe(before);
      expect(
        await page.evaluate(() => (window as unknown as { frappe: { demo: { opened: string[] } } }).frappe.demo.opened),
      ).toHaveLength(1);
      // Selecting "Ask AI" never routed the desk.
      expect(
        await page.evaluate(
          () => (window as unknown as { frappe: { demo: { routes: unknown[] } } }).frappe.demo.routes,
        ),
      ).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('places a value named without its field, and refuses a write without reading', async () => {
    const { context, page, problems } = await openDesk();
    try {
      await signIn(page, 'sales@example.com');
      await askFromAwesomeBar(page, '@ai government customers');
      const d = dialog(page);
      await d.waitFor({ state: 'visible' });
      const rows = d.locator('.mcp-ai-table tbody tr');
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(5);
      expect(await d.locator('.mcp-ai-answer').textContent()).toContain('Customers where Customer Group = Government');
      await page.keyboard.press('Escape');
      await d.waitFor({ state: 'hidden' });
      await askFromAwesomeBar(page, '@ai cancel all orders');
      const again = dialog(page);
      await again.waitFor({ state: 'visible' });
      await expect
        .poll(() => again.locator('.mcp-ai-answer').textContent(), { timeout: 15_000 })
        .toMatch(/I only read data here, so I will not cancel anything/);
      expect(await again.locator('.mcp-ai-table tbody tr').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('answers the limited user with a polite refusal and no rows', async () => {
    const { context, page, problems } = await openDesk();
    try {
      await signIn(page, 'limited@example.com');
      await askFromAwesomeBar(page, '@ai show me top 5 customers');
      const d = dialog(page);
      await d.waitFor({ state: 'visible' });
      await expect.poll(() => d.locator('.mcp-ai-status').textContent(), { timeout: 15_000 }).toBe('');
      const text = ((await d.locator('.mcp-ai-answer').textContent()) ?? '').replace(/\s+/g, ' ');
      expect(text).toMatch(/permission|not allowed|cannot|can't|no access|lacks/i);
      expect(text).not.toMatch(/Traceback|Error:|\bat \S+ \(/);
      expect(await d.locator('.mcp-ai-table tbody tr').count()).toBe(0);
      expect(await d.locator('table').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('refuses a chat request whose CSRF token does not belong to the session', async () => {
    const { context, page } = await openDesk();
    try {
      await signIn(page, 'sales@example.com');
      await page.evaluate(() => {
        (window as unknown as { frappe: { csrf_token: string } }).frappe.csrf_token = 'f'.repeat(56);
      });
      await askFromAwesomeBar(page, '@ai show me top 5 customers');
      const d = dialog(page);
      await d.waitFor({ state: 'visible' });
      await expect.poll(() => d.locator('.mcp-ai-error').textContent(), { timeout: 15_000 }).toMatch(/CSRF/);
      expect(await d.locator('.mcp-ai-table tbody tr').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);
});
