import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  manualCode,
  postForm,
  register,
  startOAuthStack,
  whoamiWithToken,
  type ManualClient,
  type OAuthStack,
} from './helpers.js';

const VERIFIER = 'v'.repeat(20) + '-verifier-0123456789abcdefghij';
let clock = Date.now();
let s: OAuthStack;
let client: ManualClient;

beforeAll(async () => {
  s = await startOAuthStack({}, { oauth: { now: () => clock } });
  const reg = await register(s, { client_name: 'Manual', redirect_uris: ['http://127.0.0.1:9999/cb'] });
  expect(reg.status).toBe(201);
  client = { clientId: reg.body.client_id as string, redirect: 'http://127.0.0.1:9999/cb' };
});
afterAll(async () => {
  await s.close();
});

function exchange(code: string, over: Record<string, string> = {}) {
  return postForm(`${s.url}/token`, {
    grant_type: 'authorization_code',
    code,
    code_verifier: VERIFIER,
    redirect_uri: client.redirect,
    client_id: client.clientId,
    resource: s.mcpUrl.href,
    ...over,
  });
}

describe('OAuth facade refusals', () => {
  it('a wrong code_verifier → invalid_grant, and the code is burnt', async () => {
    const code = await manualCode(s, client, VERIFIER);
    const bad = await exchange(code, { code_verifier: 'x'.repeat(50) });
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await exchange(code)).body.error).toBe('invalid_grant');
  });

  it('a missing code_verifier → invalid_request (PKCE is mandatory)', async () => {
    const code = await manualCode(s, client, VERIFIER);
    const { code_verifier: _v, ...rest } = { code_verifier: '' };
    void rest;
    const res = await postForm(`${s.url}/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirect,
      client_id: client.clientId,
    });
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('/authorize without PKCE or with plain PKCE is refused back to the client', async () => {
    const res = await fetch(
      `${s.url}/authorize?${new URLSearchParams({ response_type: 'code', client_id: client.clientId, redirect_uri: client.redirect, state: 'x' }).toString()}`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.searchParams.get('error')).toBe('invalid_request');
    expect(to.searchParams.get('state')).toBe('x');
    expect(to.searchParams.get('iss')).toBe(s.url);
  });

  it('a reused code → invalid_grant, and the tokens issued for it are revoked', async () => {
    const code = await manualCode(s, client, VERIFIER);
    const ok = await exchange(code);
    expect(ok.status).toBe(200);
    expect((await whoamiWithToken(s, ok.body.access_token as string)).status).toBe(200);
    const again = await exchange(code);
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await whoamiWithToken(s, ok.body.access_token as string)).status).toBe(401);
  });

  it('a redirect_uri mismatch: refused at /authorize (no redirect) and at /token', async () => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: 'https://evil.example.com/cb',
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
    });
    const page = await fetch(`${s.url}/authorize?${q.toString()}`, { redirect: 'manual' });
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const code = await manualCode(s, client, VERIFIER);
    const res = await exchange(code, { redirect_uri: 'http://127.0.0.1:9999/other' });
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('a foreign resource → invalid_target at /authorize and at /token', async () => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: client.redirect,
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
      resource: 'https://other.example.com/mcp',
    });
    const res = await fetch(`${s.url}/authorize?${q.toString()}`, { redirect: 'manual' });
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_target');
    const code = await manualCode(s, client, VERIFIER);
    const t = await exchange(code, { resource: 'https://other.example.com/mcp' });
    expect(t).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
    // Slash and case tolerance for our own resource.
    const code2 = await manualCode(s, client, VERIFIER);
    const ok = await exchange(code2, { resource: s.mcpUrl.href.replace('http://', 'HTTP://') + '/' });
    expect(ok.status).toBe(200);
  });

  it('an expired access token → 401 invalid_token with the challenge; refresh still works', async () => {
    const code = await manualCode(s, client, VERIFIER);
    const t = await exchange(code);
    expect((await whoamiWithToken(s, t.body.access_token as string)).status).toBe(200);
    clock += 16 * 60 * 1000;
    const r = await whoamiWithToken(s, t.body.access_token as string);
    expect(r.status).toBe(401);
    expect(r.challenge).toContain('error="invalid_token"');
    expect(r.challenge).toContain('resource_metadata=');
    const refreshed = await postForm(`${s.url}/token`, {
      grant_type: 'refresh_token',
      refresh_token: t.body.refresh_token as string,
      client_id: client.clientId,
    });
    expect(refreshed.status).toBe(200);
    expect((await whoamiWithToken(s, refreshed.body.access_token as string)).status).toBe(200);
  });

  it('refresh-token reuse → invalid_grant and the whole family is revoked', async () => {
    const code = await manualCode(s, client, VERIFIER);
    const t = await exchange(code);
    const r1 = await postForm(`${s.url}/token`, {
      grant_type: 'refresh_token',
      refresh_token: t.body.refresh_token as string,
      client_id: client.clientId,
    });
    expect(r1.status).toBe(200);
    const reuse = await postForm(`${s.url}/token`, {
      grant_type: 'refresh_token',
      refresh_token: t.body.refresh_token as string,
      client_id: client.clientId,
    });
    expect(reuse).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await whoamiWithToken(s, r1.body.access_token as string)).status).toBe(401);
    const r2 = await postForm(`${s.url}/token`, {
      grant_type: 'refresh_token',
      refresh_token: r1.body.refresh_token as string,
      client_id: client.clientId,
    });
    expect(r2.body.error).toBe('invalid_grant');
  });

  it('an unknown client at /token → 401 invalid_client (so Claude re-registers)', async () => {
    const res = await postForm(`${s.url}/token`, {
      grant_type: 'refresh_token',
      refresh_token: 'fmcp_rt_nope',
      client_id: 'fmcp_c_unknown',
    });
    expect(res).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('a JSON body at /token is refused with invalid_request', async () => {
    const res = await fetch(`${s.url}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('a denied consent sends access_denied back and revokes the Frappe token', async () => {
    const { Browser, s256 } = await import('./helpers.js');
    const b = new Browser();
    await b.loginFrappe(s.standin.url, 'limited@example.com', 'Limited#Pass2024');
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: client.redirect,
      code_challenge: s256(VERIFIER),
      code_challenge_method: 'S256',
      state: 'd',
    });
    const shown = await b.follow(`${s.url}/authorize?${q.toString()}`, client.redirect);
    expect(shown.page?.html).toContain('limited@example.com');
    const back = await b.decide(s.url, shown.page!.html, 'deny', client.redirect);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('d');
  });

  it('the consent form without its cookie (CSRF) is refused', async () => {
    const { Browser, s256 } = await import('./helpers.js');
    const b = new Browser();
    await b.loginFrappe(s.standin.url, 'limited@example.com', 'Limited#Pass2024');
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: client.redirect,
      code_challenge: s256(VERIFIER),
      code_challenge_method: 'S256',
    });
    const shown = await b.follow(`${s.url}/authorize?${q.toString()}`, client.redirect);
    const field = (n: string) => new RegExp(`name="${n}" value="([^"]+)"`).exec(shown.page!.html)![1]!;
    const res = await fetch(`${s.url}/oauth/consent`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ consent: field('consent'), csrf: field('csrf'), decision: 'approve' }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
  });
});
