import { FrappeError, noDoctypePermission, thrown } from './errors.js';
import {
  bareField,
  compareValues,
  dateBetween,
  matchesAll,
  matchesAny,
  parseFilters,
  parseJsonParam,
  type Condition,
} from './filters.js';
import { requireMeta, type DocContext } from './documents.js';
import { CHILD_FIELDS, STANDARD_FIELDS, allMetas, columnNames, isQueryableField, type DocTypeDef } from './meta.js';
import { access, canAccessDoc, maxPermlevel } from './permissions.js';
import type { Doc } from './store.js';
import { text } from './text.js';

/** Columns with a search index on the recorded site (customer_group, territory on Customer). */
const INDEXED = new Set(['customer_group', 'territory']);

export interface ListOptions {
  fields?: unknown;
  filters?: unknown;
  or_filters?: unknown;
  order_by?: unknown;
  group_by?: unknown;
  start?: number;
  /** 0 = no limit. */
  limit?: number;
  /** Parent DocType when listing a child table (frappe.client.get_list `parent`). */
  parent?: unknown;
  /** Order when no order_by is given: the DB's own order (v1/v2 lists) or the doctype sort (`modified desc`, reportview). */
  defaultOrder?: 'natural' | 'modified desc';
  /** frappe.client.get_count skips permission checks (recorded). */
  ignorePermissions?: boolean;
}

interface Column {
  out: string;
  field: string;
  agg?: 'count' | 'sum' | 'avg' | 'min' | 'max';
}

const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max']);

function parseColumn(spec: string, traits: DocContext['traits']): Column {
  const m = /^(.*?)\s+as\s+(.+)$/i.exec(spec.trim());
  const expr = (m?.[1] ?? spec).trim();
  const alias = m?.[2] ? bareField(m[2]) : undefined;
  const fn = /^(count|sum|avg|min|max)\s*\((.*)\)$/i.exec(expr);
  if (fn) {
    if (traits?.dictAggregates) {
      throw thrown(
        'ValidationError',
        `SQL functions are not allowed as strings in SELECT: ${spec}. Use dict syntax like {'COUNT': '*'} instead.`,
      );
    }
    const agg = fn[1]!.toLowerCase() as Column['agg'];
    const inner = bareField(fn[2]!.replace(/distinct/i, '').trim() || '*');
    return { out: alias ?? `${agg}(${inner})`, field: inner === '*' ? 'name' : inner, agg };
  }
  const field = bareField(expr);
  return { out: alias ?? field, field };
}

/**
 * Frappe 16's dict field, `{"SUM": "grand_total", "as": "total"}`. Frappe 15 puts the dict in a set while
 * building the query: 500 TypeError (unhashable type: 'dict').
 */
function parseDictColumn(spec: Record<string, unknown>, traits: DocContext['traits']): Column {
  if (!traits?.dictAggregates) throw new FrappeError('TypeError');
  const entries = Object.entries(spec).filter(([k]) => k !== 'as');
  const [fnName, arg] = entries[0] ?? [];
  // Frappe 16 takes any other key for a child-table query (FUNCTION_MAPPING holds the upper-case names).
  if (fnName && !AGGREGATES.has(fnName.toLowerCase()))
    throw thrown('ValidationError', `Child query fields for '${fnName}' must be a list or tuple.`);
  const agg = fnName?.toLowerCase();
  if (entries.length !== 1 || !agg || typeof arg !== 'string')
    throw thrown('ValidationError', 'Invalid function dictionary format');
  if (arg === '*' && agg !== 'count') throw thrown('ValidationError', "'*' is only allowed in COUNT SQL function(s)");
  const inner = bareField(arg);
  const alias = typeof spec.as === 'string' ? bareField(spec.as) : undefined;
  return { out: alias ?? `${agg}(${inner})`, field: inner === '*' ? 'name' : inner, agg: agg as Column['agg'] };
}

function parseFields(raw: unknown, meta: DocTypeDef, traits: DocContext['traits']): Column[] {
  const value = parseJsonParam(raw ?? '["name"]');
  const specs: unknown[] = Array.isArray(value) ? value : [value];
  const cols: Column[] = [];
  for (const item of specs) {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      cols.push(parseDictColumn(item as Record<string, unknown>, traits));
      continue;
    }
    const spec = String(item);
    if (spec.trim() === '*' || bareField(spec) === '*') {
      const all = [...STANDARD_FIELDS, ...(meta.istable ? CHILD_FIELDS : []), ...columnNames(meta)];
      for (const f of [...new Set(all)]) cols.push({ out: f, field: f });
      continue;
    }
    cols.push(parseColumn(spec, traits));
  }
  return cols;
}

/** Frappe's `Field not permitted in query` check (a DataError, 417). */
function assertField(meta: DocTypeDef, field: string): void {
  if (!isQueryableField(meta, field)) throw thrown('DataError', `Field not permitted in query: ${field}`);
}

function dateBounds(ctx: DocContext, meta: DocTypeDef, c: Condition): Condition {
  const fieldtype = meta.fields.find((f) => f.fieldname === c.field)?.fieldtype;
  return dateBetween(c, fieldtype, ctx.store.today());
}

function fieldPermlevel(meta: DocTypeDef, field: string): number {
  return meta.fields.find((f) => f.fieldname === field)?.permlevel ?? 0;
}

function sourceRows(ctx: DocContext, meta: DocTypeDef, opts: ListOptions): Doc[] {
  const { store, user, traits } = ctx;
  if (!meta.istable) {
    const rows = store.list(meta.name);
    if (opts.ignorePermissions) return rows;
    return rows.filter((d) => canAccessDoc(user, meta.name, 'read', d));
  }
  // Child rows are only reachable through their parent's permission (rows of all parents, insertion order).
  const parent = typeof opts.parent === 'string' ? opts.parent : undefined;
  // Frappe 16 lets Administrator list a child table without naming the parent (rows of every parent).
  const everyParent = !parent && user === 'Administrator' && traits?.richerPayloads;
  if (!parent && !opts.ignorePermissions && !everyParent) throw new FrappeError('PermissionError');
  const parents = parent
    ? [parent]
    : everyParent
      ? allMetas()
          .filter((m) => m.fields.some((f) => f.fieldtype === 'Table' && f.options === meta.name))
          .map((m) => m.name)
      : [];
  const out: Doc[] = [];
  for (const p of parents) {
    if (!opts.ignorePermissions && access(user, p, 'read') === 'none') throw noDoctypePermission(user, p);
    for (const doc of store.list(p)) {
      if (!opts.ignorePermissions && !canAccessDoc(user, p, 'read', doc)) continue;
      for (const value of Object.values(doc)) {
        if (!Array.isArray(value)) continue;
        for (const row of value as Doc[]) if (row.doctype === meta.name) out.push(row);
      }
    }
  }
  return out.sort((a, b) => compareValues(a.name, b.name));
}

function parseOrder(raw: unknown): Array<[field: string, desc: boolean]> {
  if (typeof raw !== 'string' || raw.trim() === '') return [];
  return raw.split(',').map((part) => {
    const [f = 'name', dir = 'asc'] = part.trim().split(/\s+/);
    return [bareField(f), dir.toLowerCase() === 'desc'];
  });
}

function aggregate(col: Column, rows: Doc[]): unknown {
  const values = rows.map((r) => r[col.field]);
  switch (col.agg) {
    case 'count':
      return values.filter((v) => v !== null && v !== undefined).length;
    case 'sum':
      return values.reduce<number>((s, v) => s + Number(v ?? 0), 0);
    case 'avg':
      return values.length ? values.reduce<number>((s, v) => s + Number(v ?? 0), 0) / values.length : null;
    case 'min':
      return values.reduce<unknown>((m, v) => (m === undefined || compareValues(v, m) < 0 ? v : m), undefined) ?? null;
    case 'max':
      return values.reduce<unknown>((m, v) => (m === undefined || compareValues(v, m) > 0 ? v : m), undefined) ?? null;
    default:
      return rows[0]?.[col.field] ?? null;
  }
}

export interface QueryResult {
  keys: string[];
  rows: Doc[];
}

/** The refusal of a list or count on a DocType the user may not read. */
export function listRefusal(ctx: DocContext, doctype: string): FrappeError {
  if (ctx.traits?.modernMessages)
    return thrown('PermissionError', `Insufficient Permission for <strong>${doctype}</strong>`);
  return noDoctypePermission(ctx.user, doctype);
}

/** A frappe.get_list over the in-memory tables: permissions, filters, grouping, ordering and paging. */
export function runQuery(ctx: DocContext, doctype: string, opts: ListOptions): QueryResult {
  const { user } = ctx;
  const meta = requireMeta(ctx, doctype);
  if (!meta.istable && !opts.ignorePermissions && access(user, doctype, 'read') === 'none') {
    throw listRefusal(ctx, doctype);
  }
  const level = maxPermlevel(user);
  const columns = parseFields(opts.fields, meta, ctx.traits).filter((c) => {
    if (c.agg && c.field === 'name') return true;
    assertField(meta, c.field);
    return fieldPermlevel(meta, c.field) <= level;
  });
  const conds = parseFilters(opts.filters).map((c) => dateBounds(ctx, meta, c));
  const orConds = parseFilters(opts.or_filters).map((c) => dateBounds(ctx, meta, c));
  for (const c of [...conds, ...orConds]) assertField(meta, c.field);

  let rows = sourceRows(ctx, meta, opts).filter((d) => matchesAll(d, conds) && matchesAny(d, orConds));
  const hasAgg = columns.some((c) => c.agg);
  const groupBy = typeof opts.group_by === 'string' && opts.group_by.trim() ? bareField(opts.group_by) : undefined;
  let out: Doc[];
  if (groupBy || hasAgg) {
    const groups = new Map<string, Doc[]>();
    for (const r of rows) {
      const key = groupBy ? text(r[groupBy] ?? '') : '';
      const g = groups.get(key);
      if (g) g.push(r);
      else groups.set(key, [r]);
    }
    if (groups.size === 0 && !groupBy) groups.set('', []);
    out = [...groups.values()].map((g) => Object.fromEntries(columns.map((c) => [c.out, aggregate(c, g)])));
  } else {
    const order = parseOrder(opts.order_by);
    const onlyName = columns.every((c) => c.field === 'name');
    if (order.length === 0 && opts.defaultOrder === 'modified desc') order.push(['modified', true]);
    // Without ORDER BY MariaDB answers a name-only query from a secondary index (insertion order here) and
    // any wider query from the clustered primary key, i.e. by name.
    if (order.length === 0 && !onlyName) {
      // A filter on an indexed column makes MariaDB walk that index: rows come out grouped by it, then by name.
      // So does a query that the index covers (name plus one indexed column).
      const covering = columns.find((c) => INDEXED.has(c.field));
      const indexed =
        [...conds, ...orConds].find((c) => INDEXED.has(c.field))?.field ??
        (columns.length === 2 ? covering?.field : undefined);
      if (indexed) order.push([indexed, false]);
      order.push(['name', false]);
    }
    if (order.length > 0) rows = [...rows].sort((a, b) => sortRows(a, b, order));
    out = rows.map((r) => Object.fromEntries(columns.map((c) => [c.out, r[c.field] ?? null])));
  }
  if (groupBy || hasAgg) {
    const order = parseOrder(opts.order_by);
    if (order.length > 0) out.sort((a, b) => sortRows(a, b, order));
  }
  const start = opts.start ?? 0;
  const limit = opts.limit ?? 20;
  const page = limit > 0 ? out.slice(start, start + limit) : out.slice(start);
  return { keys: columns.map((c) => c.out), rows: page };
}

function sortRows(a: Doc, b: Doc, order: Array<[string, boolean]>): number {
  for (const [field, desc] of order) {
    const c = compareValues(a[field], b[field]);
    if (c !== 0) return desc ? -c : c;
  }
  return 0;
}

/** Number of rows the user may see (frappe.client.get_count passes ignorePermissions). */
export function countRows(ctx: DocContext, doctype: string, filters: unknown, ignorePermissions = false): number {
  return runQuery(ctx, doctype, { fields: '["name"]', filters, limit: 0, ignorePermissions }).rows.length;
}
