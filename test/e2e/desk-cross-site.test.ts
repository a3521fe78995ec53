// Cross-site mode in Chromium: the desk page lives on the Frappe site's origin (the stand-in's,
// http://127.0.0.1:<frappe>) and the gateway on another site (http://localhost:<gateway>). The shipped
// bundle signs the user in through the gateway's OAuth facade — in a hidden frame, else in a pop-up
// after a click on "Sign in" — and streams the answer from the gateway with CORS and the token alone.
//
// Needs the Debian package `chromium` (/usr/bin/chromium) and playwright-core.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/standin/demo.js';
import { startStandin, type Standin } from '../../src/standin/index.js';
import { deskBundle } from '../frappe_app/helpers/bundle.js';
import { REPO_ROOT } from '../frappe_app/helpers/paths.js';
import { chromiumPresent, launchChromium, missingChromium } from '../helpers/chromium.js';
import { startFront, type Front } from '../helpers/front.js';
import { FRAPPE_CLIENT, startOAuthStack, type OAuthStack } from '../oauth/helpers.js';
import { answerDialog, askFromAwesomeBar } from './helpers/desk-page.js';

const MISSING_CHROMIUM = missingChromium('the cross-site browser test');
const DEMO = resolve(REPO_ROOT, 'src/demo/desk');
const PUBLIC = resolve(REPO_ROOT, 'frappe_app/frappe_mcp_gateway/public');

let standin: Standin;
/** The Frappe site: the stand-in behind a front that serves the desk page and the app's files, as bench's nginx. */
let site: Front;
let stack: OAuthStack;
let gatewayUrl: string;
let browser: Browser | undefined;

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

beforeAll(async () => {
  if (!chromiumPresent()) return;
  standin = await startStandin();
  site = await startFront(standin.url, { files: siteFiles() });
  const port = await freePort();
  gatewayUrl = `http://localhost:${port}`;
  // The gateway knows Frappe by the site's address (FRAPPE_URL), as in production.
  const frappe = Object.create(standin, { url: { value: site.url } }) as Standin;
  stack = await startOAuthStack(
    { PUBLIC_URL: gatewayUrl, OAUTH_PUBLIC_CLIENT_ORIGINS: site.url },
    {},
    { standin: frappe, port },
  );
  // The gateway's Frappe OAuth client sends users back to the gateway's public address.
  const client = standin.state.oauth.clients.get(FRAPPE_CLIENT.id)!;
  client.redirectUris = [...client.redirectUris, `${gatewayUrl}/oauth/callback`];
  // "localhost" must reach the gateway on 127.0.0.1 (not ::1): another site for the browser, same socket.
  // Chromium's local-network checks would also stop a page on one loopback name calling another; in
  // production both the site and the gateway are public https addresses, which they never concern.
  browser = await launchChromium([
    '--host-resolver-rules=MAP localhost 127.0.0.1',
    '--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults',
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await site?.close();
  await standin?.close();
});

/** What bench would serve itself: the desk page (the demo's stub of it), the app's bundle as bench builds it, and its public files. */
function siteFiles(): Record<string, [string, string]> {
  const js = 'application/javascript';
  return {
    '/app/ask-ai-demo': ['text/html', readFileSync(resolve(DEMO, 'index.html'), 'utf8')],
    '/demo/desk/frappe-stub.js': [js, readFileSync(resolve(DEMO, 'frappe-stub.js'), 'utf8')],
    '/demo/desk/js/frappe_mcp_gateway.bundle.js': [js, deskBundle()],
    '/assets/frappe_mcp_gateway/oauth-callback.html': [
      'text/html',
      readFileSync(resolve(PUBLIC, 'oauth-callback.html'), 'utf8'),
    ],
    '/assets/frappe_mcp_gateway/js/oauth_callback.js': [
      js,
      readFileSync(resolve(PUBLIC, 'js/oauth_callback.js'), 'utf8'),
    ],
  };
}

/** The desk page on the site's origin, with the app's boot info for cross-site mode. */
async function openSiteDesk(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.addInitScript(
    (boot) => {
      (window as unknown as Record<string, unknown>).__demo_boot__ = boot;
    },
    { enabled: true, allowed: true, mode: 'cross-site', path: '', url: gatewayUrl },
  );
  await page.goto(`${site.url}/app/ask-ai-demo`);
  await page.waitForFunction(
    () => (window as unknown as { frappe?: { demo?: { ready?: boolean } } }).frappe?.demo?.ready,
  );
  return { page, problems };
}

describe('cross-site mode in Chromium', () => {
  it('signs in (pop-up and consent the first time, silently after), then streams answers from the gateway', async () => {
    if (!browser) throw new Error(MISSING_CHROMIUM);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      // The user is signed in to Frappe (the site), as on the desk.
      const login = await context.request.post(`${site.url}/api/method/login`, {
        data: { usr: DEMO_USERS.sales.user, pwd: DEMO_USERS.sales.password },
      });
      expect(login.status()).toBe(200);
      const { page, problems } = await openSiteDesk(context);
      const chatRequests: Request[] = [];
      context.on('request', (r) => {
        if (r.url() === `${gatewayUrl}/api/v1/chat` && r.method() === 'POST') chatRequests.push(r);
      });
      const chatHeaders = () => Promise.all(chatRequests.map((r) => r.allHeaders()));

      // First use: consent is not given yet, so the hidden frame cannot finish; the dialog offers "Sign in".
      await askFromAwesomeBar(page, '@ai show me top 5 customers');
      const d = answerDialog(page);
      await d.waitFor({ state: 'visible' });
      const signIn = d.locator('.mcp-ai-sign-in');
      await signIn.waitFor({ state: 'visible', timeout: 20_000 });
      const popupOpened = context.waitForEvent('page');
      await signIn.click();
      const popup = await popupOpened;
      // The gateway's consent page, once; the pop-up then returns to the site and closes itself.
      await popup.getByRole('button', { name: 'Allow' }).click();
      const rows = d.locator('.mcp-ai-table tbody tr');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(5);
      expect(popup.isClosed()).toBe(true);
      expect(await d.locator('.mcp-ai-error').textContent()).toBe('');

      // The chat went to the gateway's origin with the token only: no cookie, no CSRF token.
      const chats = await chatHeaders();
      expect(chats).toHaveLength(1);
      expect(chats[0]!.authorization).toMatch(/^Bearer \S+$/);
      expect(chats[0]!.cookie).toBeUndefined();
      expect(chats[0]!['x-frappe-csrf-token']).toBeUndefined();
      expect(chats[0]!.origin).toBe(site.url);
      // Nothing of the token in the page's storage or URL.
      const token = chats[0]!.authorization!.slice(7);
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + document.cookie + location.href);
      expect(stored).not.toContain(token);

      // A reload forgets the token; the next question signs in silently (consent remembered): no pop-up.
      let popups = 0;
      context.on('page', () => popups++);
      await page.reload();
      await page.waitForFunction(
        () => (window as unknown as { frappe?: { demo?: { ready?: boolean } } }).frappe?.demo?.ready,
      );
      await askFromAwesomeBar(page, '@ai show me top 5 customers');
      const again = answerDialog(page);
      await expect.poll(() => again.locator('.mcp-ai-table tbody tr').count(), { timeout: 20_000 }).toBe(5);
      expect(popups).toBe(0);
      const both = await chatHeaders();
      expect(both).toHaveLength(2);
      expect(both[1]!.authorization).not.toBe(both[0]!.authorization);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
