import { z } from 'zod';
import { ToolInputError } from './define.js';

/** A DocType name as Frappe spells it: letters, digits, spaces, a few marks. */
export const DocTypeName = z
  .string()
  .min(1)
  .max(140)
  .regex(/^[A-Za-z][\w .&()-]*$/, 'not a DocType name')
  .describe('DocType name exactly as Frappe spells it, e.g. "Customer", "Sales Order", "Sales Invoice".');

export const DocName = z
  .string()
  .min(1)
  .max(140)
  .describe('The document name (its ID, e.g. "SAL-ORD-2026-00001" or "Acme Corp"), as list_documents returns it.');

const FIELD_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A column name: letters, digits and underscores only, so nothing but a field reaches Frappe's SQL. */
export const FieldName = z.string().regex(FIELD_RE, 'field names are letters, digits and underscores');

/** Frappe's filter operators (frappe.model.db_query / frappe.qb). */
export const OPERATORS = [
  '=',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  'like',
  'not like',
  'in',
  'not in',
  'between',
  'is',
  'timespan',
  'descendants of',
  'ancestors of',
  'not descendants of',
  'not ancestors of',
] as const;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const Value = z.union([Scalar, z.array(Scalar)]);

export const Filters = z
  .union([z.array(z.array(Value).min(2).max(4)), z.record(z.string(), Value)])
  .describe(
    'Filters, in Frappe list form [[field, operator, value], ...] or dict form {field: value} / {field: [operator, value]}. ' +
      `Operators: ${OPERATORS.join(', ')}. Examples: [["status","=","Overdue"],["grand_total",">",1000]], ` +
      '{"customer": "Initech", "transaction_date": [">=", "2026-01-01"]}, [["name","like","%acme%"]], ' +
      '[["status","in",["Draft","To Bill"]]], [["due_date","between",["2026-01-01","2026-03-31"]]], [["email_id","is","set"]]. ' +
      'A child-table field is [child_doctype, field, operator, value], e.g. ["Sales Order Item","item_code","=","WIDGET-001"].',
  );
export type FiltersInput = z.infer<typeof Filters>;

/** One filter in Frappe's list form: [field, op, value] or [doctype, field, op, value]. */
export type Condition = [string, string, unknown] | [string, string, string, unknown];

function checkOperator(op: unknown, where: string): string {
  const o = typeof op === 'string' ? op.trim().toLowerCase() : '';
  const norm = o === '==' ? '=' : o === '<>' ? '!=' : o;
  if (!(OPERATORS as readonly string[]).includes(norm)) {
    throw new ToolInputError(
      `Unknown filter operator ${JSON.stringify(op)} in ${where}. Use one of: ${OPERATORS.join(', ')}.`,
    );
  }
  return norm;
}

function checkField(field: unknown, where: string): string {
  if (typeof field !== 'string' || !FIELD_RE.test(field)) {
    throw new ToolInputError(
      `Bad field name ${JSON.stringify(field)} in ${where}: field names are letters, digits and underscores (describe_doctype lists them).`,
    );
  }
  return field;
}

function checkValue(op: string, value: unknown, where: string): unknown {
  if ((op === 'in' || op === 'not in') && !Array.isArray(value) && typeof value !== 'string') {
    throw new ToolInputError(`Operator "${op}" in ${where} needs a list of values.`);
  }
  if (op === 'between' && (!Array.isArray(value) || value.length !== 2)) {
    throw new ToolInputError(`Operator "between" in ${where} needs exactly two values [from, to].`);
  }
  if (op === 'is' && value !== 'set' && value !== 'not set') {
    throw new ToolInputError(`Operator "is" in ${where} takes "set" or "not set".`);
  }
  return value;
}

/**
 * Validates filters and returns them in Frappe's list form, so only known operators and sane field
 * names reach Frappe. Throws ToolInputError naming the bad part. Undefined stays undefined.
 */
export function normalizeFilters(filters: FiltersInput | undefined, label = 'filters'): Condition[] | undefined {
  if (filters === undefined) return undefined;
  if (Array.isArray(filters)) {
    return filters.map((entry, i): Condition => {
      const where = `${label}[${i}]`;
      if (entry.length === 2) return [checkField(entry[0], where), '=', entry[1]];
      if (entry.length === 3) {
        const op = checkOperator(entry[1], where);
        return [checkField(entry[0], where), op, checkValue(op, entry[2], where)];
      }
      const doctype = DocTypeName.safeParse(entry[0]);
      if (!doctype.success) throw new ToolInputError(`Bad child DocType ${JSON.stringify(entry[0])} in ${where}.`);
      const op = checkOperator(entry[2], where);
      return [doctype.data, checkField(entry[1], where), op, checkValue(op, entry[3], where)];
    });
  }
  return Object.entries(filters).map(([field, v]): Condition => {
    const where = `${label}.${field}`;
    checkField(field, where);
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && isOperator(v[0])) {
      const op = checkOperator(v[0], where);
      return [field, op, checkValue(op, v[1], where)];
    }
    return [field, '=', v];
  });
}

function isOperator(s: string): boolean {
  const o = s.trim().toLowerCase();
  return o === '==' || o === '<>' || (OPERATORS as readonly string[]).includes(o);
}

export const OrderBy = z
  .string()
  .max(200)
  .describe(
    'Sort order "field asc|desc", comma-separated for several, e.g. "grand_total desc". Default "modified desc".',
  );

/** What normalizeOrderBy makes of no order_by: Frappe's own default, with the tiebreak. */
const DEFAULT_ORDER = 'modified desc, name desc';

/**
 * Validates `field [asc|desc], ...` and appends `name` as a tiebreak so offset paging is stable
 * (Frappe adds no ORDER BY of its own to REST lists).
 */
export function normalizeOrderBy(orderBy: string | undefined): string {
  // The default, as an agent nearly always leaves it: no parsing per call.
  if (!orderBy?.trim()) return DEFAULT_ORDER;
  const parts = orderBy.split(',').map((p) => p.trim());
  const out: string[] = [];
  for (const part of parts) {
    const m = /^([A-Za-z_][A-Za-z0-9_]{0,63})(?:\s+(asc|desc))?$/i.exec(part);
    if (!m) {
      throw new ToolInputError(`Bad order_by part ${JSON.stringify(part)}: use "field asc" or "field desc".`);
    }
    out.push(`${m[1]} ${(m[2] ?? 'asc').toLowerCase()}`);
  }
  if (!out.some((p) => p.startsWith('name '))) {
    const lastDir = out[out.length - 1]!.endsWith('desc') ? 'desc' : 'asc';
    out.push(`name ${lastDir}`);
  }
  return out.join(', ');
}
