import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS } from '../../src/standin/demo.js';
import { connectMcp, startStack, tokenHeader, type Stack } from '../helpers/stack.js';

let stack: Stack;
const { sales } = DEMO_API_KEYS;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

describe('GET /metrics', () => {
  it('counts tool calls, Frappe calls and validations, and names no user or credential', async () => {
    const client = await connectMcp(stack.url, tokenHeader(sales.key, sales.secret));
    await client.callTool({ name: 'count_documents', arguments: { doctype: 'Customer' } });
    await client.callTool({ name: 'count_documents', arguments: { doctype: 'NoSuchThing' } });
    await client.close();
    const res = await fetch(`${stack.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/fmg_tool_calls_total\{tool="count_documents",outcome="ok"\} 1/);
    expect(text).toMatch(/fmg_tool_calls_total\{tool="count_documents",outcome="frappe_\w+"\} 1/);
    expect(text).toMatch(/fmg_credential_validations_total\{kind="api_key",result="ok"\} 1/);
    expect(text).toMatch(/fmg_frappe_request_duration_seconds_count\{status="2xx"\} \d+/);
    expect(text).toMatch(/fmg_http_request_duration_seconds_count\{method="POST",route="\/mcp",status="200"\} \d+/);
    expect(text).not.toContain('sales@example.com');
    expect(text).not.toContain(sales.secret);
    expect(text).not.toContain(sales.key);
  });

  it('can be turned off', async () => {
    const quiet = await startStack({ METRICS: 'false' });
    expect((await fetch(`${quiet.url}/metrics`)).status).toBe(404);
    await quiet.close();
  });
});
