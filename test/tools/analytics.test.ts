import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { connectMcp, sidHeader, startStack, tokenHeader, type Stack } from '../helpers/stack.js';
import { expectOnlyAuthorization, expectOnlySid, fails, frappeCalls, ok } from './helpers.js';

let stack: Stack;
let sales: Client;
let admin: Client;
let limited: Client;
let sid: string;

beforeAll(async () => {
  stack = await startStack();
  sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  sales = await connectMcp(stack.url, sidHeader(sid));
  const { admin: a, limited: l } = DEMO_API_KEYS;
  admin = await connectMcp(stack.url, tokenHeader(a.key, a.secret));
  limited = await connectMcp(stack.url, tokenHeader(l.key, l.secret));
});
afterAll(async () => {
  await Promise.all([sales.close(), admin.close(), limited.close()]);
  await stack.close();
});
beforeEach(() => stack.standin.resetRequests());

/** The `fields` the gateway sent to Frappe for the aggregate call. */
function sentFields(): unknown[] {
  const list = frappeCalls(stack.standin.requests, '/api/resource/').at(-1)!;
  return JSON.parse(String(list.query.fields)) as unknown[];
}

describe('aggregate_documents in the form this Frappe version accepts', () => {
  const cases = [
    { fn: 'count', field: undefined },
    { fn: 'sum', field: 'grand_total' },
    { fn: 'avg', field: 'grand_total' },
    { fn: 'min', field: 'grand_total' },
    { fn: 'max', field: 'grand_total' },
  ] as const;
  for (const { fn, field } of cases) {
    for (const groupBy of ['customer', undefined]) {
      it(`${fn}${groupBy ? ' per customer' : ' overall'}: same result shape, fields written for the version`, async () => {
        const r = await ok(admin, 'aggregate_documents', {
          doctype: 'Sales Order',
          function: fn,
          ...(field ? { field } : {}),
          ...(groupBy ? { group_by: groupBy } : {}),
        });
        expect(r).toMatchObject({ doctype: 'Sales Order', function: fn, field: field ?? 'name' });
        expect(r.rows.length).toBeGreaterThan(0);
        for (const row of r.rows as Array<Record<string, unknown>>) {
          expect(Object.keys(row).sort()).toEqual(groupBy ? ['group', 'value'] : ['value']);
          expect(typeof row.value).toBe('number');
        }
        const column = stack.standin.traits.dictAggregates
          ? { [fn.toUpperCase()]: field ?? 'name', as: 'aggregate_value' }
          : `${fn}(${field ?? 'name'}) as aggregate_value`;
        expect(sentFields()).toEqual(groupBy ? [groupBy, column] : [column]);
      });
    }
  }

  it('gives the same figures on both versions (the stand-in computes them from the same seed)', async () => {
    const r = await ok(admin, 'aggregate_documents', {
      doctype: 'Sales Order',
      function: 'sum',
      field: 'grand_total',
    });
    const all = stack.standin.state.store.list('Sales Order').reduce((t, d) => t + Number(d.grand_total ?? 0), 0);
    expect(r.rows[0].value).toBeCloseTo(all, 6);
  });
});

describe('aggregate_documents', () => {
  it('counts per group, biggest first, as the sid user and with only their cookie', async () => {
    const r = await ok(sales, 'aggregate_documents', {
      doctype: 'Customer',
      function: 'count',
      group_by: 'customer_group',
    });
    expect(r.rows[0]).toEqual({ group: 'Commercial', value: 14 });
    expect(r.rows.map((x: { value: number }) => x.value)).toEqual(
      [...r.rows.map((x: { value: number }) => x.value)].sort((a, b) => b - a),
    );
    expect(r.rows.reduce((s: number, x: { value: number }) => s + x.value, 0)).toBe(32);
    expectOnlySid(frappeCalls(stack.standin.requests, '/api/resource/'), sid, 'sales@example.com');
  });

  it('sums a field over filtered documents as the API-key user', async () => {
    const r = await ok(admin, 'aggregate_documents', {
      doctype: 'Sales Invoice',
      function: 'sum',
      field: 'grand_total',
      group_by: 'customer',
      filters: [['docstatus', '=', 1]],
    });
    expect(r.rows.length).toBeGreaterThan(0);
    for (const row of r.rows as Array<{ group: string; value: number }>) expect(typeof row.value).toBe('number');
    const { admin: a } = DEMO_API_KEYS;
    expectOnlyAuthorization(
      frappeCalls(stack.standin.requests, '/api/resource/'),
      `token ${a.key}:${a.secret}`,
      'Administrator',
    );
  });

  it('gives one overall figure without group_by', async () => {
    const r = await ok(sales, 'aggregate_documents', { doctype: 'Sales Order', function: 'max', field: 'grand_total' });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].group).toBeUndefined();
  });

  it('passes on Frappe’s refusal to a user without rights, with no figures', async () => {
    const text = await fails(limited, 'aggregate_documents', {
      doctype: 'Customer',
      function: 'count',
      group_by: 'territory',
    });
    expect(text).toMatch(/Frappe refused \(403 PermissionError\)/);
    expect(text).not.toMatch(/United States|Commercial|"value"/);
  });

  it('refuses a sum without a field, and SQL in a field name, before calling Frappe', async () => {
    expect(await fails(sales, 'aggregate_documents', { doctype: 'Sales Order', function: 'sum' })).toMatch(
      /needs a field/,
    );
    expect(
      await fails(sales, 'aggregate_documents', {
        doctype: 'Sales Order',
        function: 'sum',
        field: 'grand_total) from tabUser --',
      }),
    ).toMatch(/Invalid arguments/);
    expect(frappeCalls(stack.standin.requests, '/api/resource/')).toHaveLength(0);
  });
});

describe('aggregate_documents over a child table, through its parent', () => {
  /** Sum of `qty` per item_code over the item rows of the parent's submitted documents, from the seed. */
  function soldPerItem(parent: string): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const doc of stack.standin.state.store.list(parent)) {
      if (Number(doc.docstatus) !== 1) continue;
      for (const row of doc.items as Array<Record<string, unknown>>)
        totals[String(row.item_code)] = (totals[String(row.item_code)] ?? 0) + Number(row.qty);
    }
    return totals;
  }
  const perItem = (parent: string) => ({
    doctype: `${parent} Item`,
    parent_doctype: parent,
    function: 'sum',
    field: 'qty',
    group_by: 'item_code',
    filters: [['docstatus', '=', 1]],
  });
  const getList = () => frappeCalls(stack.standin.requests, '/api/method/frappe.client.get_list');

  it('totals item quantities of submitted invoices as the API-key user, sending parent like Frappe’s desk', async () => {
    const r = await ok(admin, 'aggregate_documents', perItem('Sales Invoice'));
    expect(r).toMatchObject({ doctype: 'Sales Invoice Item', parent_doctype: 'Sales Invoice', field: 'qty' });
    const figures = Object.fromEntries(r.rows.map((x: { group: string; value: number }) => [x.group, x.value]));
    expect(figures).toEqual(soldPerItem('Sales Invoice'));
    expect(Object.keys(figures).length).toBeGreaterThan(1);
    const [sent] = getList();
    expect(sent!.query).toMatchObject({
      doctype: 'Sales Invoice Item',
      parent: 'Sales Invoice',
      group_by: 'item_code',
    });
    const column = stack.standin.traits.dictAggregates
      ? { SUM: 'qty', as: 'aggregate_value' }
      : 'sum(qty) as aggregate_value';
    expect(JSON.parse(String(sent!.query.fields))).toEqual(['item_code', column]);
    const { admin: a } = DEMO_API_KEYS;
    expectOnlyAuthorization(getList(), `token ${a.key}:${a.secret}`, 'Administrator');
  });

  it('counts only rows of submitted orders the Sales User may read, with only their cookie', async () => {
    const r = await ok(sales, 'aggregate_documents', perItem('Sales Order'));
    const figures = Object.fromEntries(r.rows.map((x: { group: string; value: number }) => [x.group, x.value]));
    expect(figures).toEqual(soldPerItem('Sales Order'));
    // Drafts and cancelled orders hold WIDGET-001 rows too: their docstatus is the parent's, so they are left out.
    const everyRow = stack.standin.state.store
      .list('Sales Order')
      .flatMap((d) => d.items as Array<Record<string, unknown>>)
      .filter((x) => x.item_code === 'WIDGET-001')
      .reduce((t, x) => t + Number(x.qty), 0);
    expect(figures['WIDGET-001']).toBeLessThan(everyRow);
    expectOnlySid(getList(), sid, 'sales@example.com');
  });

  it('passes on Frappe’s refusal when the user may not read the parent, with no figures', async () => {
    const text = await fails(sales, 'aggregate_documents', perItem('Sales Invoice'));
    expect(text).toMatch(/Frappe refused \(403 PermissionError\)/);
    expect(text).not.toMatch(/WIDGET|GADGET|"value"/);
    expectOnlySid(getList(), sid, 'sales@example.com');
  });

  it('passes on Frappe’s refusal of a child table listed without its parent', async () => {
    const { parent_doctype: _parent, ...args } = perItem('Sales Order');
    const text = await fails(sales, 'aggregate_documents', args);
    expect(text).toMatch(/Frappe refused \(403 PermissionError\)/);
    expect(text).not.toMatch(/WIDGET|GADGET|"value"/);
  });
});
