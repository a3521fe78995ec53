// What the desk receives to format answers: each table column's fieldtype and options, over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/standin/demo.js';
import { sidHeader, startStack, type Stack } from '../helpers/stack.js';

interface Table {
  type: string;
  columns: Array<{ fieldname: string; fieldtype?: string; options?: string }>;
  rows: Array<Record<string, unknown>>;
}

let stack: Stack;
let sid: string;

async function tableFor(message: string): Promise<Table> {
  const res = await fetch(`${stack.url}/api/v1/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...sidHeader(sid) },
    body: JSON.stringify({ message }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { blocks: Table[] };
  const table = body.blocks.find((b) => b.type === 'table');
  if (!table) throw new Error(`no table for "${message}": ${JSON.stringify(body)}`);
  return table;
}

beforeAll(async () => {
  stack = await startStack();
  sid = await stack.standin.login(DEMO_USERS.admin.user, DEMO_USERS.admin.password);
});
afterAll(async () => {
  await stack.close();
});

describe('table blocks for the desk', () => {
  it('type a list of sales orders: record and customer links, the date, the amount in its currency field', async () => {
    const table = await tableFor('show me 5 sales orders');
    const meta = Object.fromEntries(table.columns.map((c) => [c.fieldname, [c.fieldtype, c.options]]));
    expect(meta).toMatchObject({
      name: ['Link', 'Sales Order'],
      customer: ['Link', 'Customer'],
      transaction_date: ['Date', undefined],
      grand_total: ['Currency', 'currency'],
    });
  });

  it('type an aggregate: the group links to its DocType, a total is money, a count an integer', async () => {
    const sales = await tableFor('top 5 customers by sales');
    expect(sales.columns).toEqual([
      expect.objectContaining({ fieldname: 'group', fieldtype: 'Link', options: 'Customer' }),
      expect.objectContaining({ fieldname: 'value', fieldtype: 'Currency' }),
    ]);
    expect(sales.columns[1]!.options).toBeUndefined(); // the sum mixes documents: the site's currency
    const counted = await tableFor('number of customers by territory');
    expect(counted.columns[1]).toMatchObject({ fieldname: 'value', fieldtype: 'Int' });
  });

  it('names linked records, never a desk URL: the desk routes them under /desk on v16 (and /app on v15)', async () => {
    // On Frappe 16 whatever this suite's version: a server-built /app route would be the stale one there.
    const v16 = await startStack({}, { version: 16 });
    try {
      const v16sid = await v16.standin.login(DEMO_USERS.admin.user, DEMO_USERS.admin.password);
      for (const message of ['show me 5 sales orders', 'top 5 customers by sales']) {
        const res = await fetch(`${v16.url}/api/v1/chat`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...sidHeader(v16sid) },
          body: JSON.stringify({ message }),
        });
        const raw = await res.text();
        expect(raw).not.toMatch(/\/(app|desk)\//);
        const { blocks } = JSON.parse(raw) as { blocks: Array<{ type: string; links?: unknown[] }> };
        const links = blocks.flatMap((b) => b.links ?? []).filter((l) => l !== null);
        expect(links.length).toBeGreaterThan(0);
        for (const link of links) expect(Object.keys(link as object).sort()).toEqual(['doctype', 'name']);
      }
    } finally {
      await v16.close();
    }
  });
});
