import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, startStandin, type Standin } from '../../src/standin/index.js';
import { call } from './helpers.js';

describe('stand-in sessions and CSRF', () => {
  let s: Standin;
  let now = Date.parse('2026-11-22T12:00:00Z');
  beforeAll(async () => {
    s = await startStandin({ sessionIdleSeconds: 600, now: () => now });
  });
  afterAll(() => s.close());

  it('expires an idle session by the injected clock and answers 403 with session_expired', async () => {
    const sid = await s.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    now += 599_000;
    expect((await call(s, '/api/method/frappe.auth.get_logged_user', { sid })).status).toBe(200);
    now += 601_000;
    const res = await call(s, '/api/method/frappe.auth.get_logged_user', { sid });
    expect(res.status).toBe(403);
    expect(res.body.session_expired).toBe(1);
  });

  it('expireSession kills a session immediately', async () => {
    const sid = await s.login(DEMO_USERS.admin.user, DEMO_USERS.admin.password);
    s.expireSession(sid);
    expect((await call(s, '/api/method/frappe.auth.get_logged_user', { sid })).body.session_expired).toBe(1);
  });

  it('enforces CSRF only after the session was armed', async () => {
    const sid = await s.login(DEMO_USERS.admin.user, DEMO_USERS.admin.password);
    const before = await call(s, '/api/resource/ToDo', { sid, method: 'POST', body: { description: 'a' } });
    expect(before.status).toBe(200);
    const token = s.armCsrf(sid);
    const page = await fetch(`${s.url}/app`, { headers: { Cookie: `sid=${sid}` } });
    expect(await page.text()).toContain(`frappe.csrf_token = "${token}";`);
    const without = await call(s, '/api/resource/ToDo', { sid, method: 'POST', body: { description: 'b' } });
    expect(without.status).toBe(400);
    expect(without.body.exc_type).toBe('CSRFTokenError');
    const withHeader = await call(s, '/api/resource/ToDo', {
      sid,
      method: 'POST',
      body: { description: 'c' },
      headers: { 'X-Frappe-CSRF-Token': token },
    });
    expect(withHeader.status).toBe(200);
  });

  it('records each request with the resolved user and credential kind', async () => {
    s.resetRequests();
    const bearer = s.issueBearer(DEMO_USERS.sales.user);
    await call(s, '/api/method/frappe.auth.get_logged_user', {
      headers: { Authorization: `Bearer ${bearer.access_token}` },
    });
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]).toMatchObject({ method: 'GET', user: DEMO_USERS.sales.user, auth: 'bearer' });
    s.revokeBearer(bearer.access_token);
    expect(
      (
        await call(s, '/api/method/frappe.auth.get_logged_user', {
          headers: { Authorization: `Bearer ${bearer.access_token}` },
        })
      ).status,
    ).toBe(401);
  });
});
