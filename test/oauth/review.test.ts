import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Browser,
  manualCode,
  postForm,
  register,
  s256,
  SALES,
  startOAuthStack,
  type ManualClient,
  type OAuthStack,
} from './helpers.js';

/** One test per finding of the security review of the OAuth facade, each with the request that showed it. */
const VERIFIER = 'r'.repeat(20) + '-verifier-0123456789abcdefghij';
const CB = 'http://127.0.0.1:9999/cb';
let s: OAuthStack;
let client: ManualClient;
let fetches = 0;

beforeAll(async () => {
  s = await startOAuthStack(
    {},
    {
      oauth: {
        // An internal name, as a resolver inside the operator's network would report it.
        cimdFetcher: (url) => {
          fetches++;
          return Promise.reject(new Error(`getaddrinfo ENOTFOUND ${url.hostname} (via dns.corp.internal 10.20.30.40)`));
        },
      },
    },
  );
  const reg = await register(s, { client_name: 'Review', redirect_uris: [CB] });
  client = { clientId: reg.body.client_id as string, redirect: CB };
});
afterAll(async () => {
  await s.close();
});

function token(form: Record<string, string>) {
  return postForm(`${s.url}/token`, form);
}

async function tokensFor(c: ManualClient, extra: Record<string, string> = {}) {
  const code = await manualCode(s, c, VERIFIER, extra);
  const t = await token({
    grant_type: 'authorization_code',
    code,
    code_verifier: VERIFIER,
    redirect_uri: c.redirect,
    client_id: c.clientId,
  });
  expect(t.status).toBe(200);
  return t.body as { access_token: string; refresh_token: string };
}

/** /authorize through a signed-in browser; returns where the browser ends (the client, or a page). */
async function authorize(q: Record<string, string>, stopAt = CB) {
  const b = new Browser();
  await b.loginFrappe(s.standin.url, SALES.user, SALES.password);
  return b.follow(`${s.url}/authorize?${new URLSearchParams(q).toString()}`, stopAt);
}

function authorizeQuery(clientId: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CB,
    code_challenge: s256(VERIFIER),
    code_challenge_method: 'S256',
    state: 'st-1',
    ...over,
  };
}

describe('refresh refused for what it asks does not spend the refresh token', () => {
  it('invalid_scope, then the proper retry succeeds (the grant is not revoked)', async () => {
    const t = await tokensFor(client, { scope: 'frappe:read' });
    const bad = await token({
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
      client_id: client.clientId,
      scope: 'frappe:read frappe:write',
    });
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    const retry = await token({
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
      client_id: client.clientId,
    });
    expect(retry.status).toBe(200);
  });

  it('invalid_target, then the proper retry succeeds', async () => {
    const t = await tokensFor(client);
    const bad = await token({
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
      client_id: client.clientId,
      resource: 'https://other.example.com/mcp',
    });
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
    const retry = await token({
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
      client_id: client.clientId,
      resource: s.mcpUrl.href,
    });
    expect(retry.status).toBe(200);
  });
});

describe('Basic client credentials', () => {
  it('bad %-encoding → 401 invalid_client, not 500', async () => {
    const res = await fetch(`${s.url}/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from('%zz:secret%').toString('base64')}`,
      },
      body: 'grant_type=refresh_token&refresh_token=x',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('redirect URIs', () => {
  it('/authorize refuses userinfo in a loopback redirect (http://evil@127.0.0.1:9999/cb)', async () => {
    const res = await fetch(
      `${s.url}/authorize?${new URLSearchParams(authorizeQuery(client.clientId, { redirect_uri: 'http://evil@127.0.0.1:9999/cb' })).toString()}`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/redirect_uri is not registered/);
  });

  it('/authorize refuses another spelling of the registered loopback host', async () => {
    const res = await fetch(
      `${s.url}/authorize?${new URLSearchParams(authorizeQuery(client.clientId, { redirect_uri: 'http://127.1:9999/cb' })).toString()}`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(400);
  });

  it('registration refuses odd loopback spellings and names the normal form', async () => {
    for (const [uri, normal] of [
      ['http://127.1/cb', 'http://127.0.0.1/cb'],
      ['http://127.0.0.1/x/../cb', 'http://127.0.0.1/cb'],
      ['http://localhost:3000/a/%2e%2e/cb', 'http://localhost:3000/cb'],
    ]) {
      const res = await register(s, { redirect_uris: [uri] });
      expect(res.status, uri).toBe(400);
      expect(res.body.error).toBe('invalid_redirect_uri');
      expect(res.body.error_description).toContain(normal);
    }
  });
});

describe('the consent page', () => {
  it('shows no Unicode direction controls from client_name', async () => {
    const name = 'Trusted\u202E\u2066 App\u200F';
    const reg = await register(s, { client_name: name, redirect_uris: [CB] });
    expect(reg.body.client_name).toBe('Trusted App');
    const shown = await authorize(authorizeQuery(reg.body.client_id as string));
    expect(shown.page?.status).toBe(200);
    expect(shown.page!.html).toContain('Trusted App');
    expect(shown.page!.html).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
  });
});

describe('client metadata documents', () => {
  it('a fetch failure says only "could not fetch", and is remembered instead of fetched again', async () => {
    const id = 'https://clients.internal.example/mcp.json';
    const pages: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${s.url}/authorize?${new URLSearchParams(authorizeQuery(id)).toString()}`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(400);
      pages.push(await res.text());
    }
    for (const html of pages) {
      expect(html).toContain('could not be fetched');
      expect(html).not.toMatch(/ENOTFOUND|dns\.corp|10\.20\.30\.40/);
    }
    expect(fetches).toBe(1);
    expect(s.logs.join('\n')).toContain('ENOTFOUND');
  });
});

describe('registered metadata is enforced', () => {
  it('a client_secret_basic client may not send its secret in the form', async () => {
    const reg = await register(s, { redirect_uris: [CB], token_endpoint_auth_method: 'client_secret_basic' });
    const id = reg.body.client_id as string;
    const secret = reg.body.client_secret as string;
    const bad = await token({ grant_type: 'refresh_token', refresh_token: 'x', client_id: id, client_secret: secret });
    expect(bad).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('a client_secret_post client may not use HTTP Basic', async () => {
    const reg = await register(s, { redirect_uris: [CB], token_endpoint_auth_method: 'client_secret_post' });
    const basic = Buffer.from(`${reg.body.client_id as string}:${reg.body.client_secret as string}`).toString('base64');
    const res = await fetch(`${s.url}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
      body: 'grant_type=refresh_token&refresh_token=x',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('a client that registered scope frappe:read cannot ask for frappe:write, and gets frappe:read by default', async () => {
    const reg = await register(s, { redirect_uris: [CB], scope: 'frappe:read' });
    const id = reg.body.client_id as string;
    const wider = await authorize(authorizeQuery(id, { scope: 'frappe:read frappe:write' }));
    expect(wider.redirect?.searchParams.get('error')).toBe('invalid_scope');
    const t = await tokensFor({ clientId: id, redirect: CB }, { scope: '' });
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: id });
    expect(refreshed.body.scope).toBe('frappe:read');
  });
});

describe('/token and redirect_uri (RFC 6749 §4.1.3)', () => {
  it('accepts a missing redirect_uri when /authorize had none', async () => {
    const { redirect_uri: _r, ...q } = authorizeQuery(client.clientId);
    const b = new Browser();
    await b.loginFrappe(s.standin.url, SALES.user, SALES.password);
    const shown = await b.follow(`${s.url}/authorize?${new URLSearchParams(q).toString()}`, CB);
    const back = shown.redirect ?? (await b.decide(s.url, shown.page!.html, 'approve', CB));
    const t = await token({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code')!,
      code_verifier: VERIFIER,
      client_id: client.clientId,
    });
    expect(t.status).toBe(200);
  });

  it('still requires it when /authorize carried it', async () => {
    const code = await manualCode(s, client, VERIFIER);
    const t = await token({
      grant_type: 'authorization_code',
      code,
      code_verifier: VERIFIER,
      client_id: client.clientId,
    });
    expect(t).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});

describe('the root protected-resource document (RFC 9728 §3.1, §3.3)', () => {
  it('names the base URL it was derived from, not …/mcp, and that resource is accepted', async () => {
    const root = (await (await fetch(`${s.url}/.well-known/oauth-protected-resource`)).json()) as { resource: string };
    expect(root.resource).toBe(s.url);
    const shown = await authorize(authorizeQuery(client.clientId, { resource: root.resource }));
    expect(shown.redirect?.searchParams.get('error') ?? null).toBeNull();
  });
});
