import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { bearerHeader, sidHeader, startStack, tokenHeader, type Stack } from '../helpers/stack.js';

interface WhoamiBody {
  user: string;
  credential: string;
  error: { code: string; message: string };
  [k: string]: unknown;
}

let stack: Stack;
let sidSales: string;
let sidAdmin: string;
const { admin, sales, limited } = DEMO_API_KEYS;
const secrets: string[] = [];

async function whoami(
  headers: Record<string, string>,
): Promise<{ status: number; body: WhoamiBody; headers: Headers }> {
  const res = await fetch(`${stack.url}/api/v1/whoami`, { headers });
  return { status: res.status, body: (await res.json()) as WhoamiBody, headers: res.headers };
}

const loggedUserCalls = () =>
  stack.standin.requests.filter((r) => r.path === '/api/method/frappe.auth.get_logged_user').length;

beforeAll(async () => {
  stack = await startStack();
  sidSales = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  sidAdmin = await stack.standin.login(DEMO_USERS.admin.user, DEMO_USERS.admin.password);
  secrets.push(sidSales, sidAdmin, admin.secret, sales.secret, limited.secret);
});
afterAll(async () => {
  // No credential used anywhere in this file reached a log line.
  const all = stack.logs.join('\n');
  expect(all.length).toBeGreaterThan(1000);
  for (const s of secrets) expect(all).not.toContain(s);
  await stack.close();
});
beforeEach(() => stack.standin.resetRequests());

describe('GET /api/v1/whoami through the auth chain', () => {
  it('knows a sid user', async () => {
    const r = await whoami(sidHeader(sidSales));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ user: 'sales@example.com', credential: 'sid', service_account: false });
    expect(JSON.stringify(r.body)).not.toContain(sidSales);
  });

  it('knows an API key user, as token and as Basic', async () => {
    expect((await whoami(tokenHeader(admin.key, admin.secret))).body.user).toBe('Administrator');
    const basic = Buffer.from(`${sales.key}:${sales.secret}`).toString('base64');
    const r = await whoami({ Authorization: `Basic ${basic}` });
    expect(r.body).toMatchObject({ user: 'sales@example.com', credential: 'api_key' });
  });

  it('knows an OAuth bearer user (Administrator, whose userinfo sub is null)', async () => {
    const { access_token } = stack.standin.issueBearer('Administrator');
    secrets.push(access_token);
    const r = await whoami(bearerHeader(access_token));
    expect(r.body).toMatchObject({ user: 'Administrator', credential: 'bearer' });
  });

  it('answers 401 with a challenge that points at the resource metadata when nothing is sent', async () => {
    const r = await whoami({});
    expect(r.status).toBe(401);
    const challenge = r.headers.get('www-authenticate')!;
    expect(challenge).toMatch(/^Bearer realm="frappe-mcp-gateway"/);
    expect(challenge).toContain(`resource_metadata="${stack.url}/.well-known/oauth-protected-resource/mcp"`);
    expect(challenge).not.toContain('error=');
    expect(r.body.error.code).toBe('no_credentials');
  });

  it('answers 401 invalid_token for a wrong API secret, an unknown bearer and a revoked bearer', async () => {
    const wrong = await whoami(tokenHeader(admin.key, 'not-the-secret'));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await whoami(bearerHeader('unknowntoken12345678'))).status).toBe(401);
    const { access_token } = stack.standin.issueBearer('sales@example.com');
    stack.standin.revokeBearer(access_token);
    expect((await whoami(bearerHeader(access_token))).status).toBe(401);
    const expired = stack.standin.issueBearer('sales@example.com', { expiresInSeconds: -60 });
    expect((await whoami(bearerHeader(expired.access_token))).status).toBe(401);
  });

  it('answers 401 (not Frappe’s 403) for expired, logged-out and unknown sids', async () => {
    const sid = await stack.standin.login(DEMO_USERS.limited.user, DEMO_USERS.limited.password);
    stack.standin.expireSession(sid);
    const r = await whoami(sidHeader(sid));
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/expired|logged out/);
    expect((await whoami(sidHeader('f51ac7d0c0ffee0123456789abcdef0123456789abcdef0123456789'))).status).toBe(401);
  });

  it('asks Frappe once for 100 concurrent first requests with one new credential, and not at all for the next', async () => {
    const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    secrets.push(sid);
    stack.standin.resetRequests();
    const results = await Promise.all(Array.from({ length: 100 }, () => whoami(sidHeader(sid))));
    expect(results.every((r) => r.status === 200 && r.body.user === 'sales@example.com')).toBe(true);
    expect(loggedUserCalls()).toBe(1);
    stack.standin.resetRequests();
    await whoami(sidHeader(sid));
    expect(loggedUserCalls()).toBe(0);
  });

  it('forgets a bearer as soon as Frappe refuses it, and answers 401 from then on', async () => {
    const { access_token } = stack.standin.issueBearer('sales@example.com');
    secrets.push(access_token);
    expect((await whoami(bearerHeader(access_token))).status).toBe(200);
    stack.standin.revokeBearer(access_token);
    stack.standin.resetRequests();
    // A warm whoami asks Frappe nothing (the profile is cached with the identity) ...
    expect((await whoami(bearerHeader(access_token))).status).toBe(200);
    expect(stack.standin.requests).toHaveLength(0);
    // ... the next call that reaches Frappe is refused with the cached identity (no new validation) and evicts it.
    const listed = await fetch(`${stack.url}/mcp`, {
      method: 'POST',
      headers: {
        ...bearerHeader(access_token),
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': '2025-11-25',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'list_documents', arguments: { doctype: 'Customer' } },
      }),
    });
    expect(listed.status).toBe(401);
    expect(loggedUserCalls()).toBe(0);
    expect((await whoami(bearerHeader(access_token))).status).toBe(401);
    expect(loggedUserCalls()).toBe(1);
  });

  it('follows the chain: a dead sid beside a good token runs as the token’s user; the sid is not forwarded', async () => {
    const r = await whoami({ ...sidHeader('deadbeef'.repeat(7)), ...tokenHeader(limited.key, limited.secret) });
    expect(r.body.user).toBe('limited@example.com');
    const forwarded = stack.standin.requests.filter(
      (q) => q.path !== '/api/method/frappe.auth.get_logged_user' || q.auth === 'token',
    );
    expect(forwarded.every((q) => q.headers.cookie === undefined)).toBe(true);
  });

  it('follows the chain: a good sid beats a bad token, and only the cookie is forwarded', async () => {
    const r = await whoami({ ...sidHeader(sidAdmin), Authorization: 'Bearer notarealtoken1234567890' });
    expect(r.body).toMatchObject({ user: 'Administrator', credential: 'sid' });
    expect(stack.standin.requests.every((q) => q.headers.authorization === undefined)).toBe(true);
  });

  it('answers 503 with Retry-After while Frappe is down, caches nothing, and recovers without a restart', async () => {
    const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    secrets.push(sid);
    stack.standin.setFault('down');
    const r = await whoami(sidHeader(sid));
    expect(r.status).toBe(503);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    stack.standin.setFault('5xx');
    expect((await whoami(sidHeader(sid))).status).toBe(503);
    stack.standin.setFault('html');
    expect((await whoami(sidHeader(sid))).status).toBe(503);
    stack.standin.setFault(null);
    const ok = await whoami(sidHeader(sid));
    expect(ok.status).toBe(200);
    expect(ok.body.user).toBe('sales@example.com');
  });

  it('refuses a cookie sent from a foreign Origin before any Frappe call, and allows the Frappe site’s own', async () => {
    const r = await whoami({ ...sidHeader(sidSales), Origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(stack.standin.requests).toHaveLength(0);
    expect((await whoami({ ...sidHeader(sidSales), Origin: stack.standin.url })).status).toBe(200);
  });

  it('refuses a Host it does not serve (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${stack.url}/api/v1/whoami`,
        { headers: { Host: 'evil.example', ...sidHeader(sidSales) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('never mixes identities when users A and B interleave', async () => {
    const calls = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0
        ? whoami(sidHeader(sidSales)).then((r) => [r.body.user, 'sales@example.com'])
        : i % 3 === 1
          ? whoami(tokenHeader(admin.key, admin.secret)).then((r) => [r.body.user, 'Administrator'])
          : whoami(tokenHeader(limited.key, limited.secret)).then((r) => [r.body.user, 'limited@example.com']),
    );
    for (const [got, want] of await Promise.all(calls)) expect(got).toBe(want);
    // Every Frappe call carried exactly the credential of the user it was made for.
    for (const q of stack.standin.requests) {
      const kinds = [q.headers.cookie ? 'cookie' : null, q.headers.authorization ? 'auth' : null].filter(Boolean);
      expect(kinds).toHaveLength(1);
    }
  });
});
