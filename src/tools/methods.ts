import { z } from 'zod';
import { byteSize } from './budget.js';
import { defineTool, toolset, ToolInputError } from './define.js';

/** Methods that change data: always POSTed, as Frappe requires for them. */
const WRITE_METHODS = new Set([
  'frappe.client.insert',
  'frappe.client.insert_many',
  'frappe.client.save',
  'frappe.client.set_value',
  'frappe.client.submit',
  'frappe.client.cancel',
  'frappe.client.delete',
  'frappe.client.rename_doc',
  'frappe.client.bulk_update',
  'frappe.model.workflow.apply_workflow',
  'frappe.desk.form.save.savedocs',
  'frappe.desk.form.save.cancel',
]);
const WRITE_VERB = /^(insert|save|set|submit|cancel|delete|remove|rename|create|make|update|apply|bulk)_?/;

/** Whether the allowlist holds the method: exact names, or a `prefix.*` entry. */
export function isAllowed(method: string, allowlist: readonly string[]): boolean {
  return allowlist.some((entry) => (entry.endsWith('.*') ? method.startsWith(entry.slice(0, -1)) : entry === method));
}

function isWrite(method: string): boolean {
  if (WRITE_METHODS.has(method)) return true;
  return WRITE_VERB.test(method.slice(method.lastIndexOf('.') + 1));
}

const callMethod = defineTool({
  name: 'call_method',
  title: 'Call a whitelisted method',
  description:
    'Call a whitelisted Frappe/ERPNext server method by its dotted path (e.g. "frappe.client.get_value") with ' +
    "named arguments, as you. Only methods on this server's allowlist may be called; the error lists them. Prefer " +
    'the dedicated tools (list_documents, get_document, run_report…) and use this only for what they do not cover.',
  input: {
    method: z
      .string()
      .max(200)
      .regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/, 'a dotted Python path such as frappe.client.get_value')
      .describe('Dotted path of the whitelisted method, e.g. "frappe.client.get_value".'),
    params: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Named arguments, e.g. {"doctype":"Customer","filters":{"name":"Initech"},"fieldname":"territory"}.'),
    http_method: z
      .enum(['GET', 'POST'])
      .optional()
      .describe('GET for reads (default); POST for methods that write. Known write methods are always POSTed.'),
  },
  output: { method: z.string(), result: z.unknown() },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  handler: async ({ method, params = {}, http_method }, { frappe, limits, signal }) => {
    if (!isAllowed(method, limits.methodAllowlist)) {
      throw new ToolInputError(
        `${method} is not on this server's method allowlist. Allowed: ${limits.methodAllowlist.join(', ') || '(none)'}. ` +
          'Use the dedicated tools instead, or ask the administrator to allow it.',
      );
    }
    const http = http_method === 'POST' || isWrite(method) ? 'POST' : 'GET';
    // GET parameters travel as text; objects go as JSON, which Frappe decodes.
    const sent =
      http === 'GET'
        ? Object.fromEntries(
            Object.entries(params).map(([k, v]) => [k, v !== null && typeof v === 'object' ? JSON.stringify(v) : v]),
          )
        : params;
    const result = await frappe.call<unknown>(method, sent, { http, signal });
    const size = byteSize(result);
    if (size > limits.maxResultBytes) {
      throw new ToolInputError(
        `${method} answered ${size} bytes, more than this server returns (${limits.maxResultBytes}). Narrow it (filters, fields, a limit) and call again.`,
      );
    }
    return { method, result: result ?? null };
  },
});

export const methods = toolset({
  id: 'methods',
  description: 'Call allowlisted whitelisted server methods',
  tools: [callMethod],
});
