import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { sidHeader, startStack, tokenHeader, type Stack } from '../helpers/stack.js';
import { clearCaches } from './site-helpers.js';
import { askChat, type ChatBody } from '../helpers/chat.js';

/** The blind set's new capabilities through /api/v1/chat, as the caller: shorthand, items ranked within dates. */

let stack: Stack;
let sidSales: string;
let sidLimited: string;
const admin = tokenHeader(DEMO_API_KEYS.admin.key, DEMO_API_KEYS.admin.secret);

const ask = (headers: Record<string, string>, message: string): Promise<ChatBody> =>
  askChat(stack.url, headers, message);

const rows = (b: ChatBody) => b.blocks.find((x) => x.type === 'table')?.rows ?? [];

beforeAll(async () => {
  clearCaches();
  stack = await startStack();
  sidSales = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  sidLimited = await stack.standin.login(DEMO_USERS.limited.user, DEMO_USERS.limited.password);
});
afterAll(async () => {
  await stack.close();
});

describe('chat: items ranked by quantity within dates, as the caller', () => {
  it.each([
    ['Administrator', admin],
    ['a plain Sales User', () => sidHeader(sidSales)],
  ] as const)('ranks submitted order rows of the year for %s', async (_who, headers) => {
    const r = await ask(typeof headers === 'function' ? headers() : headers, 'top selling items in 2026');
    expect(r.tool_calls.at(-1)).toMatchObject({
      name: 'aggregate_documents',
      arguments: { doctype: 'Sales Order Item', parent_doctype: 'Sales Order' },
    });
    // Submitted orders only: SAL-ORD-2026-00001-1 (5 widgets) and -00004 (20 cables, 3 hours).
    expect(rows(r).map((x) => Object.values(x))).toEqual([
      ['CABLE-003', 20],
      ['WIDGET-001', 5],
      ['SERVICE-HOUR', 3],
    ]);
    expect(r.answer.split('\n')[0]).toBe(
      'Top 10 Items by quantity ordered on submitted Sales Orders where Transaction Date from 2026-01-01 to 2026-12-31',
    );
  });

  it('gives a user without rights the polite refusal, and no rows', async () => {
    const r = await ask(sidHeader(sidLimited), 'best selling items in 2026');
    expect(r.answer).toMatch(/^Sorry, you do not have permission/m);
    expect(rows(r)).toEqual([]);
  });

  it('reads shorthand and answers as the caller', async () => {
    const r = await ask(sidHeader(sidSales), 'how many govt cust');
    expect(r.tool_calls).toEqual([
      { name: 'count_documents', arguments: { doctype: 'Customer', filters: [['customer_group', '=', 'Government']] } },
    ]);
    expect(r.blocks[0]).toMatchObject({ type: 'number', value: 5 });
    const limited = await ask(sidHeader(sidLimited), 'how many govt cust');
    expect(limited.answer).toMatch(/^Sorry, you do not have permission/m);
  });
});

/** [customer, total] of the submitted documents in the stand-in's store, smallest first. */
function totalsUpwards(doctype: string): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const d of stack.standin.state.store.list(doctype)) {
    if (d.docstatus !== 1) continue;
    const c = String(d.customer);
    totals.set(c, (totals.get(c) ?? 0) + Number(d.grand_total));
  }
  return [...totals].sort((a, b) => a[1] - b[1]);
}

describe('chat: rankings from the bottom, as the caller', () => {
  it('ranks customers upwards by what they were invoiced, and says who cannot appear', async () => {
    const r = await ask(admin, 'worst customers');
    expect(r.tool_calls).toEqual([
      {
        name: 'aggregate_documents',
        arguments: {
          doctype: 'Sales Invoice',
          function: 'sum',
          field: 'grand_total',
          group_by: 'customer',
          filters: [['docstatus', '=', 1]],
          order: 'asc',
          limit: 10,
        },
      },
    ]);
    const expected = totalsUpwards('Sales Invoice');
    expect(expected.length).toBeGreaterThan(1);
    expect(rows(r).map((x) => [x.group, x.value])).toEqual(expected.slice(0, 10));
    const lines = r.answer.split('\n');
    expect(lines[0]).toBe('Bottom 10 Customers by submitted Sales Invoices (grand total), lowest first');
    expect(lines).toContain(
      'This ranking only covers Customers with at least one submitted document: a customer who bought nothing does not appear.',
    );
  });

  it('answers “who bought the least” for a plain Sales User from orders, still upwards, saying why', async () => {
    const r = await ask(sidHeader(sidSales), 'who bought the least');
    expect(r.tool_calls.map((c) => [c.arguments.doctype, c.arguments.order, c.arguments.limit])).toEqual([
      ['Sales Invoice', 'asc', 1],
      ['Sales Order', 'asc', 1],
    ]);
    expect(rows(r).map((x) => [x.group, x.value])).toEqual(totalsUpwards('Sales Order').slice(0, 1));
    expect(r.answer.split('\n')).toEqual([
      'Bottom Customer by submitted Sales Orders (grand total), lowest first',
      '1 row.',
      'You may not read Sales Invoice, so this ranking uses Sales Order instead.',
      'This ranking only covers Customers with at least one submitted document: a customer who bought nothing does not appear.',
    ]);
  });
});
