// Browser end-to-end (issue #7): headless Chromium drives the demo desk page served by a demo-mode
// gateway in front of the stand-in: sign in as a demo user, type "@ai …" in the Awesome Bar, pick
// "Ask AI", and watch the answer stream into the dialog with the caller's own permissions.
//
// Needs the Debian package `chromium` (/usr/bin/chromium) and the npm package playwright-core.
// Never skipped: without chromium the test fails and says how to install it.
import { type Browser, type Page } from 'playwright-core';
import { chromiumPresent, launchChromium, missingChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/server.js';
import {
  answerDialog,
  askFromAwesomeBar,
  openDesk,
  signIn as signInAs,
  startDemo,
  type Demo,
} from './helpers/desk-page.js';

let demo: Demo;
let gw: RunningGateway;
let browser: Browser;

const MISSING_CHROMIUM = missingChromium('the browser E2E test');

beforeAll(async () => {
  // Without chromium, every test below fails with MISSING_CHROMIUM (a failure, never a skip).
  if (!chromiumPresent()) return;
  demo = await startDemo();
  gw = demo.gw;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

const openDemo = () => {
  if (!browser) throw new Error(MISSING_CHROMIUM);
  return openDesk(browser, gw.url);
};
const signIn = (page: Page, user: string) => signInAs(page, gw.url, user);
const dialog = answerDialog;

describe('demo desk in Chromium: @ai in the Awesome Bar against the real gateway', () => {
  it('streams a ranking of the top customers into the dialog for the sales user', async () => {
    const { context, page, problems } = await openDemo();
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
    const { context, page, problems } = await openDemo();
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
    const { context, page, problems } = await openDemo();
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
      // Frappe's own words, collapsed under the sentence.
      const detail = d.locator('details.mcp-ai-detail');
      expect(await detail.locator('summary').textContent()).toBe('Details');
      expect(await detail.evaluate((n) => (n as HTMLDetailsElement).open)).toBe(false);
      expect((await detail.locator('pre').textContent())?.trim()).not.toBe('');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('refuses a chat request whose CSRF token does not belong to the session', async () => {
    const { context, page } = await openDemo();
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
