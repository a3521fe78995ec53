import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { connectMcp, sidHeader, startStack, tokenHeader, type Stack } from '../helpers/stack.js';
import { expectOnlySid, fails, frappeCalls, ok } from './helpers.js';

let stack: Stack;
let sidSales: string;
let sales: Client;
let limited: Client;

beforeAll(async () => {
  stack = await startStack();
  sidSales = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  sales = await connectMcp(stack.url, sidHeader(sidSales));
  limited = await connectMcp(stack.url, tokenHeader(DEMO_API_KEYS.limited.key, DEMO_API_KEYS.limited.secret));
});
afterAll(async () => {
  await Promise.all([sales.close(), limited.close()]);
  await stack.close();
});
beforeEach(() => stack.standin.resetRequests());

describe('call_method', () => {
  it('calls an allowlisted read method with GET, as the sid caller only', async () => {
    const r = await ok(sales, 'call_method', {
      method: 'frappe.client.get_value',
      params: { doctype: 'Customer', filters: { name: 'Initech' }, fieldname: 'customer_group' },
    });
    expect(r).toEqual({ method: 'frappe.client.get_value', result: { customer_group: expect.any(String) } });
    const sent = frappeCalls(stack.standin.requests, 'frappe.client.get_value')[0]!;
    expect(sent.method).toBe('GET');
    expect(sent.query.filters).toBe('{"name":"Initech"}');
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');
  });

  it('refuses methods that are not on the allowlist, without calling Frappe', async () => {
    const text = await fails(sales, 'call_method', {
      method: 'frappe.client.get_count',
      params: { doctype: 'Customer' },
    });
    expect(text).toMatch(/not on this server's method allowlist/);
    expect(text).toMatch(/frappe\.client\.get_value/);
    expect(await fails(sales, 'call_method', { method: 'frappe.client.delete' })).toMatch(/allowlist/);
    expect(frappeCalls(stack.standin.requests, '/api/method/frappe.client')).toHaveLength(0);
  });

  it('passes on Frappe’s refusal for a user without rights', async () => {
    const text = await fails(limited, 'call_method', {
      method: 'frappe.client.get_value',
      params: { doctype: 'Customer', filters: { name: 'Initech' }, fieldname: 'territory' },
    });
    expect(text).toMatch(/403/);
    expect(text).not.toMatch(/United States/);
  });
});

describe('workflow tools', () => {
  it('lists workflow actions (none on the seeded site) with POST and the doc, as the caller only', async () => {
    const r = await ok(sales, 'get_workflow_actions', { doctype: 'Sales Order', name: 'SAL-ORD-2026-00002' });
    expect(r).toEqual({ doctype: 'Sales Order', name: 'SAL-ORD-2026-00002', actions: [] });
    const sent = frappeCalls(stack.standin.requests, 'workflow.get_transitions')[0]!;
    expect(sent.method).toBe('POST');
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');
  });

  it('passes on Frappe’s refusal to read the document', async () => {
    expect(
      await fails(limited, 'get_workflow_actions', { doctype: 'Sales Order', name: 'SAL-ORD-2026-00002' }),
    ).toMatch(/403/);
  });

  it('passes on Frappe’s error when no workflow is active', async () => {
    const text = await fails(sales, 'apply_workflow_action', {
      doctype: 'Sales Order',
      name: 'SAL-ORD-2026-00002',
      action: 'Approve',
    });
    expect(text).toMatch(/417.*Workflow/s);
    expect(frappeCalls(stack.standin.requests, 'workflow.apply_workflow')[0]!.method).toBe('POST');
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');
  });
});
