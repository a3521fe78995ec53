import { z } from 'zod';
import { defineTool, toolset, ToolInputError } from './define.js';
import { DocTypeName, FieldName, Filters, normalizeFilters } from './filters.js';
import { siteVersion, type Behaviour } from '../frappe/version.js';

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const FUNCTIONS = ['count', 'sum', 'avg', 'min', 'max'] as const;

const ALIAS = 'aggregate_value';

/**
 * One aggregate column in the form the site accepts: 15 takes only `"sum(grand_total) as aggregate_value"`
 * (a dict is a 500 there); 16 refuses SQL functions written as strings (417) and takes
 * `{"SUM": "grand_total", "as": "aggregate_value"}`. The field name is validated by FieldName before it gets here.
 */
function aggregateField(
  form: Behaviour['aggregateFieldForm'],
  fn: (typeof FUNCTIONS)[number],
  field: string,
): string | Record<string, string> {
  return form === 'dict' ? { [fn.toUpperCase()]: field, as: ALIAS } : `${fn}(${field}) as ${ALIAS}`;
}

const aggregateDocuments = defineTool({
  name: 'aggregate_documents',
  title: 'Totals and counts by group',
  description:
    'Compute a count, sum, average, minimum or maximum over the documents of one DocType that you may read, ' +
    'optionally per value of a field, biggest first: e.g. total grand_total of submitted Sales Invoices per ' +
    'customer ("top customers by sales"), number of Customers per customer_group, average order value per ' +
    'territory. Frappe computes it, with your permissions, in one query. Use count_documents for a single ' +
    'count without groups, and list_documents to see the rows themselves. For the rows of a child table ' +
    '(an item table such as "Sales Invoice Item"), also give parent_doctype ("Sales Invoice"): e.g. total qty ' +
    'per item_code of submitted invoices ("best selling items"). Child rows are read with the permission of ' +
    "the parent DocType, only from parent documents you may read, and share the parent's docstatus.",
  input: {
    doctype: DocTypeName,
    parent_doctype: DocTypeName.optional().describe(
      'Only for a child table DocType: the DocType whose documents hold its rows (e.g. "Sales Invoice" for ' +
        '"Sales Invoice Item"). Needed: Frappe refuses to list a child table on its own.',
    ),
    function: z.enum(FUNCTIONS).describe('count, sum, avg, min or max.'),
    field: FieldName.optional().describe(
      'The numeric field to add up or compare (e.g. "grand_total"); not needed for count.',
    ),
    group_by: FieldName.optional().describe(
      'One result per value of this field (e.g. "customer", "territory", "status"); omit for one overall figure.',
    ),
    filters: Filters.optional().describe(
      'Which documents count, e.g. [["docstatus","=",1]] for submitted ones only (list or dict form).',
    ),
    order: z.enum(['desc', 'asc']).optional().describe('desc (default): biggest first; asc: smallest first.'),
    limit: z.number().int().min(1).optional().describe('How many groups to return (default 10, server-capped).'),
  },
  output: {
    doctype: z.string(),
    parent_doctype: z.string().optional(),
    function: z.enum(FUNCTIONS),
    field: z.string(),
    group_by: z.string().optional(),
    rows: z.array(z.object({ group: z.unknown().optional(), value: z.number().nullable() })),
  },
  annotations: READ,
  handler: async (args, { frappe, limits, signal }) => {
    const field = args.function === 'count' ? (args.field ?? 'name') : args.field;
    if (!field) throw new ToolInputError(`${args.function} needs a field, e.g. "grand_total".`);
    const { aggregateFieldForm } = await siteVersion(frappe.site).behaviour(frappe);
    const expression = aggregateField(aggregateFieldForm, args.function, field);
    const params = {
      fields: args.group_by ? [args.group_by, expression] : [expression],
      filters: normalizeFilters(args.filters),
      ...(args.group_by ? { group_by: args.group_by } : {}),
      order_by: `${ALIAS} ${args.order ?? 'desc'}`,
      limit_page_length: Math.min(args.limit ?? 10, limits.maxPageSize),
    };
    // Child rows are reachable only through frappe.client.get_list with `parent` (recorded); its other
    // arguments are the same as a list's, JSON-encoded like the resource list does.
    const rows = args.parent_doctype
      ? await frappe.call<Array<Record<string, unknown>>>(
          'frappe.client.get_list',
          {
            doctype: args.doctype,
            parent: args.parent_doctype,
            ...params,
            fields: JSON.stringify(params.fields),
            ...(params.filters ? { filters: JSON.stringify(params.filters) } : {}),
          },
          { signal },
        )
      : await frappe.list<Record<string, unknown>>(args.doctype, params, signal);
    return {
      doctype: args.doctype,
      ...(args.parent_doctype ? { parent_doctype: args.parent_doctype } : {}),
      function: args.function,
      field,
      ...(args.group_by ? { group_by: args.group_by } : {}),
      rows: rows.map((r) => ({
        ...(args.group_by ? { group: r[args.group_by] ?? null } : {}),
        value: r[ALIAS] === null || r[ALIAS] === undefined ? null : Number(r[ALIAS]),
      })),
    };
  },
});

export const analytics = toolset({
  id: 'analytics',
  description: 'Counts, totals and averages computed by Frappe, with the caller’s permissions',
  tools: [aggregateDocuments],
});
