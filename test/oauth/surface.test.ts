import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualCode, postForm, register, startOAuthStack, type OAuthStack } from './helpers.js';

const VERIFIER = 'surface-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
let s: OAuthStack;
beforeAll(async () => {
  s = await startOAuthStack();
});
afterAll(async () => {
  await s.close();
});

function hasNull(v: unknown): boolean {
  if (v === null) return true;
  if (Array.isArray(v)) return v.some(hasNull);
  if (typeof v === 'object') return Object.values(v).some(hasNull);
  return false;
}

describe('metadata', () => {
  it('serves protected-resource metadata at the path-inserted and the root URL, naming the scopes', async () => {
    // RFC 9728 §3.1/§3.3: the root document describes the resource named by the bare base URL.
    for (const [path, resource] of [
      ['/.well-known/oauth-protected-resource/mcp', `${s.url}/mcp`],
      ['/.well-known/oauth-protected-resource', s.url],
    ] as const) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const prm = (await res.json()) as Record<string, unknown>;
      expect(prm).toMatchObject({
        resource,
        authorization_servers: [s.url],
        scopes_supported: ['frappe:read', 'frappe:write'],
      });
      expect(JSON.stringify(prm)).not.toContain('offline_access');
    }
  });

  it('serves RFC 8414 metadata and the same as OIDC discovery, without nulls', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const meta = (await (await fetch(`${s.url}${path}`)).json()) as Record<string, unknown>;
      expect(meta).toMatchObject({
        issuer: s.url,
        authorization_endpoint: `${s.url}/authorize`,
        token_endpoint: `${s.url}/token`,
        registration_endpoint: `${s.url}/register`,
        revocation_endpoint: `${s.url}/revoke`,
        code_challenge_methods_supported: ['S256'],
        client_id_metadata_document_supported: true,
        authorization_response_iss_parameter_supported: true,
      });
      expect(meta.token_endpoint_auth_methods_supported).toContain('none');
      expect(hasNull(meta)).toBe(false);
    }
  });

  it('answers CORS preflights: metadata for anyone, /token and /register for the configured origins, /mcp before auth', async () => {
    const pre = (url: string, origin: string) =>
      fetch(url, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization, content-type, mcp-protocol-version',
        },
      });
    const wk = await pre(`${s.url}/.well-known/oauth-authorization-server`, 'https://anything.example');
    expect(wk.status).toBe(204);
    expect(wk.headers.get('access-control-allow-origin')).toBe('*');
    const tok = await pre(`${s.url}/token`, 'http://localhost:6274');
    expect(tok.status).toBe(204);
    expect(tok.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    expect(tok.headers.get('access-control-allow-credentials')).toBeNull();
    const evil = await pre(`${s.url}/token`, 'https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const mcp = await pre(`${s.url}/mcp`, 'http://localhost:6274');
    expect(mcp.status).toBe(204);
    expect(mcp.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    expect(mcp.headers.get('access-control-allow-headers')!.toLowerCase()).toContain('authorization');
    // The 401 itself is readable by the browser client: WWW-Authenticate is exposed.
    const unauth = await fetch(`${s.url}/mcp`, {
      method: 'POST',
      headers: { Origin: 'http://localhost:6274', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    expect(unauth.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
  });

  it('does not accept a Frappe cookie from a public-client origin (cookies stay limited to the cookie origins)', async () => {
    const sid = await s.standin.login('sales@example.com', 'Sales#Pass2024');
    const res = await fetch(`${s.url}/mcp`, {
      method: 'POST',
      headers: { Origin: 'http://localhost:6274', Cookie: `sid=${sid}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });
});

describe('dynamic client registration', () => {
  it('defaults and echoes token_endpoint_auth_method none, omits nulls (mcpo / Python SDK)', async () => {
    const r = await register(s, {
      client_name: 'MCPO Client for erp',
      redirect_uris: ['http://localhost:3030/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'frappe:read frappe:write',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://localhost:3030/callback'],
    });
    expect(r.body.client_secret).toBeUndefined();
    expect(hasNull(r.body)).toBe(false);
  });

  it("accepts Cursor's three redirect URIs in one registration, and Claude's callbacks", async () => {
    const cursor = await register(s, {
      client_name: 'Cursor',
      redirect_uris: [
        'cursor://anysphere.cursor-mcp/oauth/callback',
        'https://www.cursor.com/agents/mcp/oauth/callback',
        'http://localhost:8787/callback',
      ],
      token_endpoint_auth_method: 'none',
    });
    expect(cursor.status).toBe(201);
    const claude = await register(s, {
      client_name: 'claudeai',
      redirect_uris: ['https://claude.ai/api/mcp/auth_callback', 'https://claude.com/api/mcp/auth_callback'],
      token_endpoint_auth_method: 'none',
    });
    expect(claude.status).toBe(201);
  });

  it('refuses the whole registration when one redirect URI is not allowed, saying which', async () => {
    const r = await register(s, {
      redirect_uris: ['http://127.0.0.1:3000/cb', 'http://evil.example.com/cb', 'javascript:alert(1)'],
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_redirect_uri');
    expect(r.body.error_description).toContain('http://evil.example.com/cb');
    expect(r.body.error_description).toContain('refused as a whole');
  });

  it('issues a secret to a confidential client and requires it at /token (post and basic)', async () => {
    const r = await register(s, {
      client_name: 'Confidential',
      redirect_uris: ['https://app.example.com/cb'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    expect(r.status).toBe(201);
    expect(r.body.client_secret).toMatch(/^fmcp_cs_/);
    expect(r.body.client_secret_expires_at).toBe(0);
    const client = { clientId: r.body.client_id as string, redirect: 'https://app.example.com/cb' };
    const code = await manualCode(s, client, VERIFIER);
    const base = {
      grant_type: 'authorization_code',
      code,
      code_verifier: VERIFIER,
      redirect_uri: client.redirect,
    };
    const noSecret = await postForm(`${s.url}/token`, { ...base, client_id: client.clientId });
    expect(noSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const code2 = await manualCode(s, client, VERIFIER);
    const posted = await postForm(`${s.url}/token`, {
      ...base,
      code: code2,
      client_id: client.clientId,
      client_secret: r.body.client_secret as string,
    });
    expect(posted.status).toBe(200);
    // A client that registered client_secret_basic authenticates with the Authorization header.
    const rb = await register(s, {
      redirect_uris: ['https://app.example.com/cb'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    const basicClient = { clientId: rb.body.client_id as string, redirect: 'https://app.example.com/cb' };
    const code3 = await manualCode(s, basicClient, VERIFIER);
    const basic = Buffer.from(`${basicClient.clientId}:${rb.body.client_secret as string}`).toString('base64');
    const res = await fetch(`${s.url}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
      body: new URLSearchParams({ ...base, code: code3 }).toString(),
    });
    expect(res.status).toBe(200);
  });
});

describe('scopes', () => {
  it('a read-only token may call read tools; a write tool gets 403 insufficient_scope', async () => {
    const reg = await register(s, { client_name: 'Reader', redirect_uris: ['http://127.0.0.1:7777/cb'] });
    const client = { clientId: reg.body.client_id as string, redirect: 'http://127.0.0.1:7777/cb' };
    const code = await manualCode(s, client, VERIFIER, { scope: 'frappe:read' });
    const t = await postForm(`${s.url}/token`, {
      grant_type: 'authorization_code',
      code,
      code_verifier: VERIFIER,
      redirect_uri: client.redirect,
      client_id: client.clientId,
    });
    expect(t.body.scope).toBe('frappe:read');
    const call = (name: string, args: Record<string, unknown>) =>
      fetch(s.mcpUrl, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${t.body.access_token as string}`,
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
      });
    const read = await call('whoami', {});
    expect(read.status).toBe(200);
    expect(await read.text()).toContain('sales@example.com');
    const write = await call('create_document', { doctype: 'ToDo', data: { description: 'x' } });
    expect(write.status).toBe(403);
    const challenge = write.headers.get('www-authenticate')!;
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="frappe:read frappe:write"');
    expect(challenge).toContain('resource_metadata=');
    // tools/list shows such a token only the read-only tools.
    const list = await fetch(s.mcpUrl, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${t.body.access_token as string}`,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    const names = (
      (await list.json()) as { result: { tools: Array<{ name: string; annotations: { readOnlyHint: boolean } }> } }
    ).result.tools;
    expect(names.map((n) => n.name)).toContain('list_documents');
    expect(names.map((n) => n.name)).not.toContain('create_document');
    expect(names.every((n) => n.annotations.readOnlyHint)).toBe(true);
  });
});
