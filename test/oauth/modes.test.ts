import { UnauthorizedError } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { startStandin } from '../../src/standin/index.js';
import { TEST_FRAPPE_VERSION } from '../helpers/frappe-version.js';
import {
  Browser,
  manualCode,
  MemoryProvider,
  mcpClient,
  postForm,
  register,
  SALES,
  startOAuthStack,
  transport,
  whoamiWithToken,
  type OAuthStack,
} from './helpers.js';

const VERIFIER = 'modes-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
const stacks: OAuthStack[] = [];
afterEach(async () => {
  while (stacks.length) await stacks.pop()!.close();
});

describe('direct mode (Frappe v16 is the authorization server)', () => {
  it('points the metadata at Frappe, serves no facade endpoints, and accepts Frappe bearers', async () => {
    const s = await startOAuthStack({
      OAUTH_MODE: 'direct',
      OAUTH_DIRECT_AUTHORIZATION_SERVER: 'https://erp.example.com',
    });
    stacks.push(s);
    const prm = (await (await fetch(`${s.url}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<
      string,
      unknown
    >;
    expect(prm).toMatchObject({
      resource: `${s.url}/mcp`,
      authorization_servers: ['https://erp.example.com'],
      scopes_supported: ['all'],
    });
    expect((await fetch(`${s.url}/.well-known/oauth-authorization-server`)).status).toBe(404);
    expect((await fetch(`${s.url}/register`, { method: 'POST' })).status).toBe(404);
    const bare = await fetch(s.mcpUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(bare.headers.get('www-authenticate')).toContain('scope="all"');
    const { access_token } = s.standin.issueBearer('sales@example.com');
    expect(await whoamiWithToken(s, access_token).then((r) => r.status)).toBe(200);
  });
});

describe('facade mode over time', () => {
  it('clients, grants and tokens survive a gateway restart (embedded file store)', async () => {
    const standin = await startStandin({ version: TEST_FRAPPE_VERSION });
    try {
      const s1 = await startOAuthStack({}, {}, { standin });
      const reg = await register(s1, { client_name: 'Survivor', redirect_uris: ['http://127.0.0.1:9911/cb'] });
      const client = { clientId: reg.body.client_id as string, redirect: 'http://127.0.0.1:9911/cb' };
      const code = await manualCode(s1, client, VERIFIER);
      const t = await postForm(`${s1.url}/token`, {
        grant_type: 'authorization_code',
        code,
        code_verifier: VERIFIER,
        redirect_uri: client.redirect,
        client_id: client.clientId,
      });
      const port = new URL(s1.url).port;
      await s1.close();
      const s2 = await startOAuthStack({}, {}, { standin, dataDir: s1.dataDir, port: Number(port) });
      stacks.push(s2);
      // The first request may meet a keep-alive socket of the old server; a fresh attempt reaches the new one.
      const first = await whoamiWithToken(s2, t.body.access_token as string)
        .then((r) => r.status)
        .catch(() => whoamiWithToken(s2, t.body.access_token as string).then((r) => r.status));
      expect(first).toBe(200);
      const r = await postForm(`${s2.url}/token`, {
        grant_type: 'refresh_token',
        refresh_token: t.body.refresh_token as string,
        client_id: client.clientId,
      });
      expect(r.status).toBe(200);
      // No Frappe token and no token of ours is stored in clear text.
      const { readFileSync } = await import('node:fs');
      const file = ['oauth.sqlite', 'oauth.sqlite-wal']
        .map((f) => readFileSync(`${s1.dataDir}/${f}`, 'latin1'))
        .join('');
      expect(file).toContain('sales@example.com');
      expect(file).not.toContain(t.body.access_token as string);
      expect(file).not.toContain(t.body.refresh_token as string);
      for (const rec of [...standin.requests]
        .map((q) => String(q.headers.authorization ?? ''))
        .filter((h) => h.startsWith('Bearer ')))
        expect(file).not.toContain(rec.slice(7));
    } finally {
      await standin.close();
    }
  });

  it('Frappe refusing the token in the middle of a call: the gateway refreshes it before the next call (no new sign-in)', async () => {
    const s = await startOAuthStack();
    stacks.push(s);
    const provider = new MemoryProvider('http://127.0.0.1:8765/callback');
    const first = transport(s, provider);
    await expect(mcpClient().connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    const b = new Browser();
    // Not logged in yet: Frappe sends the browser to its login page first.
    const atLogin = await b.follow(provider.authUrl!.href, provider.redirect);
    expect(atLogin.page?.url).toContain('/login?redirect-to=');
    await b.loginFrappe(s.standin.url, SALES.user, SALES.password);
    const redirectTo = decodeURIComponent(new URL(atLogin.page!.url).searchParams.get('redirect-to')!);
    const shown = await b.follow(redirectTo, provider.redirect);
    const back = await b.decide(s.url, shown.page!.html, 'approve', provider.redirect);
    await first.finishAuth(back.searchParams);
    const client = mcpClient();
    await client.connect(transport(s, provider));
    await client.callTool({ name: 'whoami', arguments: {} });
    const bearer = s.standin.requests
      .map((r) => String(r.headers.authorization ?? ''))
      .filter((h) => h.startsWith('Bearer '))
      .pop()!
      .slice(7);
    // Frappe expires the token early while the gateway still has the identity cached: that call is refused by Frappe.
    s.standin.state.oauth.byAccess(bearer)!.expiresAt = Date.now() - 1000;
    // A warm whoami asks Frappe nothing, so a call that reaches Frappe meets the refusal.
    const count = { name: 'count_documents', arguments: { doctype: 'Customer' } };
    try {
      await client.callTool(count);
    } catch {
      // Surfaced as an error result or a 401, depending on the transport path; either way no new sign-in is needed.
    }
    expect((await client.callTool(count)).isError).toBeFalsy();
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(JSON.stringify(result)).toContain('sales@example.com');
    const latest = s.standin.requests
      .map((r) => String(r.headers.authorization ?? ''))
      .filter((h) => h.startsWith('Bearer '))
      .pop()!
      .slice(7);
    expect(latest).not.toBe(bearer);
    await client.close();
  });
});
