// The direct answer for 2025-era stateless tools/call (mcp-route.ts fastToolCall) must be the answer the
// SDK gives: the same request sent with params._meta takes the SDK's path, so the two are compared.
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS } from '../../src/standin/demo.js';
import { startStack, tokenHeader, type Stack } from '../helpers/stack.js';

let stack: Stack;
const { sales } = DEMO_API_KEYS;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => stack.standin.resetRequests());

const HEADERS = {
  ...tokenHeader(sales.key, sales.secret),
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
  'MCP-Protocol-Version': '2025-11-25',
};

async function post(body: unknown, headers: Record<string, string> = HEADERS) {
  const res = await fetch(`${stack.url}/mcp`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text, json: JSON.parse(text) };
}

const call = (params: Record<string, unknown>, id: string | number = 7) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params,
});

describe('2025-era tools/call answered without a per-request MCP server', () => {
  it('gives the same JSON-RPC answer as the SDK path, data serialised once into text and structuredContent', async () => {
    const args = { doctype: 'Customer', fields: ['name', 'customer_name'], limit: 3 };
    const fast = await post(call({ name: 'list_documents', arguments: args }, 'a-1'));
    const sdk = await post(call({ name: 'list_documents', arguments: args, _meta: { progressToken: 1 } }, 'a-1'));
    expect(fast.status).toBe(200);
    expect(fast.type).toMatch(/^application\/json/);
    expect(fast.json).toEqual(sdk.json);
    expect(fast.json.id).toBe('a-1');
    expect(fast.json.result.structuredContent.rows).toHaveLength(3);
    expect(JSON.parse(fast.json.result.content[0].text)).toEqual(fast.json.result.structuredContent);
    expect(stack.standin.requests.filter((r) => r.path === '/api/resource/Customer')).toHaveLength(2);
  });

  it('gives tool errors the same way (unknown tool, bad arguments)', async () => {
    for (const params of [
      { name: 'no_such_tool', arguments: {} },
      { name: 'list_documents', arguments: { limit: 'x' } },
    ]) {
      const fast = await post(call(params));
      const sdk = await post(call({ ...params, _meta: {} }));
      expect(fast.status).toBe(200);
      expect(fast.json.result.isError).toBe(true);
      expect(fast.json).toEqual(sdk.json);
    }
  });

  it('leaves malformed calls, other versions and other Accept headers to the SDK', async () => {
    const bad = await post(call({ name: 3 }));
    expect(bad.json.error.code).toBe(-32602);
    const modern = await post(call({ name: 'whoami', arguments: {} }), {
      ...HEADERS,
      'MCP-Protocol-Version': '2026-07-28',
    });
    expect(modern.status).toBe(400);
    expect(modern.json.error).toBeDefined();
    const res = await fetch(`${stack.url}/mcp`, {
      method: 'POST',
      headers: { ...HEADERS, Accept: 'application/json' },
      body: JSON.stringify(call({ name: 'whoami', arguments: {} })),
    });
    expect(res.status).toBe(406);
    expect(stack.standin.requests).toHaveLength(0);
  });

  it('leaves to the SDK what its JSON-RPC and CallToolRequest schemas refuse, and the SDK refuses it', async () => {
    const base = { name: 'list_documents', arguments: { doctype: 'Customer' } };
    for (const body of [
      { ...call(base), id: 1.5 },
      { ...call(base), extra: true },
      { ...call(base), jsonrpc: '1.0' },
      call({ ...base, arguments: ['Customer'] }),
      call({ ...base, arguments: null }),
    ]) {
      const res = await post(body);
      expect(res.json.result, JSON.stringify(body)).toBeUndefined();
      expect(res.json.error.code, JSON.stringify(body)).toBeLessThan(-32000);
    }
    expect(stack.standin.requests).toHaveLength(0);
  });

  it('logs one line per tool call, with the request id and the user; a refused request keeps its request line', async () => {
    const lines = (id: string) =>
      stack.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.reqId === id);
    await post(call({ name: 'count_documents', arguments: { doctype: 'Customer' } }), {
      ...HEADERS,
      'X-Request-Id': 'one-line-1',
    });
    const mine = lines('one-line-1').filter((l) => l.level === 30);
    expect(mine).toHaveLength(1);
    // The audit trail is on by default and shares stdout: its line is the call's one line.
    expect(mine[0]).toMatchObject({
      msg: 'audit',
      event: 'tool_call',
      tool: 'count_documents',
      user: 'sales@example.com',
      outcome: 'ok',
    });
    await post(call({ name: 'whoami', arguments: {} }), {
      ...HEADERS,
      Authorization: 'token nope:nope',
      'X-Request-Id': 'one-line-2',
    });
    expect(lines('one-line-2').filter((l) => l.msg === 'request')).toHaveLength(1);
  });
});

describe('a client that hangs up', () => {
  // The hang-up signal is one per connection (mcp-route.ts hangUpSignal), so every call made on a
  // kept-alive connection must take its abort listener away again; Node warns past 10 listeners.
  // A raw socket, because the test setup's nock replaces node:http's client (without keep-alive).
  it('leaves no abort listener behind after many calls on one kept-alive connection', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    const { port } = new URL(stack.url);
    const socket = connect(Number(port), '127.0.0.1');
    const body = JSON.stringify(call({ name: 'list_documents', arguments: { doctype: 'Customer', limit: 2 } }));
    const head = Object.entries({ ...HEADERS, Host: `127.0.0.1:${port}`, 'Content-Length': String(body.length) })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (buffered += chunk));
    /** Sends one POST /mcp on the socket and waits for its whole answer (by Content-Length). */
    const exchange = async (): Promise<string> => {
      socket.write(`POST /mcp HTTP/1.1\r\n${head}\r\n${body}`);
      for (let i = 0; i < 400; i++) {
        const end = buffered.indexOf('\r\n\r\n');
        const length = Number(/content-length: (\d+)/i.exec(buffered)?.[1] ?? NaN);
        if (end >= 0 && buffered.length >= end + 4 + length) {
          const answer = buffered.slice(0, end + 4 + length);
          buffered = buffered.slice(answer.length);
          return answer;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error(`no whole answer: ${buffered.slice(0, 200)}`);
    };
    try {
      for (let i = 0; i < 15; i++) {
        const answer = await exchange();
        expect(answer).toMatch(/^HTTP\/1\.1 200 /);
        expect(answer).toMatch(/\r\nConnection: keep-alive\r\n/i);
      }
      await new Promise((r) => setImmediate(r));
    } finally {
      socket.destroy();
      process.off('warning', onWarning);
    }
    expect(stack.standin.requests.filter((r) => r.path === '/api/resource/Customer')).toHaveLength(15);
    expect(warnings).toEqual([]);
  });
});

describe('POST /mcp body depth', () => {
  // The body's root is depth 0 and arguments.x's outer array depth 3: n arrays put the innermost at 2 + n.
  const nested = (n: number) =>
    call({ name: 'count_documents', arguments: { x: JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`) as unknown } });

  it('reads a body nesting up to 63 levels and refuses one that reaches 64, changing nothing', async () => {
    const ok = await post(nested(61));
    expect(ok.status).toBe(200);
    expect(ok.text).not.toContain('nests too deeply');
    stack.standin.resetRequests();
    const refused = await post(nested(62));
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      jsonrpc: '2.0',
      error: { code: -32600, message: 'Request body nests too deeply.' },
      id: null,
    });
    expect(stack.standin.requests).toHaveLength(0);
  });
});
