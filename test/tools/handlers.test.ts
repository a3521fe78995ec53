// Handler behaviour the stand-in cannot show (it has no Workflow, no DocPerm rows in getdoctype and a
// read-only default allowlist): driven with a fake FrappeClient that records what it was asked.
import { describe, expect, it } from 'vitest';
import type { ToolContext, ToolDefinition } from '../../src/tools/define.js';
import { toolsets } from '../../src/tools/index.js';
import { isAllowed } from '../../src/tools/methods.js';

const tool = (name: string): ToolDefinition => toolsets.flatMap((s) => s.tools).find((t) => t.name === name)!;

interface Sent {
  method: string;
  params: Record<string, unknown>;
  http?: string;
}

function fakeCtx(
  answers: Record<string, unknown>,
  extra: Partial<ToolContext> = {},
): { ctx: ToolContext; sent: Sent[] } {
  const sent: Sent[] = [];
  const frappe = {
    call: (method: string, params: Record<string, unknown>, opts: { http?: string } = {}) => {
      sent.push({ method, params, http: opts.http });
      return Promise.resolve(answers[method]);
    },
    getDoc: (doctype: string, name: string) =>
      Promise.resolve({ doctype, name, docstatus: 0, workflow_state: 'Pending' }),
  };
  const ctx = {
    frappe,
    principal: { user: 'sales@example.com', kind: 'sid', site: 'x', validUntil: 0 },
    limits: {
      pageSize: 20,
      maxPageSize: 200,
      maxResultBytes: 60_000,
      methodAllowlist: ['frappe.client.set_value', 'my_app.api.*'],
    },
    ...extra,
  } as unknown as ToolContext;
  return { ctx, sent };
}

describe('get_workflow_actions / apply_workflow_action', () => {
  it('posts the current doc and maps transitions to actions', async () => {
    const { ctx, sent } = fakeCtx({
      'frappe.model.workflow.get_transitions': [
        { action: 'Approve', next_state: 'Approved', allowed: 'Sales Manager' },
        { action: 'Reject', next_state: 'Rejected' },
      ],
    });
    const r = await tool('get_workflow_actions').handler({ doctype: 'Sales Order', name: 'SO-1' }, ctx);
    expect(r).toEqual({
      doctype: 'Sales Order',
      name: 'SO-1',
      state: 'Pending',
      actions: [
        { action: 'Approve', next_state: 'Approved' },
        { action: 'Reject', next_state: 'Rejected' },
      ],
    });
    expect(sent[0]).toMatchObject({ http: 'POST', params: { doc: { name: 'SO-1', doctype: 'Sales Order' } } });
  });

  it('applies an action with the doc, by POST', async () => {
    const { ctx, sent } = fakeCtx({
      'frappe.model.workflow.apply_workflow': { name: 'SO-1', workflow_state: 'Approved' },
    });
    const r = await tool('apply_workflow_action').handler(
      { doctype: 'Sales Order', name: 'SO-1', action: 'Approve' },
      ctx,
    );
    expect(r).toEqual({ doc: { name: 'SO-1', workflow_state: 'Approved' } });
    expect(sent[0]).toMatchObject({ http: 'POST', params: { action: 'Approve' } });
  });
});

describe('call_method', () => {
  it('POSTs known write methods and honours prefix.* allowlist entries', async () => {
    const { ctx, sent } = fakeCtx({ 'frappe.client.set_value': { name: 'X' }, 'my_app.api.stats': { n: 1 } });
    await tool('call_method').handler({ method: 'frappe.client.set_value', params: { doctype: 'ToDo' } }, ctx);
    await tool('call_method').handler({ method: 'my_app.api.stats', params: { f: { a: 1 } } }, ctx);
    await tool('call_method').handler({ method: 'my_app.api.stats', http_method: 'POST' }, ctx);
    expect(sent.map((s) => s.http)).toEqual(['POST', 'GET', 'POST']);
    expect(sent[1]!.params).toEqual({ f: '{"a":1}' });
    expect(isAllowed('my_app.apix.stats', ['my_app.api.*'])).toBe(false);
  });

  it('refuses an answer over the byte budget with a way forward', async () => {
    const { ctx } = fakeCtx({ 'my_app.api.big': 'x'.repeat(70_000) });
    await expect(tool('call_method').handler({ method: 'my_app.api.big' }, ctx)).rejects.toThrow(/Narrow it/);
  });
});

describe('describe_doctype', () => {
  it('says what the caller’s roles allow when Frappe sends DocPerm rows', async () => {
    const { ctx } = fakeCtx({
      'frappe.desk.form.load.getdoctype': {
        docs: [
          {
            name: 'Customer',
            fields: [{ fieldname: 'customer_name', fieldtype: 'Data', reqd: 1 }],
            permissions: [
              { role: 'Sales User', permlevel: 0, read: 1, write: 1, create: 1 },
              { role: 'Sales Manager', permlevel: 0, read: 1, delete: 1 },
            ],
          },
        ],
      },
      'frappe.core.doctype.user.user.get_roles': ['Sales User', 'All'],
    });
    const r = await tool('describe_doctype').handler({ doctype: 'Customer' }, ctx);
    expect(r.your_permissions).toEqual(['read', 'write', 'create']);
    expect(r.mandatory).toEqual(['customer_name']);
  });
});
