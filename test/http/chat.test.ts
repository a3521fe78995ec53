import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { sidHeader, startStack, tokenHeader, type Stack } from '../helpers/stack.js';

interface ChatBody {
  answer: string;
  blocks: Array<{
    type: string;
    rows?: unknown[];
    links?: Array<{ doctype: string; name: string }>;
    value?: number;
    text?: string;
  }>;
  tool_calls: Array<{ name: string; arguments: Record<string, unknown> }>;
  error?: { code: string; message: string };
}

let stack: Stack;
let sidSales: string;
let sidLimited: string;

async function chat(
  headers: Record<string, string>,
  body: unknown,
  raw = false,
): Promise<{ status: number; body: ChatBody; text: string; type: string }> {
  const res = await fetch(`${stack.url}/api/v1/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: raw ? (body as string) : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = {} as ChatBody;
  try {
    parsed = JSON.parse(text) as ChatBody;
  } catch {
    // SSE or empty
  }
  return { status: res.status, body: parsed, text, type: res.headers.get('content-type') ?? '' };
}

beforeAll(async () => {
  stack = await startStack();
  sidSales = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  sidLimited = await stack.standin.login(DEMO_USERS.limited.user, DEMO_USERS.limited.password);
});
afterAll(async () => {
  const logs = stack.logs.join('\n');
  for (const s of [sidSales, sidLimited]) expect(logs).not.toContain(s);
  await stack.close();
});
beforeEach(() => stack.standin.resetRequests());

describe('POST /api/v1/chat', () => {
  it('answers "show me top 5 customers" with the best customers by what the sid user may read', async () => {
    const r = await chat(sidHeader(sidSales), { message: 'show me top 5 customers' });
    expect(r.status).toBe(200);
    // A plain Sales User may not read Sales Invoices, so the ranking uses submitted Sales Orders and says so.
    expect(r.body.tool_calls.map((c) => c.arguments.doctype)).toEqual(['Sales Invoice', 'Sales Order']);
    expect(r.body.answer.split('\n')[0]).toBe('Top 5 Customers by submitted Sales Orders (grand total)');
    expect(r.body.answer).toMatch(/You may not read Sales Invoice/);
    const table = r.body.blocks.find((b) => b.type === 'table')!;
    const rows = table.rows as Array<{ group: string; value: number }>;
    expect(rows.map((x) => x.group).sort()).toEqual(['Initech', 'Pied Piper']);
    expect(rows[0]!.value).toBeGreaterThanOrEqual(rows[1]!.value);
    expect(table.links![0]).toEqual({ doctype: 'Customer', name: rows[0]!.group });
    const calls = stack.standin.requests.filter((q) => q.path.startsWith('/api/'));
    expect(calls.length).toBeGreaterThan(0);
    for (const q of calls) {
      expect(q.user).toBe('sales@example.com');
      expect(q.headers.cookie).toBe(`sid=${sidSales}`);
      expect(q.headers.authorization).toBeUndefined();
    }
  });

  it('gives a user without Customer rights a polite refusal, not data', async () => {
    const r = await chat(sidHeader(sidLimited), { message: 'show me top 5 customers' });
    expect(r.status).toBe(200);
    expect(r.body.answer).toMatch(/^Sorry, you do not have permission to see Customer records/m);
    expect(r.body.blocks.some((b) => b.type === 'table')).toBe(false);
    expect(r.text).not.toMatch(/Globex|Initech|Acme/);
  });

  it('counts with a number block', async () => {
    const r = await chat(tokenHeader(DEMO_API_KEYS.sales.key, DEMO_API_KEYS.sales.secret), {
      message: 'how many customers in customer group Commercial',
    });
    const n = r.body.blocks.find((b) => b.type === 'number')!;
    expect(n.value).toBeGreaterThan(5);
    expect(r.body.tool_calls[0]!.name).toBe('count_documents');
  });

  it('answers a grouped ask with a table of groups and figures, linking each group to its record', async () => {
    const r = await chat(sidHeader(sidSales), { message: 'how many customers by group' });
    expect(r.status).toBe(200);
    expect(r.body.tool_calls[0]).toMatchObject({
      name: 'aggregate_documents',
      arguments: { group_by: 'customer_group' },
    });
    const table = r.body.blocks.find((b) => b.type === 'table')!;
    expect(table.rows![0]).toEqual({ group: 'Commercial', value: 14 });
    expect(table.links![0]).toEqual({ doctype: 'Customer Group', name: 'Commercial' });
    const limited = await chat(sidHeader(sidLimited), { message: 'how many customers by group' });
    expect(limited.body.answer).toMatch(/^Sorry, you do not have permission/m);
    expect(limited.text).not.toMatch(/Commercial/);
  });

  it('says plainly when it does not understand, with phrasings it does', async () => {
    const r = await chat(sidHeader(sidSales), { message: 'what is the meaning of life' });
    expect(r.status).toBe(200);
    expect(r.body.answer).toMatch(/could not tell .* Try asking like: “show me top 5 customers”/);
    expect(r.body.tool_calls).toEqual([]);
  });

  it('streams status, tool_call, content and done as Server-Sent Events', async () => {
    const r = await chat({ ...sidHeader(sidSales), Accept: 'text/event-stream' }, { message: 'latest 3 sales orders' });
    expect(r.type).toContain('text/event-stream');
    const events = [...r.text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events).toEqual(['status', 'tool_call', 'content', 'done']);
    const done = JSON.parse(/event: done\ndata: (.*)\n/.exec(r.text)![1]!) as ChatBody;
    expect(done.blocks[0]!.rows!.length).toBeLessThanOrEqual(3);
  });

  it('needs a credential', async () => {
    const r = await chat({}, { message: 'customers' });
    expect(r.status).toBe(401);
  });

  it.each([
    ['an empty message', { message: '   ' }, 400, /message is empty/],
    ['a message that is too long', { message: 'x'.repeat(2001) }, 400, /longer than 2000/],
    ['a wrong type', { message: 42 }, 400, /message/],
    ['an unknown key', { message: 'customers', evil: true }, 400, /evil|Unrecognized/i],
  ])('refuses %s with a clear 400 and calls no tool', async (_what, body, status, re) => {
    const r = await chat(sidHeader(sidSales), body);
    expect(r.status).toBe(status);
    expect(r.body.error!.message).toMatch(re);
    expect(stack.standin.requests.filter((q) => q.path.startsWith('/api/resource'))).toHaveLength(0);
  });

  it('refuses broken JSON and a non-JSON body', async () => {
    expect((await chat(sidHeader(sidSales), '{"message": ', true)).status).toBe(400);
    const res = await fetch(`${stack.url}/api/v1/chat`, {
      method: 'POST',
      headers: { ...sidHeader(sidSales), 'Content-Type': 'text/plain' },
      body: 'customers',
    });
    expect(res.status).toBe(415);
  });

  describe('browser requests with a cookie', () => {
    it('need the session’s CSRF token, which Frappe confirms', async () => {
      const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
      const token = stack.standin.armCsrf(sid);
      const origin = { Origin: stack.url };
      expect((await chat({ ...sidHeader(sid), ...origin }, { message: 'customers' })).body.error!.code).toBe(
        'csrf_token_required',
      );
      const wrong = await chat(
        { ...sidHeader(sid), ...origin, 'X-Frappe-CSRF-Token': 'wrongtoken123' },
        { message: 'customers' },
      );
      expect(wrong.status).toBe(403);
      expect(wrong.body.error!.code).toBe('csrf_token_invalid');
      const ok = await chat({ ...sidHeader(sid), ...origin, 'X-Frappe-CSRF-Token': token }, { message: 'customers' });
      expect(ok.status).toBe(200);
      expect(ok.body.blocks[0]!.type).toBe('table');
    });

    it('from a foreign Origin are refused before any Frappe call', async () => {
      const r = await chat(
        { ...sidHeader(sidSales), Origin: 'https://evil.example', 'X-Frappe-CSRF-Token': 'x12345678' },
        { message: 'customers' },
      );
      expect(r.status).toBe(403);
      expect(stack.standin.requests).toHaveLength(0);
    });

    it('curl with a sid alone (no browser marks) keeps working', async () => {
      expect((await chat(sidHeader(sidSales), { message: 'customers' })).status).toBe(200);
    });
  });
});
