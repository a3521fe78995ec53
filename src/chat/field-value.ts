import { resolveField } from './fields.js';
import { STOP } from './ordering.js';
import type { Understanding } from './plan.js';
import type { AskText, Condition } from './query.js';
import type { FieldMeta, SiteLookups } from './site.js';
import { exactValue } from './values.js';

/** "where stock uom is Nos", "with default unit of measure Nos", "whose customer type = Company". */
const HEAD = /\b(?:where|whose|with|having|and)\s+(?:the\s+|its\s+|their\s+)?/g;
/** What follows the field: its value, up to the next phrase. */
const VALUE = new RegExp(String.raw`^\s+(?:is\s+|=\s*|equals?\s+|:\s*)?["']?([^\s"'].*?)["']?${STOP}`);
/** Words that start something other than a value (a comparison, a missing field, a sort, a pattern). */
const NOT_A_VALUE =
  /^(?:above|over|below|under|more|less|greater|bigger|smaller|higher|lower|at|not|no|empty|blank|null|set|between|contains?|containing|like|starting|ending|highest|lowest|biggest|smallest|a|an|the|any|in|from|for|of|to|by|on|since|during)(?=\s|$)/i;
/** "where stock uom is not set", "… is empty": the field is empty. */
const EMPTY = /^(?:not set|empty|blank|missing|null|none)$/i;
/** A field label has at most this many words. */
const MAX_LABEL_WORDS = 5;
/** Values only for fields that hold one (not tables, texts or dates, which other steps read). */
const VALUE_TYPES = new Set(['Link', 'Select', 'Data', 'Check', 'Int', 'Float', 'Currency', 'Percent', 'Read Only']);

function typedValue(field: FieldMeta, value: string): string | number | undefined {
  if (field.fieldtype === 'Check') {
    if (/^(?:yes|true|1|on|checked|ticked)$/i.test(value)) return 1;
    if (/^(?:no|false|0|off|unchecked)$/i.test(value)) return 0;
    return undefined;
  }
  if (['Int', 'Float', 'Currency', 'Percent'].includes(field.fieldtype)) {
    const n = Number(value.replace(/,/g, ''));
    return Number.isFinite(n) ? n : undefined;
  }
  return value;
}

/**
 * A field of the site's metadata named before its value, by its label or its fieldname ("where stock uom
 * is Nos": Item's `stock_uom`, labelled "Default Unit of Measure"), with plurals and one typo forgiven as
 * for labels → [field, "=", value], the value spelt as the record or option is; "is not set" → empty.
 * Takes the words out; the caller adds the filters (after the states, so those read first).
 */
export async function namedFieldValues(ask: AskText, u: Understanding, site: SiteLookups): Promise<Condition[]> {
  const out: Condition[] = [];
  for (let found = findOne(ask, u); found && out.length < 3; found = findOne(ask, u)) {
    const { field, value } = found;
    if (EMPTY.test(value)) {
      out.push([field.fieldname, 'is', 'not set']);
      continue;
    }
    const typed = typedValue(field, value)!;
    const exact = typeof typed === 'string' ? await exactValue(field.fieldname, typed, u.info, u.meta, site) : typed;
    out.push([field.fieldname, '=', exact]);
  }
  return out;
}

function findOne(ask: AskText, u: Understanding): { field: FieldMeta; value: string } | undefined {
  const lower = ask.lower;
  for (const m of lower.matchAll(HEAD)) {
    const start = m.index + m[0].length;
    const ws = lower.slice(start).split(' ').filter(Boolean);
    // The longest run of words that names a field, leaving at least one word for the value.
    for (let n = Math.min(MAX_LABEL_WORDS, ws.length - 1); n > 0; n--) {
      const phrase = ws.slice(0, n).join(' ');
      const field = resolveField(phrase, u.info, u.meta);
      if (!field || field.fieldname === 'name' || !VALUE_TYPES.has(field.fieldtype)) continue;
      const end = start + lower.slice(start).indexOf(phrase) + phrase.length;
      const v = VALUE.exec(ask.text.slice(end));
      if (!v) continue;
      const value = v[1]!.trim();
      if (!EMPTY.test(value) && (NOT_A_VALUE.test(value) || typedValue(field, value) === undefined)) continue;
      ask.cut(m.index, end - m.index + v[0].length);
      return { field, value };
    }
  }
  return undefined;
}
