import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { bearerHeader, connectMcp, sidHeader, startStack, tokenHeader, type Stack } from '../helpers/stack.js';
import { expectOnlyAuthorization, expectOnlySid, fails, frappeCalls, ok } from './helpers.js';
import type { Row } from './helpers.js';

let stack: Stack;
let sidSales: string;
let bearer: string;
let sales: Client;
let salesBearer: Client;
let admin: Client;
let limited: Client;

beforeAll(async () => {
  stack = await startStack();
  sidSales = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  bearer = stack.standin.issueBearer('sales@example.com').access_token;
  sales = await connectMcp(stack.url, sidHeader(sidSales), 'modern');
  salesBearer = await connectMcp(stack.url, bearerHeader(bearer));
  admin = await connectMcp(stack.url, tokenHeader(DEMO_API_KEYS.admin.key, DEMO_API_KEYS.admin.secret));
  limited = await connectMcp(stack.url, tokenHeader(DEMO_API_KEYS.limited.key, DEMO_API_KEYS.limited.secret));
});
afterAll(async () => {
  await Promise.all([sales.close(), salesBearer.close(), admin.close(), limited.close()]);
  await stack.close();
});
beforeEach(() => stack.standin.resetRequests());

describe('search_link', () => {
  it('finds customers by partial name, as the bearer caller only', async () => {
    const { results } = await ok(salesBearer, 'search_link', { doctype: 'Customer', txt: 'ac' });
    expect(results.map((r: Row) => r.value)).toContain('Acme Corp');
    expect(results[0].description).toBeDefined();
    expectOnlyAuthorization(stack.standin.requests, `Bearer ${bearer}`, 'sales@example.com');
    expect(frappeCalls(stack.standin.requests, 'frappe.desk.search.search_link')).toHaveLength(1);
  });

  it('gives limited@example.com Frappe’s refusal', async () => {
    const text = await fails(limited, 'search_link', { doctype: 'Customer', txt: 'ac' });
    expect(text).toMatch(/403/);
    expect(text).not.toMatch(/Acme/);
  });
});

describe('global_search', () => {
  it('finds records across DocTypes, as the sid caller only', async () => {
    const { results } = await ok(sales, 'global_search', { text: 'Globex', limit: 5 });
    expect(results.some((r: Row) => r.doctype === 'Customer' && r.name === 'Globex Corporation')).toBe(true);
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');
  });

  it('shows limited@example.com nothing it may not read', async () => {
    const { results } = await ok(limited, 'global_search', { text: 'Globex', limit: 5 });
    expect(results).toEqual([]);
  });

  it('refuses empty text before calling Frappe', async () => {
    expect(await fails(sales, 'global_search', { text: '' })).toMatch(/Invalid arguments/);
    expect(stack.standin.requests.filter((r) => r.path.includes('global_search'))).toHaveLength(0);
  });
});

describe('describe_doctype', () => {
  it('describes Sales Order: mandatory fields, links, child tables with their fields, submittable', async () => {
    const d = await ok(sales, 'describe_doctype', { doctype: 'Sales Order' });
    expect(d.name).toBe('Sales Order');
    expect(d.is_submittable).toBe(true);
    expect(d.mandatory).toEqual(expect.arrayContaining(['customer', 'transaction_date', 'company']));
    expect(d.links).toEqual(expect.arrayContaining([{ fieldname: 'customer', doctype: 'Customer' }]));
    const items = d.child_tables.find((t: Row) => t.fieldname === 'items');
    expect(items.doctype).toBe('Sales Order Item');
    expect(items.fields.map((f: Row) => f.fieldname)).toContain('item_code');
    expect(items.mandatory).toEqual(expect.arrayContaining(['qty']));
    expect(d.fields.some((f: Row) => f.fieldtype === 'Section Break')).toBe(false);
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');
  });

  it('can leave child fields out', async () => {
    const d = await ok(sales, 'describe_doctype', { doctype: 'Sales Order', include_child_fields: false });
    expect(d.child_tables[0].fields).toBeUndefined();
  });

  it('passes on Frappe’s refusal for an unknown DocType', async () => {
    expect(await fails(sales, 'describe_doctype', { doctype: 'No Such Doctype' })).toMatch(/Frappe refused/);
  });

  it('shows the active Workflow and the states waiting for approval, to any signed-in user', async () => {
    const d = await ok(sales, 'describe_doctype', { doctype: 'Purchase Order' });
    expect(d.workflow).toEqual({
      name: 'Purchase Order Approval',
      state_field: 'workflow_state',
      states: [
        { state: 'Draft', doc_status: 0 },
        { state: 'Pending Approval', doc_status: 0 },
        { state: 'Approved', doc_status: 1 },
        { state: 'Rejected', doc_status: 0 },
      ],
      waiting_states: ['Pending Approval'],
    });
    expect(d.fields.find((f: Row) => f.fieldname === 'grand_total').in_list_view).toBe(true);
    expect((await ok(sales, 'describe_doctype', { doctype: 'Sales Order' })).workflow).toBeUndefined();
  });
});

describe('list_doctypes', () => {
  it('lists DocTypes of a module for an administrator', async () => {
    const r = await ok(admin, 'list_doctypes', { module: 'Selling' });
    const names = r.doctypes.map((d: Row) => d.name);
    expect(names).toEqual(expect.arrayContaining(['Customer', 'Sales Order']));
    expect(names).not.toContain('Sales Order Item');
    expect(r.doctypes.find((d: Row) => d.name === 'Sales Order').is_submittable).toBe(true);
  });

  it('explains the 403 a non-privileged user gets', async () => {
    const text = await fails(sales, 'list_doctypes', {});
    expect(text).toMatch(/403/);
    expect(text).toMatch(/describe_doctype/);
  });
});
