import { z } from 'zod';
import { fitRows } from './budget.js';
import { defineTool, toolset } from './define.js';
import { DocTypeName, Filters, normalizeFilters } from './filters.js';

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function asList(v: unknown): Array<Record<string, unknown>> {
  return Array.isArray(v) ? v.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object') : [];
}

const searchLink = defineTool({
  name: 'search_link',
  title: 'Find a record by name',
  description:
    "Find records of one DocType whose name or search fields match a partial text, as the desk's link fields do " +
    '(e.g. doctype "Customer", txt "acme" → "Acme Corp"). Use it to turn what the user typed into the exact name ' +
    'that get_document, filters and link fields need. Use global_search when you do not know the DocType.',
  input: {
    doctype: DocTypeName,
    txt: z.string().max(140).describe('Part of the name or title to look for; empty lists the first records.'),
    filters: Filters.optional().describe('Optional extra conditions, in list or dict form.'),
    page_length: z.number().int().min(1).max(50).optional().describe('How many matches to return (default 10).'),
  },
  output: {
    results: z.array(z.object({ value: z.string(), label: z.string().optional(), description: z.string().optional() })),
  },
  annotations: READ,
  handler: async (args, { frappe, signal }) => {
    const filters = normalizeFilters(args.filters);
    const found = await frappe.call<unknown>(
      'frappe.desk.search.search_link',
      {
        doctype: args.doctype,
        txt: args.txt,
        page_length: args.page_length ?? 10,
        ...(filters?.length ? { filters: JSON.stringify(filters) } : {}),
      },
      { signal },
    );
    return {
      results: asList(found).map((r) => ({
        value: text(r.value),
        ...(typeof r.label === 'string' && r.label ? { label: r.label } : {}),
        ...(typeof r.description === 'string' && r.description ? { description: r.description } : {}),
      })),
    };
  },
});

const globalSearch = defineTool({
  name: 'global_search',
  title: 'Search everything',
  description:
    "Full-text search across every DocType in the site's global search index (names, titles and indexed fields) " +
    'that you may read. Use it when you do not know which DocType holds something; use search_link when you do, ' +
    'and list_documents for filtered lists. The index is refreshed by a background job, so very new records may be missing.',
  input: {
    text: z.string().min(1).max(200).describe('Words to look for.'),
    doctype: DocTypeName.optional().describe('Only search this DocType.'),
    limit: z.number().int().min(1).max(100).optional().describe('Maximum matches (default 20).'),
  },
  output: {
    results: z.array(
      z.object({ doctype: z.string(), name: z.string(), content: z.string().optional() }).catchall(z.unknown()),
    ),
    truncated: z.boolean().optional(),
  },
  annotations: READ,
  handler: async (args, { frappe, signal, limits }) => {
    const found = await frappe.call<unknown>(
      'frappe.utils.global_search.search',
      { text: args.text, limit: args.limit ?? 20, ...(args.doctype ? { doctype: args.doctype } : {}) },
      { signal },
    );
    const rows = asList(found).map((r) => ({
      doctype: text(r.doctype),
      name: text(r.name),
      ...(typeof r.content === 'string' ? { content: r.content } : {}),
    }));
    const { rows: results, cut } = fitRows(rows, limits.maxResultBytes);
    return cut ? { results, truncated: true } : { results };
  },
});

export const search = toolset({
  id: 'search',
  description: 'Find records by partial name or full-text search',
  tools: [searchLink, globalSearch],
});
