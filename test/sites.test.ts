import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/log/logger.js';
import { buildSites, route, type Sites } from '../src/sites.js';
import { startStandin, type Standin } from '../src/standin/index.js';
import { addFrappeClient, Browser, MemoryProvider, s256, SALES, signIn, type OAuthStack } from './oauth/helpers.js';

/**
 * Two Frappe sites behind one gateway: "acme" (stand-in A) on its own host name, "beta" (stand-in B)
 * under the /s/beta prefix of the gateway's own address. Nothing one site confirmed or issued works
 * on the other, whichever way the request is routed.
 */
const VERIFIER = 's'.repeat(20) + '-verifier-0123456789abcdefghij';
const CB = 'http://127.0.0.1:9999/cb';
let a: Standin;
let b: Standin;
let server: Server;
let sites: Sites;
let port = 0;
let main = '';
let acme = '';
let acmeByPrefix = '';
let beta = '';
const logs: string[] = [];

/** fetch, except that *.test host names are reached on loopback with their Host header kept. */
const localFetch: typeof fetch = async (input, init = {}) => {
  const u = new URL(input instanceof Request ? input.url : String(input));
  if (!u.hostname.endsWith('.test')) return fetch(input, init);
  const headers = Object.fromEntries(new Headers(init.headers).entries());
  const body = init.body === undefined || init.body === null ? undefined : String(init.body as string);
  return new Promise<Response>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: u.port,
        path: u.pathname + u.search,
        method: init.method ?? 'GET',
        headers: { ...headers, host: u.host },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const h = new Headers();
          for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
          const status = res.statusCode ?? 500;
          resolve(new Response(status === 204 ? null : Buffer.concat(chunks), { status, headers: h }));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
};

beforeAll(async () => {
  [a, b] = await Promise.all([startStandin(), startStandin()]);
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  main = `http://127.0.0.1:${port}`;
  acme = `http://acme.test:${port}`;
  acmeByPrefix = `${main}/s/acme`;
  beta = `${main}/s/beta`;
  addFrappeClient(a, { id: 'gw-acme', secret: 'gw-acme-secret' }, `${acme}/oauth/callback`);
  addFrappeClient(b, { id: 'gw-beta', secret: 'gw-beta-secret' }, `${beta}/oauth/callback`);
  const dir = mkdtempSync(join(tmpdir(), 'fmg-sites-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    [
      'sites:',
      '  - name: acme',
      `    frappe_url: ${a.url}`,
      `    public_url: ${acme}`,
      '    oauth: { client_id: gw-acme }',
      '  - name: beta',
      `    frappe_url: ${b.url}`,
      '    site_name: beta.localhost',
      '    oauth: { client_id: gw-beta }',
    ].join('\n'),
  );
  const config = loadConfig(
    {
      CONFIG_FILE: file,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      OAUTH_DATA_DIR: dir,
      SITE_ACME_OAUTH_FRAPPE_CLIENT_SECRET: 'gw-acme-secret',
      SITE_BETA_OAUTH_FRAPPE_CLIENT_SECRET: 'gw-beta-secret',
    },
    dir,
  );
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  sites = buildSites(config, createLogger(config.log, sink), port);
  server.on('request', sites.listener);
});

afterAll(async () => {
  await sites.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await Promise.all([a.close(), b.close()]);
});

async function whoami(base: string, headers: Record<string, string>): Promise<{ status: number; user?: string }> {
  const res = await localFetch(`${base}/api/v1/whoami`, { headers });
  const body = (await res.json()) as { user?: string };
  return { status: res.status, ...(body.user ? { user: body.user } : {}) };
}

async function sid(standin: Standin): Promise<string> {
  const res = await fetch(`${standin.url}/api/method/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ usr: SALES.user, pwd: SALES.password }),
  });
  return /sid=([^;]+)/.exec(res.headers.getSetCookie().join(';'))![1]!;
}

/** Registration, Frappe login, consent and code exchange at one site; returns the gateway's access token. */
async function signInAt(base: string, frappe: Standin): Promise<string> {
  const reg = await localFetch(`${base}/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_name: 'Sites test', redirect_uris: [CB] }),
  });
  expect(reg.status).toBe(201);
  const clientId = ((await reg.json()) as { client_id: string }).client_id;
  const browser = new Browser(localFetch);
  await browser.loginFrappe(frappe.url, SALES.user, SALES.password);
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CB,
    code_challenge: s256(VERIFIER),
    code_challenge_method: 'S256',
    state: 'st',
    resource: `${base}/mcp`,
  });
  const shown = await browser.follow(`${base}/authorize?${q.toString()}`, CB);
  expect(shown.page?.status).toBe(200);
  expect(shown.page!.html).toContain(`action="${new URL(base).pathname.replace(/\/$/, '')}/oauth/consent"`);
  const back = await browser.decide(base, shown.page!.html, 'approve', CB);
  expect(back.searchParams.get('iss')).toBe(base);
  const t = await localFetch(`${base}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code')!,
      code_verifier: VERIFIER,
      redirect_uri: CB,
      client_id: clientId,
    }).toString(),
  });
  expect(t.status).toBe(200);
  return ((await t.json()) as { access_token: string }).access_token;
}

describe('routing', () => {
  it('picks the site by path prefix (well-known URLs included), else by Host', () => {
    const names = new Map([
      ['acme', 'acme'],
      ['beta', 'beta'],
    ]);
    const hosts = new Map([['acme.test', 'acme']]);
    expect(route('/s/beta/mcp?x=1', '127.0.0.1:1', names, hosts)).toEqual({ site: 'beta', url: '/mcp?x=1' });
    expect(route('/s/beta', 'x', names, hosts)).toEqual({ site: 'beta', url: '/' });
    expect(route('/.well-known/oauth-protected-resource/s/beta/mcp', 'x', names, hosts)).toEqual({
      site: 'beta',
      url: '/.well-known/oauth-protected-resource/mcp',
    });
    expect(route('/.well-known/oauth-authorization-server/s/beta', 'x', names, hosts)).toEqual({
      site: 'beta',
      url: '/.well-known/oauth-authorization-server',
    });
    expect(route('/mcp', 'ACME.test:8080', names, hosts)).toEqual({ site: 'acme', url: '/mcp' });
    expect(route('/mcp', 'other.test', names, hosts)).toBeUndefined();
    expect(route('/s/nope/mcp', 'acme.test', names, hosts)).toEqual({ unknownSite: 'nope' });
    // Hostile spellings stay within the site they name, or name none.
    expect(route('/s/%ZZ/mcp', 'x', names, hosts)).toEqual({ unknownSite: '%ZZ' });
    expect(route('/s/beta/../acme/mcp', 'acme.test', names, hosts)).toEqual({
      site: 'beta',
      url: '/../acme/mcp',
    });
  });

  it('a path that climbs out of its prefix does not reach the other site', async () => {
    const sidA = await sid(a);
    // Sent as is (fetch would resolve the dots itself).
    for (const path of ['/s/beta/../acme/api/v1/whoami', '/s/beta/%2E%2E/acme/api/v1/whoami']) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, headers: { Cookie: `sid=${sidA}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status, path).toBe(404);
    }
  });

  it('answers 404 for an unknown site or host, and serves /healthz at the top', async () => {
    expect((await fetch(`${main}/s/nope/mcp`, { method: 'POST' })).status).toBe(404);
    const lost = await fetch(`${main}/mcp`, { method: 'POST' });
    expect(lost.status).toBe(404);
    expect(await lost.text()).toContain('/s/acme/mcp, /s/beta/mcp');
    expect(await (await fetch(`${main}/healthz`)).json()).toEqual({ status: 'ok', sites: ['acme', 'beta'] });
  });
});

describe('each site publishes its own OAuth metadata', () => {
  it('a prefixed site: issuer, endpoints and resource carry the prefix, at the RFC 8414 / 9728 path-inserted URLs', async () => {
    const as = (await (await fetch(`${main}/.well-known/oauth-authorization-server/s/beta`)).json()) as Record<
      string,
      unknown
    >;
    expect(as).toMatchObject({
      issuer: beta,
      authorization_endpoint: `${beta}/authorize`,
      token_endpoint: `${beta}/token`,
      registration_endpoint: `${beta}/register`,
    });
    const oidc = (await (await fetch(`${beta}/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(oidc.issuer).toBe(beta);
    const prm = (await (await fetch(`${main}/.well-known/oauth-protected-resource/s/beta/mcp`)).json()) as Record<
      string,
      unknown
    >;
    expect(prm).toMatchObject({ resource: `${beta}/mcp`, authorization_servers: [beta] });
    const root = (await (await fetch(`${main}/.well-known/oauth-protected-resource/s/beta`)).json()) as {
      resource: string;
    };
    expect(root.resource).toBe(beta);
    const challenge = await fetch(`${beta}/mcp`, { method: 'POST' });
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('www-authenticate')).toContain(
      `resource_metadata="${main}/.well-known/oauth-protected-resource/s/beta/mcp"`,
    );
  });

  it('a site on its own host: metadata at that host’s root', async () => {
    const as = (await (await localFetch(`${acme}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(as).toMatchObject({ issuer: acme, token_endpoint: `${acme}/token` });
    const prm = (await (await localFetch(`${acme}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<
      string,
      unknown
    >;
    expect(prm).toMatchObject({ resource: `${acme}/mcp` });
  });
});

describe('a credential of one site never works on another', () => {
  it('Frappe sessions: each site asks its own Frappe (and keeps its own identity cache)', async () => {
    const sidA = await sid(a);
    const sidB = await sid(b);
    // Confirmed (and cached) at acme first, by host and by prefix...
    expect(await whoami(acme, { Cookie: `sid=${sidA}` })).toEqual({ status: 200, user: SALES.user });
    expect(await whoami(acmeByPrefix, { Cookie: `sid=${sidA}` })).toEqual({ status: 200, user: SALES.user });
    // ...still refused at beta.
    expect((await whoami(beta, { Cookie: `sid=${sidA}` })).status).toBe(401);
    expect(await whoami(beta, { Cookie: `sid=${sidB}` })).toEqual({ status: 200, user: SALES.user });
    expect((await whoami(acme, { Cookie: `sid=${sidB}` })).status).toBe(401);
    expect((await whoami(acmeByPrefix, { Cookie: `sid=${sidB}` })).status).toBe(401);
  });

  it('the gateway’s OAuth tokens: a token of acme is refused by beta, and one of beta by acme (by host and by prefix)', async () => {
    const tokenA = await signInAt(acme, a);
    const tokenB = await signInAt(beta, b);
    const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
    expect(await whoami(acme, bearer(tokenA))).toEqual({ status: 200, user: SALES.user });
    expect(await whoami(acmeByPrefix, bearer(tokenA))).toEqual({ status: 200, user: SALES.user });
    expect((await whoami(beta, bearer(tokenA))).status).toBe(401);
    expect(await whoami(beta, bearer(tokenB))).toEqual({ status: 200, user: SALES.user });
    expect((await whoami(acme, bearer(tokenB))).status).toBe(401);
    expect((await whoami(acmeByPrefix, bearer(tokenB))).status).toBe(401);
  });

  it('Frappe bearer tokens and API keys are judged by the site’s own Frappe', async () => {
    const fromA = a.issueBearer(SALES.user).access_token;
    expect(await whoami(acme, { Authorization: `Bearer ${fromA}` })).toEqual({ status: 200, user: SALES.user });
    expect((await whoami(beta, { Authorization: `Bearer ${fromA}` })).status).toBe(401);
    // Only stand-in B knows this key.
    b.state.apiKeys.set('beta-only-key', { user: SALES.user, secret: 'beta-only-secret' });
    const key = { Authorization: 'token beta-only-key:beta-only-secret' };
    expect(await whoami(beta, key)).toEqual({ status: 200, user: SALES.user });
    expect((await whoami(acme, key)).status).toBe(401);
    expect((await whoami(acmeByPrefix, key)).status).toBe(401);
  });

  it('sends the configured X-Frappe-Site-Name to its Frappe only', () => {
    const toB = b.requests.filter((r) => r.path.startsWith('/api/method/frappe.auth.get_logged_user'));
    const toA = a.requests.filter((r) => r.path.startsWith('/api/method/frappe.auth.get_logged_user'));
    expect(toB.length).toBeGreaterThan(0);
    expect(toB.every((r) => r.headers['x-frappe-site-name'] === 'beta.localhost')).toBe(true);
    expect(toA.every((r) => r.headers['x-frappe-site-name'] === undefined)).toBe(true);
  });
});

describe('an MCP client on a prefixed site', () => {
  it('discovers the prefixed metadata, signs in and calls a tool as the user', async () => {
    const stack = { mcpUrl: new URL(`${beta}/mcp`), url: beta, standin: b } as unknown as OAuthStack;
    const { client } = await signIn(stack, new MemoryProvider('http://127.0.0.1:8765/callback'));
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(JSON.stringify(result)).toContain(SALES.user);
    await client.close();
  });
});
