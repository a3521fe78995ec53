import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, manualCode, postForm, register, s256, SALES, startOAuthStack, type OAuthStack } from './helpers.js';

/** What an address that never signs in can make the gateway store (security review, "medium"). */
const VERIFIER = 'b'.repeat(20) + '-verifier-0123456789abcdefghij';
let clock = Date.now();
let s: OAuthStack;

beforeAll(async () => {
  s = await startOAuthStack({ OAUTH_PENDING_PER_IP: '3' }, { oauth: { now: () => clock } });
});
afterAll(async () => {
  await s.close();
});

function authorizeUrl(clientId: string, redirect: string, state = 'st-1'): string {
  return `${s.url}/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirect,
    code_challenge: s256(VERIFIER),
    code_challenge_method: 'S256',
    state,
  }).toString()}`;
}

describe('registration is bounded', () => {
  it('refuses a 32 KB redirect URI (the request that grew the store)', async () => {
    const res = await register(s, {
      client_name: 'big',
      redirect_uris: [`http://127.0.0.1:9999/cb?${'a'.repeat(32_000)}`],
    });
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_redirect_uri' } });
    expect(res.body.error_description).toMatch(/at most 1024 characters/);
  });

  it('refuses more than 10 redirect URIs', async () => {
    const uris = Array.from({ length: 11 }, (_, i) => `http://127.0.0.1:9999/cb${i}`);
    expect((await register(s, { redirect_uris: uris })).status).toBe(400);
  });

  it('a client that never completes a sign-in is forgotten within a day; one that did is kept', async () => {
    const idle = await register(s, { client_name: 'Idle', redirect_uris: ['http://127.0.0.1:9999/cb'] });
    const used = await register(s, { client_name: 'Used', redirect_uris: ['http://127.0.0.1:9999/cb'] });
    const usedClient = { clientId: used.body.client_id as string, redirect: 'http://127.0.0.1:9999/cb' };
    const code = await manualCode(s, usedClient, VERIFIER);
    const t = await postForm(`${s.url}/token`, {
      grant_type: 'authorization_code',
      code,
      code_verifier: VERIFIER,
      redirect_uri: usedClient.redirect,
      client_id: usedClient.clientId,
    });
    expect(t.status).toBe(200);
    clock += 25 * 3_600_000;
    const idleAuth = await fetch(authorizeUrl(idle.body.client_id as string, 'http://127.0.0.1:9999/cb'), {
      redirect: 'manual',
    });
    expect(idleAuth.status).toBe(400);
    expect(await idleAuth.text()).toMatch(/not registered/);
    const refreshed = await postForm(`${s.url}/token`, {
      grant_type: 'refresh_token',
      refresh_token: t.body.refresh_token as string,
      client_id: usedClient.clientId,
    });
    expect(refreshed.status).toBe(200);
  });
});

describe('unsigned pending authorizations are short-lived and capped per address', () => {
  it('the fourth waiting sign-in from one address gets 429; a returning one frees its slot; all expire in 10 minutes', async () => {
    const reg = await register(s, { client_name: 'Pending', redirect_uris: ['http://127.0.0.1:9999/cb'] });
    const id = reg.body.client_id as string;
    const starts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(authorizeUrl(id, 'http://127.0.0.1:9999/cb', `s${i}`), { redirect: 'manual' });
      expect(res.status).toBe(302);
      starts.push(res.headers.get('location')!);
      expect(starts[i]).toContain(s.standin.url);
    }
    const refused = await fetch(authorizeUrl(id, 'http://127.0.0.1:9999/cb'), { redirect: 'manual' });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toMatch(/Too many sign-ins are waiting/);

    // One user finishes the Frappe login: the gateway shows its consent page and the slot is free again.
    const b = new Browser();
    await b.loginFrappe(s.standin.url, SALES.user, SALES.password);
    const shown = await b.follow(starts[0]!, 'http://127.0.0.1:9999/cb');
    expect(shown.page?.status).toBe(200);
    const again = await fetch(authorizeUrl(id, 'http://127.0.0.1:9999/cb'), { redirect: 'manual' });
    expect(again.status).toBe(302);

    // The others were never signed: ten minutes later they are gone, and so are their slots.
    clock += 11 * 60_000;
    const late = await b.follow(starts[1]!, 'http://127.0.0.1:9999/cb');
    expect(late.page?.status).toBe(400);
    expect(late.page?.html).toMatch(/expired or was already used/);
    for (let i = 0; i < 3; i++)
      expect((await fetch(authorizeUrl(id, 'http://127.0.0.1:9999/cb'), { redirect: 'manual' })).status).toBe(302);
  });

  it('refuses an oversized state instead of storing it', async () => {
    const reg = await register(s, { redirect_uris: ['http://127.0.0.1:9999/cb'] });
    const res = await fetch(authorizeUrl(reg.body.client_id as string, 'http://127.0.0.1:9999/cb', 'x'.repeat(5000)), {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });
});
