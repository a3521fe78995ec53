import type { DoctypeInfo } from './catalog.js';
import { resolveField } from './fields.js';
import type { AskText, Condition } from './query.js';
import type { DoctypeMeta } from './site.js';

const COMPARE_RE =
  /\b(?:(?:with|having|where|whose)\s+)?(?:(?:the\s+)?([a-z][a-z ]{1,30}?)\s+(?:is\s+|of\s+)?)?(above|over|more than|greater than|bigger than|larger than|at least|below|under|less than|smaller than|at most|>=|<=|>|<)\s*(?:rs\.?\s*|\$|€|£|₹|inr\s*|usd\s*)?(\d[\d,]*(?:\.\d+)?)(k)?\b/i;

const OPERATORS: Record<string, string> = {
  above: '>',
  over: '>',
  'more than': '>',
  'greater than': '>',
  'bigger than': '>',
  'larger than': '>',
  'at least': '>=',
  '>=': '>=',
  '>': '>',
  below: '<',
  under: '<',
  'less than': '<',
  'smaller than': '<',
  'at most': '<=',
  '<=': '<=',
  '<': '<',
};

/**
 * "orders above 1000", "items with rate over 50", "invoices with outstanding amount more than 5k": a
 * comparison on the field named before it, or on the DocType's amount. Taken before row counts are
 * read, so "above 50" is never "50 rows".
 */
export function comparison(ask: AskText, info: DoctypeInfo, meta?: DoctypeMeta): Condition | undefined {
  const m = COMPARE_RE.exec(ask.lower);
  if (!m) return undefined;
  // The field is the longest run of words just before the comparison that names one ("grand total").
  let named: ReturnType<typeof resolveField>;
  let at = m.index + m[0].indexOf(m[2]!);
  const before = m[1] ? m[1].trim().split(/\s+/) : [];
  for (let i = 0; i < before.length && !named; i++) {
    named = resolveField(before.slice(i).join(' '), info, meta);
    if (named) at = ask.lower.lastIndexOf(before.slice(i).join(' '), at);
  }
  const field = named?.fieldname ?? info.amountField;
  const value = Number(m[3]!.replace(/,/g, '')) * (m[4] ? 1000 : 1);
  if (!field || !Number.isFinite(value)) return undefined;
  // "where", "with" before the field go with it.
  const lead = /\b(?:with|having|where|whose)\s+(?:the\s+)?$/.exec(ask.lower.slice(0, at));
  if (named && lead) at = lead.index;
  ask.cut(at, m.index + m[0].length - at);
  return [field, OPERATORS[m[2]!.toLowerCase()]!, value];
}
