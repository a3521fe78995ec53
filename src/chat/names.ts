import type { DoctypeInfo } from './catalog.js';
import { STOP } from './ordering.js';
import type { AskText, Condition } from './query.js';
import type { DoctypeMeta } from './site.js';

const PARTIAL_RE = new RegExp(
  String.raw`\b(?:(?:whose|with|where|that has|having)\s+(?:the\s+|a\s+)?)?(?:([a-z]+\s+)?(?:name|title)\s+(?:that\s+|which\s+)?)?(contains?|containing|including|includes|is like|named like|name like|like|called like|called|named|starting with|starts with|start with|beginning with|begins with|begin with|ending with|ends with|end with|ending in|ends in)\s+["'“]?(.+?)["'”]?${STOP}`,
  'i',
);

/** "contains Tech", "starting with A": how the name should match, before the DocType is known. */
export interface PartialName {
  how: 'contains' | 'starts' | 'ends';
  value: string;
}

/**
 * "whose name contains Tech", "named like 'Ltd'", "starting with A", "ending with Inc". Taken out of
 * the ask before the DocType is looked for, so the name's own words ("Supply Co") never read as one.
 */
export function takePartialName(ask: AskText): PartialName | undefined {
  const m = PARTIAL_RE.exec(ask.text);
  const value = m?.[3]?.trim();
  if (!m || !value) return undefined;
  ask.cut(m.index, m[0].length);
  // "customer name starts with Glo": the word before "name" may be the DocType itself; it stays in the ask.
  if (m[1]) ask.text = ` ${m[1]}${ask.text}`;
  const how = m[2]!.toLowerCase();
  return { how: /^(?:start|begin)/.test(how) ? 'starts' : /^end/.test(how) ? 'ends' : 'contains', value };
}

/** The field a partial name is matched on: the DocType's title field, else its name. */
export function nameField(info: DoctypeInfo, meta?: DoctypeMeta): string {
  if (meta) return meta.titleField ?? 'name';
  return info.columns.find((c) => c.endsWith('_name') || c === 'subject' || c === 'title') ?? 'name';
}

/** The `like` filter for a partial name. */
export function partialFilter(p: PartialName, info: DoctypeInfo, meta?: DoctypeMeta): Condition {
  const pattern = p.how === 'starts' ? `${p.value}%` : p.how === 'ends' ? `%${p.value}` : `%${p.value}%`;
  return [nameField(info, meta), 'like', pattern];
}
