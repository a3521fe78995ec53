import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/standin/demo.js';
import { connectMcp, sidHeader, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

async function createTodo(headers: Record<string, string>, description: string) {
  const client = await connectMcp(stack.url, headers);
  const r = await client.callTool({ name: 'create_document', arguments: { doctype: 'ToDo', doc: { description } } });
  await client.close();
  return r;
}

const appLoads = () => stack.standin.requests.filter((q) => q.path === '/app').length;
const todoPosts = () => stack.standin.requests.filter((q) => q.method === 'POST' && q.path === '/api/resource/ToDo');

describe('sid writes through the gateway on a CSRF-armed session', () => {
  it('works when the caller sends the desk’s CSRF token, without fetching /app', async () => {
    const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    const token = stack.standin.armCsrf(sid);
    stack.standin.resetRequests();
    const r = await createTodo({ ...sidHeader(sid), 'X-Frappe-CSRF-Token': token }, 'with token');
    expect(r.isError).toBeFalsy();
    expect(appLoads()).toBe(0);
    expect(todoPosts().map((q) => q.headers['x-frappe-csrf-token'])).toEqual([token]);
  });

  it('works without the token: the gateway reads it from /app once, retries once, and remembers it', async () => {
    const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    const token = stack.standin.armCsrf(sid);
    stack.standin.resetRequests();
    const first = await createTodo(sidHeader(sid), 'first without token');
    expect(first.isError).toBeFalsy();
    expect(appLoads()).toBe(1);
    expect(todoPosts().map((q) => q.headers['x-frappe-csrf-token'])).toEqual([undefined, token]);
    stack.standin.resetRequests();
    const second = await createTodo(sidHeader(sid), 'second without token');
    expect(second.isError).toBeFalsy();
    expect(appLoads()).toBe(0);
    expect(todoPosts()).toHaveLength(1);
  });

  it('writes with a fresh API-login session need no token at all', async () => {
    const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    stack.standin.resetRequests();
    expect((await createTodo(sidHeader(sid), 'plain')).isError).toBeFalsy();
    expect(appLoads()).toBe(0);
  });
});
