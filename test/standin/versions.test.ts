import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/standin/demo.js';
import { startStandin, type Standin } from '../../src/standin/index.js';
import { call } from './helpers.js';

// Behaviour the transcripts show only in part: each version's stand-in side by side.
let v15: Standin;
let v16: Standin;
beforeAll(async () => {
  [v15, v16] = await Promise.all([startStandin({ version: 15 }), startStandin({ version: 16 })]);
});
afterAll(async () => {
  await Promise.all([v15.close(), v16.close()]);
});

const sum = (extra: Record<string, string>) =>
  `/api/resource/Sales%20Order?${new URLSearchParams({ group_by: 'customer', ...extra }).toString()}`;

describe('aggregate fields per version', () => {
  it('16 refuses SQL functions written as strings (417) and answers the dict form', async () => {
    const sid = await v16.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    const refused = await call(v16, sum({ fields: '["customer","sum(grand_total) as total"]' }), { sid });
    expect(refused.status).toBe(417);
    expect(refused.body.exc_type).toBe('ValidationError');
    expect(refused.body._server_messages).toContain('SQL functions are not allowed as strings in SELECT');
    const dict = await call(v16, sum({ fields: '["customer",{"SUM":"grand_total","as":"total"}]' }), { sid });
    expect(dict.status).toBe(200);
    expect(Object.keys(dict.body.data[0]).sort()).toEqual(['customer', 'total']);
  });

  it('15 answers the string form and fails on the dict with 500 TypeError (unhashable dict)', async () => {
    const sid = await v15.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    const dict = await call(v15, sum({ fields: '["customer",{"SUM":"grand_total","as":"total"}]' }), { sid });
    expect(dict.status).toBe(500);
    expect(dict.body).toEqual({ exc_type: 'TypeError' });
    const str = await call(v15, sum({ fields: '["customer","sum(grand_total) as total"]' }), { sid });
    expect(str.status).toBe(200);
    expect(str.body.data.length).toBeGreaterThan(0);
  });
});

describe('desk, CSRF page and versions', () => {
  it('16 prints the CSRF token on /desk; /app only redirects there and arms nothing', async () => {
    const sid = await v16.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    const app = await fetch(`${v16.url}/app`, { headers: { Cookie: `sid=${sid}` }, redirect: 'manual' });
    expect([app.status, app.headers.get('location')]).toEqual([301, '/desk']);
    expect(v16.state.sessions.get(sid)?.csrfToken).toBeUndefined();
    const desk = await fetch(`${v16.url}/desk`, { headers: { Cookie: `sid=${sid}` }, redirect: 'manual' });
    expect(await desk.text()).toContain(`frappe.csrf_token = "${v16.state.sessions.get(sid)?.csrfToken}"`);
  });

  it('get_versions tells each version to a signed-in caller', async () => {
    for (const [s, want] of [
      [v15, '15.75.0'],
      [v16, '16.9.0'],
    ] as const) {
      const sid = await s.login(DEMO_USERS.limited.user, DEMO_USERS.limited.password);
      const r = await call(s, '/api/method/frappe.utils.change_log.get_versions', { sid });
      expect(r.body.message.frappe.version).toBe(want);
    }
  });

  it('16 hides its metadata and registration when OAuth Settings say so, and then sends no challenge', async () => {
    v16.setOAuthSettings({ show_protected_resource_metadata: 0, enable_dynamic_client_registration: 0 });
    try {
      expect((await call(v16, '/.well-known/oauth-protected-resource')).status).toBe(404);
      const as = await call(v16, '/.well-known/oauth-authorization-server');
      expect(as.body.registration_endpoint).toBeUndefined();
      const guest = await fetch(`${v16.url}/api/method/frappe.auth.get_logged_user`);
      expect(guest.status).toBe(403);
      expect(guest.headers.get('www-authenticate')).toBeNull();
    } finally {
      v16.reset();
    }
  });
});
