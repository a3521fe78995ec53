import type { FieldMeta, SiteLookups } from './site.js';
import { FUZZY_MIN_LENGTH, sameWord } from './text.js';
import type { Candidate } from './values.js';

/** And at most this many more for a word that matched nothing, to find it one typo away ("goverment"). */
export const MAX_TYPO_LOOKUPS = 2;
/** A misspelt word is looked up by its first letters, where typos are rarest. */
const TYPO_PREFIX = 3;

/**
 * The one record whose name is one typo from `word` ("goverment" → Government), among the records of the
 * first link fields that start like it; none when there are several or none. Only words of five letters
 * or more: a short word one letter off is more likely another word.
 */
export async function oneTypoAway(
  word: string,
  fields: FieldMeta[],
  site: SiteLookups,
  budget: number,
): Promise<{ pick?: Candidate; budget: number }> {
  if (word.length < FUZZY_MIN_LENGTH || budget <= 0) return { budget };
  const tries = fields.filter((f) => f.fieldname !== 'name').slice(0, budget);
  const answers = await Promise.all(tries.map((f) => site.searchLink(f.options!, word.slice(0, TYPO_PREFIX))));
  const near: Candidate[] = [];
  answers.forEach((a, i) => {
    if (!('values' in a)) return;
    for (const v of a.values) if (sameWord(v.value, word)) near.push({ field: tries[i]!, value: v.value });
  });
  return { budget: budget - tries.length, ...(near.length === 1 ? { pick: near[0]! } : {}) };
}
