import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CimdResolver,
  guardedFetcher,
  isCimdClientId,
  isPublicAddress,
  type FetchedDocument,
} from '../../src/oauth/cimd.js';
import { OAuthError } from '../../src/oauth/errors.js';
import { redirectMatches, redirectUriProblem } from '../../src/oauth/redirect.js';
import { createLogger } from '../../src/log/logger.js';

const logger = createLogger({ level: 'silent', format: 'json' });

describe('SSRF guard for client metadata documents', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data' }).end();
      } else if (req.url === '/big') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('x'.repeat(100_000));
      } else if (req.url === '/slow') {
        setTimeout(() => res.writeHead(200).end('{}'), 2000).unref();
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=600' }).end('{"ok":true}');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('classifies addresses: only public unicast passes', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '192.168.1.1',
      '172.16.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fc00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
      '224.0.0.1',
    ])
      expect(isPublicAddress(a), a).toBe(false);
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) expect(isPublicAddress(a), a).toBe(true);
  });

  it('refuses loopback by name (DNS resolved and checked) and by literal, and refuses http', async () => {
    const fetcher = guardedFetcher({ timeoutMs: 1000, maxBytes: 10_000 });
    await expect(fetcher(new URL('https://localhost/x'))).rejects.toThrow(/non-public/);
    await expect(fetcher(new URL('https://127.0.0.1/x'))).rejects.toThrow(/not a public address/);
    await expect(fetcher(new URL('https://[::1]/x'))).rejects.toThrow(/not a public address/);
    await expect(fetcher(new URL(`http://127.0.0.1:${port}/x`))).rejects.toThrow(/https/);
  });

  it('with an explicit test-only allowance: fetches, does not follow redirects, caps size and time', async () => {
    const fetcher = guardedFetcher({ timeoutMs: 300, maxBytes: 10_000, testAllowHosts: ['127.0.0.1'] });
    const ok = await fetcher(new URL(`http://127.0.0.1:${port}/doc`));
    expect(ok).toMatchObject({ status: 200, body: '{"ok":true}', cacheControl: 'max-age=600' });
    expect((await fetcher(new URL(`http://127.0.0.1:${port}/redirect`))).status).toBe(302);
    await expect(fetcher(new URL(`http://127.0.0.1:${port}/big`))).rejects.toThrow(/larger than/);
    await expect(fetcher(new URL(`http://127.0.0.1:${port}/slow`))).rejects.toThrow();
  });
});

describe('CimdResolver', () => {
  const url = 'https://app.example.com/oauth/metadata.json';
  const doc = (over: Record<string, unknown> = {}) =>
    JSON.stringify({ client_id: url, client_name: 'App', redirect_uris: ['http://localhost/callback'], ...over });

  it('accepts only https client ids with a path', () => {
    expect(isCimdClientId(url)).toBe(true);
    expect(isCimdClientId('https://app.example.com/')).toBe(false);
    expect(isCimdClientId('http://app.example.com/x')).toBe(false);
    expect(isCimdClientId('fmcp_c_abc')).toBe(false);
  });

  it('refuses a document whose client_id differs from its URL, or that asks for a secret', async () => {
    const r1 = new CimdResolver(
      () => Promise.resolve({ status: 200, body: doc({ client_id: 'https://other.example/x' }) }),
      {
        defaultCacheSeconds: 60,
        extraRedirects: [],
        logger,
      },
    );
    await expect(r1.resolve(url)).rejects.toThrow(/differs from its URL/);
    const r2 = new CimdResolver(
      () => Promise.resolve({ status: 200, body: doc({ token_endpoint_auth_method: 'client_secret_basic' }) }),
      { defaultCacheSeconds: 60, extraRedirects: [], logger },
    );
    await expect(r2.resolve(url)).rejects.toBeInstanceOf(OAuthError);
  });

  it('caches, and serves the stale copy when a refetch fails', async () => {
    let now = 1_000_000;
    let calls = 0;
    let fail = false;
    const fetcher = (): Promise<FetchedDocument> => {
      calls++;
      return fail
        ? Promise.reject(new Error('403 from a bot wall'))
        : Promise.resolve({ status: 200, body: doc(), cacheControl: 'max-age=120' });
    };
    const r = new CimdResolver(fetcher, { defaultCacheSeconds: 60, extraRedirects: [], logger, now: () => now });
    expect((await r.resolve(url)).client_name).toBe('App');
    await r.resolve(url);
    expect(calls).toBe(1);
    now += 121_000;
    fail = true;
    expect((await r.resolve(url)).client_name).toBe('App');
    expect(calls).toBe(2);
  });
});

describe('redirect URI policy', () => {
  it('allows https, loopback http on any port and the known app callbacks; refuses the rest', () => {
    for (const ok of [
      'https://claude.ai/api/mcp/auth_callback',
      'https://claude.com/api/mcp/auth_callback',
      'cursor://anysphere.cursor-mcp/oauth/callback',
      'http://localhost:6274/oauth/callback',
      'http://127.0.0.1:33418/callback',
      'http://[::1]:8080/cb',
    ])
      expect(redirectUriProblem(ok, []), ok).toBeUndefined();
    for (const bad of [
      'http://example.com/cb',
      'cursor://other/cb',
      'javascript:alert(1)',
      'https://a.example/cb#frag',
      'not a url',
    ])
      expect(redirectUriProblem(bad, []), bad).toBeDefined();
    expect(redirectUriProblem('myapp://cb', ['myapp://cb'])).toBeUndefined();
  });

  it('matches exactly, with RFC 8252 port relaxation for loopback only', () => {
    expect(redirectMatches(['http://localhost/callback'], 'http://localhost:51234/callback')).toBe(true);
    expect(redirectMatches(['http://127.0.0.1/callback'], 'http://localhost:51234/callback')).toBe(false);
    expect(redirectMatches(['http://localhost/callback'], 'http://localhost:51234/other')).toBe(false);
    expect(redirectMatches(['https://app.example.com/cb'], 'https://app.example.com:8443/cb')).toBe(false);
    expect(redirectMatches(['https://app.example.com/cb'], 'https://app.example.com/cb')).toBe(true);
  });
});
