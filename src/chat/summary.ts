import { DOCSTATUS_WORDS, type DoctypeInfo } from './catalog.js';
import { fieldLabel } from './fields.js';
import type { Condition } from './query.js';
import type { DoctypeMeta } from './site.js';
import { normalize, plural, withinOneEdit } from './text.js';
import type { DoctypeHit } from './vocabulary.js';

const DOCSTATUS = ['Draft', 'Submitted', 'Cancelled'];

function list(values: unknown[]): string {
  const v = values.map(String);
  return v.length <= 1 ? (v[0] ?? '') : `${v.slice(0, -1).join(', ')} or ${v[v.length - 1]!}`;
}

/** One filter in words: "Customer Group = Retail", "Status is To Bill or To Deliver", "Name contains “Tech”". */
export function conditionWords(c: Condition, info: DoctypeInfo, meta?: DoctypeMeta): string {
  const [field, op, value] = c;
  const name = fieldLabel(field, info, meta);
  if (field === 'docstatus' && typeof value === 'number') return `${name} ${op} ${DOCSTATUS[value] ?? value}`;
  if (op === 'in' && Array.isArray(value)) return `${name} is ${list(value)}`;
  if (op === 'not in' && Array.isArray(value)) return `${name} is not ${list(value)}`;
  if (op === 'is') return `${name} is ${value === 'set' ? 'set' : 'not set'}`;
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

/** "Date in this month (2026-11-01 to 2026-11-30)", "Date = today (2026-11-30)". */
export function rangeWords(label: string, r: { from: string; to: string; label: string }): string {
  // Days the user wrote out already read as dates: "Date from 2026-11-01 to 2026-11-15", "Date = 2026-11-15".
  if (/^on\b/.test(r.label)) return `${label} = ${r.from}`;
  if (/^(?:from|since)\b/.test(r.label))
    return `${label} ${r.label}${r.label.startsWith('since') ? ` (to ${r.to})` : ''}`;
  if (r.from === r.to) return `${label} = ${r.label} (${r.from})`;
  return `${label} ${/^in\b/.test(r.label) ? r.label : `in ${r.label}`} (${r.from} to ${r.to})`;
}

/** "I could not place …", with a "did you mean" when the word is one typo from something known. */
export function unplacedNote(
  word: string,
  info: DoctypeInfo,
  meta: DoctypeMeta | undefined,
  searched: string[],
  doctypeHit?: DoctypeHit,
): string {
  const known = [
    ...Object.keys(info.status ?? {}),
    ...(info.submittable ? Object.keys(DOCSTATUS_WORDS) : []),
    ...(meta?.fields ?? [])
      .filter((f) => f.fieldtype === 'Select' && f.options)
      .flatMap((f) => f.options!.split('\n'))
      .filter((o) => o.length >= 3),
  ];
  const near = known.find((k) => withinOneEdit(normalize(k), word) && word.length >= 4);
  if (near) return `I could not place “${word}”, so I ignored it. Did you mean “${near}”?`;
  if (doctypeHit && doctypeHit.info.doctype !== info.doctype) {
    return `I could not place “${word}”, so I ignored it. Did you mean ${pluralTitle(doctypeHit.info.doctype)}? Ask about one kind of record at a time.`;
  }
  const where = searched.length
    ? `no ${searched.join(', ')} matches it`
    : `${pluralTitle(info.doctype)} have no field, status or value like it`;
  return `I could not place “${word}” (${where}), so I ignored it.`;
}
