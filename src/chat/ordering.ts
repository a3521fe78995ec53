import type { DoctypeInfo } from './catalog.js';
import { isDate, isNumeric, resolveField } from './fields.js';
import type { DoctypeMeta, FieldMeta } from './site.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** Words that end a phrase (a field label, a value, a name). */
export const STOP = String.raw`(?=\s+(?:in|from|for|with|this|last|past|next|since|during|today|yesterday|that|which|sorted|ordered|order|by|and|created|where|whose|over|asc|ascending|desc|descending|first|pls|please|plz|highest|lowest|biggest|smallest|alphabetically)\b|\s+(?:a-z|z-a|a to z|z to a)(?=\s|$)|\s*[?.!,;]|\s*$)`;

const ASC_WORDS =
  /\b(asc|ascending|a-z|a to z|alphabetical(?:ly)?|lowest first|smallest first|cheapest first|oldest first|in ascending order)\b/;
const DESC_WORDS =
  /\b(desc|descending|z-a|z to a|highest first|biggest first|largest first|newest first|latest first|in descending order)\b/;
const SORT_HEAD = /\b(?:sorted|sort|ordered|order|arranged|ranked|rank)\s+(?:them\s+|it\s+)?by\s+(?:the\s+)?/;
const SUPER_HEAD =
  /\b(?:(?:with|having|by)\s+)?(?:the\s+)?(highest|lowest|biggest|largest|smallest|greatest|maximum|max|minimum|min|most|least)\s+/;
const BY_HEAD = /\bby\s+(?:the\s+)?/;
/** A field label has at most this many words. */
const MAX_LABEL_WORDS = 5;
const ALPHABETICAL = /\b(alphabetical(?:ly)?|a-z|a to z|z-a|z to a|in alphabetical order)\b/;
const NEWEST = /\b(latest|newest|most recent|recent|recently|last|youngest)\b/;
const OLDEST = /\b(oldest|earliest|first)\b/;
const BIGGEST = /\b(top|biggest|largest|highest|most expensive|priciest|greatest|max|maximum|most valuable)\b/;
const SMALLEST = /\b(smallest|lowest|least|cheapest|min|minimum|least expensive)\b/;

export interface Ordering {
  orderBy: string;
  /** In words, for the answer's first line ("newest first", "Grand Total, highest first"). */
  note: string;
  limit: number;
  /** How the limit was decided: the user's count, "the latest X" (one row), or the default. */
  limitFrom: 'count' | 'singular' | 'default';
}

export interface OrderingInput {
  /** The ask (lower case) with the DocType, dates and names already taken out. */
  text: string;
  info: DoctypeInfo;
  meta?: DoctypeMeta;
  /** The DocType was named in the singular ("the newest supplier"). */
  singular: boolean;
}

/** The user's own count, if any: "top 5", "10 suppliers", "last 3". */
export function explicitCount(text: string): number | undefined {
  const m = /(?:^|\s)(\d{1,3})(?=\s|$)/.exec(text);
  return m ? Math.min(Math.max(Number(m[1]), 1), MAX_LIMIT) : undefined;
}

function direction(f: FieldMeta, text: string, superlative?: string): 'asc' | 'desc' {
  if (ASC_WORDS.test(text)) return 'asc';
  if (DESC_WORDS.test(text)) return 'desc';
  if (superlative) return SMALLEST.test(superlative) ? 'asc' : 'desc';
  if (BIGGEST.test(text)) return 'desc';
  if (SMALLEST.test(text)) return 'asc';
  return isNumeric(f) || isDate(f) ? 'desc' : 'asc';
}

function fieldNote(f: FieldMeta, dir: 'asc' | 'desc'): string {
  const name = f.label ?? f.fieldname;
  if (isNumeric(f)) return `by ${name}, ${dir === 'desc' ? 'highest' : 'lowest'} first`;
  if (isDate(f)) return `by ${name}, ${dir === 'desc' ? 'newest' : 'oldest'} first`;
  return `by ${name}, ${dir === 'asc' ? 'A to Z' : 'Z to A'}`;
}

/** The amount people mean by "biggest": the catalog's, else the DocType's grand total or first currency field. */
function amountField(info: DoctypeInfo, meta?: DoctypeMeta): FieldMeta | undefined {
  if (info.amountField)
    return resolveField(info.amountField, info, meta) ?? { fieldname: info.amountField, fieldtype: 'Currency' };
  return (
    meta?.fields.find((f) => f.fieldname === 'grand_total') ?? meta?.fields.find((f) => f.fieldtype === 'Currency')
  );
}

function dateField(info: DoctypeInfo, meta?: DoctypeMeta): FieldMeta {
  const name =
    info.dateField ??
    meta?.fields.find((f) => ['posting_date', 'transaction_date'].includes(f.fieldname))?.fieldname ??
    'creation';
  return resolveField(name, info, meta) ?? { fieldname: name, fieldtype: 'Date' };
}

/**
 * Sort order and row count: "sorted by item name", "by total", "highest credit limit", "latest",
 * "oldest", "biggest"; one row for a singular superlative ("the newest supplier"); the user's own count
 * always wins. Returns the order and the text left once its words are taken out.
 */
export function ordering(input: OrderingInput): { ordering: Ordering; text: string } {
  let text = input.text;
  const { info, meta } = input;
  const count = explicitCount(text);
  let field: FieldMeta | undefined;
  let superlative: string | undefined;
  for (const head of [SORT_HEAD, SUPER_HEAD, BY_HEAD]) {
    const m = head.exec(text);
    if (!m) continue;
    // The longest run of words after the head that is a field label ("on hold since", "credit limit").
    const after = text.slice(m.index + m[0].length);
    const ws = after.split(/\s+/).filter(Boolean).slice(0, MAX_LABEL_WORDS);
    let found: FieldMeta | undefined;
    let n = ws.length;
    for (; n > 0 && !found; n--) found = resolveField(ws.slice(0, n).join(' '), info, meta);
    if (!found) continue;
    field = found;
    if (head === SUPER_HEAD) superlative = m[1];
    const used = ws.slice(0, n + 1).join(' ');
    const end = m.index + m[0].length + after.indexOf(used) + used.length;
    text = `${text.slice(0, m.index)} ${text.slice(end)}`;
    break;
  }
  let dir: 'asc' | 'desc';
  let note: string;
  let oneRow = false;
  if (field) {
    dir = direction(field, text, superlative);
    note = fieldNote(field, dir);
    oneRow = !!superlative && input.singular;
  } else if (NEWEST.test(text)) {
    field = dateField(info, meta);
    dir = 'desc';
    note = 'newest first';
    oneRow = input.singular;
  } else if (OLDEST.test(text)) {
    field = dateField(info, meta);
    dir = 'asc';
    note = 'oldest first';
    oneRow = input.singular;
  } else if (ALPHABETICAL.test(text)) {
    // "customers alphabetically", "suppliers a-z": by the name people read, the title field (else the ID).
    const title = meta?.titleField ?? info.columns.find((c) => c.endsWith('_name')) ?? 'name';
    field = resolveField(title, info, meta) ?? { fieldname: title, fieldtype: 'Data', label: 'Name' };
    dir = DESC_WORDS.test(text) ? 'desc' : 'asc';
    note = fieldNote(field, dir);
  } else if ((BIGGEST.test(text) || SMALLEST.test(text)) && amountField(info, meta)) {
    field = amountField(info, meta)!;
    dir = BIGGEST.test(text) ? 'desc' : 'asc';
    note = fieldNote(field, dir);
    oneRow = input.singular && !/\btop\b/.test(text);
  } else {
    return {
      ordering: {
        orderBy: 'modified desc',
        note: '',
        limit: count ?? DEFAULT_LIMIT,
        limitFrom: count ? 'count' : 'default',
      },
      text: stripWords(text),
    };
  }
  const limit = count ?? (oneRow ? 1 : DEFAULT_LIMIT);
  return {
    ordering: {
      orderBy: `${field.fieldname} ${dir}`,
      note,
      limit,
      limitFrom: count ? 'count' : oneRow ? 'singular' : 'default',
    },
    text: stripWords(text),
  };
}

const ORDER_WORDS = [
  ASC_WORDS,
  DESC_WORDS,
  NEWEST,
  OLDEST,
  BIGGEST,
  SMALLEST,
  /\b(?:sorted|ordered|arranged)\b/,
  /(?:^|\s)\d{1,3}(?=\s|$)/,
];

/** Ordering words are understood wherever they stand, so none of them is left for value look-ups. */
function stripWords(text: string): string {
  let t = text;
  for (const re of ORDER_WORDS) t = t.replace(new RegExp(re.source, 'g'), ' ');
  return t.replace(/\s+/g, ' ');
}
