import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../src/metrics.js';
import { DEMO_API_KEYS } from '../../src/standin/demo.js';
import { connectMcp, startStack, tokenHeader, type Stack } from '../helpers/stack.js';

let stack: Stack;
const { sales } = DEMO_API_KEYS;
const LAG = 'fmg_nodejs_eventloop_lag_seconds';
let processMetricsWithoutMetrics: boolean | undefined;

beforeAll(async () => {
  // Before any gateway with metrics on has started in this file (vitest gives each file its own modules):
  // a gateway without /metrics must not run the process metrics' event-loop timer.
  const quiet = await startStack({ METRICS: 'false' });
  await quiet.close();
  processMetricsWithoutMetrics = registry.getSingleMetric(LAG) !== undefined;
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

  it("reports Node's process metrics, collected once however many gateways the process starts", async () => {
    const second = await startStack();
    const text = await (await fetch(`${second.url}/metrics`)).text();
    await second.close();
    expect(text).toMatch(new RegExp(`^${LAG} \\d`, 'm'));
    expect(text).toMatch(/^fmg_process_cpu_seconds_total \d/m);
    expect(text.match(new RegExp(`^# HELP ${LAG} `, 'gm'))).toHaveLength(1);
  });

  it('can be turned off, and then runs no process metrics', async () => {
    expect(processMetricsWithoutMetrics).toBe(false);
    const quiet = await startStack({ METRICS: 'false' });
    expect((await fetch(`${quiet.url}/metrics`)).status).toBe(404);
    await quiet.close();
  });
});
