import { UnauthorizedError } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchedDocument } from '../../src/oauth/cimd.js';
import {
  MemoryProvider,
  mcpClient,
  postForm,
  signIn,
  startOAuthStack,
  transport,
  whoamiWithToken,
  type OAuthStack,
} from './helpers.js';

const REDIRECT = 'http://127.0.0.1:8765/callback';
let stack: OAuthStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

function frappeBearers(s: OAuthStack): string[] {
  return s.standin.requests
    .map((r) => String(r.headers.authorization ?? ''))
    .filter((h) => h.startsWith('Bearer '))
    .map((h) => h.slice(7));
}

describe('OAuth facade: the full flow with the MCP SDK client', () => {
  it('bare 401 → discovery → DCR → PKCE → consent → token → tools/call as the user → refresh → revoke → 401', async () => {
    stack = await startOAuthStack();
    const s = stack;
    // A bare 401 names the metadata and the scopes.
    const bare = await fetch(s.mcpUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(bare.status).toBe(401);
    const challenge = bare.headers.get('www-authenticate')!;
    expect(challenge).toContain(`resource_metadata="${s.url}/.well-known/oauth-protected-resource/mcp"`);
    expect(challenge).toContain('scope="frappe:read frappe:write"');

    const provider = new MemoryProvider(REDIRECT);
    const { client, consentHtml, back } = await signIn(s, provider);
    // DCR: public client, the auth method echoed although the SDK did not need to send one.
    expect(provider.info).toMatchObject({ token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT] });
    expect(JSON.stringify(provider.info)).not.toContain('null');
    expect(consentHtml).toContain('sales@example.com');
    expect(consentHtml).toContain('Gateway test client');
    expect(consentHtml).toContain(REDIRECT);
    expect(back.searchParams.get('iss')).toBe(s.url);
    expect(provider.saved?.access_token).toMatch(/^fmcp_at_/);
    expect(provider.saved?.scope).toBe('frappe:read frappe:write');

    s.standin.resetRequests();
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect(who.isError).toBeFalsy();
    expect(JSON.stringify(who.structuredContent ?? who.content)).toContain('sales@example.com');
    // whoami was answered from the identity cache; a call that reaches Frappe shows what Frappe is sent.
    expect(
      (await client.callTool({ name: 'count_documents', arguments: { doctype: 'Customer' } })).isError,
    ).toBeFalsy();
    // Frappe saw the user's own Frappe bearer, never the token the MCP client holds.
    const seen = frappeBearers(s);
    expect(seen.length).toBeGreaterThan(0);
    for (const t of seen) {
      expect(t.startsWith('fmcp_')).toBe(false);
      expect(s.standin.state.oauth.bearerUser(t)).toBe('sales@example.com');
    }
    expect(JSON.stringify(s.standin.requests)).not.toContain(provider.saved!.access_token);

    // Refresh rotates both tokens; the new access token works.
    const before = provider.saved!;
    const refreshed = await postForm(`${s.url}/token`, {
      grant_type: 'refresh_token',
      refresh_token: before.refresh_token!,
      client_id: provider.info!.client_id,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(before.refresh_token);
    expect(refreshed.body.access_token).not.toBe(before.access_token);
    expect((await whoamiWithToken(s, refreshed.body.access_token as string)).status).toBe(200);

    // Revocation ends the authorization: the access token now gets 401, and Frappe's token is revoked too.
    const frappeToken = seen[0]!;
    const revoked = await postForm(`${s.url}/revoke`, {
      token: refreshed.body.refresh_token as string,
      client_id: provider.info!.client_id,
    });
    expect(revoked.status).toBe(200);
    expect((await whoamiWithToken(s, refreshed.body.access_token as string)).status).toBe(401);
    expect(s.standin.state.oauth.bearerUser(frappeToken)).toBeUndefined();
    await client.close();
  });

  it('the same flow with a Client ID Metadata Document client, with port-less loopback redirect URIs', async () => {
    const cimdUrl = 'https://client.example.test/oauth/client-metadata.json';
    const fetched: string[] = [];
    const fetcher = (url: URL): Promise<FetchedDocument> => {
      fetched.push(url.href);
      return Promise.resolve({
        status: 200,
        body: JSON.stringify({
          client_id: cimdUrl,
          client_name: 'CIMD test client',
          redirect_uris: ['http://127.0.0.1/callback'],
          grant_types: ['authorization_code', 'refresh_token'],
          token_endpoint_auth_method: 'none',
        }),
      });
    };
    stack = await startOAuthStack({}, { oauth: { cimdFetcher: fetcher } });
    const s = stack;
    const meta = (await (await fetch(`${s.url}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(meta.client_id_metadata_document_supported).toBe(true);
    const provider = new MemoryProvider(REDIRECT, {}, cimdUrl);
    const { client, consentHtml } = await signIn(s, provider);
    expect(provider.info?.client_id).toBe(cimdUrl);
    expect(consentHtml).toContain('CIMD test client');
    expect(fetched[0]).toBe(cimdUrl);
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect(JSON.stringify(who.structuredContent ?? who.content)).toContain('sales@example.com');
    await client.close();
  });

  it('remembers the approval per user and client: the second sign-in shows no consent page', async () => {
    stack = await startOAuthStack();
    const s = stack;
    const provider = new MemoryProvider(REDIRECT);
    const { browser } = await signIn(s, provider);
    provider.saved = undefined;
    const first = transport(s, provider);
    await expect(mcpClient().connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    const again = await browser.follow(provider.authUrl!.href, provider.redirect);
    expect(again.redirect?.searchParams.get('code')).toMatch(/^fmcp_ac_/);
    await first.finishAuth(again.redirect!.searchParams);
    expect((provider.tokens() as { access_token?: string } | undefined)?.access_token).toMatch(/^fmcp_at_/);
  });

  it('a Frappe token expiring mid-session is refreshed without the client noticing', async () => {
    stack = await startOAuthStack();
    const s = stack;
    const provider = new MemoryProvider(REDIRECT);
    const { client } = await signIn(s, provider);
    await client.callTool({ name: 'whoami', arguments: {} });
    const [oldFrappe] = frappeBearers(s).slice(-1);
    // Frappe expires the user's token behind the gateway's back (the gateway still believes it is valid).
    s.standin.state.oauth.byAccess(oldFrappe!)!.expiresAt = Date.now() - 1000;
    s.gw.cache.delete(s.gw.chain.keyOf({ kind: 'bearer', token: oldFrappe! }));
    s.standin.resetRequests();
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect(who.isError).toBeFalsy();
    expect(JSON.stringify(who.structuredContent ?? who.content)).toContain('sales@example.com');
    const refreshCalls = s.standin.requests.filter((r) => r.path.endsWith('oauth2.get_token'));
    expect(refreshCalls.length).toBe(1);
    const newFrappe = frappeBearers(s).slice(-1)[0]!;
    expect(newFrappe).not.toBe(oldFrappe);
    expect(s.standin.state.oauth.bearerUser(newFrappe)).toBe('sales@example.com');
    await client.close();
  });
});
