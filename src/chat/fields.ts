import type { AskText } from './query.js';
import { label } from './blocks.js';
import type { DoctypeInfo } from './catalog.js';
import type { DoctypeMeta, FieldMeta } from './site.js';
import { normalize, sameWord, singular } from './text.js';

export const NUMERIC = new Set(['Currency', 'Float', 'Int', 'Percent', 'Rating', 'Duration']);
export const DATES = new Set(['Date', 'Datetime']);

/** Fields every DocType has, by the words people use for them. */
const STANDARD: FieldMeta[] = [
  { fieldname: 'name', fieldtype: 'Data', label: 'ID' },
  { fieldname: 'creation', fieldtype: 'Datetime', label: 'Created On' },
  { fieldname: 'modified', fieldtype: 'Datetime', label: 'Last Updated On' },
  { fieldname: 'owner', fieldtype: 'Link', label: 'Created By', options: 'User' },
];

/** Words that name a field by what it means rather than by its label. */
function byMeaning(word: string, info: DoctypeInfo, meta?: DoctypeMeta): string | undefined {
  const w = singular(word);
  if (/^(name|title)$/.test(w))
    return meta?.titleField ?? (info.columns[1]?.endsWith('_name') ? info.columns[1] : 'name');
  if (/^(id|number|no)$/.test(w)) return 'name';
  if (/^(date|day)$/.test(w)) return info.dateField ?? 'creation';
  if (/^(amount|total|value|worth|size|sum)$/.test(w) && info.amountField) return info.amountField;
  if (/^(price|rate|cost)$/.test(w) && info.amountField) return info.amountField;
  if (/^(created|creation|age)$/.test(w)) return 'creation';
  if (/^(modified|updated|change|update)$/.test(w)) return 'modified';
  return undefined;
}

/** All fields the planner can name on this DocType: the site's own, or the catalog's columns without metadata. */
export function fieldsOf(info: DoctypeInfo, meta?: DoctypeMeta): FieldMeta[] {
  const own: FieldMeta[] = meta
    ? meta.fields
    : info.columns.map((c) => ({
        fieldname: c,
        label: label(c),
        fieldtype: c === info.amountField ? 'Currency' : c === info.dateField ? 'Date' : 'Data',
      }));
  return [...own, ...STANDARD.filter((s) => !own.some((f) => f.fieldname === s.fieldname))];
}

export function fieldLabel(fieldname: string, info: DoctypeInfo, meta?: DoctypeMeta): string {
  if (fieldname === 'docstatus') return 'Document Status';
  return fieldsOf(info, meta).find((f) => f.fieldname === fieldname)?.label ?? label(fieldname);
}

/**
 * The field a phrase names ("grand total", "item name", "posting date", "price"), from the DocType's
 * labels and fieldnames, then from what common words mean. Undefined when nothing fits.
 */
export function resolveField(phrase: string, info: DoctypeInfo, meta?: DoctypeMeta): FieldMeta | undefined {
  const p = normalize(phrase)
    .replace(/[_-]/g, ' ')
    .replace(/^(?:the|its|their)\s+/, '');
  if (!p) return undefined;
  const all = fieldsOf(info, meta).filter((f) => !['Table', 'Table MultiSelect'].includes(f.fieldtype));
  const key = (f: FieldMeta) => normalize(f.label ?? '');
  const meaning = byMeaning(p, info, meta);
  // "total" and "amount" mean what the document is worth (grand total), not ERPNext's pre-tax "Total".
  const worth = /^(total|amount|value)$/.test(p) && info.amountField;
  const byLabel = worth ? undefined : all.find((f) => key(f) === p);
  if (byLabel) return byLabel;
  if (meaning) return all.find((f) => f.fieldname === meaning) ?? { fieldname: meaning, fieldtype: 'Data' };
  const byName = all.find((f) => f.fieldname.replace(/_/g, ' ') === p);
  if (byName) return byName;
  // Plurals and one typo, on the label or the fieldname alike: "totals", "grand totl", "stock uoms".
  const words = p.split(' ');
  const like = (name: string) => {
    const lw = name.split(' ');
    return lw.length === words.length && lw.every((w, i) => sameWord(w, words[i]!));
  };
  const near = all.find((f) => like(key(f))) ?? all.find((f) => like(f.fieldname.replace(/_/g, ' ')));
  if (near || p.length < 4) return near;
  // The first words of one label only: "email" for "Email Id", "mobile" for "Mobile No".
  const starts = all.filter((f) => key(f).startsWith(`${p} `));
  return starts.length === 1 ? starts[0] : undefined;
}

export function isNumeric(f: FieldMeta): boolean {
  return NUMERIC.has(f.fieldtype);
}

export function isDate(f: FieldMeta): boolean {
  return DATES.has(f.fieldtype) || f.fieldname === 'creation' || f.fieldname === 'modified';
}

/** Words that name which date a range is about: "invoices due this week", "orders created today". */
const DATE_WORDS: Array<[RegExp, string]> = [
  [/\b(?:falling |coming |payment )?due\b/, 'due_date'],
  [/\b(?:delivery|delivered|for delivery)\b/, 'delivery_date'],
  [/\b(?:created|raised|entered)\b/, 'creation'],
];

/**
 * The date field a range applies to: the one the ask names ("due", "delivery", "created") when the
 * DocType has it, else the DocType's own date (posting or transaction date). Takes the word out of the ask.
 */
export function rangeField(ask: AskText, info: DoctypeInfo, meta?: DoctypeMeta): string {
  const fields = fieldsOf(info, meta);
  for (const [re, fieldname] of DATE_WORDS) {
    if (!fields.some((f) => f.fieldname === fieldname)) continue;
    if (ask.take(re)) return fieldname;
  }
  return info.dateField ?? 'creation';
}

/** Creation, modification and Datetime fields hold a time as well as a date. */
export function isDatetime(fieldname: string, info: DoctypeInfo, meta?: DoctypeMeta): boolean {
  if (fieldname === 'creation' || fieldname === 'modified') return true;
  return fieldsOf(info, meta).find((f) => f.fieldname === fieldname)?.fieldtype === 'Datetime';
}
