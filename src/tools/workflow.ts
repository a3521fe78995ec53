import { z } from 'zod';
import { defineTool, toolset } from './define.js';
import { DocName, DocTypeName } from './filters.js';

type Raw = Record<string, unknown>;

const getWorkflowActions = defineTool({
  name: 'get_workflow_actions',
  title: 'Get workflow actions',
  description:
    'List the workflow actions you may take now on a document under a Frappe Workflow (e.g. "Approve", "Reject"), ' +
    'with the state each leads to, plus the current workflow state. Then apply_workflow_action performs one. ' +
    'Documents without a workflow use submit_document / cancel_document instead.',
  input: { doctype: DocTypeName, name: DocName },
  output: {
    doctype: z.string(),
    name: z.string(),
    state: z.string().optional(),
    actions: z.array(z.object({ action: z.string(), next_state: z.string().optional() })),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async ({ doctype, name }, { frappe, signal }) => {
    const doc = await frappe.getDoc<Raw>(doctype, name, signal);
    const transitions = await frappe.call<unknown>(
      'frappe.model.workflow.get_transitions',
      { doc },
      { http: 'POST', signal },
    );
    const list = Array.isArray(transitions) ? (transitions as Raw[]) : [];
    const state = typeof doc.workflow_state === 'string' && doc.workflow_state ? { state: doc.workflow_state } : {};
    return {
      doctype,
      name,
      ...state,
      actions: list
        .filter((t) => t && typeof t.action === 'string')
        .map((t) => ({
          action: String(t.action),
          ...(typeof t.next_state === 'string' ? { next_state: t.next_state } : {}),
        })),
    };
  },
});

const applyWorkflowAction = defineTool({
  name: 'apply_workflow_action',
  title: 'Apply a workflow action',
  description:
    'Perform one workflow action (e.g. "Approve") on a document, moving it to the next workflow state; this may ' +
    'submit or cancel it. Call get_workflow_actions first to see the actions you may take. Ask the user before ' +
    'taking actions that approve, reject or cancel.',
  input: {
    doctype: DocTypeName,
    name: DocName,
    action: z.string().min(1).max(140).describe('The action exactly as get_workflow_actions lists it.'),
  },
  output: { doc: z.record(z.string(), z.unknown()) },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  handler: async ({ doctype, name, action }, { frappe, signal }) => {
    const doc = await frappe.getDoc<Raw>(doctype, name, signal);
    const updated = await frappe.call<Raw>(
      'frappe.model.workflow.apply_workflow',
      { doc, action },
      { http: 'POST', signal },
    );
    return { doc: updated && typeof updated === 'object' ? updated : await frappe.getDoc<Raw>(doctype, name, signal) };
  },
});

export const workflow = toolset({
  id: 'workflow',
  description: 'See and take Frappe Workflow actions on documents',
  tools: [getWorkflowActions, applyWorkflowAction],
});
