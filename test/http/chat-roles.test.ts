// Admission to /api/v1/chat by Frappe role (chat.allowed_roles / CHAT_ALLOWED_ROLES), in front of the stand-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { sidHeader, startStack, tokenHeader, type Stack } from '../helpers/stack.js';

const GET_ROLES = '/api/method/frappe.core.doctype.user.user.get_roles';

async function chat(stack: Stack, headers: Record<string, string>) {
  const res = await fetch(`${stack.url}/api/v1/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ message: 'show me top 5 customers' }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

describe('chat admission by role', () => {
  let stack: Stack;
  let sidSales: string;
  let sidLimited: string;

  beforeAll(async () => {
    stack = await startStack({ CHAT_ALLOWED_ROLES: 'AI User, Sales User' });
    sidSales = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    sidLimited = await stack.standin.login(DEMO_USERS.limited.user, DEMO_USERS.limited.password);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('refuses a signed-in user without a listed role with 403 and a sentence naming the roles', async () => {
    stack.standin.resetRequests();
    const r = await chat(stack, sidHeader(sidLimited));
    expect(r.status).toBe(403);
    expect(r.body.error?.code).toBe('role_required');
    expect(r.body.error?.message).toBe(
      'Your account may not use the AI assistant: it needs the role "AI User" or "Sales User". Ask your administrator to give you the role.',
    );
    // Nothing was read for them: only the identity and role checks reached Frappe.
    expect(stack.standin.requests.filter((q) => q.path.startsWith('/api/resource/'))).toEqual([]);
    // The role lookup ran as the caller, for the caller.
    const lookups = stack.standin.requests.filter((q) => q.path === GET_ROLES);
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.user).toBe(DEMO_USERS.limited.user);
    expect(lookups[0]!.headers.cookie).toBe(`sid=${sidLimited}`);
  });

  it('admits a user holding one of the roles, and asks Frappe for their roles once per cached identity', async () => {
    stack.standin.resetRequests();
    const first = await chat(stack, sidHeader(sidSales));
    const second = await chat(stack, sidHeader(sidSales));
    const refused = await chat(stack, sidHeader(sidLimited));
    expect([first.status, second.status, refused.status]).toEqual([200, 200, 403]);
    const lookups = stack.standin.requests.filter((q) => q.path === GET_ROLES);
    // Sales once; Limited's roles were cached by the previous test.
    expect(lookups.map((q) => q.user)).toEqual([DEMO_USERS.sales.user]);
  });

  it('holds for API keys too', async () => {
    const limited = DEMO_API_KEYS.limited;
    const sales = DEMO_API_KEYS.sales;
    expect((await chat(stack, tokenHeader(limited.key, limited.secret))).status).toBe(403);
    expect((await chat(stack, tokenHeader(sales.key, sales.secret))).status).toBe(200);
  });

  it('uses the roles an OAuth bearer brought with it, without another call', async () => {
    const { access_token } = stack.standin.issueBearer(DEMO_USERS.limited.user);
    stack.standin.resetRequests();
    const r = await chat(stack, { Authorization: `Bearer ${access_token}` });
    expect(r.status).toBe(403);
    expect(stack.standin.requests.filter((q) => q.path === GET_ROLES)).toEqual([]);
  });
});

describe('chat admission defaults', () => {
  it('admits any desk user by default, and everyone signed in when the list is empty', async () => {
    expect(loadConfig({}, '/nonexistent').chat.allowed_roles).toEqual(['Desk User']);
    expect(loadConfig({ CHAT_ALLOWED_ROLES: '*' }, '/nonexistent').chat.allowed_roles).toEqual(['*']);
    const stack = await startStack({ CHAT_ALLOWED_ROLES: '*' });
    try {
      const sid = await stack.standin.login(DEMO_USERS.limited.user, DEMO_USERS.limited.password);
      stack.standin.resetRequests();
      expect((await chat(stack, sidHeader(sid))).status).toBe(200);
      expect(stack.standin.requests.filter((q) => q.path === GET_ROLES)).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});
