import { z } from 'zod';
import type { ToolContext } from './define.js';
import { fitRows, pageSize } from './budget.js';
import { decodeCursor, encodeCursor, queryKey } from './cursor.js';
import type { Condition } from './filters.js';

/** The paging arguments of list-style tools that take no other page hints. */
export const PAGE_INPUT = {
  limit: z.number().int().min(1).optional().describe('Rows per page (server-capped).'),
  cursor: z.string().max(400).optional().describe('next_cursor from the previous call with the same arguments.'),
  include_total: z
    .boolean()
    .optional()
    .describe('Also count all matches (one more Frappe query; default false). has_more tells whether rows remain.'),
};

/** What every paged answer may add besides its rows (see ListPage). */
export const PAGE_OUTPUT = {
  has_more: z.boolean().describe('True when more rows follow (pass next_cursor to get them).'),
  total: z.number().int().optional().describe('All matches you may read; only with include_total: true.'),
  next_cursor: z.string().optional(),
  truncated: z.boolean().optional(),
  hint: z.string().optional(),
};

export interface ListQuery {
  doctype: string;
  fields: string[];
  filters?: Condition[];
  orFilters?: Condition[];
  /** Already normalised (with the name tiebreak). */
  orderBy: string;
  limit?: number;
  cursor?: string;
  withTotal: boolean;
}

export interface ListPage {
  rows: Array<Record<string, unknown>>;
  /** Another page exists (learnt from one extra row, not from a count). */
  has_more: boolean;
  total?: number;
  next_cursor?: string;
  truncated?: boolean;
  hint?: string;
}

/**
 * One page of a permission-checked list (GET /api/resource), with a cursor bound to the query and a byte
 * budget: ONE Frappe call, asking for one row more than the page to learn whether another page exists.
 * Only when asked, the total from frappe.desk.reportview.get_count (which, unlike frappe.client.get_count,
 * applies the caller's permissions) — a second query, and on a large table the slowest one.
 */
export async function listPage(q: ListQuery, { frappe, limits, signal }: ToolContext): Promise<ListPage> {
  const key = queryKey({ d: q.doctype, f: q.filters ?? null, o: q.orFilters ?? null, s: q.orderBy });
  const start = decodeCursor(q.cursor, key);
  const size = pageSize(q.limit, limits);
  const [fetched, total] = await Promise.all([
    frappe.list(
      q.doctype,
      {
        fields: q.fields,
        ...(q.filters ? { filters: q.filters } : {}),
        ...(q.orFilters ? { or_filters: q.orFilters } : {}),
        order_by: q.orderBy,
        limit_start: start,
        // One extra row tells whether another page exists.
        limit_page_length: size + 1,
      },
      signal,
    ),
    q.withTotal ? countDocuments(frappe, q.doctype, q.filters, q.orFilters, signal) : Promise.resolve(undefined),
  ]);
  const more = fetched.length > size;
  const { rows, cut } = fitRows(fetched.slice(0, size), limits.maxResultBytes);
  const page: ListPage = { rows, has_more: more || cut };
  if (total !== undefined) page.total = total;
  if (more || cut) page.next_cursor = encodeCursor(start + rows.length, key);
  if (cut) {
    page.truncated = true;
    page.hint = `Stopped at ${rows.length} rows to stay under ${limits.maxResultBytes} bytes; pass next_cursor for the rest, or ask for fewer fields.`;
  }
  return page;
}

export async function countDocuments(
  frappe: ToolContext['frappe'],
  doctype: string,
  filters: Condition[] | undefined,
  orFilters: Condition[] | undefined,
  signal?: AbortSignal,
): Promise<number> {
  const count = await frappe.call<unknown>(
    'frappe.desk.reportview.get_count',
    {
      doctype,
      ...(filters?.length ? { filters: JSON.stringify(filters) } : {}),
      ...(orFilters?.length ? { or_filters: JSON.stringify(orFilters) } : {}),
    },
    { signal },
  );
  return Number(count) || 0;
}
