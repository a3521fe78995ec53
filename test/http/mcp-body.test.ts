// POST /mcp bodies: plain JSON is read without body-parser (mcp-route.ts readPlainJson); every other
// body still goes through body-parser. Both must give the same answers, so each body is sent both ways:
// "application/json" takes the direct read, the same type with a quoted charset takes body-parser.
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { plainJsonLength } from '../../src/http/mcp-route.js';
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

const DIRECT = 'application/json';
const BODY_PARSER = 'application/json; charset="utf-8"';

async function post(body: Uint8Array | string, contentType: string) {
  const res = await fetch(`${stack.url}/mcp`, {
    method: 'POST',
    headers: {
      ...tokenHeader(sales.key, sales.secret),
      'Content-Type': contentType,
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2025-11-25',
    },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

const listCall = (extra = '') =>
  `{"jsonrpc":"2.0","id":"b-1","method":"tools/call","params":{"name":"list_documents","arguments":{"doctype":"Customer","fields":["name"],"limit":2${extra}}}}`;

/** Raw HTTP/1.1 on one socket: the body written in parts, or not all of it before hanging up. */
function rawPost(parts: string[], declaredLength: number, hangUp = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(stack.url);
    const socket = connect(Number(url.port), url.hostname);
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.on('connect', () => {
      socket.write(
        `POST /mcp HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: token ${sales.key}:${sales.secret}\r\n` +
          `Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n` +
          `MCP-Protocol-Version: 2025-11-25\r\nContent-Length: ${declaredLength}\r\nConnection: close\r\n\r\n`,
      );
      let i = 0;
      const next = (): void => {
        if (i < parts.length) {
          socket.write(parts[i++]!);
          setTimeout(next, 20);
        } else if (hangUp) socket.destroy();
      };
      next();
    });
  });
}

describe('plainJsonLength: which bodies skip body-parser', () => {
  const h = (headers: Record<string, string>) => plainJsonLength(headers, 1000);

  it('takes identity-encoded JSON of a declared length within the limit', () => {
    expect(h({ 'content-type': 'application/json', 'content-length': '42' })).toBe(42);
    expect(h({ 'content-type': 'Application/JSON; Charset=UTF-8', 'content-length': '1000' })).toBe(1000);
  });

  it('leaves everything else to body-parser', () => {
    for (const headers of <Array<Record<string, string>>>[
      { 'content-type': 'application/json', 'content-length': '1001' }, // over the limit: 413 from body-parser
      { 'content-type': 'application/json', 'content-length': '0' },
      { 'content-type': 'application/json', 'content-length': '042' },
      { 'content-type': 'application/json', 'content-length': '1e2' },
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', 'content-length': '42', 'content-encoding': 'gzip' },
      { 'content-type': 'application/json', 'content-length': '42', 'content-encoding': 'identity' },
      { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      { 'content-type': 'application/json; charset=utf-16', 'content-length': '42' },
      { 'content-type': 'application/json; charset="utf-8"', 'content-length': '42' },
      { 'content-type': 'text/plain', 'content-length': '42' },
      { 'content-length': '42' },
    ])
      expect(h(headers), JSON.stringify(headers)).toBeUndefined();
  });
});

describe('POST /mcp bodies read directly answer as body-parser does', () => {
  const cases: Array<[string, Uint8Array | string]> = [
    ['a tool call', listCall()],
    ['a tool call after a byte-order mark', `\ufeff${listCall()}`],
    [
      'invalid UTF-8 inside a string',
      Buffer.concat([Buffer.from(listCall(',"cursor":"')), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}}}')]),
    ],
    ['broken JSON', '{"jsonrpc":"2.0","id":1,'],
    ['a bare JSON value', '42'],
    ['JSON nested too deeply', `{"a":${'['.repeat(70)}${']'.repeat(70)}}`],
  ];
  for (const [what, body] of cases) {
    it(`${what}: same status and answer`, async () => {
      const direct = await post(body, DIRECT);
      const parsed = await post(body, BODY_PARSER);
      expect(direct).toEqual(parsed);
    });
  }

  it('parse errors are JSON-RPC parse errors, and nothing reaches Frappe', async () => {
    const { status, body } = await post('{"jsonrpc":', DIRECT);
    expect(status).toBe(400);
    expect(body).toEqual({
      jsonrpc: '2.0',
      error: { code: -32700, message: expect.stringMatching(/^Parse error/) },
      id: null,
    });
    expect(stack.standin.requests).toHaveLength(0);
  });

  it('reads a body that arrives in several parts', async () => {
    const body = listCall();
    const cut = [body.slice(0, 10), body.slice(10, 70), body.slice(70)];
    const answer = await rawPost(cut, Buffer.byteLength(body));
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"structuredContent":{"doctype":"Customer"');
    expect(stack.standin.requests.filter((r) => r.path === '/api/resource/Customer')).toHaveLength(1);
  });

  it('a client that hangs up mid-body costs nothing: no Frappe call, and the next request is served', async () => {
    const body = listCall();
    await rawPost([body.slice(0, 30)], Buffer.byteLength(body), true);
    await new Promise((r) => setTimeout(r, 50));
    expect(stack.standin.requests).toHaveLength(0);
    const after = await post(listCall(), DIRECT);
    expect(after.status).toBe(200);
  });
});
