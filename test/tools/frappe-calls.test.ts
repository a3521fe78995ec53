// Each tool's Frappe requests, counted at the stand-in, against the declared count in frappe-calls.ts
// (which the README tool table shows). Identities are warm: the counts are what a tool call costs Frappe.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { FRAPPE_CALLS } from '../../src/tools/frappe-calls.js';
import { toolsets } from '../../src/tools/index.js';
import { connectMcp, sidHeader, startStack, tokenHeader, type Stack } from '../helpers/stack.js';
import { call, ok } from './helpers.js';

let stack: Stack;
let admin: Client;
let sales: Client;
let sid: string;

beforeAll(async () => {
  stack = await startStack();
  sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  sales = await connectMcp(stack.url, sidHeader(sid));
  admin = await connectMcp(stack.url, tokenHeader(DEMO_API_KEYS.admin.key, DEMO_API_KEYS.admin.secret));
  // Warm both identities (and whoami's profile), and let the gateway learn the site's version (once per
  // site, on the first aggregate), before anything is counted.
  await ok(sales, 'whoami');
  await ok(admin, 'whoami');
  await ok(sales, 'aggregate_documents', { doctype: 'Customer', function: 'count' });
});
afterAll(async () => {
  await Promise.all([sales.close(), admin.close()]);
  await stack.close();
});

/** Requests the stand-in received while `run` ran. */
async function counted(run: () => Promise<unknown>): Promise<string[]> {
  stack.standin.resetRequests();
  await run();
  return stack.standin.requests.map((r) => `${r.method} ${r.path}`);
}

const order = {
  customer: 'Initech',
  company: 'Test Company',
  transaction_date: '2026-11-22',
  delivery_date: '2026-11-29',
  items: [{ item_code: 'WIDGET-001', qty: 5, rate: 25, warehouse: 'Stores - TC' }],
};
const GL = { company: 'Test Company', from_date: '2026-01-01', to_date: '2026-11-22' };

describe('Frappe calls per tool call', () => {
  it('every tool declares its Frappe calls', () => {
    const names = toolsets.flatMap((s) => s.tools.map((t) => t.name));
    expect(names.filter((n) => !FRAPPE_CALLS[n])).toEqual([]);
    expect(Object.keys(FRAPPE_CALLS).filter((n) => !names.includes(n))).toEqual([]);
  });

  it('reads make the declared number of calls', async () => {
    const reads: Array<[Client, string, Record<string, unknown>]> = [
      [sales, 'whoami', {}],
      [sales, 'list_documents', { doctype: 'Customer', fields: ['name', 'customer_name'], limit: 20 }],
      [sales, 'get_document', { doctype: 'Customer', name: 'Initech' }],
      [sales, 'count_documents', { doctype: 'Customer' }],
      [sales, 'aggregate_documents', { doctype: 'Customer', function: 'count', group_by: 'customer_group' }],
      [sales, 'search_link', { doctype: 'Customer', txt: 'ac' }],
      [sales, 'global_search', { text: 'Globex', limit: 5 }],
      [admin, 'list_doctypes', {}],
      [sales, 'describe_doctype', { doctype: 'Sales Order' }],
      [admin, 'list_reports', {}],
      [admin, 'describe_report', { report_name: 'General Ledger' }],
      [admin, 'run_report', { report_name: 'General Ledger', filters: GL, limit: 2 }],
      [sales, 'get_workflow_actions', { doctype: 'Sales Order', name: 'SAL-ORD-2026-00002' }],
      [
        sales,
        'call_method',
        {
          method: 'frappe.client.get_value',
          params: { doctype: 'Customer', filters: { name: 'Initech' }, fieldname: 'customer_group' },
        },
      ],
    ];
    for (const [client, name, args] of reads) {
      const seen = await counted(() => ok(client, name, args));
      expect(seen, name).toHaveLength(FRAPPE_CALLS[name]!.calls);
    }
  });

  it('include_total adds exactly one count to the list tools', async () => {
    for (const [client, name, args] of [
      [sales, 'list_documents', { doctype: 'Customer' }],
      [admin, 'list_doctypes', {}],
      [admin, 'list_reports', {}],
    ] as const) {
      const seen = await counted(() => ok(client, name, { ...args, include_total: true }));
      expect(seen, name).toHaveLength(FRAPPE_CALLS[name]!.calls + 1);
      expect(
        seen.filter((s) => s.endsWith('frappe.desk.reportview.get_count')),
        name,
      ).toHaveLength(1);
    }
  });

  it('writes make the declared number of calls', async () => {
    const expectCalls = async (name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> => {
      let data: Record<string, unknown> = {};
      const seen = await counted(async () => {
        data = await ok(admin, name, args);
      });
      expect(seen, name).toHaveLength(FRAPPE_CALLS[name]!.calls);
      return data;
    };
    const { doc } = (await expectCalls('create_document', { doctype: 'Sales Order', doc: order })) as {
      doc: { name: string };
    };
    await expectCalls('update_document', {
      doctype: 'Sales Order',
      name: doc.name,
      values: { delivery_date: '2026-12-01' },
    });
    await expectCalls('submit_document', { doctype: 'Sales Order', name: doc.name });
    await expectCalls('cancel_document', { doctype: 'Sales Order', name: doc.name });
    const amended = (await expectCalls('amend_document', { doctype: 'Sales Order', name: doc.name })) as {
      doc: { name: string };
    };
    const todo = await ok<{ doc: { name: string } }>(admin, 'create_document', {
      doctype: 'ToDo',
      doc: { description: 'x' },
    });
    await expectCalls('delete_document', { doctype: 'ToDo', name: todo.doc.name, confirm: true });
    expect(amended.doc.name).not.toBe(doc.name);
  });

  it('apply_workflow_action reads the document, then applies the action (Frappe refuses: no workflow)', async () => {
    const seen = await counted(() =>
      call(sales, 'apply_workflow_action', { doctype: 'Sales Order', name: 'SAL-ORD-2026-00002', action: 'Approve' }),
    );
    expect(seen).toHaveLength(FRAPPE_CALLS.apply_workflow_action!.calls);
  });

  it('a warm whoami asks Frappe nothing, over MCP and on /api/v1/whoami, until the identity is evicted', async () => {
    const headers = sidHeader(sid);
    const first = await counted(() => fetch(`${stack.url}/api/v1/whoami`, { headers }));
    expect(first).toEqual([]);
    const body = (await (await fetch(`${stack.url}/api/v1/whoami`, { headers })).json()) as { roles: string[] };
    expect(body.roles).toContain('Sales User');
    // A new sid is a new identity: one check, one profile read, then nothing.
    const fresh = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    const cold = await counted(() => fetch(`${stack.url}/api/v1/whoami`, { headers: sidHeader(fresh) }));
    expect(cold).toEqual([
      'GET /api/method/frappe.auth.get_logged_user',
      'GET /api/method/frappe.core.doctype.user.user.get_roles',
    ]);
    expect(await counted(() => fetch(`${stack.url}/api/v1/whoami`, { headers: sidHeader(fresh) }))).toEqual([]);
  });
});
