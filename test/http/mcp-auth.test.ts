import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerHeader, connectMcp, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

function toolCall(headers: Record<string, string>, name: string, args: Record<string, unknown>): Promise<Response> {
  return fetch(`${stack.url}/mcp`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name, arguments: args } }),
  });
}

describe('/mcp and the caller’s credential', () => {
  it('answers 2025-era tool calls with one JSON body', async () => {
    const { access_token } = stack.standin.issueBearer('sales@example.com');
    const res = await toolCall(bearerHeader(access_token), 'count_documents', { doctype: 'Customer' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as { result: { structuredContent: { count: number } } };
    expect(body.result.structuredContent.count).toBeGreaterThan(30);
  });

  it('turns a credential Frappe revokes mid-session into HTTP 401 with a challenge, not a tool error', async () => {
    const { access_token } = stack.standin.issueBearer('sales@example.com');
    expect((await toolCall(bearerHeader(access_token), 'count_documents', { doctype: 'Customer' })).status).toBe(200);
    stack.standin.revokeBearer(access_token);
    const res = await toolCall(bearerHeader(access_token), 'count_documents', { doctype: 'Customer' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_credentials');
  });

  it('does the same for a 2026-07-28 client', async () => {
    const { access_token } = stack.standin.issueBearer('sales@example.com');
    const client = await connectMcp(stack.url, bearerHeader(access_token), 'modern');
    const ok = await client.callTool({ name: 'count_documents', arguments: { doctype: 'Customer' } });
    expect(ok.isError).toBeFalsy();
    stack.standin.revokeBearer(access_token);
    await expect(client.callTool({ name: 'count_documents', arguments: { doctype: 'Customer' } })).rejects.toThrow(
      /invalid_credentials/,
    );
  });

  it('answers broken JSON with a JSON-RPC parse error, not a 500', async () => {
    const { access_token } = stack.standin.issueBearer('sales@example.com');
    const res = await fetch(`${stack.url}/mcp`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        ...bearerHeader(access_token),
      },
      body: '{"jsonrpc": "2.0", ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 }, id: null });
  });
});
