import type { RequestContext } from './context.js';
import { truthy } from './context.js';
import { notFound, thrown } from './errors.js';
import { parseJsonParam } from './filters.js';
import { isSystemManager, rolesOf } from './permissions.js';
import {
  AR_CHART,
  AR_COLUMNS,
  AR_FILTERS,
  AR_RESULT,
  GL_COLUMNS,
  GL_FILTERS,
  GL_RESULT,
  SB_COLUMNS,
  SB_RESULT,
  SOA_COLUMNS,
} from './report-data.js';
import type { Doc, Store } from './store.js';
import { text } from './text.js';

function loadReport(ctx: RequestContext, name: string): Doc {
  const report = ctx.store.get('Report', name);
  if (!report) throw notFound('Report', name);
  const roles = ((report.roles as Doc[] | undefined) ?? []).map((r) => String(r.role));
  const mine = rolesOf(ctx.user);
  if (!isSystemManager(ctx.user) && !roles.some((r) => mine.has(r))) {
    throw thrown('PermissionError', `You don't have access to Report: ${name}`);
  }
  return report;
}

function filtersOf(raw: unknown): Record<string, unknown> {
  const value = parseJsonParam(raw ?? '{}');
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const base = (result: unknown[], columns: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  result,
  columns,
  message: null,
  chart: null,
  report_summary: null,
  skip_total_row: 0,
  status: null,
  execution_time: 0.01,
  add_total_row: 0,
  ...extra,
});

/** Sales Order Analysis rows computed from the stored, submitted Sales Orders (one row per item + total row). */
function salesOrderAnalysis(store: Store, filters: Record<string, unknown>): Record<string, unknown> {
  const from = text(filters.from_date ?? '0000-00-00');
  const to = text(filters.to_date ?? '9999-12-31');
  const orders = store
    .list('Sales Order')
    .filter(
      (so) => Number(so.docstatus) === 1 && String(so.transaction_date) >= from && String(so.transaction_date) <= to,
    )
    .sort((a, b) => (String(a.name) < String(b.name) ? 1 : -1));
  const rows: unknown[] = [];
  let qty = 0;
  let amount = 0;
  for (const so of orders) {
    for (const item of (so.items as Doc[] | undefined) ?? []) {
      const q = Number(item.qty);
      const a = Number(item.amount);
      qty += q;
      amount += a;
      rows.push({
        date: so.transaction_date,
        delivery_date: so.delivery_date,
        sales_order: so.name,
        status: so.status,
        customer: so.customer,
        item_code: item.item_code,
        delay_days: -7,
        delay: 0,
        qty: q,
        delivered_qty: 0.0,
        pending_qty: q,
        billed_qty: 0.0,
        amount: a,
        delivered_qty_amount: 0.0,
        billed_amount: 0.0,
        pending_amount: a,
        warehouse: item.warehouse,
        company: so.company,
        name: item.name,
        description: item.description,
        qty_to_bill: q,
        time_taken_to_deliver: 0,
      });
    }
  }
  rows.push(['', '', '', '', '', '', qty, '', qty, '', qty, amount, '', amount, '', '', '', '', '', '']);
  const chart = {
    data: { labels: ['Amount to Bill', 'Billed Amount'], datasets: [{ values: [amount, 0.0] }] },
    type: 'donut',
    height: 300,
  };
  return base(rows, SOA_COLUMNS, { chart, add_total_row: true });
}

/** Prepared reports answer from a completed Prepared Report with the same filters, else `{prepared_report, doc: null}`. */
function stockBalance(
  ctx: RequestContext,
  filters: Record<string, unknown>,
  ignorePrepared: boolean,
): Record<string, unknown> {
  if (ignorePrepared) return base(SB_RESULT, SB_COLUMNS, { add_total_row: true });
  const wanted = JSON.stringify(filters);
  const done = ctx.store
    .list('Prepared Report')
    .filter(
      (p) =>
        p.report_name === 'Stock Balance' &&
        p.status === 'Completed' &&
        JSON.stringify(JSON.parse(String(p.filters))) === wanted,
    )
    .at(-1);
  if (!done) return { prepared_report: true, doc: null, add_total_row: true, result: [], columns: [] };
  return { ...base(SB_RESULT, SB_COLUMNS), prepared_report: true, doc: structuredClone(done), add_total_row: true };
}

export function runReport(ctx: RequestContext): Record<string, unknown> {
  const name = text(ctx.args.report_name ?? '');
  loadReport(ctx, name);
  const filters = filtersOf(ctx.args.filters);
  switch (name) {
    case 'General Ledger':
      if (!filters.company) throw thrown('ValidationError', 'Company is mandatory');
      if (!filters.from_date || !filters.to_date) {
        throw thrown('ValidationError', '<strong>From Date</strong> and <strong>To Date</strong> are mandatory');
      }
      return base(GL_RESULT, GL_COLUMNS);
    case 'Accounts Receivable':
      // AR silently falls back to the default company (recorded).
      return base(AR_RESULT, AR_COLUMNS, { chart: AR_CHART, add_total_row: true });
    case 'Stock Balance':
      return stockBalance(ctx, filters, truthy(ctx.args.ignore_prepared_report));
    case 'Sales Order Analysis':
      return salesOrderAnalysis(ctx.store, filters);
    default:
      return base([], []);
  }
}

function scriptFor(name: string, filters: unknown[]): string {
  return `frappe.query_reports[${JSON.stringify(name)}] = {\n\tfilters: ${JSON.stringify(filters, null, '\t')},\n};\n`;
}

/** query_report.get_script: filter definitions exist only inside the report's JavaScript (recorded). */
export function getScript(ctx: RequestContext): Record<string, unknown> {
  const name = text(ctx.args.report_name ?? '');
  loadReport(ctx, name);
  const filters = name === 'General Ledger' ? GL_FILTERS : name === 'Accounts Receivable' ? AR_FILTERS : [];
  return {
    script: scriptFor(name, filters),
    html_format: '',
    execution_time: 0.01,
    filters: [],
    custom_report_name: null,
  };
}

export function makePreparedReport(ctx: RequestContext): Record<string, unknown> {
  const name = text(ctx.args.report_name ?? '');
  loadReport(ctx, name);
  const stamp = ctx.store.timestamp();
  const doc: Doc = {
    name: ctx.store.hashName(),
    owner: ctx.user,
    creation: stamp,
    modified: stamp,
    modified_by: ctx.user,
    docstatus: 0,
    idx: 0,
    report_name: name,
    status: 'Completed',
    queued_by: ctx.user,
    queued_at: stamp,
    report_end_time: stamp,
    job_id: `standin::${stamp}`,
    filters: JSON.stringify(filtersOf(ctx.args.filters)),
    error_message: null,
    doctype: 'Prepared Report',
  };
  ctx.store.put('Prepared Report', doc);
  return { name: doc.name };
}
