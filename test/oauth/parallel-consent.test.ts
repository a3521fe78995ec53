import { afterEach, describe, expect, it } from 'vitest';
import { Browser, register, s256, SALES, startOAuthStack, type OAuthStack } from './helpers.js';

let stack: OAuthStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('consent pages', () => {
  it('let two sign-ins that are open at once in one browser both complete', async () => {
    const s = (stack = await startOAuthStack());
    const browser = new Browser();
    await browser.loginFrappe(s.standin.url, SALES.user, SALES.password);
    const open = async (name: string, redirect: string) => {
      const reg = await register(s, { client_name: name, redirect_uris: [redirect] });
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: reg.body.client_id as string,
        redirect_uri: redirect,
        code_challenge: s256(`verifier-${name}-0123456789012345678901234567890123456789`),
        code_challenge_method: 'S256',
        state: name,
        scope: 'frappe:read frappe:write',
        resource: s.mcpUrl.href,
      });
      const shown = await browser.follow(`${s.url}/authorize?${q.toString()}`, redirect);
      expect(shown.page?.status).toBe(200);
      return { html: shown.page!.html, redirect };
    };
    // Both consent pages are shown before either is answered, as with two clients signing in side by side.
    const first = await open('Desktop', 'http://127.0.0.1:7001/cb');
    const second = await open('Editor', 'http://127.0.0.1:7002/cb');
    const backFirst = await browser.decide(s.url, first.html, 'approve', first.redirect);
    const backSecond = await browser.decide(s.url, second.html, 'approve', second.redirect);
    expect(backFirst.searchParams.get('state')).toBe('Desktop');
    expect(backFirst.searchParams.get('code')).toBeTruthy();
    expect(backSecond.searchParams.get('state')).toBe('Editor');
    expect(backSecond.searchParams.get('code')).toBeTruthy();
  });
});
