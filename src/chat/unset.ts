import type { DoctypeInfo } from './catalog.js';
import { resolveField } from './fields.js';
import type { AskText, Condition } from './query.js';
import type { DoctypeMeta } from './site.js';

/** "without territory", "with no email", "missing the tax id", "with an empty mobile no". */
const HEAD =
  /\b(?:without|with\s+no|with\s+(?:an?\s+)?(?:empty|blank)|having\s+no|that\s+have\s+no|missing)\s+(?:an?\s+|any\s+|the\s+)?/;
/** A field label has at most this many words. */
const MAX_LABEL_WORDS = 4;

/**
 * A field named as missing ("customers without territory") → [field, "is", "not set"], the longest run
 * of words after the head that is a field label. Takes the words out of the ask; undefined when the words
 * name no field (then they are left to be placed as values, or named as not placed).
 */
export function unsetField(ask: AskText, info: DoctypeInfo, meta?: DoctypeMeta): Condition | undefined {
  const m = HEAD.exec(ask.lower);
  if (!m) return undefined;
  const after = ask.lower.slice(m.index + m[0].length);
  const ws = after.split(/\s+/).filter(Boolean).slice(0, MAX_LABEL_WORDS);
  for (let n = ws.length; n > 0; n--) {
    const phrase = ws.slice(0, n).join(' ');
    const field = resolveField(phrase, info, meta);
    if (!field || field.fieldname === 'name') continue;
    ask.cut(m.index, m[0].length + after.indexOf(phrase) + phrase.length);
    return [field.fieldname, 'is', 'not set'];
  }
  return undefined;
}
