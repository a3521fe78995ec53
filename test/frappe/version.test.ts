import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { FrappeSite } from '../../src/frappe/client.js';
import { checkVersionAtStartup, oauthModeAdvice } from '../../src/frappe/startup-version.js';
import { frappeVersionOf, siteVersion, VersionKnowledge } from '../../src/frappe/version.js';
import { DEMO_USERS } from '../../src/standin/demo.js';
import { startStandin, type Standin } from '../../src/standin/index.js';
import { captureLogger } from '../helpers/logger.js';
import { startStack } from '../helpers/stack.js';

let v15: Standin;
let v16: Standin;
beforeAll(async () => {
  [v15, v16] = await Promise.all([startStandin({ version: 15 }), startStandin({ version: 16 })]);
});
afterAll(async () => {
  await Promise.all([v15.close(), v16.close()]);
});

const siteOf = (s: Standin): FrappeSite =>
  new FrappeSite({ baseUrl: s.url, timeoutMs: 5000, retries: 0, logger: captureLogger().logger });

describe('learning a site’s Frappe version once', () => {
  it.each([
    [15, '15.75.0'],
    [16, '16.9.0'],
  ] as const)('asks get_versions as the caller on %i, with only their credential', async (major, version) => {
    const s = major === 15 ? v15 : v16;
    const site = siteOf(s);
    const sid = await s.login(DEMO_USERS.limited.user, DEMO_USERS.limited.password);
    s.resetRequests();
    const known = await new VersionKnowledge(site).learn(site.as({ kind: 'sid', sid }));
    expect(known).toEqual({ major, version, source: 'get_versions' });
    expect(s.requests.map((r) => [r.path, r.headers.cookie, r.headers.authorization])).toEqual([
      ['/api/method/frappe.utils.change_log.get_versions', `sid=${sid}`, undefined],
    ]);
  });

  it.each([15, 16] as const)('without a caller reads guest answers on %i, sending no credential', async (major) => {
    const s = major === 15 ? v15 : v16;
    s.resetRequests();
    const k = new VersionKnowledge(siteOf(s));
    expect(await k.learn()).toEqual({ major, source: 'traits' });
    for (const r of s.requests)
      expect([r.headers.cookie, r.headers.authorization, r.user]).toEqual([undefined, undefined, 'Guest']);
    // Learned once: the next ask sends nothing.
    s.resetRequests();
    expect((await k.behaviour()).csrfPage).toBe(major === 16 ? '/desk' : '/app');
    expect(s.requests).toHaveLength(0);
  });

  it('still tells 16 when its OAuth Settings hide the metadata (no WWW-Authenticate)', async () => {
    v16.setOAuthSettings({ show_protected_resource_metadata: 0, show_auth_server_metadata: 0 });
    try {
      expect((await new VersionKnowledge(siteOf(v16)).learn())?.major).toBe(16);
    } finally {
      v16.reset();
    }
  });

  it('falls back to the guest answers when the caller may not read get_versions', async () => {
    const site = siteOf(v16);
    const known = await new VersionKnowledge(site).learn(site.as({ kind: 'sid', sid: 'not-a-session' }));
    expect(known).toEqual({ major: 16, source: 'traits' });
  });

  it('asks once for concurrent callers, and does not remember a failed attempt', async () => {
    const k = new VersionKnowledge(siteOf(v16));
    v16.setFault('down');
    expect(await k.learn()).toBeUndefined();
    expect((await k.behaviour()).aggregateFieldForm).toBe('string'); // unknown: behaves as 15 meanwhile
    v16.setFault(null);
    v16.resetRequests();
    const [a, b] = await Promise.all([k.learn(), k.learn()]);
    expect(a).toEqual(b);
    expect(a?.major).toBe(16);
    expect(v16.requests.filter((r) => r.path === '/app')).toHaveLength(1);
  });

  it('a pinned version (frappe.version) asks nothing', async () => {
    v15.resetRequests();
    const k = new VersionKnowledge(siteOf(v15), '16');
    expect(await k.behaviour()).toEqual({ csrfPage: '/desk', aggregateFieldForm: 'dict', ownOAuthServer: true });
    expect(v15.requests).toHaveLength(0);
  });

  it('one knowledge per site: siteVersion returns the same object, frappeVersionOf what it knows', async () => {
    const site = siteOf(v16);
    expect(frappeVersionOf(site)).toBeUndefined();
    expect(siteVersion(site)).toBe(siteVersion(site));
    await siteVersion(site).learn();
    expect(frappeVersionOf(site)?.major).toBe(16);
  });
});

describe('/healthz and start-up', () => {
  it('/healthz reports the version once learned (learning starts in the background)', async () => {
    const stack = await startStack({}, {}, v16);
    try {
      const first = (await (await fetch(`${stack.url}/healthz`)).json()) as Record<string, unknown>;
      expect(first.status).toBe('ok');
      await siteVersion(stack.gateway.gateway.site).learn();
      const later = (await (await fetch(`${stack.url}/healthz`)).json()) as { frappe: unknown };
      expect(later.frappe).toEqual({ version: null, major: 16, learned_from: 'traits' });
    } finally {
      await stack.close();
    }
  });

  it('logs the version and warns that direct mode on 16 locks out loopback clients', async () => {
    const stack = await startStack({ OAUTH_MODE: 'direct' }, {}, v16);
    try {
      const advice = await checkVersionAtStartup(
        stack.gateway.gateway.config,
        stack.gateway.gateway.site,
        stack.gateway.gateway.logger,
      );
      expect(advice).toMatch(
        /loopback MCP clients .* cannot register .* https .* two or more redirect URIs .* client_secret_basic/,
      );
      expect(stack.logs.some((l) => l.includes('"frappe version"') && l.includes('"major":16'))).toBe(true);
      expect(stack.logs.some((l) => l.includes('OAUTH_MODE=direct on Frappe 16'))).toBe(true);
    } finally {
      await stack.close();
    }
  });

  it('says nothing about facade mode, and tells a 15 site in direct mode it cannot work', () => {
    const facade = loadConfig({ FRAPPE_URL: 'http://127.0.0.1:1' }, '/nonexistent');
    const direct = loadConfig({ FRAPPE_URL: 'http://127.0.0.1:1', OAUTH_MODE: 'direct' }, '/nonexistent');
    expect(oauthModeAdvice(facade, { major: 16, source: 'traits' })).toBeUndefined();
    expect(oauthModeAdvice(direct, { major: 15, source: 'traits' })).toMatch(/Frappe 15 site has no OAuth discovery/);
    expect(oauthModeAdvice(direct, undefined)).toBeUndefined();
  });

  it('rejects a FRAPPE_VERSION it does not support', () => {
    expect(() => loadConfig({ FRAPPE_VERSION: '14' }, '/nonexistent')).toThrow(/version/);
    expect(loadConfig({ FRAPPE_VERSION: '16' }, '/nonexistent').frappe.version).toBe('16');
  });
});
