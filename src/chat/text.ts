/** Word-level helpers the planner's modules share: normalising, plurals, and typo-tolerant lookup. */

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Lower case, straight quotes, one space between words. */
export function normalize(s: string): string {
  return s.toLowerCase().replace(/[’‘`]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
}

/** The words of a phrase, lower case, without punctuation (hyphens and ampersands kept inside words). */
export function words(s: string): string[] {
  return normalize(s)
    .split(/[^\p{L}\p{N}&'-]+/u)
    .map((w) => w.replace(/^['-]+|['-]+$/g, ''))
    .filter(Boolean);
}

/** English plural of the last word of a name ("Company" → "Companies", "BOM" → "BOMs"). */
export function plural(name: string): string {
  if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(name)) return `${name}es`;
  return `${name}s`;
}

/** The singular of a lower-case word, by the common English rules; words that are not plurals come back unchanged. */
export function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ses|xes|zes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Every string one deletion away from `key`, and `key` itself. */
function deletions(key: string): string[] {
  const out = [key];
  for (let i = 0; i < key.length; i++) out.push(key.slice(0, i) + key.slice(i + 1));
  return out;
}

/** Phrases shorter than this must be spelled exactly: a typo in a short word is more likely another word. */
export const FUZZY_MIN_LENGTH = 5;

/**
 * A phrase → values map that also finds phrases one typo away (a letter missing, extra, changed or two
 * letters swapped), by indexing every one-letter deletion (the symmetric-delete method). Lookups cost a
 * few map reads per phrase, whatever the size of the vocabulary.
 */
export class FuzzyIndex<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly near = new Map<string, Array<{ key: string; value: T }>>();

  add(key: string, value: T): void {
    const list = this.exact.get(key);
    if (list) {
      if (!list.includes(value)) list.push(value);
    } else this.exact.set(key, [value]);
    if (key.length < FUZZY_MIN_LENGTH) return;
    for (const d of new Set(deletions(key))) {
      const bucket = this.near.get(d);
      if (bucket) bucket.push({ key, value });
      else this.near.set(d, [{ key, value }]);
    }
  }

  get(key: string): T[] {
    return this.exact.get(key) ?? [];
  }

  /** Values whose phrase is one typo from `key` (not counting exact matches). */
  fuzzy(key: string): Array<{ key: string; value: T }> {
    if (key.length < FUZZY_MIN_LENGTH) return [];
    const out: Array<{ key: string; value: T }> = [];
    for (const d of new Set(deletions(key))) {
      for (const hit of this.near.get(d) ?? []) {
        if (hit.key !== key && withinOneEdit(key, hit.key) && !out.some((o) => o.value === hit.value)) out.push(hit);
      }
    }
    return out;
  }

  get size(): number {
    return this.exact.size;
  }
}

/** True when a and b differ by one insertion, deletion, substitution or swap of neighbours. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Same word, ignoring case, plural and one typo (for longer words). */
export function sameWord(a: string, b: string): boolean {
  const x = singular(normalize(a));
  const y = singular(normalize(b));
  return x === y || (x.length >= FUZZY_MIN_LENGTH && y.length >= FUZZY_MIN_LENGTH && withinOneEdit(x, y));
}
