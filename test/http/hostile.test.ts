// Hostile input: a seeded, bounded generator of malformed and hostile HTTP requests against /mcp,
// /api/v1/chat and /api/v1/whoami, with valid, invalid and no credentials, sent as raw bytes over
// loopback sockets (so duplicate headers, bare LFs, non-UTF-8 bytes and broken framing reach the server).
//
// The bar (/work/shared/peers.md §5): no 5xx, no stack trace or internal error text, no secret in any
// response (headers included), and the gateway still answers normally afterwards.
//
// HOSTILE_SEED and HOSTILE_COUNT override the defaults for a longer local run; failures print the seed
// and the case id, and `minimal reproducer` lines show the exact bytes.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { startStack, type Stack } from '../helpers/stack.js';

const SEED = Number(process.env.HOSTILE_SEED ?? 0x5eed2024);
const COUNT = Number(process.env.HOSTILE_COUNT ?? 3000);
const CONCURRENCY = 6;
const REQUEST_TIMEOUT_MS = 15_000;
const WALL_LIMIT_MS = 150_000;
const ONLY = process.env.HOSTILE_ONLY?.split(',').map(Number);
const ids = ONLY ?? Array.from({ length: COUNT }, (_, i) => i);

// ------------------------------------------------------------------ seeded randomness

/** mulberry32: small, fast, and the same sequence on every platform. */
function rngFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The PRNG seed of case `id`: seeds and ids mixed so that neighbouring seeds share no cases. */
function caseSeed(seed: number, id: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(id + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

class Gen {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

// ------------------------------------------------------------------ the cases

type Header = [string, string | Buffer];
interface Case {
  id: number;
  kind: string;
  /** Exact bytes sent when set; otherwise built from method/path/headers/body. */
  raw?: Buffer;
  method: string;
  path: string;
  headers: Header[];
  body?: Buffer;
}

interface Creds {
  salesAuth: string;
  limitedAuth: string;
  sid: string;
  csrf: string;
  origin: string;
}

const SQLISH = [
  'name; DROP TABLE `tabCustomer`--',
  "' OR '1'='1",
  '`tabUser`.`password`',
  'name as x',
  'count(*)',
  '(select password from `__Auth`)',
  'sleep(5)',
  '*',
  'tabCustomer.name',
  'name) union select 1,2,3 --',
  '1; --',
  'creation desc, (select 1)',
];
const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  '😀'.repeat(50),
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '{{7*7}}${7*7}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'Customer',
  'Sales Invoice',
  'Administrator',
  'frappe.client.get_list',
  'frappe.auth.get_logged_user',
  'os.system',
  '@ai show me top 5 customers',
  '@ai delete every customer',
  'null',
  'NaN',
  '-1',
  '1e309',
  'x'.repeat(141),
  ...SQLISH,
];
const ODD_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', '\u0000', '$where'];

function hostileString(g: Gen): string {
  const r = g.int(10);
  if (r === 0) return g.pick(['A', 'é', '\u0000', '😀', '\\', '"']).repeat(g.pick([1_000, 10_000, 100_000]));
  if (r === 1) return String.fromCharCode(...Array.from({ length: 1 + g.int(40) }, () => g.int(0x10000)));
  return g.pick(ODD_STRINGS);
}

function hostileValue(g: Gen, depth = 0): unknown {
  const r = g.int(depth > 3 ? 7 : 10);
  switch (r) {
    case 0:
      return null;
    case 1:
      return g.bool();
    case 2:
      return g.pick([0, -1, 1.5, -0, 1e308, -1e308, 2 ** 53 + 1, 4294967296, 99999999999, 5]);
    case 3:
    case 4:
    case 5:
      return hostileString(g);
    case 6:
      return g.pick(SQLISH);
    case 7: {
      const n = g.int(5);
      return Array.from({ length: n }, () => hostileValue(g, depth + 1));
    }
    default: {
      const o: Record<string, unknown> = {};
      const n = g.int(5);
      for (let i = 0; i < n; i++) {
        const key = g.bool(0.4) ? g.pick([...ODD_KEYS, ...SQLISH]) : g.pick(['doctype', 'name', 'fields', 'filters']);
        o[key] = hostileValue(g, depth + 1);
      }
      return o;
    }
  }
}

/** Tool arguments that look almost right: known keys with wrong or hostile values, plus strangers. */
function toolArgs(g: Gen): unknown {
  if (g.bool(0.08)) return hostileValue(g, 2);
  const args: Record<string, unknown> = {};
  const keys = [
    'doctype',
    'name',
    'fields',
    'filters',
    'or_filters',
    'limit',
    'order_by',
    'cursor',
    'doc',
    'report_name',
    'method',
    'params',
    'text',
    'txt',
    'action',
    'module',
    'search',
    'group_by',
  ];
  const n = 1 + g.int(4);
  for (let i = 0; i < n; i++) {
    const key = g.bool(0.85) ? g.pick(keys) : g.pick([...ODD_KEYS, ...SQLISH]);
    let value: unknown;
    switch (key) {
      case 'doctype':
        value = g.bool(0.5) ? g.pick(['Customer', 'Sales Invoice', 'User', 'DocType', 'Has Role']) : hostileValue(g);
        break;
      case 'fields':
        value = g.bool(0.7) ? Array.from({ length: 1 + g.int(4) }, () => g.pick([...SQLISH, 'name'])) : hostileValue(g);
        break;
      case 'filters':
      case 'or_filters':
        value = g.pick<unknown>([
          [[g.pick(SQLISH), '=', 'x']],
          [['name', g.pick(['like', 'in', 'between', 'is', 'exec', ';']), hostileValue(g)]],
          { [g.pick(SQLISH)]: hostileValue(g) },
          { name: ['in', hostileValue(g)] },
          hostileValue(g),
        ]);
        break;
      case 'limit':
        value = g.pick([-1, 0, 1e9, 1.5, '5', null, 'all', 2 ** 31]);
        break;
      default:
        value = hostileValue(g);
    }
    args[key] = value;
  }
  return args;
}

const MCP_METHODS = [
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'tools/call',
  'tools/call',
  'tools/call',
  'resources/list',
  'resources/read',
  'resources/templates/list',
  'prompts/list',
  'prompts/get',
  'logging/setLevel',
  'completion/complete',
  'notifications/initialized',
  'notifications/cancelled',
  'tasks/get',
  'sampling/createMessage',
  'nope',
  '',
  'tools/',
  'rpc.discover',
  '__proto__',
  'tools/call/../list',
  'x'.repeat(5000),
];

function rpcId(g: Gen): unknown {
  return g.pick<unknown>([1, 0, -1, 'abc', '', null, 1.5, 2 ** 60, {}, [], true, 'i'.repeat(2000), undefined]);
}

function rpcMessage(g: Gen, tools: readonly string[]): unknown {
  const method = g.pick(MCP_METHODS);
  const msg: Record<string, unknown> = {};
  msg.jsonrpc = g.bool(0.9) ? '2.0' : g.pick<unknown>(['1.0', 2, null, '', '2.0 ']);
  const id = rpcId(g);
  if (id !== undefined) msg.id = id;
  if (g.bool(0.97)) msg.method = g.bool(0.97) ? method : hostileValue(g);
  let params: unknown;
  if (method === 'tools/call') {
    params = {
      name: g.bool(0.85) ? g.pick(tools) : hostileValue(g),
      arguments: toolArgs(g),
      ...(g.bool(0.1) ? { _meta: hostileValue(g) } : {}),
    };
  } else if (method === 'initialize') {
    params = {
      protocolVersion: g.pick<unknown>(['2025-11-25', '2025-06-18', '2026-07-28', '1999-01-01', '', null, 7]),
      capabilities: g.bool(0.7) ? {} : hostileValue(g),
      clientInfo: g.bool(0.7) ? { name: 'h', version: '1' } : hostileValue(g),
    };
  } else if (method === 'resources/read') {
    params = {
      uri: g.pick<unknown>([
        'frappe://doctype/Customer',
        'frappe://Customer/Acme Corp',
        `frappe://Customer/${g.pick(SQLISH)}`,
        'file:///etc/passwd',
        'http://127.0.0.1:1/',
        'frappe://../../x',
        hostileValue(g),
      ]),
    };
  } else if (method === 'prompts/get') {
    params = { name: hostileString(g), arguments: hostileValue(g) };
  } else {
    params = g.bool(0.6) ? {} : hostileValue(g);
  }
  if (g.bool(0.9)) msg.params = params;
  if (g.bool(0.05)) msg[g.pick(ODD_KEYS)] = hostileValue(g);
  return msg;
}

/** Bodies that are not JSON, or JSON that is abusive in shape rather than content. */
function brokenBody(g: Gen, valid: string): Buffer {
  switch (g.int(16)) {
    case 0:
      return Buffer.from(valid.slice(0, g.int(valid.length)));
    case 1:
      return Buffer.from('['.repeat(100_000));
    case 2:
      return Buffer.from('{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000));
    case 3:
      return Buffer.from('['.repeat(5_000) + ']'.repeat(5_000));
    case 4:
      return Buffer.from(g.pick(['', ' ', 'null', 'true', '0', '"x"', '[]', '{}', 'NaN', 'undefined', '\ufeff{}']));
    case 5:
      return Buffer.from(valid.replace(/"/g, "'"));
    case 6:
      return Buffer.from(valid + ',');
    case 7:
      return Buffer.concat([
        Buffer.from(valid.slice(0, 20)),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80, 0x00]),
        Buffer.from(valid.slice(20)),
      ]);
    case 8:
      return Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from(valid)]);
    case 9:
      return Buffer.from(valid, 'utf16le');
    case 10:
      return Buffer.from(
        `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":"${'A'.repeat(g.pick([100_000, 900_000]))}"}}`,
      );
    case 11:
      return Buffer.from(
        Array.from({ length: valid.length > 10_000 ? 2 : g.pick([2, 50, 1000]) }, () => valid).join(','),
      );
    case 12:
      return Buffer.from(`{"a":1,"a":2,"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}`);
    case 13:
      return Buffer.from(Array.from({ length: 64 + g.int(512) }, () => g.int(256)));
    case 14:
      return Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping","params":{' + '"k":1,'.repeat(50_000) + '"z":0}}');
    default:
      return Buffer.from(`${valid}\u0000`);
  }
}

const CONTENT_TYPES = [
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=bogus',
  'application/json; charset="',
  'application/vnd.api+json',
  'text/plain',
  'text/event-stream',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'multipart/form-data',
  '*/*',
  'application/json, text/html',
  ';;;',
  'application/jsonx',
  'APPLICATION/JSON',
  '',
];
const ACCEPTS = [
  'application/json, text/event-stream',
  'application/json, text/event-stream',
  'application/json',
  'text/event-stream',
  '*/*',
  'text/html',
  '',
  'application/json;q=0, text/event-stream;q=0',
  'x'.repeat(4000),
];

function credentialHeaders(g: Gen, c: Creds): { headers: Header[]; label: string } {
  switch (g.int(12)) {
    case 0:
    case 1:
    case 2:
      return { headers: [['Authorization', c.salesAuth]], label: 'sales-key' };
    case 3:
      return { headers: [['Authorization', c.limitedAuth]], label: 'limited-key' };
    case 4:
      return {
        headers: [
          ['Cookie', `sid=${c.sid}`],
          ...(g.bool(0.6)
            ? ([
                ['Origin', c.origin],
                ['X-Frappe-CSRF-Token', g.bool(0.8) ? c.csrf : hostileString(g).slice(0, 200)],
              ] as Header[])
            : []),
        ],
        label: 'sid',
      };
    case 5:
      return { headers: [], label: 'none' };
    case 6:
      return { headers: [], label: 'none' };
    case 7:
      return {
        headers: [
          [
            'Authorization',
            g.pick([
              'token demo-sales-key:wrong-secret',
              'token unknown-key:unknown-secret',
              'token :',
              'token',
              'token demo-sales-key',
              'Bearer',
              'Bearer ' + 'A'.repeat(8000),
              'Bearer not.a.jwt',
              'Basic !!!notbase64',
              'Basic ' + Buffer.from('demo-sales-key:wrong').toString('base64'),
              'Digest x',
              'token ' + 'k'.repeat(3000) + ':' + 's'.repeat(3000),
              ' token demo-sales-key:x',
              'TOKEN demo-sales-key:x',
            ]),
          ],
        ],
        label: 'bad-auth',
      };
    case 8:
      return {
        headers: [
          ['Authorization', c.salesAuth],
          ['Authorization', g.bool() ? c.limitedAuth : 'Bearer x'],
        ],
        label: 'duplicate-auth',
      };
    case 9:
      return {
        headers: [
          [
            'Cookie',
            g.pick([
              `sid=${c.sid}; sid=Guest`,
              'sid=',
              'sid=Guest',
              `sid=${'x'.repeat(4000)}`,
              'sid',
              ';;;=',
              'sid=%ZZ',
              `sid="${c.sid}`,
            ]),
          ],
        ],
        label: 'bad-cookie',
      };
    case 10:
      return {
        headers: [
          ['Authorization', c.salesAuth],
          ['Cookie', `sid=${c.sid}`],
        ],
        label: 'key+cookie',
      };
    default:
      return {
        headers: [
          [
            'Authorization',
            Buffer.concat([Buffer.from('token demo-sales-key:'), Buffer.from([0xff, 0xc3, 0x28, 0xe9])]),
          ],
        ],
        label: 'latin1-auth',
      };
  }
}

function oddHeaders(g: Gen, c: Creds): Header[] {
  const out: Header[] = [];
  const n = g.int(4);
  for (let i = 0; i < n; i++) {
    out.push(
      g.pick<Header>([
        [
          'Origin',
          g.pick(['null', 'http://evil.example.com', c.origin, 'file://', 'x'.repeat(3000), c.origin + '.evil.com']),
        ],
        ['Sec-Fetch-Site', g.pick(['cross-site', 'same-origin', 'none', '???'])],
        [
          'MCP-Protocol-Version',
          g.pick(['2025-11-25', '2026-07-28', '1999-01-01', '', 'x'.repeat(500), '2025-11-25, 2026-07-28']),
        ],
        ['Mcp-Session-Id', g.pick(['abc', '', '\u00ff'.repeat(10), 'x'.repeat(2000)])],
        ['Mcp-Method', g.pick(['tools/call', 'nope', ''])],
        ['Mcp-Name', g.pick(['whoami', SQLISH[0]!])],
        ['X-Forwarded-For', g.pick(['1.2.3.4', 'garbage', '::1, 127.0.0.1, evil', ''])],
        ['X-Forwarded-Host', 'evil.example.com'],
        ['X-Forwarded-Proto', 'gopher'],
        ['X-Request-Id', g.pick(['\u00e9\u00e8', 'x'.repeat(5000), '<script>'])],
        ['Content-Encoding', g.pick(['gzip', 'deflate', 'br', 'identity', 'bogus', 'gzip, gzip'])],
        ['Expect', g.pick(['100-continue', 'teapot'])],
        ['Range', 'bytes=0-1,2-3'],
        ['If-None-Match', '*'],
        ['Accept-Encoding', g.pick(['gzip', '*;q=0', 'x'.repeat(1000)])],
        ['X-Frappe-CSRF-Token', hostileString(g).slice(0, 300)],
        ['Last-Event-ID', g.pick(['1', 'x'.repeat(1000), '-1'])],
        [`X-Dup`, 'a'],
        ['Accept-Language', g.pick(['*', 'zz-ZZ', 'x'.repeat(1000)])],
        ['User-Agent', Buffer.from([0x4d, 0x6f, 0x7a, 0xff, 0xfe])],
      ]),
    );
  }
  if (g.bool(0.05)) out.push(...Array.from({ length: 300 }, (_, i): Header => [`X-Many-${i}`, 'v']));
  return out;
}

/** Requests broken at the HTTP framing level: the server's parser must answer 4xx without the app. */
function framingCase(g: Gen, host: string, c: Creds): Buffer {
  const body = '{"jsonrpc":"2.0","id":1,"method":"ping"}';
  const path = g.pick(['/mcp', '/api/v1/chat', '/api/v1/whoami']);
  const auth = `Authorization: ${c.salesAuth}\r\n`;
  const variants: Array<() => Buffer> = [
    () =>
      Buffer.from(
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      ),
    () =>
      Buffer.from(
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Length: 3\r\nContent-Length: 40\r\n\r\n${body}`,
      ),
    () =>
      Buffer.from(
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\n${auth}Transfer-Encoding: chunked\r\n\r\nzz\r\n${body}\r\n0\r\n\r\n`,
      ),
    () =>
      Buffer.from(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\n${auth}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`),
    () => Buffer.from(`POST ${path} HTTP/1.1\r\n${auth}Content-Length: ${body.length}\r\n\r\n${body}`),
    () =>
      Buffer.from(
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example.com\r\n${auth}Content-Length: ${body.length}\r\n\r\n${body}`,
      ),
    () =>
      Buffer.from(
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nX-Folded: a\r\n b\r\n${auth}Content-Length: ${body.length}\r\n\r\n${body}`,
      ),
    () => Buffer.from(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\nBad Header: x\r\n\r\n`),
    () => Buffer.from(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\nX-Nul: a\u0000b\r\n\r\n`),
    () =>
      Buffer.from(
        `POST ${path} HTTP/1.1\nHost: ${host}\n${auth.replace('\r', '')}Content-Length: ${body.length}\n\n${body}`,
      ),
    () => Buffer.from(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`),
    () =>
      Buffer.from(`POST ${path}?${'a=1&'.repeat(4000)} HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Length: 0\r\n\r\n`),
    () => Buffer.from(`POST /${'%'.repeat(3)}${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`),
    () => Buffer.from(`POST ${path}/../mcp HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Length: 0\r\n\r\n`),
    () => Buffer.from(`BREW ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`),
    () => Buffer.from(`POST ${path} HTTP/9.9\r\nHost: ${host}\r\n\r\n`),
    () => Buffer.from(`POST ${path} HTTP/1.0\r\nHost: ${host}\r\n${auth}Content-Length: ${body.length}\r\n\r\n${body}`),
    () =>
      Buffer.from(`POST http://evil.example.com${path} HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Length: 0\r\n\r\n`),
    () =>
      Buffer.concat([
        Buffer.from(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\nX-Bytes: `),
        Buffer.from([0xff, 0x80, 0x7f, 0x01]),
        Buffer.from('\r\n\r\n'),
      ]),
    () =>
      Buffer.from(
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Type: application/json\r\nContent-Length: -1\r\n\r\n`,
      ),
    () =>
      Buffer.from(
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n`,
      ),
    () => Buffer.from(`GET ${path}?q=%E0%A4%A HTTP/1.1\r\nHost: ${host}\r\n${auth}\r\n`),
    () => Buffer.from(`GET ${path}?a[b][c][d][e]=1&a=2&a[]=3 HTTP/1.1\r\nHost: ${host}\r\n${auth}\r\n`),
  ];
  return g.pick(variants)();
}

function makeCase(id: number, g: Gen, c: Creds, host: string, tools: readonly string[]): Case {
  const r = g.int(100);
  if (r < 4) return { id, kind: 'framing', raw: framingCase(g, host, c), method: '', path: '', headers: [] };

  const cred = credentialHeaders(g, c);
  const headers: Header[] = [...cred.headers];
  const target = r < 58 ? 'mcp' : r < 86 ? 'chat' : 'whoami';

  if (target === 'whoami') {
    const method = g.pick(['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']);
    const query = g.bool(0.3)
      ? '?' +
        g.pick([
          'x=1',
          'user=Administrator',
          'a[b]=1',
          '%ff=%fe',
          `q=${encodeURIComponent(g.pick(SQLISH))}`,
          'x'.repeat(2000),
        ])
      : '';
    const body = g.bool(0.2) ? Buffer.from(JSON.stringify(hostileValue(g))) : undefined;
    if (body) headers.push(['Content-Type', g.pick(CONTENT_TYPES)]);
    headers.push(...oddHeaders(g, c));
    return { id, kind: `whoami/${method}/${cred.label}`, method, path: `/api/v1/whoami${query}`, headers, body };
  }

  if (target === 'chat') {
    const method = g.bool(0.93) ? 'POST' : g.pick(['GET', 'PUT', 'DELETE', 'OPTIONS']);
    const msg: Record<string, unknown> = {};
    if (g.bool(0.9))
      msg.message = g.bool(0.5)
        ? g.pick([
            'show me top 5 customers',
            '@ai show me top 5 customers',
            'how many sales invoices are overdue',
            `show customers where ${g.pick(SQLISH)}`,
            `delete customer ${g.pick(SQLISH)}`,
            `create a customer named ${hostileString(g).slice(0, 300)}`,
            `open ${g.pick(ODD_STRINGS)}`,
            'top 1000000000 customers',
            'show me -5 customers',
          ])
        : hostileValue(g);
    if (g.bool(0.25))
      msg.context = g.bool(0.5)
        ? { route: [g.pick(ODD_STRINGS)], doctype: g.pick(SQLISH), docname: hostileString(g) }
        : hostileValue(g);
    if (g.bool(0.1)) msg.confirm = g.bool() ? hostileString(g) : hostileValue(g);
    if (g.bool(0.08)) msg[g.pick([...ODD_KEYS, 'stream', 'tools'])] = hostileValue(g);
    const valid = JSON.stringify(msg);
    const body = g.bool(0.25) ? brokenBody(g, valid) : Buffer.from(valid);
    if (g.bool(0.9)) headers.push(['Content-Type', g.pick(CONTENT_TYPES)]);
    if (g.bool(0.7)) headers.push(['Accept', g.pick(['application/json', 'text/event-stream', ...ACCEPTS])]);
    headers.push(...oddHeaders(g, c));
    return { id, kind: `chat/${method}/${cred.label}`, method, path: '/api/v1/chat', headers, body };
  }

  const method = g.bool(0.92) ? 'POST' : g.pick(['GET', 'DELETE', 'PUT', 'OPTIONS', 'PATCH']);
  let payload: unknown;
  if (g.bool(0.1)) {
    const n = g.pick([0, 1, 3, 20, 200]);
    payload = Array.from({ length: n }, () => rpcMessage(g, tools));
  } else {
    payload = rpcMessage(g, tools);
  }
  const valid = JSON.stringify(payload) ?? 'null';
  const body = g.bool(0.2) ? brokenBody(g, valid) : Buffer.from(valid);
  if (g.bool(0.92)) headers.push(['Content-Type', g.pick(CONTENT_TYPES)]);
  if (g.bool(0.92)) headers.push(['Accept', g.pick(ACCEPTS)]);
  if (g.bool(0.5)) headers.push(['MCP-Protocol-Version', g.pick(['2025-11-25', '2025-06-18', '2026-07-28'])]);
  headers.push(...oddHeaders(g, c));
  return { id, kind: `mcp/${method}/${cred.label}`, method, path: '/mcp', headers, body };
}

// ------------------------------------------------------------------ sending raw bytes

/** Bodies stay under 6 MB (above every limit the gateway sets, so 413 is still exercised). */
const MAX_BODY = 6 * 1024 * 1024;

function requestBytes(c: Case, host: string): Buffer {
  if (c.raw) return c.raw;
  if (c.body && c.body.length > MAX_BODY) c.body = c.body.subarray(0, MAX_BODY);
  const parts: Buffer[] = [Buffer.from(`${c.method} ${c.path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n`)];
  for (const [k, v] of c.headers)
    parts.push(Buffer.from(`${k}: `), Buffer.isBuffer(v) ? v : Buffer.from(v, 'latin1'), Buffer.from('\r\n'));
  if (c.body) parts.push(Buffer.from(`Content-Length: ${c.body.length}\r\n`));
  parts.push(Buffer.from('\r\n'));
  if (c.body) parts.push(c.body);
  return Buffer.concat(parts);
}

interface Answer {
  status: number;
  text: string;
  timedOut: boolean;
  error?: string;
}

/** Drops interim 1xx answers (e.g. 100 Continue) so the final answer comes first. */
function finalAnswer(text: string): string {
  let t = text;
  while (/^HTTP\/1\.[01] 1\d\d /.test(t)) {
    const end = t.indexOf('\r\n\r\n');
    if (end === -1) return t;
    t = t.slice(end + 4);
  }
  return t;
}

/** True once `buf` holds one whole final answer (by Content-Length, chunked end, or no body). */
function complete(buf: Buffer, head: boolean): boolean {
  const text = finalAnswer(buf.toString('latin1'));
  const end = text.indexOf('\r\n\r\n');
  if (!/^HTTP\/1\.[01] \d{3}/.test(text) || end === -1) return false;
  const headers = text.slice(0, end).toLowerCase();
  const status = Number(text.slice(9, 12));
  if (head || status === 204 || status === 304) return true;
  const cl = /\ncontent-length: *(\d+)/.exec(headers);
  if (cl) return text.length - end - 4 >= Number(cl[1]);
  if (/\ntransfer-encoding: *chunked/.test(headers)) return text.endsWith('\r\n0\r\n\r\n');
  return false; // read until close
}

function send(port: number, bytes: Buffer): Promise<Answer> {
  const head = bytes.subarray(0, 5).toString('latin1') === 'HEAD ';
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const sock = connect({ host: '127.0.0.1', port });
    const finish = (timedOut: boolean, error?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const text = finalAnswer(Buffer.concat(chunks).toString('utf8'));
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text, timedOut, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => finish(true), REQUEST_TIMEOUT_MS);
    sock.on('data', (d: Buffer) => {
      // Keep the first 4 MB: enough to scan any answer the gateway should give.
      if (size < 4 * 1024 * 1024) chunks.push(d);
      size += d.length;
      if (complete(Buffer.concat(chunks), head)) finish(false);
    });
    sock.on('close', () => finish(false));
    // The server may answer early (413, 400) and reset while we still write: that is fine.
    sock.on('error', (err) => finish(false, err.message));
    // No half-close: Node's server aborts a request whose client sent FIN (real clients do not).
    sock.write(bytes);
  });
}

// ------------------------------------------------------------------ what must never appear

const STACK_PATTERNS: Array<[string, RegExp]> = [
  ['stack frame', /\n\s*at [\w$.<>[\] ]*\(?[^\s()]*:\d+:\d+\)?/],
  ['stack frame', /\bat (?:async )?[\w$.<>]+ \((?:file:|node:|\/)/],
  ['source path', /(?:\/work\/|\/src\/|\/dist\/|node_modules|file:\/\/\/)[^\s"']*\.(?:ts|js|mjs|cjs)\b/],
  ['source path', /\bnode:internal\b/],
  [
    'JS error',
    /\b(?:TypeError|ReferenceError|SyntaxError|RangeError|EvalError|URIError|AggregateError|AxiosError|ZodError|Error): /,
  ],
  ['Python traceback', /Traceback \(most recent call last\)|frappe\.exceptions\.|File "[^"]+\.py", line \d+/],
  [
    'internal text',
    /\bundefined is not\b|\bcannot read propert(?:y|ies) of\b|\bis not a function\b|ECONNREFUSED|ECONNRESET|EPIPE/i,
  ],
];

function secretsOf(c: Creds): string[] {
  return [
    ...Object.values(DEMO_API_KEYS).map((k) => k.secret),
    ...Object.values(DEMO_USERS).map((u) => u.password),
    c.sid,
    c.csrf,
  ].filter((s) => s.length >= 8);
}

function reproducer(c: Case, host: string): string {
  const bytes = requestBytes(c, host);
  const shown =
    bytes.length > 600 ? Buffer.concat([bytes.subarray(0, 600), Buffer.from(`…(${bytes.length} bytes)`)]) : bytes;
  return JSON.stringify(shown.toString('latin1'));
}

// ------------------------------------------------------------------ the test

let stack: Stack;
let creds: Creds;
let port: number;
let host: string;

beforeAll(async () => {
  // Thousands of requests in seconds as one user: the per-user budget (tested on its own) is off here.
  stack = await startStack({ LOG_LEVEL: 'warn', RATE_LIMIT_PER_USER_PER_MINUTE: '0' });
  const url = new URL(stack.url);
  port = Number(url.port);
  host = url.host;
  const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  creds = {
    salesAuth: `token ${DEMO_API_KEYS.sales.key}:${DEMO_API_KEYS.sales.secret}`,
    limitedAuth: `token ${DEMO_API_KEYS.limited.key}:${DEMO_API_KEYS.limited.secret}`,
    sid,
    csrf: stack.standin.armCsrf(sid),
    origin: url.origin,
  };
});

afterAll(async () => {
  await stack?.close();
});

async function normalRequestsWork(): Promise<void> {
  const who = await fetch(`${stack.url}/api/v1/whoami`, { headers: { Authorization: creds.salesAuth } });
  expect(who.status).toBe(200);
  expect(await who.json()).toMatchObject({ user: 'sales@example.com' });
  const mcp = await fetch(`${stack.url}/mcp`, {
    method: 'POST',
    headers: {
      Authorization: creds.salesAuth,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }),
  });
  expect(mcp.status).toBe(200);
  expect(await mcp.text()).toContain('"list_documents"');
  const chat = await fetch(`${stack.url}/api/v1/chat`, {
    method: 'POST',
    headers: { Authorization: creds.salesAuth, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ message: 'show me top 5 customers' }),
  });
  expect(chat.status).toBe(200);
}

describe('hostile input', () => {
  it('the detectors catch what they look for', () => {
    const trace =
      'TypeError: x is not a function\n    at handler (/work/main/src/http/app.ts:10:5)\n    at node:internal/x:1:1';
    for (const bad of [
      trace,
      '{"message":"Error: boom"}',
      'Traceback (most recent call last):\n  File "x.py", line 3',
      'at Object.<anonymous> (file:///a.js:1:1)',
    ]) {
      expect(
        STACK_PATTERNS.some(([, re]) => re.test(bad)),
        bad,
      ).toBe(true);
    }
    for (const fine of [
      '{"error":{"code":"invalid_json","message":"The request body is not valid JSON."}}',
      '{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error: Invalid JSON"},"id":null}',
      'Frappe refused (403 PermissionError): User x does not have doctype access',
    ]) {
      expect(
        STACK_PATTERNS.filter(([, re]) => re.test(fine)),
        fine,
      ).toEqual([]);
    }
  });

  it('the generator is deterministic for a seed', () => {
    const c: Creds = { salesAuth: 'a', limitedAuth: 'b', sid: 'c', csrf: 'd', origin: 'http://o' };
    const a = Array.from({ length: 50 }, (_, i) =>
      requestBytes(makeCase(i, new Gen(rngFrom(caseSeed(SEED, i))), c, 'h', ['t']), 'h'),
    );
    const b = Array.from({ length: 50 }, (_, i) =>
      requestBytes(makeCase(i, new Gen(rngFrom(caseSeed(SEED, i))), c, 'h', ['t']), 'h'),
    );
    expect(a.map((x) => x.toString('base64'))).toEqual(b.map((x) => x.toString('base64')));
  });

  // Reproducers of bugs this generator found, kept as named cases so a regression names itself.
  const known: Array<[string, (h: string) => Buffer]> = [
    [
      'an absolute-form request target (POST http://other.host/mcp) is not a 500',
      (h) =>
        Buffer.from(
          `POST http://evil.example.com/mcp HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\nAuthorization: ${creds.salesAuth}\r\n` +
            `Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 40\r\n\r\n` +
            '{"jsonrpc":"2.0","id":1,"method":"ping"}',
        ),
    ],
    [
      'JSON-RPC params nested 5000 deep are not a 500',
      (h) => {
        const body = `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
        return Buffer.from(
          `POST /mcp HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\nAuthorization: ${creds.salesAuth}\r\n` +
            `Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        );
      },
    ],
    [
      'a 20000-deep JSON object with a foreign Content-Type is not a 500',
      (h) => {
        const body = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
        return Buffer.from(
          `POST /mcp HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\nAuthorization: ${creds.salesAuth}\r\n` +
            `Content-Type: application/jsonx\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        );
      },
    ],
  ];
  for (const [name, bytes] of known) {
    it(name, async () => {
      const a = await send(port, bytes(host));
      expect(a.status, a.text.slice(0, 300)).toBeGreaterThanOrEqual(200);
      expect(a.status, a.text.slice(0, 300)).toBeLessThan(500);
    });
  }

  it(`survives ${COUNT} malformed and hostile requests (seed ${SEED}) with no 5xx, trace or secret`, async () => {
    await normalRequestsWork();
    const list = await fetch(`${stack.url}/mcp`, {
      method: 'POST',
      headers: {
        Authorization: creds.salesAuth,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    const listed = (await list.text()).replace(/^(?:event: .*\n)?data: /m, '');
    const tools = (JSON.parse(listed) as { result: { tools: Array<{ name: string }> } }).result.tools.map(
      (t) => t.name,
    );
    expect(tools.length).toBeGreaterThan(10);
    tools.push('nope', 'whoami ', 'WHOAMI', '../whoami');

    const secrets = secretsOf(creds);
    const findings: string[] = [];
    const statuses = new Map<number, number>();
    const started = Date.now();
    let nextId = 0;

    const worker = async (): Promise<void> => {
      for (;;) {
        const id = nextId++;
        if (id >= ids.length || Date.now() - started > WALL_LIMIT_MS) return;
        // One PRNG per case: HOSTILE_ONLY=<id,id> re-runs chosen cases alone.
        const c = makeCase(ids[id]!, new Gen(rngFrom(caseSeed(SEED, ids[id]!))), creds, host, tools);
        const a = await send(port, requestBytes(c, host));
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        const problems: string[] = [];
        if (a.timedOut) problems.push(`no complete answer within ${REQUEST_TIMEOUT_MS} ms`);
        else if (a.status === 0 && !a.error) problems.push('connection closed without a status line');
        if (a.status >= 500) problems.push(`HTTP ${a.status}`);
        for (const [what, re] of STACK_PATTERNS) {
          const m = re.exec(a.text);
          if (m) problems.push(`${what}: ${JSON.stringify(a.text.slice(Math.max(0, m.index - 80), m.index + 120))}`);
        }
        for (const s of secrets) if (a.text.includes(s)) problems.push(`secret in answer: ${s.slice(0, 4)}…`);
        if (problems.length) {
          findings.push(
            `#${c.id} ${c.kind}: ${problems.join('; ')}\n  answer: ${JSON.stringify(a.text.slice(0, 400))}\n  minimal reproducer (bytes): ${reproducer(c, host)}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsed = Date.now() - started;

    const summary = `seed ${SEED}: ${Math.min(nextId, ids.length)} requests in ${elapsed} ms; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`;
    expect(findings.slice(0, 15).join('\n\n') + `\n\n${findings.length} findings; ${summary}`, summary).toBe(
      `\n\n0 findings; ${summary}`,
    );
    expect(elapsed, `over the ${WALL_LIMIT_MS} ms budget: ${summary}`).toBeLessThan(WALL_LIMIT_MS);

    // The generator reached the tools, not only the guards.
    const ok = [...statuses].filter(([s]) => s >= 200 && s < 300).reduce((n, [, k]) => n + k, 0);
    if (!ONLY) expect(ok, summary).toBeGreaterThan(COUNT / 30);
    if (!ONLY) expect(statuses.get(401) ?? 0, summary).toBeGreaterThan(0);

    // Still alive and still correct.
    await normalRequestsWork();
    // Nothing unexpected reached the error log. Known and reported: a broken chunked body on /mcp makes
    // Node abort the request and the MCP adapter logs that client abort at error level (the client gets
    // Node's own 400); tolerated here until mcp-route logs client aborts below error.
    const errors = stack.logs.filter(
      (l) => /"level":(?:50|60)/.test(l) && !/"message":"aborted".*"msg":"mcp adapter failed"/.test(l),
    );
    expect(errors.slice(0, 5)).toEqual([]);
  }, 240_000);
});
