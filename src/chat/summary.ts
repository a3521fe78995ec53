import type { DoctypeInfo } from './catalog.js';
import { fieldLabel } from './fields.js';
import type { Condition } from './query.js';
import type { DoctypeMeta } from './site.js';
import { plural } from './text.js';

const DOCSTATUS = ['Draft', 'Submitted', 'Cancelled'];

function list(values: unknown[]): string {
  const v = values.map(String);
  return v.length <= 1 ? (v[0] ?? '') : `${v.slice(0, -1).join(', ')} or ${v[v.length - 1]!}`;
}

/** One filter in words: "Customer Group = Retail", "Status is To Bill or To Deliver", "Name contains “Tech”". */
export function conditionWords(c: Condition, info: DoctypeInfo, meta?: DoctypeMeta): string {
  const [field, op, value] = c;
  const name = fieldLabel(field, info, meta);
  if (field === 'docstatus' && typeof value === 'number') return `${name} = ${DOCSTATUS[value] ?? value}`;
  if (op === 'in' && Array.isArray(value)) return `${name} is ${list(value)}`;
  if (op === 'not in' && Array.isArray(value)) return `${name} is not ${list(value)}`;
  if (op === 'between' && Array.isArray(value)) return `${name} from ${String(value[0])} to ${String(value[1])}`;
  if (op === 'like' && typeof value === 'string') {
    const inner = value.replace(/^%|%$/g, '');
    if (value.startsWith('%') && value.endsWith('%')) return `${name} contains “${inner}”`;
    if (value.endsWith('%')) return `${name} starts with “${inner}”`;
    return `${name} ends with “${inner}”`;
  }
  const dir: Record<string, string> = { '<': 'before', '>': 'after', '<=': 'on or before', '>=': 'on or after' };
  if (dir[op] && /^\d{4}-\d\d-\d\d$/.test(String(value))) return `${name} ${dir[op]} ${String(value)}`;
  return `${name} ${op} ${String(value)}`;
}

export function pluralTitle(doctype: string): string {
  return plural(doctype);
}

export interface Understood {
  /** What is shown: "Customers", "Number of Sales Orders", "Top 5 Customers by …". */
  what: string;
  conditions?: string[];
  order?: string;
  rows?: number;
}

/**
 * The answer's first line: the query in words, so a wrong guess shows at once.
 * "Customers where Customer Group = Retail, newest first, 5 rows".
 */
export function firstLine(u: Understood): string {
  const parts = [u.conditions?.length ? `${u.what} where ${u.conditions.join(' and ')}` : u.what];
  if (u.order) parts.push(u.order);
  if (u.rows !== undefined) parts.push(`${u.rows} ${u.rows === 1 ? 'row' : 'rows'}`);
  return parts.join(', ');
}
