// Browser end-to-end on the desk asset the app ships: the bundle built from
// frappe_mcp_gateway.bundle.js as `bench build` builds it (esbuild, one IIFE), loaded into the desk
// page after the desk (the demo page's stub of it), with boot info computed by the app's own Python:
// installed through its install hooks and settings doctype (against the stub `frappe`), then the
// boot_session hook for a user with and without the allowed role. On v15 and v16 routes.
//
// Needs the Debian package `chromium` (/usr/bin/chromium), playwright-core and python3.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/standin/demo.js';
import { deskBundle } from '../frappe_app/helpers/bundle.js';
import { REPO_ROOT } from '../frappe_app/helpers/paths.js';
import { chromiumPresent, launchChromium, missingChromium } from '../helpers/chromium.js';
import {
  answerDialog,
  askFromAwesomeBar,
  openDesk,
  signIn,
  startDemo,
  typeInAwesomeBar,
  type Demo,
  type DeskOptions,
} from './helpers/desk-page.js';

const MISSING_CHROMIUM = missingChromium('the desk bundle browser test');
const WITH_ROLE = 'sales-ai@example.com';
const WITHOUT_ROLE = 'plain@example.com';

let demo: Demo;
let browser: Browser | undefined;
let boot: Record<string, { enabled: boolean; mode: string; path: string; allowed: boolean }>;
let bundle: string;

/** Boot info per user from the app's Python, after installing it and saving its settings. */
function siteBoot(settings: Record<string, unknown>, users: string[]): typeof boot {
  const out = execFileSync(
    'python3',
    [resolve(REPO_ROOT, 'test/e2e/helpers/site_boot.py'), JSON.stringify(settings), ...users],
    { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
  );
  return JSON.parse(out) as typeof boot;
}

beforeAll(async () => {
  boot = siteBoot({ enabled: 1, mode: 'proxy', gateway_path: '/mcp-gateway/' }, [WITH_ROLE, WITHOUT_ROLE]);
  bundle = deskBundle();
  if (!chromiumPresent()) return;
  demo = await startDemo();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

function desk(options: DeskOptions) {
  if (!browser) throw new Error(MISSING_CHROMIUM);
  return openDesk(browser, demo.gw.url, { bundle, proxyPath: '/mcp-gateway', ...options });
}

describe('the shipped desk bundle in Chromium', () => {
  it('gets boot info from the installed app: the role holder may ask, others see nothing', () => {
    expect(boot[WITH_ROLE]).toEqual({ enabled: true, mode: 'proxy', path: '/mcp-gateway', allowed: true });
    expect(boot[WITHOUT_ROLE]?.allowed).toBe(false);
    expect(bundle).not.toMatch(/^\s*(import|export)\s/m); // one classic script, as bench serves it
  });

  it('on v15: streams the top 5 customers through the proxy path, with links into /app', async () => {
    const { context, page, problems } = await desk({ boot: boot[WITH_ROLE], version: '15.75.0' });
    try {
      await signIn(page, demo.gw.url, DEMO_USERS.sales.user);
      expect(
        await page.evaluate(
          () =>
            (window as unknown as { frappe: { mcp_gateway: { install_result: string } } }).frappe.mcp_gateway
              .install_result,
        ),
      ).toBe('awesomebar');
      const chat = page.waitForRequest((r) => r.url().endsWith('/mcp-gateway/api/v1/chat'));
      chat.catch(() => undefined);
      await askFromAwesomeBar(page, '@ai show me top 5 customers');
      expect((await (await chat).allHeaders())['x-frappe-csrf-token']).toMatch(/^[0-9a-f]{16,}$/);
      const d = answerDialog(page);
      await d.waitFor({ state: 'visible' });
      const links = d.locator('.mcp-ai-table tbody tr a.mcp-ai-link[href^="/app/customer/"]');
      await expect.poll(() => links.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
      // Links look like links.
      const style = await links.first().evaluate((a) => getComputedStyle(a).textDecorationLine);
      expect(style).toContain('underline');
      expect(await d.locator('.mcp-ai-error').textContent()).toBe('');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('on v16: formats amounts and dates as the desk does, and links records and customers into /desk', async () => {
    const { context, page, problems } = await desk({ boot: boot[WITH_ROLE], version: '16.9.0' });
    try {
      await signIn(page, demo.gw.url, DEMO_USERS.sales.user);
      await askFromAwesomeBar(page, '@ai show me 5 sales orders');
      const d = answerDialog(page);
      await d.waitFor({ state: 'visible' });
      const rows = d.locator('.mcp-ai-table tbody tr');
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      const headers = (await d.locator('.mcp-ai-table thead th').allTextContents()).map((h) => h.trim());
      const cells = (await rows.first().locator('td').allTextContents()).map((c) => c.trim());
      const cell = (label: string) => cells[headers.indexOf(label)]!;
      expect(cell('Grand Total')).toMatch(/^\$ \d{1,3}(,\d{3})*\.\d{2}$/); // "$ 1,234.00", not "1234"
      expect(cell('Transaction Date')).toMatch(/^\d{2}-\d{2}-\d{4}$/); // the desk's date format
      expect(await rows.first().locator('a[href^="/desk/sales-order/"]').count()).toBe(1);
      expect(await rows.first().locator('a[href^="/desk/customer/"]').count()).toBe(1);
      expect(await d.locator('a[href^="/app/"]').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows no "Ask AI" to a user without the role', async () => {
    const { context, page } = await desk({ boot: boot[WITHOUT_ROLE] });
    try {
      await signIn(page, demo.gw.url, DEMO_USERS.sales.user);
      const labels = await typeInAwesomeBar(page, '@ai top customers');
      expect(labels.some((l) => l.startsWith('Ask AI'))).toBe(false);
      expect(labels[0]).toBe('Search for @ai top customers');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('explains an unreachable gateway in a sentence, with the detail collapsed', async () => {
    const { context, page } = await desk({ boot: boot[WITH_ROLE], proxyPath: '/nowhere' });
    try {
      await page.route('**/mcp-gateway/api/v1/chat', (route) =>
        route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' }),
      );
      await signIn(page, demo.gw.url, DEMO_USERS.sales.user);
      await askFromAwesomeBar(page, '@ai show me top 5 customers');
      const d = answerDialog(page);
      const message = d.locator('.mcp-ai-error-message');
      await expect
        .poll(() => message.textContent(), { timeout: 15_000 })
        .toBe('The AI service is not reachable right now. Try again in a minute, or tell your administrator.');
      const detail = d.locator('.mcp-ai-error details pre');
      expect(await detail.isVisible()).toBe(false);
      await d.locator('.mcp-ai-error details summary').click();
      expect(await detail.textContent()).toBe('HTTP 502 (/mcp-gateway/api/v1/chat)');
    } finally {
      await context.close();
    }
  }, 60_000);
});
