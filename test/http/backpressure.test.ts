import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS } from '../../src/standin/demo.js';
import { connectMcp, startStack, tokenHeader, type Stack } from '../helpers/stack.js';

const { admin, sales, limited } = DEMO_API_KEYS;

/** A tools/call over plain HTTP, so the test can hang up mid-call. */
function callTool(stack: Stack, name: string, args: Record<string, unknown>, signal?: AbortSignal) {
  return fetch(`${stack.url}/mcp`, {
    method: 'POST',
    headers: {
      ...tokenHeader(sales.key, sales.secret),
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    ...(signal ? { signal } : {}),
  });
}

const chat = (stack: Stack, who: { key: string; secret: string } = sales) =>
  fetch(`${stack.url}/api/v1/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...tokenHeader(who.key, who.secret) },
    body: JSON.stringify({ message: 'how many customers' }),
  });

/** Polls (bounded) until the gateway's calls to Frappe match `want`. */
async function load(stack: Stack, want: { inFlight: number }): Promise<{ inFlight: number; queued: number }> {
  const limiter = stack.gateway.gateway.site.limiter!;
  for (let i = 0; i < 200 && limiter.load.inFlight !== want.inFlight; i++) await new Promise((r) => setTimeout(r, 25));
  return limiter.load;
}

describe('backpressure towards Frappe', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      FRAPPE_MAX_IN_FLIGHT: '1',
      FRAPPE_MAX_QUEUED: '1',
      RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    });
    // Both identities confirmed (and cached) before Frappe gets slow.
    for (const who of [sales, limited])
      expect((await fetch(`${stack.url}/api/v1/whoami`, { headers: tokenHeader(who.key, who.secret) })).status).toBe(
        200,
      );
  });
  afterAll(() => stack.close());

  it('past the cap, answers at once: a tool error over MCP, 503 + Retry-After over HTTP; then serves again', async () => {
    // Frappe holds these calls far longer than the test needs; the test hangs up on them when done.
    stack.standin.setFault('slow', { delayMs: 20_000, paths: /get_count.*doctype=Customer/ });
    const hold = new AbortController();
    try {
      const first = callTool(stack, 'count_documents', { doctype: 'Customer' }, hold.signal).catch(() => 'gone');
      expect(await load(stack, { inFlight: 1 })).toEqual({ inFlight: 1, queued: 0 });
      const second = callTool(stack, 'count_documents', { doctype: 'Customer' }, hold.signal).catch(() => 'gone');
      const limiter = stack.gateway.gateway.site.limiter!;
      for (let i = 0; i < 200 && limiter.load.queued === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(limiter.load).toEqual({ inFlight: 1, queued: 1 });

      const busy = await callTool(stack, 'count_documents', { doctype: 'Item' });
      expect(busy.status).toBe(200);
      const result = (await busy.json()) as { result: { isError?: boolean; content: Array<{ text: string }> } };
      expect(result.result.isError).toBe(true);
      expect(result.result.content[0]!.text).toMatch(/Frappe is busy/);

      const refused = await chat(stack, limited);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(((await refused.json()) as { answer: string }).answer).toMatch(/Frappe is busy/);

      // A warm identity's whoami asks Frappe nothing, so it is served even now.
      const warm = await fetch(`${stack.url}/api/v1/whoami`, { headers: tokenHeader(limited.key, limited.secret) });
      expect(warm.status).toBe(200);
      // A new credential needs Frappe to confirm it: refused at once, with when to try again.
      const fresh = await fetch(`${stack.url}/api/v1/whoami`, { headers: tokenHeader(admin.key, admin.secret) });
      expect(fresh.status).toBe(503);
      expect(Number(fresh.headers.get('retry-after'))).toBeGreaterThan(0);

      hold.abort();
      expect([await first, await second]).toEqual(['gone', 'gone']);
      // The waiting call left the queue with its caller, and the one in flight gave its slot back.
      expect(await load(stack, { inFlight: 0 })).toEqual({ inFlight: 0, queued: 0 });
    } finally {
      hold.abort();
      stack.standin.setFault(null);
    }
    const client = await connectMcp(stack.url, tokenHeader(sales.key, sales.secret));
    const again = await client.callTool({ name: 'list_documents', arguments: { doctype: 'Item' } });
    await client.close();
    expect(again.isError).toBeFalsy();
  });

  it('a caller that hangs up gives its slot back at once (the upstream request is aborted)', async () => {
    stack.standin.setFault('slow', { delayMs: 15_000, paths: /get_count.*doctype=Customer/ });
    try {
      const hangUp = new AbortController();
      const abandoned = callTool(stack, 'count_documents', { doctype: 'Customer' }, hangUp.signal).catch(() => 'gone');
      expect((await load(stack, { inFlight: 1 })).inFlight).toBe(1);
      hangUp.abort();
      expect(await abandoned).toBe('gone');
      // Long before Frappe's 15 s answer, the slot is free and the next caller is served.
      expect((await load(stack, { inFlight: 0 })).inFlight).toBe(0);
      const next = await callTool(stack, 'count_documents', { doctype: 'Item' });
      const body = (await next.json()) as { result: { isError?: boolean } };
      expect(body.result.isError).toBeFalsy();
    } finally {
      stack.standin.setFault(null);
    }
  });
});

describe('chat reports a Frappe failure with the HTTP status', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ FRAPPE_TIMEOUT_MS: '300', RATE_LIMIT_PER_USER_PER_MINUTE: '0' });
    expect((await fetch(`${stack.url}/api/v1/whoami`, { headers: tokenHeader(sales.key, sales.secret) })).status).toBe(
      200,
    );
  });
  afterAll(() => stack.close());

  it('504 when Frappe does not answer in time, 503 when it is down; the sentence says so', async () => {
    stack.standin.setFault('slow', { delayMs: 2000, paths: /get_count|\/api\/resource/ });
    const slow = await chat(stack);
    expect(slow.status).toBe(504);
    expect(((await slow.json()) as { answer: string }).answer).toMatch(/did not answer in time/);
    stack.standin.setFault('5xx', { status: 502, paths: /get_count|\/api\/resource/ });
    const down = await chat(stack);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBeTruthy();
    expect(((await down.json()) as { answer: string }).answer).toMatch(/Sorry/);
    // Streamed, the status has gone out as 200 with the first event: the closing event carries it.
    const streamed = await fetch(`${stack.url}/api/v1/chat`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'text/event-stream',
        ...tokenHeader(sales.key, sales.secret),
      },
      body: JSON.stringify({ message: 'how many customers' }),
    });
    const events = await streamed.text();
    const done = /event: done\ndata: (.*)\n/.exec(events);
    expect(done, events).not.toBeNull();
    expect(JSON.parse(done![1]!)).toMatchObject({ status: 503, retry_after: expect.any(Number) as unknown });
    stack.standin.setFault(null);
    expect((await chat(stack)).status).toBe(200);
  });
});
