import { UnauthorizedError } from '@modelcontextprotocol/client';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  Client,
  StreamableHTTPClientTransport,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type OAuthTokens,
} from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { buildGateway, type Gateway, type GatewayHooks } from '../../src/gateway.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log/logger.js';
import { startStandin, type Standin } from '../../src/standin/index.js';
import { TEST_FRAPPE_VERSION } from '../helpers/frappe-version.js';

export const FRAPPE_CLIENT = { id: 'gateway-oauth-client', secret: 'gateway-oauth-secret' };
export const SALES = { user: 'sales@example.com', password: 'Sales#Pass2024' };
export const LIMITED = { user: 'limited@example.com', password: 'Limited#Pass2024' };

export interface OAuthStack {
  standin: Standin;
  gw: Gateway;
  /** Gateway origin, e.g. http://127.0.0.1:41234 */
  url: string;
  mcpUrl: URL;
  logs: string[];
  dataDir: string;
  close(): Promise<void>;
}

/** The gateway's OAuth client in a stand-in, as an admin would create it in Frappe. */
export function addFrappeClient(standin: Standin, client: { id: string; secret: string }, callback: string): void {
  standin.state.oauth.clients.set(client.id, {
    clientId: client.id,
    clientSecret: client.secret,
    appName: 'MCP gateway',
    skipAuthorization: true,
    scopes: ['all', 'openid'],
    redirectUris: [callback],
  });
}

/**
 * Stand-in + gateway in facade mode. The gateway's port is reserved first, so its callback URL can be
 * registered on a Frappe OAuth client in the stand-in (through its state, as an admin would in Frappe).
 */
export async function startOAuthStack(
  env: Record<string, string> = {},
  hooks: GatewayHooks = {},
  reuse?: { standin?: Standin; dataDir?: string; port?: number },
): Promise<OAuthStack> {
  const standin = reuse?.standin ?? (await startStandin({ version: TEST_FRAPPE_VERSION }));
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(reuse?.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  addFrappeClient(standin, FRAPPE_CLIENT, `${url}/oauth/callback`);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(line);
      cb();
    },
  });
  const dataDir = reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'fmg-oauth-'));
  const config = loadConfig(
    {
      FRAPPE_URL: standin.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      OAUTH_DATA_DIR: dataDir,
      OAUTH_FRAPPE_CLIENT_ID: FRAPPE_CLIENT.id,
      OAUTH_FRAPPE_CLIENT_SECRET: FRAPPE_CLIENT.secret,
      ...env,
    },
    dataDir,
  );
  const gw = buildGateway(config, createLogger(config.log, sink), standin.url, port, hooks);
  server.on('request', createApp(gw));
  return {
    standin,
    gw,
    url,
    mcpUrl: new URL('/mcp', url),
    logs,
    dataDir,
    close: async () => {
      gw.close();
      await gw.oauth?.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      if (!reuse?.standin) await standin.close();
    },
  };
}

/** A tiny browser: a cookie jar per host (like a browser, not per port) and manual redirects. */
export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();
  /** Every URL loaded, in order. */
  readonly visited: string[] = [];

  /** `fetcher` replaces fetch, e.g. to reach made-up host names on loopback. */
  constructor(private readonly fetcher: typeof fetch = fetch) {}

  private cookieHeader(u: URL): string | undefined {
    const c = this.jar.get(u.hostname);
    return c && c.size ? [...c].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  private store(u: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      const jar = this.jar.get(u.hostname) ?? new Map<string, string>();
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
      this.jar.set(u.hostname, jar);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const u = new URL(url);
    this.visited.push(u.href);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(u);
    if (cookie) headers.set('Cookie', cookie);
    const res = await this.fetcher(u, { ...init, headers, redirect: 'manual' });
    this.store(u, res);
    return res;
  }

  /** Logs in at the stand-in like the Frappe login page does (sets sid, user_id, … for its host). */
  async loginFrappe(frappeUrl: string, user: string, password: string): Promise<void> {
    const res = await this.request(`${frappeUrl}/api/method/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ usr: user, pwd: password }),
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  }

  /**
   * Follows redirects from `url` until the client's redirect URI is reached (returned, not loaded),
   * or a page is shown (returned with its HTML).
   */
  async follow(
    url: string,
    stopAt: string,
  ): Promise<{ redirect?: URL; page?: { status: number; html: string; url: string } }> {
    let next = url;
    for (let i = 0; i < 20; i++) {
      if (next.startsWith(stopAt)) return { redirect: new URL(next) };
      const res = await this.request(next);
      if (res.status >= 300 && res.status < 400) {
        next = new URL(res.headers.get('location')!, next).href;
        continue;
      }
      return { page: { status: res.status, html: await res.text(), url: next } };
    }
    throw new Error('too many redirects');
  }

  /** Submits the consent form found in `html` with the given decision, then follows to the client. */
  async decide(gatewayUrl: string, html: string, decision: 'approve' | 'deny', stopAt: string): Promise<URL> {
    const field = (name: string): string => {
      const m = new RegExp(`name="${name}" value="([^"]+)"`).exec(html);
      if (!m) throw new Error(`no ${name} field on the page`);
      return m[1]!;
    };
    const res = await this.request(`${gatewayUrl}/oauth/consent`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ consent: field('consent'), csrf: field('csrf'), decision }).toString(),
    });
    if (res.status !== 303) throw new Error(`consent answered ${res.status}: ${await res.text()}`);
    const to = new URL(res.headers.get('location')!, gatewayUrl);
    if (!to.href.startsWith(stopAt)) throw new Error(`consent went to ${to.href}`);
    return to;
  }
}

/** An in-memory OAuthClientProvider, as a desktop MCP client would keep it. */
export class MemoryProvider implements OAuthClientProvider {
  info?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier?: string;
  authUrl?: URL;
  clientMetadataUrl?: string;

  constructor(
    readonly redirect: string,
    private readonly meta: Partial<OAuthClientMetadata> = {},
    cimdUrl?: string,
  ) {
    if (cimdUrl) this.clientMetadataUrl = cimdUrl;
  }

  get redirectUrl(): string {
    return this.redirect;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Gateway test client',
      redirect_uris: [this.redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      ...this.meta,
    };
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.info;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.info = info;
  }

  tokens(): OAuthTokens | undefined {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  redirectToAuthorization(url: URL): void {
    this.authUrl = url;
  }

  saveCodeVerifier(v: string): void {
    this.verifier = v;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error('no verifier');
    return this.verifier;
  }

  private discovery?: OAuthDiscoveryState;

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }
}

export const s256 = (v: string): string => createHash('sha256').update(v).digest('base64url');

export interface ManualClient {
  clientId: string;
  redirect: string;
}

/** Registers a public client over plain HTTP (RFC 7591). */
export async function register(
  s: OAuthStack,
  body: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${s.url}/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** /authorize by hand through a logged-in browser and the consent page; returns the code. */
export async function manualCode(
  s: OAuthStack,
  client: ManualClient,
  verifier: string,
  extra: Record<string, string> = {},
  browser?: Browser,
): Promise<string> {
  const b = browser ?? new Browser();
  if (!browser) await b.loginFrappe(s.standin.url, SALES.user, SALES.password);
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirect,
    code_challenge: s256(verifier),
    code_challenge_method: 'S256',
    state: 'st-1',
    scope: 'frappe:read frappe:write',
    resource: s.mcpUrl.href,
    ...extra,
  });
  const shown = await b.follow(`${s.url}/authorize?${q.toString()}`, client.redirect);
  const back = shown.redirect ?? (await b.decide(s.url, shown.page!.html, 'approve', client.redirect));
  expect(back.searchParams.get('state')).toBe('st-1');
  return back.searchParams.get('code')!;
}

export function mcpClient(): Client {
  return new Client({ name: 'oauth-tests', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
}

export function transport(stack: OAuthStack, provider: OAuthClientProvider): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(stack.mcpUrl, { authProvider: provider });
}

/** Form POST helper for the token and revocation endpoints. */
export async function postForm(
  url: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Runs the SDK client through the whole browser flow and returns a connected client. */
export async function signIn(s: OAuthStack, provider: MemoryProvider, user = SALES) {
  const first = transport(s, provider);
  await expect(mcpClient().connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(provider.authUrl).toBeDefined();
  const browser = new Browser();
  await browser.loginFrappe(s.standin.url, user.user, user.password);
  const shown = await browser.follow(provider.authUrl!.href, provider.redirect);
  expect(shown.page?.status).toBe(200);
  const back = await browser.decide(s.url, shown.page!.html, 'approve', provider.redirect);
  await first.finishAuth(back.searchParams);
  const client = mcpClient();
  await client.connect(transport(s, provider));
  return { client, browser, consentHtml: shown.page!.html, back };
}

/** tools/call whoami with a bearer token, as any MCP client sends it. */
export async function whoamiWithToken(
  s: OAuthStack,
  token: string,
): Promise<{ status: number; challenge: string; text: string }> {
  const res = await fetch(s.mcpUrl, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
  });
  return { status: res.status, challenge: res.headers.get('www-authenticate') ?? '', text: await res.text() };
}
