import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { connectMcp, sidHeader, startStack, tokenHeader, type Stack } from '../helpers/stack.js';
import { call, expectOnlyAuthorization, expectOnlySid, fails, frappeCalls, ok } from './helpers.js';
import type { Data, Row } from './helpers.js';

let stack: Stack;
let sidSales: string;
let sales: Client;
let admin: Client;
let limited: Client;
const adminAuth = `token ${DEMO_API_KEYS.admin.key}:${DEMO_API_KEYS.admin.secret}`;

beforeAll(async () => {
  stack = await startStack();
  sidSales = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  sales = await connectMcp(stack.url, sidHeader(sidSales));
  admin = await connectMcp(stack.url, tokenHeader(DEMO_API_KEYS.admin.key, DEMO_API_KEYS.admin.secret), 'modern');
  limited = await connectMcp(stack.url, tokenHeader(DEMO_API_KEYS.limited.key, DEMO_API_KEYS.limited.secret));
});
afterAll(async () => {
  await Promise.all([sales.close(), admin.close(), limited.close()]);
  await stack.close();
});
beforeEach(() => stack.standin.resetRequests());

const salesOrder = (customer: string) => ({
  customer,
  company: 'Test Company',
  transaction_date: '2026-11-22',
  delivery_date: '2026-11-29',
  items: [{ item_code: 'WIDGET-001', qty: 5, rate: 25, warehouse: 'Stores - TC' }],
});

describe('list_documents', () => {
  it('lists customers with fields, has_more and a cursor in ONE Frappe call, as the sid caller only', async () => {
    const page = await ok(sales, 'list_documents', {
      doctype: 'Customer',
      fields: ['name', 'customer_group'],
      limit: 5,
    });
    expect(page.rows).toHaveLength(5);
    expect(page.rows[0]).toHaveProperty('customer_group');
    expect(page.has_more).toBe(true);
    expect(page.total).toBeUndefined();
    expect(typeof page.next_cursor).toBe('string');
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');
    expect(stack.standin.requests).toHaveLength(1);
    const list = frappeCalls(stack.standin.requests, '/api/resource/Customer')[0]!;
    expect(list.query.order_by).toBe('modified desc, name desc');
    // One row more than the page tells whether another page exists; no count is asked for.
    expect(list.query.limit_page_length).toBe('6');
  });

  it('counts the total only with include_total: true (reportview.get_count, as the caller)', async () => {
    const page = await ok(sales, 'list_documents', { doctype: 'Customer', limit: 5, include_total: true });
    expect(page.total).toBeGreaterThanOrEqual(30);
    expect(page.has_more).toBe(true);
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');
    expect(frappeCalls(stack.standin.requests, 'reportview.get_count')).toHaveLength(1);
    expect(frappeCalls(stack.standin.requests, 'frappe.client.get_count')).toHaveLength(0);
    expect(stack.standin.requests).toHaveLength(2);
  });

  it('says has_more: false on the last page', async () => {
    const page = await ok(sales, 'list_documents', { doctype: 'Customer', limit: 200 });
    expect(page.has_more).toBe(false);
    expect(page.next_cursor).toBeUndefined();
  });

  it('walks 30+ customers page by page exactly once, without gaps or duplicates', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let total = 0;
    for (let i = 0; i < 20; i++) {
      const page: Data = await ok(sales, 'list_documents', {
        doctype: 'Customer',
        order_by: 'customer_name asc',
        limit: 7,
        include_total: true,
        ...(cursor ? { cursor } : {}),
      });
      total = page.total;
      seen.push(...page.rows.map((r: Row) => r.name));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    expect(total).toBeGreaterThanOrEqual(30);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const all = await ok(admin, 'list_documents', { doctype: 'Customer', limit: 200, order_by: 'customer_name asc' });
    expect(seen).toEqual(all.rows.map((r: Row) => r.name));
  });

  it('filters in list and dict form and counts only matches', async () => {
    const list = await ok(sales, 'list_documents', {
      doctype: 'Customer',
      filters: [['customer_group', '=', 'Government']],
      fields: ['name', 'customer_group'],
      include_total: true,
    });
    const dict = await ok(sales, 'list_documents', {
      doctype: 'Customer',
      filters: { customer_group: ['=', 'Government'] },
      fields: ['name', 'customer_group'],
    });
    expect(list.rows.length).toBeGreaterThan(0);
    expect(list.rows.every((r: Row) => r.customer_group === 'Government')).toBe(true);
    expect(dict.rows).toEqual(list.rows);
    expect(list.total).toBe(list.rows.length);
  });

  it('rejects unknown operators, odd field names and bad order_by before calling Frappe', async () => {
    expect(await fails(sales, 'list_documents', { doctype: 'Customer', filters: [['name', 'regexp', 'x']] })).toMatch(
      /Unknown filter operator/,
    );
    expect(
      await fails(sales, 'list_documents', { doctype: 'Customer', filters: [['name; drop table', '=', 'x']] }),
    ).toMatch(/Bad field name/);
    expect(await fails(sales, 'list_documents', { doctype: 'Customer', order_by: 'name; select 1' })).toMatch(
      /order_by/,
    );
    expect(await fails(sales, 'list_documents', { doctype: 'Customer', fields: ['count(*)'] })).toMatch(/field/);
    expect(stack.standin.requests.filter((r) => r.path.includes('Customer'))).toHaveLength(0);
  });

  it('refuses a cursor from a different query', async () => {
    const first = await ok(sales, 'list_documents', { doctype: 'Customer', limit: 3 });
    const text = await fails(sales, 'list_documents', {
      doctype: 'Customer',
      limit: 3,
      filters: { customer_group: 'Commercial' },
      cursor: first.next_cursor,
    });
    expect(text).toMatch(/different query/);
    expect(await fails(sales, 'list_documents', { doctype: 'Customer', cursor: 'garbage!' })).toMatch(/not valid/);
  });

  it('gives limited@example.com Frappe’s refusal, never rows or a count', async () => {
    const text = await fails(limited, 'list_documents', { doctype: 'Customer' });
    expect(text).toMatch(/Frappe refused \(403/);
    expect(text).not.toMatch(/Acme|Initech/);
    expect(await fails(limited, 'count_documents', { doctype: 'Customer' })).toMatch(/403/);
  });
});

describe('count_documents', () => {
  it('counts with the permission-respecting reportview.get_count', async () => {
    const r = await ok(sales, 'count_documents', { doctype: 'Customer', filters: { customer_group: 'Commercial' } });
    expect(r.count).toBeGreaterThan(0);
    const calls = frappeCalls(stack.standin.requests, 'get_count');
    expect(calls.map((c) => c.path)).toEqual(['/api/method/frappe.desk.reportview.get_count']);
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');
  });

  it('reports an unknown DocType as Frappe’s refusal', async () => {
    expect(await fails(sales, 'count_documents', { doctype: 'No Such Thing' })).toMatch(/Frappe refused/);
  });
});

describe('get_document', () => {
  it('returns a sales order with its items, and can project fields', async () => {
    const { doc } = await ok(sales, 'get_document', { doctype: 'Sales Order', name: 'SAL-ORD-2026-00002' });
    expect(doc.name).toBe('SAL-ORD-2026-00002');
    expect(Array.isArray(doc.items)).toBe(true);
    expect(doc.items.length).toBeGreaterThan(0);
    const small = await ok(sales, 'get_document', {
      doctype: 'Sales Order',
      name: 'SAL-ORD-2026-00002',
      fields: ['customer'],
    });
    expect(Object.keys(small.doc).sort()).toEqual(['customer', 'name']);
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');
  });

  it('passes on Frappe’s 404 with a next step', async () => {
    const text = await fails(sales, 'get_document', { doctype: 'Customer', name: 'No Such Customer' });
    expect(text).toMatch(/Frappe refused \(404/);
    expect(text).toMatch(/not found/i);
  });

  it('gives limited@example.com a 403, not the document', async () => {
    const text = await fails(limited, 'get_document', { doctype: 'Customer', name: 'Initech' });
    expect(text).toMatch(/403/);
    expect(text).not.toMatch(/territory|customer_group/);
  });
});

describe('create_document, update_document, submit/cancel/amend, delete', () => {
  it('creates a draft sales order with child rows, as the caller only', async () => {
    const { doc } = await ok(sales, 'create_document', { doctype: 'Sales Order', doc: salesOrder('Hooli') });
    expect(doc.docstatus).toBe(0);
    expect(doc.items).toHaveLength(1);
    expect(doc.owner).toBe('sales@example.com');
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');
  });

  it('refuses docstatus 1 on create (submit separately) and passes on validation errors', async () => {
    expect(
      await fails(sales, 'create_document', { doctype: 'Sales Order', doc: { ...salesOrder('Hooli'), docstatus: 1 } }),
    ).toMatch(/only creates drafts/);
    expect(frappeCalls(stack.standin.requests, 'Sales%20Order')).toHaveLength(0);
    const { delivery_date: _d, ...noDate } = salesOrder('Hooli');
    expect(await fails(sales, 'create_document', { doctype: 'Sales Order', doc: noDate })).toMatch(
      /417.*Delivery Date/s,
    );
  });

  it('refuses create for a user without the right', async () => {
    expect(await fails(limited, 'create_document', { doctype: 'Customer', doc: { customer_name: 'X' } })).toMatch(
      /403/,
    );
  });

  it('patches, adds and removes child rows and locks on modified', async () => {
    const { doc } = await ok(sales, 'create_document', {
      doctype: 'Sales Order',
      doc: {
        ...salesOrder('Initech'),
        items: [
          { item_code: 'WIDGET-001', qty: 1, rate: 25 },
          { item_code: 'GADGET-002', qty: 2, rate: 99 },
        ],
      },
    });
    const [first, second] = doc.items;
    stack.standin.resetRequests();
    const { doc: updated } = await ok(sales, 'update_document', {
      doctype: 'Sales Order',
      name: doc.name,
      values: {
        items: [
          { name: first.name, qty: 4 },
          { item_code: 'CABLE-003', qty: 10, rate: 5.5 },
        ],
      },
      remove_child_rows: { items: [second.name] },
    });
    expect(updated.items.map((r: Row) => [r.item_code, r.qty])).toEqual([
      ['WIDGET-001', 4],
      ['CABLE-003', 10],
    ]);
    const put = stack.standin.requests.find((r) => r.method === 'PUT')!;
    expect(put).toBeDefined();
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');
    expect(
      await fails(sales, 'update_document', {
        doctype: 'Sales Order',
        name: doc.name,
        values: { items: [{ name: 'no-such-row', qty: 1 }] },
      }),
    ).toMatch(/no row named/);
    expect(
      await fails(sales, 'update_document', { doctype: 'Sales Order', name: doc.name, values: { docstatus: 1 } }),
    ).toMatch(/submit_document/);
  });

  it('passes on Frappe’s validation error for a bad link value', async () => {
    const text = await fails(sales, 'update_document', {
      doctype: 'Customer',
      name: 'Initech',
      values: { customer_group: 'No Such Group' },
    });
    expect(text).toMatch(/417/);
  });

  it('submits, refuses to re-cancel, amends and explains docstatus', async () => {
    const { doc } = await ok(sales, 'create_document', { doctype: 'Sales Order', doc: salesOrder('Pied Piper') });
    stack.standin.resetRequests();
    const submitted = await ok(sales, 'submit_document', { doctype: 'Sales Order', name: doc.name });
    expect(submitted.doc.docstatus).toBe(1);
    expect(submitted.doc.status).toBe('To Deliver and Bill');
    const submitCall = frappeCalls(stack.standin.requests, 'frappe.client.submit')[0]!;
    expect(submitCall.method).toBe('POST');
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');

    const again = await ok(sales, 'submit_document', { doctype: 'Sales Order', name: doc.name });
    expect(again.note).toMatch(/already submitted/);
    expect(await fails(sales, 'amend_document', { doctype: 'Sales Order', name: doc.name })).toMatch(/Cancel it first/);

    const cancelled = await ok(sales, 'cancel_document', { doctype: 'Sales Order', name: doc.name });
    expect(cancelled.doc.docstatus).toBe(2);
    expect(await fails(sales, 'cancel_document', { doctype: 'Sales Order', name: doc.name })).toMatch(
      /already cancelled/,
    );
    expect(await fails(sales, 'submit_document', { doctype: 'Sales Order', name: doc.name })).toMatch(/amend_document/);

    const amended = await ok(sales, 'amend_document', {
      doctype: 'Sales Order',
      name: doc.name,
      changes: { delivery_date: '2026-12-05' },
    });
    expect(amended.doc.name).toBe(`${doc.name}-1`);
    expect(amended.doc.amended_from).toBe(doc.name);
    expect(amended.doc.docstatus).toBe(0);
    expect(amended.doc.delivery_date).toBe('2026-12-05');
    expect(amended.doc.items).toHaveLength(1);
  });

  it('explains that a draft cannot be cancelled', async () => {
    expect(await fails(sales, 'cancel_document', { doctype: 'Sales Order', name: 'SAL-ORD-2026-00002' })).toMatch(
      /draft/,
    );
  });

  it('deletes only with confirm: true, and passes on refusals', async () => {
    const { doc } = await ok(admin, 'create_document', { doctype: 'ToDo', doc: { description: 'delete me' } });
    expect((await call(admin, 'delete_document', { doctype: 'ToDo', name: doc.name })).isError).toBe(true);
    expect((await call(admin, 'delete_document', { doctype: 'ToDo', name: doc.name, confirm: false })).isError).toBe(
      true,
    );
    stack.standin.resetRequests();
    expect(await ok(admin, 'delete_document', { doctype: 'ToDo', name: doc.name, confirm: true })).toEqual({
      deleted: true,
      doctype: 'ToDo',
      name: doc.name,
    });
    expectOnlyAuthorization(stack.standin.requests, adminAuth, 'Administrator');
    expect(await fails(admin, 'delete_document', { doctype: 'ToDo', name: doc.name, confirm: true })).toMatch(/404/);
    // sales@example.com may not delete customers
    expect(await fails(sales, 'delete_document', { doctype: 'Customer', name: 'Initech', confirm: true })).toMatch(
      /403/,
    );
  });
});
