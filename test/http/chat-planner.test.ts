import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { sidHeader, startStack, tokenHeader, type Stack } from '../helpers/stack.js';
import { clearCaches } from '../chat/site-helpers.js';
import { askChat, type ChatBody } from '../helpers/chat.js';

/** Issue #14's classes end to end: /api/v1/chat → planner → the gateway's tools → the stand-in, as the caller. */

let stack: Stack;
let sidSales: string;
let sidLimited: string;
const admin = tokenHeader(DEMO_API_KEYS.admin.key, DEMO_API_KEYS.admin.secret);

const ask = (headers: Record<string, string>, message: string): Promise<ChatBody> =>
  askChat(stack.url, headers, message);

async function askStream(
  headers: Record<string, string>,
  message: string,
): Promise<{ events: string[]; done: ChatBody }> {
  const res = await fetch(`${stack.url}/api/v1/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ message }),
  });
  const text = await res.text();
  const events = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]!);
  return { events, done: JSON.parse(/event: done\ndata: (.*)\n/.exec(text)![1]!) as ChatBody };
}

const table = (b: ChatBody) => b.blocks.find((x) => x.type === 'table')!;
const firstLine = (b: ChatBody) => b.answer.split('\n')[0];

beforeAll(async () => {
  clearCaches();
  stack = await startStack();
  sidSales = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  sidLimited = await stack.standin.login(DEMO_USERS.limited.user, DEMO_USERS.limited.password);
});
afterAll(async () => {
  const logs = stack.logs.join('\n');
  for (const s of [sidSales, sidLimited, DEMO_API_KEYS.admin.secret]) expect(logs).not.toContain(s);
  await stack.close();
});
beforeEach(() => stack.standin.resetRequests());

describe('chat planner, end to end', () => {
  it('places a value the ask names without its field, looking it up as the caller', async () => {
    const r = await ask(sidHeader(sidSales), 'government customers');
    expect(firstLine(r)).toBe('Customers where Customer Group = Government, 20 rows');
    expect(table(r).rows!.map((x) => x.customer_group)).toEqual(Array(5).fill('Government'));
    const lookups = stack.standin.requests.filter((q) => q.path.includes('search_link'));
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.length).toBeLessThanOrEqual(3);
    for (const q of stack.standin.requests) expect(q.headers.cookie).toBe(`sid=${sidSales}`);
  });

  it('reads a status word as the DocType’s Select option, never dropping it', async () => {
    const r = await ask(sidHeader(sidSales), 'how many sales orders to bill');
    expect(r.tool_calls).toEqual([
      { name: 'count_documents', arguments: { doctype: 'Sales Order', filters: [['status', '=', 'To Bill']] } },
    ]);
    expect(r.blocks[0]).toMatchObject({ type: 'number', value: 0 });
    expect(firstLine(r)).toBe('Number of Sales Orders where Status = To Bill');
  });

  it('streams a value look-up answer: only the data call is a step, the look-ups are not', async () => {
    const { events, done } = await askStream(admin, 'suppliers in India');
    expect(events).toEqual(['status', 'tool_call', 'content', 'done']);
    expect(table(done).rows!.map((x) => x.name)).toEqual(
      expect.arrayContaining(['Tech Source India', 'Bharat Electricals', 'Sunrise Services']),
    );
    expect(table(done).rows).toHaveLength(3);
  });

  it('answers a singular superlative with one row', async () => {
    const r = await ask(admin, 'newest supplier');
    expect(firstLine(r)).toBe('Suppliers, newest first, 1 row');
    expect(table(r).rows).toHaveLength(1);
  });

  it('sorts by a field named by its label, biggest first', async () => {
    const { done } = await askStream(sidHeader(sidSales), 'top 3 sales orders by total');
    const totals = table(done).rows!.map((x) => Number(x.grand_total));
    expect(totals).toHaveLength(3);
    expect([...totals].sort((a, b) => b - a)).toEqual(totals);
    expect(firstLine(done)).toBe('Sales Orders, by Grand Total, highest first, 3 rows');
  });

  it('filters on part of a name', async () => {
    const r = await ask(admin, 'suppliers whose name contains Tech');
    expect(
      table(r)
        .rows!.map((x) => x.name)
        .sort(),
    ).toEqual(['Berlin Tech GmbH', 'Tech Source India']);
  });

  it('reads "to approve" as the Workflow’s waiting states and says so', async () => {
    const r = await ask(admin, 'purchase orders to approve');
    expect(
      table(r)
        .rows!.map((x) => x.name)
        .sort(),
    ).toEqual(['PUR-ORD-2026-00003', 'PUR-ORD-2026-00004']);
    expect(r.answer).toMatch(/Workflow “Purchase Order Approval” \(Pending Approval\)/);
  });

  it('reaches a custom DocType the Sales User may read, though it may not list DocTypes', async () => {
    const r = await ask(sidHeader(sidSales), 'sales visits');
    expect(table(r).rows).toHaveLength(3);
    expect(table(r).links![0]).toMatchObject({ doctype: 'Sales Visit' });
  });

  it('ranks suppliers by what was bought from them', async () => {
    const r = await ask(admin, 'top 5 suppliers');
    expect(firstLine(r)).toBe('Top 5 Suppliers by submitted Purchase Invoices (grand total)');
    expect(table(r).rows![0]).toEqual({ group: 'Tech Source India', value: 5400 });
  });

  it('ranks items by quantity sold on submitted Sales Invoices, through the invoices’ item tables', async () => {
    const r = await ask(admin, 'top 5 items');
    expect(firstLine(r)).toBe('Top 5 Items by quantity sold on submitted Sales Invoices');
    expect(r.tool_calls[0]).toMatchObject({
      name: 'aggregate_documents',
      arguments: { doctype: 'Sales Invoice Item', parent_doctype: 'Sales Invoice', field: 'qty' },
    });
    expect(table(r).rows).toEqual([
      { group: 'WIDGET-001', value: 10 },
      { group: 'GADGET-002', value: 8 },
    ]);
    const sent = stack.standin.requests.find((q) => q.path === '/api/method/frappe.client.get_list')!;
    expect(sent.query).toMatchObject({ doctype: 'Sales Invoice Item', parent: 'Sales Invoice' });
  });

  it('ranks items for a Sales User from submitted Sales Orders, as them, when invoices are not theirs to read', async () => {
    const r = await ask(sidHeader(sidSales), 'best selling items');
    expect(r.tool_calls.map((c) => c.arguments.parent_doctype)).toEqual(['Sales Invoice', 'Sales Order']);
    expect(firstLine(r)).toBe('Top 10 Items by quantity ordered on submitted Sales Orders');
    // The figures are the submitted orders' rows only: drafts and cancelled orders do not count.
    const expected = new Map<string, number>();
    for (const so of stack.standin.state.store.list('Sales Order'))
      if (Number(so.docstatus) === 1)
        for (const row of so.items as Array<Record<string, unknown>>)
          expected.set(String(row.item_code), (expected.get(String(row.item_code)) ?? 0) + Number(row.qty));
    expect(Object.fromEntries(table(r).rows!.map((x) => [x.group, x.value]))).toEqual(Object.fromEntries(expected));
    const lists = stack.standin.requests.filter((q) => q.path === '/api/method/frappe.client.get_list');
    expect(lists.map((q) => q.query.parent)).toEqual(['Sales Invoice', 'Sales Order']);
    expect(r.answer).toContain('You may not read Sales Invoice, so this ranking uses Sales Order instead.');
    for (const q of stack.standin.requests) expect(q.headers.cookie).toBe(`sid=${sidSales}`);
  });

  it('falls back to the next measure when Frappe cannot total one, and says so', async () => {
    await ask(admin, 'top 5 customers'); // warms the metadata cache, so the fault below hits only the ranking
    stack.standin.setFault('5xx', { status: 502, paths: /Sales%20Invoice|Sales\+Invoice|Sales Invoice/ });
    try {
      const r = await ask(admin, 'top 5 customers');
      expect(r.tool_calls.map((c) => c.arguments.doctype)).toEqual(['Sales Invoice', 'Sales Order']);
      expect(firstLine(r)).toBe('Top 5 Customers by submitted Sales Orders (grand total)');
      expect(r.answer).toMatch(
        /Frappe could not total Sales Invoice just now, so this ranking uses Sales Order instead\./,
      );
    } finally {
      stack.standin.setFault(null);
    }
  });

  it('answers an overall total with one figure', async () => {
    const r = await ask(admin, 'total purchases in 2026');
    expect(r.blocks).toEqual([
      {
        type: 'number',
        label:
          'Total of Purchase Invoices (grand total) where Date in 2026 (2026-01-01 to 2026-12-31) and Document Status = Submitted',
        value: 7650,
      },
    ]);
  });

  it('refuses a write in planner mode and reads nothing', async () => {
    const r = await ask(sidHeader(sidSales), 'cancel all orders');
    expect(r.tool_calls).toEqual([]);
    expect(r.answer).toMatch(/^I only read data here, so I will not cancel anything\. I can show you the Sales Orders/);
    expect(stack.standin.requests.filter((q) => q.path.startsWith('/api/resource'))).toEqual([]);
  });

  it('asks which one when a word matches several records', async () => {
    const r = await ask(admin, 'suppliers from united');
    expect(r.tool_calls).toEqual([]);
    expect(r.answer).toMatch(
      /Country “United Kingdom”.*Country “United States”|Country “United States”.*Country “United Kingdom”/,
    );
  });

  it('gives a user without rights a sentence, with Frappe’s own words in a collapsible detail', async () => {
    const r = await ask(sidHeader(sidLimited), 'government customers');
    const block = r.blocks[0]!;
    expect(block.type).toBe('text');
    expect(block.text).toMatch(/Sorry, you do not have permission to see Customer records, so I cannot answer that\.$/);
    expect(block.text).not.toMatch(/403|PermissionError/);
    expect(block.detail).toMatch(/Customer/);
    expect(JSON.stringify(r)).not.toMatch(/Stark|Vandelay|Aperture/);
  });
});
