import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/standin/demo.js';
import { connectMcp, sidHeader, startStack, type Stack } from '../helpers/stack.js';

// Runs against the stand-in in 15 and in 16 mode (vitest projects): the desk page that prints the token moved.
let stack: Stack;
let deskPage: string;

beforeAll(async () => {
  stack = await startStack();
  deskPage = stack.standin.traits.deskPath;
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

const pageLoads = (path: string) => stack.standin.requests.filter((q) => q.path === path).length;
const todoPosts = () => stack.standin.requests.filter((q) => q.method === 'POST' && q.path === '/api/resource/ToDo');

describe('sid writes through the gateway on a CSRF-armed session (a user who opened the desk)', () => {
  it('works when the caller sends the desk’s CSRF token, without loading the desk', async () => {
    const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    const token = stack.standin.armCsrf(sid);
    stack.standin.resetRequests();
    const r = await createTodo({ ...sidHeader(sid), 'X-Frappe-CSRF-Token': token }, 'with token');
    expect(r.isError).toBeFalsy();
    expect(pageLoads(deskPage)).toBe(0);
    expect(todoPosts().map((q) => q.headers['x-frappe-csrf-token'])).toEqual([token]);
  });

  it('works without the token: the gateway reads it from this version’s desk page once, retries once, and remembers it', async () => {
    const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    const token = stack.standin.armCsrf(sid);
    stack.standin.resetRequests();
    const first = await createTodo(sidHeader(sid), 'first without token');
    expect(first.isError, JSON.stringify(first.content)).toBeFalsy();
    expect(pageLoads(deskPage)).toBe(1);
    const desk = stack.standin.requests.find((q) => q.path === deskPage)!;
    expect([desk.headers.cookie, desk.headers.authorization]).toEqual([`sid=${sid}`, undefined]);
    // Only the page that prints the token: never one that would redirect with the credential (16: /app → /desk).
    const pages = stack.standin.requests.filter((q) => q.path === '/app' || q.path === '/desk').map((q) => q.path);
    expect(pages).toEqual([deskPage]);
    // The version was learned once, as this caller, before choosing the page.
    const asked = stack.standin.requests.filter((q) => q.path.endsWith('change_log.get_versions'));
    expect(asked.map((q) => [q.headers.cookie, q.user])).toEqual([[`sid=${sid}`, DEMO_USERS.sales.user]]);
    expect(todoPosts().map((q) => q.headers['x-frappe-csrf-token'])).toEqual([undefined, token]);
    stack.standin.resetRequests();
    const second = await createTodo(sidHeader(sid), 'second without token');
    expect(second.isError).toBeFalsy();
    expect(pageLoads(deskPage)).toBe(0);
    expect(todoPosts()).toHaveLength(1);
  });

  it('writes with a fresh API-login session need no token at all', async () => {
    const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    stack.standin.resetRequests();
    expect((await createTodo(sidHeader(sid), 'plain')).isError).toBeFalsy();
    expect(pageLoads(deskPage)).toBe(0);
  });
});
