import { z } from 'zod';
import { fitRows, pageSize } from './budget.js';
import { decodeCursor, encodeCursor, queryKey } from './cursor.js';
import { defineTool, toolset, ToolInputError, type ToolContext } from './define.js';
import { PAGE_INPUT, PAGE_OUTPUT, listPage } from './paging.js';
import { filtersFromData, parseReportFilters, type ReportFilter } from './report-filters.js';

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
type Raw = Record<string, unknown>;

const ReportName = z
  .string()
  .min(1)
  .max(140)
  .describe('Report name exactly as list_reports shows it, e.g. "General Ledger", "Accounts Receivable".');

const FilterOut = z.object({
  fieldname: z.string(),
  label: z.string().optional(),
  fieldtype: z.string().optional(),
  options: z.string().optional(),
  reqd: z.boolean(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  default_expression: z.string().optional(),
});

/** The report's filter definition, the one source both describe_report and run_report use. */
export async function reportFilters(ctx: ToolContext, reportName: string): Promise<ReportFilter[]> {
  const msg = await ctx.frappe.call<Raw>(
    'frappe.desk.query_report.get_script',
    { report_name: reportName },
    { signal: ctx.signal },
  );
  const fromScript = typeof msg?.script === 'string' ? parseReportFilters(msg.script) : [];
  const fromData = filtersFromData(msg?.filters);
  const seen = new Set(fromScript.map((f) => f.fieldname));
  return [...fromScript, ...fromData.filter((f) => !seen.has(f.fieldname))];
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function scrub(label: string): string {
  return label
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
    .replace(/[^a-z0-9_]/g, '');
}

interface Column {
  fieldname: string;
  label?: string;
  fieldtype?: string;
  options?: string;
}

/** Columns come as dicts, or for query reports as "Label:Fieldtype/Options:Width" strings. */
function normalizeColumns(columns: unknown): Column[] {
  if (!Array.isArray(columns)) return [];
  return columns.map((c, i): Column => {
    if (typeof c === 'string') {
      const [label = '', type = '', _width] = c.split(':');
      const [fieldtype, options] = type.split('/');
      return {
        fieldname: scrub(label) || `column_${i + 1}`,
        ...(label ? { label } : {}),
        ...(fieldtype ? { fieldtype } : {}),
        ...(options ? { options } : {}),
      };
    }
    const o = (c && typeof c === 'object' ? c : {}) as Raw;
    const label = typeof o.label === 'string' ? o.label : undefined;
    return {
      fieldname: typeof o.fieldname === 'string' && o.fieldname ? o.fieldname : scrub(label ?? '') || `column_${i + 1}`,
      ...(label ? { label } : {}),
      ...(typeof o.fieldtype === 'string' ? { fieldtype: o.fieldtype } : {}),
      ...(typeof o.options === 'string' && o.options ? { options: o.options } : {}),
    };
  });
}

/** Rows as objects keyed by column fieldname (query reports answer arrays). */
function normalizeRows(rows: unknown, columns: Column[]): Raw[] {
  if (!Array.isArray(rows)) return [];
  return rows.map((r): Raw => {
    if (Array.isArray(r))
      return Object.fromEntries(r.map((v: unknown, i) => [columns[i]?.fieldname ?? `column_${i + 1}`, v]));
    return r && typeof r === 'object' ? (r as Raw) : { value: r };
  });
}

function sortedKeys(o: Raw): Raw {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const listReports = defineTool({
  name: 'list_reports',
  title: 'List reports',
  description:
    'List the reports you may open (name, type, the DocType they report on, module), optionally by module, ' +
    "DocType or part of the name. Then describe_report shows a report's filters and run_report runs it. Use " +
    'list_documents instead for plain lists of records.',
  input: {
    module: z.string().max(140).optional().describe('e.g. "Accounts", "Selling", "Stock".'),
    ref_doctype: z.string().max(140).optional().describe('Only reports on this DocType, e.g. "Sales Invoice".'),
    report_type: z
      .enum(['Report Builder', 'Query Report', 'Script Report', 'Custom Report'])
      .optional()
      .describe('Only reports of this kind; Script and Query reports take filters (describe_report).'),
    search: z.string().max(140).optional().describe('Part of the report name, e.g. "receivable".'),
    ...PAGE_INPUT,
  },
  output: {
    reports: z.array(
      z.object({
        name: z.string(),
        report_type: z.string().optional(),
        ref_doctype: z.string().optional(),
        module: z.string().optional(),
      }),
    ),
    ...PAGE_OUTPUT,
  },
  annotations: READ,
  handler: async (args, ctx) => {
    const filters: Array<[string, string, unknown]> = [['disabled', '=', 0]];
    if (args.module) filters.push(['module', '=', args.module]);
    if (args.ref_doctype) filters.push(['ref_doctype', '=', args.ref_doctype]);
    if (args.report_type) filters.push(['report_type', '=', args.report_type]);
    if (args.search) filters.push(['name', 'like', `%${args.search}%`]);
    const { rows, ...rest } = await listPage(
      {
        doctype: 'Report',
        fields: ['name', 'report_type', 'ref_doctype', 'module'],
        filters,
        orderBy: 'name asc',
        limit: args.limit,
        cursor: args.cursor,
        withTotal: args.include_total ?? false,
      },
      ctx,
    );
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
    return {
      reports: rows.map((r) => ({
        name: String(r.name),
        ...(str(r.report_type) ? { report_type: str(r.report_type) } : {}),
        ...(str(r.ref_doctype) ? { ref_doctype: str(r.ref_doctype) } : {}),
        ...(str(r.module) ? { module: str(r.module) } : {}),
      })),
      ...rest,
    };
  },
});

const describeReport = defineTool({
  name: 'describe_report',
  title: "Describe a report's filters",
  description:
    "Show the filters a report takes, from the report's own definition: fieldname, label, type, options " +
    '(Link target or Select choices), whether it is required, and its default. Call it before run_report, which ' +
    'checks required filters against exactly this list. Use search_link to find values for Link filters (e.g. Company).',
  input: { report_name: ReportName },
  output: { report_name: z.string(), filters: z.array(FilterOut), required: z.array(z.string()) },
  annotations: READ,
  handler: async ({ report_name }, ctx) => {
    const filters = await reportFilters(ctx, report_name);
    return { report_name, filters, required: filters.filter((f) => f.reqd).map((f) => f.fieldname) };
  },
});

const runReport = defineTool({
  name: 'run_report',
  title: 'Run a report',
  description:
    'Run a query or script report (e.g. "General Ledger", "Accounts Receivable", "Stock Balance") with filters and ' +
    'return its columns and rows, a page at a time (follow next_cursor with the same filters). Required filters are ' +
    "checked first against describe_report's definition. Prepared (background) reports answer with prepared_report: " +
    'true; pass ignore_prepared_report: true to compute them now. Use list_documents for plain record lists.',
  input: {
    report_name: ReportName,
    filters: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'Filter values by fieldname, e.g. {"company":"Test Company","from_date":"2026-01-01","to_date":"2026-03-31"}.',
      ),
    limit: z.number().int().min(1).optional().describe('Rows per page (server-capped).'),
    cursor: z
      .string()
      .max(400)
      .optional()
      .describe('next_cursor from the previous call with the same report and filters.'),
    ignore_prepared_report: z
      .boolean()
      .optional()
      .describe('Compute a prepared (background) report right away instead of using its queued result; may be slow.'),
  },
  output: {
    report_name: z.string(),
    columns: z.array(
      z.object({
        fieldname: z.string(),
        label: z.string().optional(),
        fieldtype: z.string().optional(),
        options: z.string().optional(),
      }),
    ),
    rows: z.array(z.record(z.string(), z.unknown())),
    total_rows: z.number().int(),
    next_cursor: z.string().optional(),
    truncated: z.boolean().optional(),
    prepared_report: z.boolean().optional(),
    report_message: z.string().optional(),
    hint: z.string().optional(),
  },
  annotations: READ,
  handler: async (args, ctx) => {
    const filters = { ...(args.filters ?? {}) };
    const definition = await reportFilters(ctx, args.report_name);
    const missing = definition.filter((f) => f.reqd && isEmpty(filters[f.fieldname]));
    for (const f of missing) if (f.default !== undefined) filters[f.fieldname] = f.default;
    const stillMissing = missing.filter((f) => f.default === undefined);
    if (stillMissing.length) {
      const list = stillMissing
        .map(
          (f) =>
            `${f.fieldname} (${[f.label, f.fieldtype && f.options ? `${f.fieldtype} of ${f.options}` : f.fieldtype]
              .filter(Boolean)
              .join(', ')}${f.default_expression ? `; the desk fills ${f.default_expression}` : ''})`,
        )
        .join('; ');
      throw new ToolInputError(
        `${args.report_name} needs these filters: ${list}. describe_report lists all filters; search_link finds values for Link filters.`,
      );
    }
    const key = queryKey({ r: args.report_name, f: sortedKeys(filters) });
    const start = decodeCursor(args.cursor, key);
    const msg = await ctx.frappe.call<Raw>(
      'frappe.desk.query_report.run',
      { report_name: args.report_name, filters, ignore_prepared_report: args.ignore_prepared_report ?? false },
      { http: 'POST', signal: ctx.signal },
    );
    const columns = normalizeColumns(msg?.columns);
    const all = normalizeRows(msg?.result, columns);
    const report_message = typeof msg?.message === 'string' && msg.message ? { report_message: msg.message } : {};
    if (msg?.prepared_report && all.length === 0) {
      const doc = msg.doc && typeof msg.doc === 'object' ? (msg.doc as Raw) : undefined;
      return {
        report_name: args.report_name,
        columns,
        rows: [],
        total_rows: 0,
        prepared_report: true,
        ...report_message,
        hint:
          `${args.report_name} is a prepared report: Frappe computes it in the background instead of answering directly` +
          (typeof doc?.status === 'string' ? ` (a run with these filters is ${doc.status})` : '') +
          '. Call run_report again with ignore_prepared_report: true to compute it now (may be slow), or open it in the desk.',
      };
    }
    const prepared =
      msg?.prepared_report && msg.doc && typeof msg.doc === 'object'
        ? {
            prepared_report: true,
            hint: `These rows come from a prepared run${(msg.doc as Raw).report_end_time ? ` finished at ${String((msg.doc as Raw).report_end_time)}` : ''}; pass ignore_prepared_report: true for fresh data.`,
          }
        : {};
    const size = pageSize(args.limit, ctx.limits);
    const slice = all.slice(start, start + size);
    const { rows, cut } = fitRows(slice, ctx.limits.maxResultBytes);
    const end = start + rows.length;
    return {
      report_name: args.report_name,
      columns,
      rows,
      total_rows: all.length,
      ...(end < all.length ? { next_cursor: encodeCursor(end, key) } : {}),
      ...prepared,
      ...(cut
        ? {
            truncated: true,
            hint: `Stopped at ${rows.length} rows to stay under ${ctx.limits.maxResultBytes} bytes; pass next_cursor for the rest.`,
          }
        : {}),
      ...report_message,
    };
  },
});

export const reports = toolset({
  id: 'reports',
  description: 'Find, describe and run query and script reports',
  tools: [listReports, describeReport, runReport],
});
