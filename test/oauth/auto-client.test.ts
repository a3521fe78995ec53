import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS } from '../../src/standin/demo.js';
import { MemoryProvider, signIn, startOAuthStack, type OAuthStack } from './helpers.js';

let stack: OAuthStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('the gateway’s own Frappe OAuth client', () => {
  it('is created in Frappe with an admin API key when none is configured, then remembered', async () => {
    const { admin } = DEMO_API_KEYS;
    stack = await startOAuthStack({
      OAUTH_FRAPPE_CLIENT_ID: '',
      OAUTH_FRAPPE_CLIENT_SECRET: '',
      OAUTH_FRAPPE_ADMIN_API_KEY: admin.key,
      OAUTH_FRAPPE_ADMIN_API_SECRET: admin.secret,
    });
    const before = new Set(stack.standin.state.oauth.clients.keys());
    const { client } = await signIn(stack, new MemoryProvider('http://127.0.0.1:8765/callback'));
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect(who.structuredContent).toMatchObject({ user: 'sales@example.com', credential: 'bearer' });
    const created = [...stack.standin.state.oauth.clients.values()].filter((c) => !before.has(c.clientId));
    expect(created).toHaveLength(1);
    expect(created[0]!.redirectUris).toEqual([`${stack.url}/oauth/callback`]);
    const creations = stack.standin.requests.filter(
      (r) => r.method === 'POST' && decodeURIComponent(r.path) === '/api/resource/OAuth Client',
    );
    expect(creations).toHaveLength(1);
    expect(creations[0]!.user).toBe('Administrator');
    // The admin key was used only for that; the user's own calls carried the user's Frappe bearer.
    expect(
      stack.standin.requests
        .filter((r) => r.auth === 'token')
        .every((r) => decodeURIComponent(r.path) === '/api/resource/OAuth Client'),
    ).toBe(true);
    expect(stack.logs.join('\n')).not.toContain(admin.secret);
    await client.close();
  });
});
