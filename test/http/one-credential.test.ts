import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { connectMcp, startStack, type Stack } from '../helpers/stack.js';
import { call as standinCall } from '../standin/helpers.js';

// Frappe 16 destroys a session whose sid arrives together with a valid Bearer (v16-auth-sid-after-sid-and-bearer).
// The gateway sends exactly one credential per Frappe call, so a caller holding both keeps its session.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

function expectOneCredentialEach(): void {
  const calls = stack.standin.requests;
  expect(calls.length).toBeGreaterThan(0);
  for (const r of calls) {
    const sid = /(^|;\s*)sid=/.test(String(r.headers.cookie ?? ''));
    const auth = r.headers.authorization !== undefined;
    expect(sid && auth, `${r.method} ${r.path} carried a sid and an Authorization header`).toBe(false);
  }
}

describe('one credential per Frappe call', () => {
  it('a caller sending a sid and a Bearer: Frappe sees one of them, and the session lives on', async () => {
    const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    const bearer = stack.standin.issueBearer(DEMO_USERS.admin.user).access_token;
    stack.standin.resetRequests();
    const headers = { Cookie: `sid=${sid}`, Authorization: `Bearer ${bearer}` };
    const who = await fetch(`${stack.url}/api/v1/whoami`, { headers });
    expect(who.status).toBe(200);
    const client = await connectMcp(stack.url, headers);
    const r = await client.callTool({ name: 'list_documents', arguments: { doctype: 'Customer', limit: 2 } });
    await client.close();
    expect(r.isError).toBeFalsy();
    expectOneCredentialEach();
    // Still alive on either version: Frappe never saw this sid next to a Bearer.
    const after = await standinCall(stack.standin, '/api/method/frappe.auth.get_logged_user', { sid });
    expect([after.status, after.body.message]).toEqual([200, DEMO_USERS.sales.user]);
  });

  it('a caller sending a sid and an API key: the same', async () => {
    const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    const { key, secret } = DEMO_API_KEYS.admin;
    stack.standin.resetRequests();
    const res = await fetch(`${stack.url}/api/v1/whoami`, {
      headers: { Cookie: `sid=${sid}`, Authorization: `token ${key}:${secret}` },
    });
    expect(res.status).toBe(200);
    expectOneCredentialEach();
    const after = await standinCall(stack.standin, '/api/method/frappe.auth.get_logged_user', { sid });
    expect(after.status).toBe(200);
  });

  it('on Frappe 16 the stand-in really does kill a session sent with a Bearer (so the test above means something)', async () => {
    const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    const bearer = stack.standin.issueBearer(DEMO_USERS.admin.user).access_token;
    await standinCall(stack.standin, '/api/method/frappe.auth.get_logged_user', {
      sid,
      headers: { Authorization: `Bearer ${bearer}` },
    });
    const after = await standinCall(stack.standin, '/api/method/frappe.auth.get_logged_user', { sid });
    const killed = stack.standin.traits.sidWithBearerKillsSession;
    expect(after.status).toBe(killed ? 403 : 200);
    // The gateway treats such a dead session like any other: 401, never another identity.
    const gw = await fetch(`${stack.url}/api/v1/whoami`, { headers: { Cookie: `sid=${sid}` } });
    expect(gw.status).toBe(killed ? 401 : 200);
  });
});
