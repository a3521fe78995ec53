import { FrappeError, thrown } from './errors.js';
import type { Doc } from './store.js';
import { text } from './text.js';

export interface Condition {
  field: string;
  op: string;
  value: unknown;
}

/** Frappe decodes JSON-typed params with json.loads: malformed input is a bare 500 JSONDecodeError. */
export function parseJsonParam(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const s = raw.trim();
  if (!s.startsWith('[') && !s.startsWith('{') && !s.startsWith('"')) return raw;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    throw new FrappeError('JSONDecodeError');
  }
}

/** Strips `tabDocType`. prefixes and backticks: "`tabCustomer`.`name`" → "name". */
export function bareField(spec: string): string {
  const s = spec.trim().replace(/`/g, '');
  const dot = s.lastIndexOf('.');
  return dot >= 0 && s.startsWith('tab') ? s.slice(dot + 1) : s;
}

function condition(field: unknown, op: unknown, value: unknown): Condition {
  let o = text(op ?? '=')
    .toLowerCase()
    .trim();
  if (o === '==') o = '=';
  return { field: bareField(String(field)), op: o, value };
}

/** Filters in every accepted form: list of [f, op, v] / [doctype, f, op, v] / [f, v], or a dict {f: v | [op, v]}. */
export function parseFilters(raw: unknown): Condition[] {
  const value = parseJsonParam(raw);
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'string') return [condition('name', '=', value)];
  if (Array.isArray(value)) {
    return value.flatMap((entry): Condition[] => {
      if (!Array.isArray(entry)) return [];
      const e = entry as unknown[];
      if (e.length >= 4) return [condition(e[1], e[2], e[3])];
      if (e.length === 3) return [condition(e[0], e[1], e[2])];
      if (e.length === 2) return [condition(e[0], '=', e[1])];
      return [];
    });
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([field, v]) =>
      Array.isArray(v) && v.length === 2 && typeof v[0] === 'string'
        ? condition(field, v[0], v[1])
        : condition(field, '=', v),
    );
  }
  return [];
}

/** A date or date-time as Frappe's format_datetime writes it: `YYYY-MM-DD HH:MM:SS.ffffff`. */
function fullDatetime(value: string, endOfDay: boolean): string {
  const v = value.trim().replace('T', ' ');
  if (!v.includes(' ')) return `${v} ${endOfDay ? '23:59:59.999999' : '00:00:00.000000'}`;
  const [date = '', time = ''] = v.split(' ');
  const [hms = '', frac = ''] = time.split('.');
  const [h = '00', m = '00', s = '00'] = hms.split(':');
  return `${date} ${h.padStart(2, '0')}:${m.padStart(2, '0')}:${s.padStart(2, '0')}.${frac.padEnd(6, '0').slice(0, 6)}`;
}

/**
 * Frappe's `between` on dates (db_query.get_between_date_filter in 15 and 16, and the v16 query engine): on a
 * Datetime field, and on `creation`/`modified` (no docfield, so taken as Datetime), a date-only `from` is that
 * day's 00:00:00 and a date-only `to` that day's 23:59:59.999999, so the last day counts whole; a bound
 * with a time stays as given. On a Date field both bounds are cut to their date. A missing bound is today
 * (a value that is not a list: both).
 * Any other field compares as given.
 */
export function dateBetween(c: Condition, fieldtype: string | undefined, today: string): Condition {
  if (c.op !== 'between') return c;
  const datetime = fieldtype === 'Datetime' || c.field === 'creation' || c.field === 'modified';
  if (!datetime && fieldtype !== 'Date') return c;
  // Only a list gives bounds (Frappe checks isinstance(value, list | tuple)); anything else means today.
  const bounds = Array.isArray(c.value) ? (c.value as unknown[]) : [];
  const [from = today, to = today] = bounds.map((v) => text(v));
  if (datetime) return { ...c, value: [fullDatetime(from, false), fullDatetime(to, true)] };
  return { ...c, value: [from.trim().slice(0, 10), to.trim().slice(0, 10)] };
}

function isNumeric(v: unknown): boolean {
  return typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)));
}

/** MariaDB-like comparison: numbers numerically, text case-insensitively (utf8mb4 *_ci collation). */
export function compareValues(a: unknown, b: unknown): number {
  const x = a ?? '';
  const y = b ?? '';
  if (typeof x === 'number' || typeof y === 'number') {
    if (isNumeric(x) && isNumeric(y)) return Number(x) - Number(y);
  }
  const sx = text(x).toLowerCase();
  const sy = text(y).toLowerCase();
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

const likeCache = new Map<string, RegExp>();
function likeRegex(pattern: string): RegExp {
  let re = likeCache.get(pattern);
  if (!re) {
    const body = pattern
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/%/g, '.*')
      .replace(/_/g, '.');
    re = new RegExp(`^${body}$`, 'is');
    likeCache.set(pattern, re);
  }
  return re;
}

function listValue(v: unknown): unknown[] {
  if (Array.isArray(v)) return v as unknown[];
  if (typeof v === 'string') return v.split(',').map((s) => s.trim());
  return [v];
}

function test(actual: unknown, c: Condition): boolean {
  const v = c.value;
  switch (c.op) {
    case '=':
      return compareValues(actual, v) === 0;
    case '!=':
    case '<>':
      return compareValues(actual, v) !== 0;
    case '>':
      return compareValues(actual, v) > 0;
    case '<':
      return compareValues(actual, v) < 0;
    case '>=':
      return compareValues(actual, v) >= 0;
    case '<=':
      return compareValues(actual, v) <= 0;
    case 'like':
      return likeRegex(text(v)).test(text(actual ?? ''));
    case 'not like':
      return !likeRegex(text(v)).test(text(actual ?? ''));
    case 'in':
      return listValue(v).some((x) => compareValues(actual, x) === 0);
    case 'not in':
      return !listValue(v).some((x) => compareValues(actual, x) === 0);
    case 'between': {
      const [lo, hi] = listValue(v);
      return compareValues(actual, lo) >= 0 && compareValues(actual, hi) <= 0;
    }
    case 'is': {
      const set = actual !== null && actual !== undefined && actual !== '';
      return String(v).toLowerCase() === 'set' ? set : !set;
    }
    default:
      throw thrown(
        'ValidationError',
        `Operator must be one of =, !=, >, <, >=, <=, like, not like, in, not in, between, is`,
      );
  }
}

export function matchesAll(doc: Doc, conds: readonly Condition[]): boolean {
  return conds.every((c) => test(doc[c.field], c));
}

export function matchesAny(doc: Doc, conds: readonly Condition[]): boolean {
  return conds.length === 0 || conds.some((c) => test(doc[c.field], c));
}
