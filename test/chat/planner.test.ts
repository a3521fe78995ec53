import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, plan, type Plan } from '../../src/chat/planner.js';
import type { SiteLookups } from '../../src/chat/site.js';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { connectMcp, sidHeader, startStack, tokenHeader, type Stack } from '../helpers/stack.js';
import { CORPUS, NOT_UNDERSTOOD, type AskClass } from './corpus.js';
import { clearCaches, fakeSite, mcpLookups } from './site-helpers.js';

const today = new Date('2026-11-30T10:00:00Z');

let stack: Stack;
let admin: Client;
let sales: Client;
const sites: Record<'admin' | 'sales', SiteLookups> = {} as never;

beforeAll(async () => {
  clearCaches();
  stack = await startStack();
  admin = await connectMcp(stack.url, tokenHeader(DEMO_API_KEYS.admin.key, DEMO_API_KEYS.admin.secret));
  const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  sales = await connectMcp(stack.url, sidHeader(sid));
  sites.admin = mcpLookups(admin, stack.standin.url, 'Administrator');
  sites.sales = mcpLookups(sales, stack.standin.url, 'sales@example.com');
});
afterAll(async () => {
  await Promise.all([admin.close(), sales.close()]);
  await stack.close();
});

describe('planner corpus, against the stand-in’s seeded data', () => {
  it('holds at least 150 asks, at least 10 in each of issue #14’s classes', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(150);
    const classes: AskClass[] = [
      'values',
      'superlatives',
      'ordering',
      'partial names',
      'states',
      'doctypes',
      'ranking',
      'refusals',
    ];
    for (const c of classes) expect(CORPUS.filter((e) => e.class === c).length, c).toBeGreaterThanOrEqual(10);
  });

  it.each(CORPUS.map((c) => [`${c.as ?? 'admin'}: ${c.ask}`, c] as const))('%s', async (_ask, c) => {
    const user = 'sales@example.com'; // the corpus's "my" (see corpus.ts)
    const p = await plan({ message: c.ask, user, today }, sites[c.as ?? 'admin']);
    if (c.tool === 'refusal') {
      expect(p.kind).toBe('refusal');
      if (p.kind === 'refusal') {
        expect(p.message).toMatch(/^I only read data here/);
        expect(p.message).toContain(c.doctype.replace(/y$/, ''));
      }
      return;
    }
    expect(p.kind, JSON.stringify(p)).toBe('tool');
    if (p.kind !== 'tool') return;
    expect(p.call.name).toBe(c.tool);
    const args = p.call.arguments;
    expect(args.doctype).toBe(c.doctype);
    expect(args.parent_doctype).toBe(c.parent);
    expect(args.filters ?? []).toEqual(c.filters ?? []);
    if (c.order_by) expect(args.order_by).toBe(c.order_by);
    if (c.limit !== undefined) expect(args.limit).toBe(c.limit);
    if (c.fn) expect(args.function).toBe(c.fn);
    if (c.group_by) expect(args.group_by).toBe(c.group_by);
    if (c.tool === 'aggregate_documents') {
      expect(args.order).toBe(c.order);
      // A ranking from the bottom says it leaves out the parties that have no document at all.
      expect(p.caveat).toEqual(
        c.order
          ? expect.stringMatching(/^This ranking only covers .* with at least one submitted document/)
          : undefined,
      );
    }
    if (c.tool === 'list_documents') {
      expect(Array.isArray(args.fields)).toBe(true);
      expect(args.limit).toBeLessThanOrEqual(100);
    }
    // Every answer states what it understood; nothing was silently ignored.
    expect(p.summary.length).toBeGreaterThan(5);
    expect(p.notes.filter((n) => /could not place/.test(n))).toEqual([]);
  });
});

describe('planner dates, run against the stand-in', () => {
  it('counts the whole last day of “this month”: a customer created on its afternoon is a new customer', async () => {
    const store = stack.standin.state.store;
    store.put('Customer', {
      name: 'Late Day Traders',
      customer_name: 'Late Day Traders',
      customer_type: 'Company',
      customer_group: 'Commercial',
      territory: 'United States',
      owner: 'Administrator',
      creation: '2026-11-30 15:42:10.123456',
      modified: '2026-11-30 15:42:10.123456',
    });
    try {
      const p = await plan({ message: 'new customers this month', user: 'u', today }, sites.admin);
      expect(p.kind === 'tool' && p.call.arguments.filters).toEqual([
        ['creation', 'between', ['2026-11-01', '2026-11-30']],
      ]);
      if (p.kind !== 'tool') return;
      const result = await admin.callTool({ name: p.call.name, arguments: p.call.arguments });
      const rows = (result.structuredContent as { rows: Array<{ name: string }> }).rows;
      expect(rows.map((r) => r.name)).toContain('Late Day Traders');
    } finally {
      store.remove('Customer', 'Late Day Traders');
    }
  });
});

/** One DocType with one Link field, and the records of its target. */
function oneLink(doctype: string, fieldname: string, target: string, records: string[]) {
  return fakeSite({
    metas: [
      { name: doctype, submittable: false, fields: [{ fieldname, fieldtype: 'Link', options: target, label: target }] },
    ],
    records: { [target]: records },
  });
}

describe('planner', () => {
  it.each(NOT_UNDERSTOOD)('says plainly when it does not understand “%s”, with phrasings it does', async (ask) => {
    const p = await plan({ message: ask, user: 'u', today });
    expect(p.kind).toBe('unknown');
    if (p.kind === 'unknown') expect(p.message).toContain(EXAMPLES[0]);
  });

  it('refuses a party filter the DocType does not have', async () => {
    expect((await plan({ message: 'items for customer Acme', user: 'u', today })).kind).toBe('unknown');
  });

  it('ranks items within dates by quantity ordered (order rows carry the order date), and says why not invoices', async () => {
    const p = await plan({ message: 'top 5 items this month', user: 'u', today }, sites.admin);
    expect(p.kind === 'tool' && p.call).toEqual({
      name: 'aggregate_documents',
      arguments: {
        doctype: 'Sales Order Item',
        parent_doctype: 'Sales Order',
        function: 'sum',
        field: 'qty',
        group_by: 'item_code',
        filters: [
          ['transaction_date', 'between', ['2026-11-01', '2026-11-30']],
          ['docstatus', '=', 1],
        ],
        limit: 5,
      },
    });
    expect(p.kind === 'tool' && p.notes).toEqual([
      'Within dates, Items are ranked by quantity ordered on submitted Sales Orders: the rows of Sales Invoices carry no date.',
    ]);
  });

  it('reads “my biggest customer” as the business’s best customer (one), and “my customers” as the user’s own', async () => {
    const best = await plan({ message: 'who is my biggest customer', user: 'u', today }, sites.admin);
    expect(best.kind === 'tool' && best.call).toMatchObject({
      name: 'aggregate_documents',
      arguments: { doctype: 'Sales Invoice', group_by: 'customer', limit: 1 },
    });
    expect(best.kind === 'tool' && best.summary).toBe('Top Customer by submitted Sales Invoices (grand total)');
    const mine = await plan({ message: 'my customers', user: 'u', today });
    expect(mine.kind === 'tool' && mine.call.arguments.filters).toEqual([['owner', '=', 'u']]);
  });

  it('ranks from the bottom with each measure, and the plain list at the end claims no ranking', async () => {
    const p = await plan({ message: 'slowest moving items', user: 'u', today }, sites.admin);
    if (p.kind !== 'tool') throw new Error(p.kind);
    const attempts = [p, ...(p.fallbacks ?? [])];
    expect(attempts.map((a) => [a.call.arguments.doctype, a.call.arguments.order, a.caveat !== undefined])).toEqual([
      ['Sales Invoice Item', 'asc', true],
      ['Sales Order Item', 'asc', true],
      ['Item', undefined, false],
    ]);
    expect(attempts.map((a) => a.summary)).toEqual([
      'Bottom 10 Items by quantity sold on submitted Sales Invoices, lowest first',
      'Bottom 10 Items by quantity ordered on submitted Sales Orders, lowest first',
      'Items, last modified first, not ranked, 10 rows',
    ]);
    expect(p.caveat).toBe(
      'This ranking only covers Items with at least one submitted document: an item never sold does not appear.',
    );
  });

  it('reads “smallest”/“lowest” before a field as a sort, not a ranking from the bottom', async () => {
    for (const message of ['items with the lowest standard selling rate', 'lowest selling rate items']) {
      const p = await plan({ message, user: 'u', today }, sites.admin);
      expect(p.kind === 'tool' && [p.call.name, p.call.arguments.order_by]).toEqual([
        'list_documents',
        'standard_rate asc',
      ]);
    }
  });

  it('sorts by the measure on a DocType that is not ranked (“purchase orders by amount”)', async () => {
    const p = await plan({ message: 'list 5 POs by amt', user: 'u', today }, sites.admin);
    expect(p.kind === 'tool' && p.call.arguments).toMatchObject({
      doctype: 'Purchase Order',
      order_by: 'grand_total desc',
      limit: 5,
    });
  });

  it('reads “total qty sold per item” as items ranked by quantity sold', async () => {
    const p = await plan({ message: 'total qty sold per item', user: 'u', today }, sites.admin);
    expect(p.kind === 'tool' && p.call).toMatchObject({
      name: 'aggregate_documents',
      arguments: {
        doctype: 'Sales Invoice Item',
        parent_doctype: 'Sales Invoice',
        field: 'qty',
        group_by: 'item_code',
      },
    });
  });

  it('understands desk shorthand and says the words it read in the first line', async () => {
    const p = await plan({ message: 'how many govt cust', user: 'u', today }, sites.admin);
    expect(p.kind === 'tool' && p.call).toEqual({
      name: 'count_documents',
      arguments: { doctype: 'Customer', filters: [['customer_group', '=', 'Government']] },
    });
    expect(p.kind === 'tool' && p.summary).toBe('Number of Customers where Customer Group = Government');
  });

  it.each([
    ['invoices due this week', 'Sales Invoice', ['due_date', 'between', ['2026-11-30', '2026-12-06']]],
    ['sales orders for delivery next week', 'Sales Order', ['delivery_date', 'between', ['2026-12-07', '2026-12-13']]],
    // A day of a Datetime is a "between": Frappe stretches it over the whole day (get_between_date_filter).
    ['orders created today', 'Sales Order', ['creation', 'between', ['2026-11-30', '2026-11-30']]],
    ['sales orders this week', 'Sales Order', ['transaction_date', 'between', ['2026-11-30', '2026-12-06']]],
  ])('applies the range to the date the ask names: %s', async (message, doctype, filter) => {
    const p = await plan({ message, user: 'u', today }, sites.admin);
    expect(p.kind === 'tool' && p.call.arguments).toMatchObject({ doctype, filters: [filter] });
    expect(p.kind === 'tool' && p.notes).toEqual([]);
  });

  it.each([
    ['which supplier did we buy the most from', 'Purchase Invoice', 'supplier', 1],
    ['customers who ordered the most', 'Sales Invoice', 'customer', 10],
  ])('reads “%s” as a ranking', async (message, doctype, group_by, limit) => {
    const p = await plan({ message, user: 'u', today }, sites.admin);
    expect(p.kind === 'tool' && p.call).toMatchObject({
      name: 'aggregate_documents',
      arguments: { doctype, group_by, limit },
    });
  });

  it('ranks items “by qty” by quantity sold', async () => {
    const p = await plan({ message: 'top 3 items by qty', user: 'u', today }, sites.admin);
    expect(p.kind === 'tool' && p.call.arguments).toMatchObject({
      doctype: 'Sales Invoice Item',
      field: 'qty',
      limit: 3,
    });
  });

  it('groups “SO by status” (a sales order by status is not a sort clause)', async () => {
    const p = await plan({ message: 'count SO by status', user: 'u', today }, sites.admin);
    expect(p.kind === 'tool' && p.call).toEqual({
      name: 'aggregate_documents',
      arguments: { doctype: 'Sales Order', function: 'count', group_by: 'status', limit: 10 },
    });
  });

  it('looks a name up as the document’s party first', async () => {
    const p = await plan({ message: 'how many orders did initech place', user: 'u', today }, sites.admin);
    expect(p.kind === 'tool' && p.call.arguments.filters).toEqual([['customer', '=', 'Initech']]);
  });

  it.each([
    ['customer wise outstanding', 'Sales Invoice', 'customer', 10],
    ['supplier wise payables', 'Purchase Invoice', 'supplier', 10],
    ['top 5 customers by outstanding', 'Sales Invoice', 'customer', 5],
  ])('adds up what is still owed per party for “%s”', async (message, doctype, group_by, limit) => {
    const p = await plan({ message, user: 'u', today }, sites.admin);
    expect(p.kind === 'tool' && p.call).toEqual({
      name: 'aggregate_documents',
      arguments: {
        doctype,
        function: 'sum',
        field: 'outstanding_amount',
        group_by,
        filters: [['docstatus', '=', 1]],
        limit,
      },
    });
  });

  it.each([
    ['total outstanding amount', 'Sales Invoice'],
    ['total receivables', 'Sales Invoice'],
    ['total payables', 'Purchase Invoice'],
  ])('sums what is still owed for “%s”', async (message, doctype) => {
    const p = await plan({ message, user: 'u', today }, sites.admin);
    expect(p.kind === 'tool' && p.call).toEqual({
      name: 'aggregate_documents',
      arguments: { doctype, function: 'sum', field: 'outstanding_amount', filters: [['docstatus', '=', 1]] },
    });
  });

  it('shows the document named by its ID when asked for its total, rather than a total over documents', async () => {
    const p = await plan({ message: 'what is the grand total of SAL-ORD-2026-00004', user: 'u', today }, sites.admin);
    expect(p.kind === 'tool' && p.call.name).toBe('list_documents');
    expect(p.kind === 'tool' && p.call.arguments.filters).toEqual([['name', '=', 'SAL-ORD-2026-00004']]);
  });

  it('caps the number of rows', async () => {
    const p = await plan({ message: 'latest 999 customers', user: 'u', today });
    expect(p.kind === 'tool' && p.call.arguments.limit).toBe(100);
  });

  it('says which word it could not place, and does not drop it silently', async () => {
    const site = fakeSite({
      metas: [
        {
          name: 'Customer',
          submittable: false,
          fields: [
            { fieldname: 'customer_group', fieldtype: 'Link', options: 'Customer Group', label: 'Customer Group' },
          ],
        },
      ],
      records: { 'Customer Group': ['Commercial', 'Retail'] },
    });
    const p = (await plan({ message: 'customers from the Education group', user: 'u', today }, site)) as Extract<
      Plan,
      { kind: 'tool' }
    >;
    expect(p.kind).toBe('tool');
    expect(p.call.arguments.filters).toBeUndefined();
    expect(p.notes.join(' ')).toMatch(/could not place “education” \(no Customer Group matches it\)/);
    // The look-up, then one for a record one typo away (none starts with "edu").
    expect(site.calls).toEqual([
      ['Customer Group', 'education'],
      ['Customer Group', 'edu'],
    ]);
  });

  it('reads a misspelt status word and says how it read it', async () => {
    const p = await plan({ message: 'ovrdue invoices', user: 'u', today });
    expect(p).toMatchObject({ kind: 'tool', call: { arguments: { filters: [['status', '=', 'Overdue']] } } });
    expect(p.kind === 'tool' && p.notes).toEqual(['I read “ovrdue” as “overdue”.']);
  });

  it('adds a “did you mean” when an ignored word is one typo from a value it knows', async () => {
    const site = fakeSite({
      doctypes: [{ name: 'Sales Visit' }],
      metas: [
        {
          name: 'Sales Visit',
          submittable: false,
          fields: [
            { fieldname: 'outcome', fieldtype: 'Select', label: 'Outcome', options: 'Interested\nNot Interested' },
          ],
        },
      ],
    });
    const p = await plan({ message: 'sales visits intrested', user: 'u', today }, site);
    expect(p.kind === 'tool' && p.notes).toEqual([
      'I could not place “intrested”, so I ignored it. Did you mean “Interested”?',
    ]);
  });

  it('asks which one when a word matches several records, naming them, and calls no data tool', async () => {
    const site = oneLink('Supplier', 'country', 'Country', ['United States', 'United Kingdom', 'India']);
    const p = await plan({ message: 'suppliers from united', user: 'u', today }, site);
    expect(p.kind).toBe('ask');
    if (p.kind === 'ask') {
      expect(p.message).toContain('Country “United States”');
      expect(p.message).toContain('Country “United Kingdom”');
      expect(p.summary).toBe('Suppliers');
    }
  });

  it('gives the first line of the issue’s example', async () => {
    const site = fakeSite({
      metas: [
        {
          name: 'Customer',
          submittable: false,
          fields: [
            { fieldname: 'customer_group', fieldtype: 'Link', options: 'Customer Group', label: 'Customer Group' },
          ],
        },
      ],
      records: { 'Customer Group': ['Retail'] },
    });
    const p = await plan({ message: 'latest 5 retail customers', user: 'u', today }, site);
    expect(p.kind === 'tool' && p.summary).toBe('Customers where Customer Group = Retail, newest first, 5 rows');
  });

  it('offers the matching read when it refuses a write', async () => {
    const p = await plan({ message: 'delete draft invoices', user: 'u', today });
    expect(p).toEqual({
      kind: 'refusal',
      message: expect.stringMatching(
        /will not delete anything\. I can show you the Sales Invoices instead: ask “show draft invoices”/,
      ),
    });
  });
});
