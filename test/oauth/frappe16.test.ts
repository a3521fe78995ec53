import { afterEach, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/index.js';
import type { OAuthSettings } from '../../src/standin/oauth-metadata.js';
import { MemoryProvider, signIn, startOAuthStack, type OAuthStack } from './helpers.js';

// The facade talks to Frappe's authorize and token endpoints only (never its discovery or registration), so a
// Frappe 16 site that switches those off, or hides its metadata, changes nothing for MCP clients.
const REDIRECT = 'http://127.0.0.1:8765/callback';
let standin: Standin | undefined;
let stack: OAuthStack | undefined;
afterEach(async () => {
  await stack?.close();
  await standin?.close();
  stack = undefined;
  standin = undefined;
});

const SETTINGS: Array<[string, Partial<OAuthSettings>]> = [
  ['as installed', {}],
  ['with dynamic client registration switched off', { enable_dynamic_client_registration: 0 }],
  ['with its metadata hidden', { show_auth_server_metadata: 0, show_protected_resource_metadata: 0 }],
];

describe('OAuth facade in front of a Frappe 16 site', () => {
  it.each(SETTINGS)('signs a loopback MCP client in, %s', async (_label, settings) => {
    standin = await startStandin({ version: 16 });
    standin.setOAuthSettings(settings);
    stack = await startOAuthStack({}, {}, { standin });
    const s = stack;
    // The gateway's own metadata and registration are there whatever Frappe's settings.
    const meta = (await (await fetch(`${s.url}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(meta.registration_endpoint).toBe(`${s.url}/register`);

    const provider = new MemoryProvider(REDIRECT);
    const { client } = await signIn(s, provider);
    expect(provider.info).toMatchObject({ redirect_uris: [REDIRECT] });
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    await client.close();
    expect(who.isError).toBeFalsy();
    expect(JSON.stringify(who.structuredContent ?? who.content)).toContain('sales@example.com');
    // Frappe saw its own authorize/token endpoints, never discovery or registration.
    const paths = standin.requests.map((r) => r.path);
    expect(paths).toContain('/api/method/frappe.integrations.oauth2.get_token');
    expect(paths.filter((p) => p.startsWith('/.well-known/') || p.endsWith('.register_client'))).toEqual([]);
  });
});
