// The consent page in a real browser (issue #5): headless Chromium goes /authorize → the Frappe login page
// (signing in the way its login script does, with POST /api/method/login) → Frappe's authorize → our
// /oauth/callback → our consent page, which must name the client, the redirect URI, the scopes and the
// Frappe user and refuse framing; "Allow" must bring the browser back to the client with code, state and
// iss. A cross-site form POST to /oauth/consent, or one missing the page's CSRF field or cookie, must be
// refused and must issue no code.
//
// Needs the Debian package `chromium` (/usr/bin/chromium) and the npm package playwright-core.
// Never skipped: without chromium the tests fail and say how to install it.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPresent, launchChromium, missingChromium } from '../helpers/chromium.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { esc } from '../../src/oauth/pages.js';
import { consentCookieName } from '../../src/oauth/router.js';
import { postForm, register, s256, SALES, startOAuthStack, type OAuthStack } from './helpers.js';

const MISSING_CHROMIUM = missingChromium('the consent-page browser test');
const CLIENT_NAME = 'Consent Browser Client';

/** A small HTTP server on a loopback address; records every request. */
interface Site {
  origin: string;
  hits: URL[];
  close(): Promise<void>;
}

async function site(host: string, handler: (req: IncomingMessage, url: URL) => string): Promise<Site> {
  const hits: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    hits.push(url);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(handler(req, url));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let browser: Browser | undefined;
/** The MCP client's loopback redirect target. */
let client: Site;
/** Another site (127.0.0.2 is a different site from 127.0.0.1): serves whatever form or frame a test puts in `evilHtml`. */
let evil: Site;
let evilHtml = '';
let stack: OAuthStack | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  client = await site('127.0.0.1', () => '<!doctype html><title>Signed in</title><p>You can close this window.</p>');
  evil = await site('127.0.0.2', () => evilHtml);
  // Without chromium, every test below fails with MISSING_CHROMIUM (a failure, never a skip).
  if (!chromiumPresent()) return;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await client?.close();
  await evil?.close();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  await stack?.close();
  stack = undefined;
  client.hits.length = 0;
  evil.hits.length = 0;
  evilHtml = '';
});

interface Consent {
  s: OAuthStack;
  page: Page;
  clientId: string;
  redirect: string;
  verifier: string;
  state: string;
  /** The consent page's response headers. */
  headers: Record<string, string>;
  consentId: string;
  csrf: string;
}

/** A fresh browser profile signs in to Frappe on the way and stops on our consent page. */
async function openConsent(): Promise<Consent> {
  if (!browser) throw new Error(MISSING_CHROMIUM);
  stack = await startOAuthStack();
  const s = stack;
  const redirect = `${client.origin}/callback`;
  const reg = await register(s, {
    client_name: CLIENT_NAME,
    redirect_uris: [redirect],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  });
  expect(reg.status).toBe(201);
  const clientId = reg.body.client_id as string;
  const verifier = randomBytes(32).toString('base64url');
  const state = `st-${randomBytes(6).toString('hex')}`;
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirect,
    code_challenge: s256(verifier),
    code_challenge_method: 'S256',
    state,
    scope: 'frappe:read frappe:write',
    resource: s.mcpUrl.href,
  });
  context = await browser.newContext();
  const page = await context.newPage();

  // Not signed in to Frappe: our /authorize sends the browser to Frappe, which shows its login page.
  await page.goto(`${s.url}/authorize?${q.toString()}`);
  const login = new URL(page.url());
  expect(login.origin + login.pathname).toBe(`${s.standin.url}/login`);
  const back = login.searchParams.get('redirect-to');
  expect(back).toContain('/api/method/frappe.integrations.oauth2.authorize?');
  // Every Frappe answer sets cookies, the Guest's too: let the login page's own loads (its favicon) finish
  // first, or a late Guest answer can overwrite the sid that the sign-in below sets.
  await page.waitForLoadState('networkidle');
  // Sign in as Frappe's login page script does (XHR to /api/method/login), then go to redirect-to.
  const status = await page.evaluate(
    async ([usr, pwd]) => {
      const res = await fetch('/api/method/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ usr, pwd }),
      });
      return res.status;
    },
    [SALES.user, SALES.password] as const,
  );
  expect(status).toBe(200);
  const signedIn = await context.cookies(s.standin.url);
  expect(signedIn.find((k) => k.name === 'user_id')?.value).toBe(encodeURIComponent(SALES.user));
  const shown = await page.goto(back!);
  expect(shown, 'no response for the consent page').not.toBeNull();
  expect(shown!.status()).toBe(200);
  expect(new URL(page.url()).origin + new URL(page.url()).pathname).toBe(`${s.url}/oauth/callback`);
  const consentId = await page.locator('form input[name="consent"]').getAttribute('value');
  const csrf = await page.locator('form input[name="csrf"]').getAttribute('value');
  expect(consentId).toBeTruthy();
  expect(csrf).toBeTruthy();
  return {
    s,
    page,
    clientId,
    redirect,
    verifier,
    state,
    headers: await shown!.allHeaders(),
    consentId: consentId!,
    csrf: csrf!,
  };
}

/** Clicks "Allow" or "Deny" and returns the URL the browser was sent to (the client's redirect URI). */
async function answer(c: Consent, button: 'Allow' | 'Deny'): Promise<URL> {
  const seen: string[] = [];
  c.page.on('console', (m) => seen.push(`console ${m.type()}: ${m.text()}`));
  c.page.on('response', (r) =>
    seen.push(`${r.request().method()} ${r.url()} -> ${r.status()} ${r.headers().location ?? ''}`),
  );
  c.page.on('requestfailed', (r) => seen.push(`failed ${r.url()}: ${r.failure()?.errorText}`));
  const reached = c.page.waitForRequest((r) => r.url().startsWith(c.redirect), { timeout: 10_000 });
  await c.page.getByRole('button', { name: button }).click();
  const req = await reached.catch((err: Error) => {
    const log = c.s.logs.filter((l) => /oauth consent (given|denied)/.test(l)).map((l) => JSON.parse(l).msg as string);
    throw new Error(
      `"${button}" never brought the browser to ${c.redirect}: ${err.message}\n${seen.join('\n')}\n` +
        `gateway log meanwhile: ${JSON.stringify(log)}`,
    );
  });
  await c.page.waitForLoadState();
  return new URL(req.url());
}

/** The code is good at /token with the PKCE verifier: proof that a code, not just a URL, came back. */
async function redeem(c: Consent, code: string): Promise<void> {
  const t = await postForm(`${c.s.url}/token`, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: c.redirect,
    client_id: c.clientId,
    code_verifier: c.verifier,
    resource: c.s.mcpUrl.href,
  });
  expect(t.status, JSON.stringify(t.body)).toBe(200);
  expect(t.body.access_token).toMatch(/^fmcp_at_/);
}

const consentGiven = (s: OAuthStack): number => s.logs.filter((l) => l.includes('oauth consent given')).length;

describe('OAuth consent page in headless Chromium', () => {
  it('names the client, redirect URI, scopes and user, refuses framing, and "Allow" returns code, state and iss', async () => {
    const c = await openConsent();
    const text = await c.page.locator('body').innerText();
    expect(text).toContain(CLIENT_NAME);
    expect(text).toContain(c.redirect);
    expect(text).toContain('frappe:read');
    expect(text).toContain('frappe:write');
    expect(text).toContain(SALES.user);
    expect(text).toContain(c.clientId);
    expect(await c.page.getByRole('button', { name: 'Allow' }).isVisible()).toBe(true);
    expect(await c.page.getByRole('button', { name: 'Deny' }).isVisible()).toBe(true);
    expect(c.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(c.headers['x-frame-options']).toBe('DENY');
    expect(c.headers['cache-control']).toContain('no-store');
    // The consent cookie is HttpOnly and SameSite=Strict.
    const cookies = await context!.cookies(c.s.url);
    const consentCookie = cookies.find((k) => k.name === consentCookieName(c.consentId, false));
    expect(consentCookie).toMatchObject({ value: c.csrf, httpOnly: true, sameSite: 'Strict' });

    // Another site cannot frame a page of ours (same headers as the consent page): Chromium blocks it.
    evilHtml = `<!doctype html><title>frame</title><iframe id="f" src="${esc(c.s.url)}/authorize"></iframe>`;
    const other = await context!.newPage();
    const framed = other.waitForEvent('console', {
      predicate: (m) => /frame-ancestors|Refused to display|X-Frame-Options/i.test(m.text()),
      timeout: 10_000,
    });
    await other.goto(`${evil.origin}/frame`);
    expect((await framed).text()).toMatch(/frame-ancestors 'none'|X-Frame-Options/);
    const frame = other.frames().find((f) => f !== other.mainFrame());
    expect(frame?.url()).not.toContain(c.s.url);
    expect(await frame?.content().catch(() => '')).not.toContain('Sign-in problem');
    await other.close();

    const back = await answer(c, 'Allow');
    expect(back.origin + back.pathname).toBe(c.redirect);
    expect(back.searchParams.get('code')).toMatch(/^fmcp_ac_/);
    expect(back.searchParams.get('state')).toBe(c.state);
    expect(back.searchParams.get('iss')).toBe(c.s.url);
    expect(back.searchParams.get('error')).toBeNull();
    expect(client.hits.map((u) => u.pathname)).toEqual(['/callback']);
    await redeem(c, back.searchParams.get('code')!);
  });

  it('refuses a cross-site POST and POSTs without the CSRF field or cookie, issuing no code', async () => {
    const c = await openConsent();
    const consentUrl = `${c.s.url}/oauth/consent`;
    const before = consentGiven(c.s);

    // 1. Cross-site: a page on another site auto-submits the consent form, even knowing the consent id and
    //    the CSRF value. The SameSite=Strict cookie is not sent, so the gateway refuses.
    evilHtml =
      '<!doctype html><title>win a prize</title>' +
      `<form id="f" method="post" action="${esc(consentUrl)}">` +
      `<input type="hidden" name="consent" value="${esc(c.consentId)}">` +
      `<input type="hidden" name="csrf" value="${esc(c.csrf)}">` +
      '<input type="hidden" name="decision" value="approve"></form>' +
      '<script>document.getElementById("f").submit()</script>';
    const attacker = await context!.newPage();
    const refused = attacker.waitForResponse((r) => r.url() === consentUrl, { timeout: 15_000 });
    await attacker.goto(`${evil.origin}/prize`);
    const res = await refused;
    expect(res.request().method()).toBe('POST');
    expect(res.request().headers().origin ?? '').toBe(evil.origin);
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain('CSRF check failed');
    expect(res.headers().location).toBeUndefined();
    await attacker.close();
    // ... and its refusal must not end the user's own pending consent (a cross-site page could otherwise
    // spoil every sign-in it can predict): the consent cookie is still in the user's browser.
    const jar = await context!.cookies(c.s.url);
    expect(
      jar.find((k) => k.name === consentCookieName(c.consentId, false))?.value,
      'the refused cross-site POST cleared the user’s consent cookie',
    ).toBe(c.csrf);

    // 2. Same POSTs without the browser: the page's CSRF field but no cookie, the cookie but no field,
    //    and the cookie with another value in the field.
    const cookie = `${consentCookieName(c.consentId, false)}=${c.csrf}`;
    const attempts: { name: string; headers: Record<string, string>; form: Record<string, string> }[] = [
      { name: 'no cookie', headers: {}, form: { consent: c.consentId, csrf: c.csrf, decision: 'approve' } },
      { name: 'no csrf field', headers: { Cookie: cookie }, form: { consent: c.consentId, decision: 'approve' } },
      {
        name: 'wrong csrf field',
        headers: { Cookie: cookie },
        form: { consent: c.consentId, csrf: randomBytes(24).toString('base64url'), decision: 'approve' },
      },
      {
        name: 'cookie and field equal but not this consent’s',
        headers: { Cookie: `${consentCookieName(c.consentId, false)}=forged` },
        form: { consent: c.consentId, csrf: 'forged', decision: 'approve' },
      },
    ];
    for (const a of attempts) {
      const r = await fetch(consentUrl, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...a.headers },
        body: new URLSearchParams(a.form).toString(),
      });
      const body = await r.text();
      expect([400, 403], `${a.name}: ${r.status} ${body}`).toContain(r.status);
      expect(r.headers.get('location'), a.name).toBeNull();
    }

    // No code was issued, nothing reached the client, no consent was recorded.
    expect(client.hits).toEqual([]);
    expect(consentGiven(c.s)).toBe(before);

    // The refused attempts did not spoil the real one: the user's own click still works.
    const back = await answer(c, 'Allow');
    expect(back.searchParams.get('code')).toMatch(/^fmcp_ac_/);
    expect(back.searchParams.get('state')).toBe(c.state);
    expect(back.searchParams.get('iss')).toBe(c.s.url);
    expect(consentGiven(c.s)).toBe(before + 1);
    await redeem(c, back.searchParams.get('code')!);
  });

  it('"Deny" returns access_denied with state and iss, issues no code and revokes the Frappe token', async () => {
    const c = await openConsent();
    // The Frappe token the gateway got for this sign-in (it used it to learn the user).
    const frappeTokens = c.s.standin.requests
      .map((r) => String(r.headers.authorization ?? ''))
      .filter((h) => h.startsWith('Bearer '))
      .map((h) => h.slice(7));
    for (const t of frappeTokens) expect(c.s.standin.state.oauth.bearerUser(t)).toBe(SALES.user);
    const back = await answer(c, 'Deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('code')).toBeNull();
    expect(back.searchParams.get('state')).toBe(c.state);
    expect(back.searchParams.get('iss')).toBe(c.s.url);
    expect(consentGiven(c.s)).toBe(0);
    expect(frappeTokens.length).toBeGreaterThan(0);
    for (const t of frappeTokens) expect(c.s.standin.state.oauth.bearerUser(t)).toBeUndefined();
  });
});
