/** Room kept for the envelope around the rows (keys, cursor, hint). */
const ENVELOPE_BYTES = 600;

export interface Fitted<T> {
  rows: T[];
  /** True when rows were left out to stay under the byte budget. */
  cut: boolean;
}

/**
 * Takes rows in order while their JSON stays under `maxBytes`. Always keeps at least one row so a caller
 * can make progress; one row alone over the budget is still returned (the caller narrows fields next time).
 */
export function fitRows<T>(rows: readonly T[], maxBytes: number): Fitted<T> {
  const limit = Math.max(maxBytes - ENVELOPE_BYTES, 256);
  // Most pages are far under the budget, and a bound says so without serialising them: the answer
  // serialises the rows anyway, and doing it here too was the tool's largest own cost (issue #12).
  const bound = flatRowsBound(rows);
  if (bound !== undefined && bound + 1 <= limit) return { rows: [...rows], cut: false };
  // Every row fits: one string for the page instead of one per row (issue #12: per-call allocations).
  // The page's JSON is the rows' plus commas, so this is the same test.
  if (Buffer.byteLength(JSON.stringify(rows)) + 1 <= limit) return { rows: [...rows], cut: false };
  let used = 2;
  const out: T[] = [];
  for (const row of rows) {
    const size = Buffer.byteLength(JSON.stringify(row)) + 1;
    if (out.length > 0 && used + size > limit) return { rows: out, cut: true };
    used += size;
    out.push(row);
  }
  return { rows: out, cut: false };
}

/** Most characters JSON.stringify writes for a number ("-0.0000012345678901234567" has 25). */
const NUMBER_CHARS = 25;

/**
 * An upper bound on the UTF-8 bytes of JSON.stringify(rows) when each row is an object of JSON
 * primitives, as Frappe's list rows are; undefined for anything else. A string of n UTF-16 code units
 * takes at most 6n bytes in JSON (\u001f for a control character; a non-ASCII one takes 2–3 bytes, a
 * surrogate pair 4 for its two units), plus its quotes.
 */
function flatRowsBound(rows: readonly unknown[]): number | undefined {
  let bytes = 2;
  for (const row of rows) {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) return undefined;
    bytes += 3; // braces and a comma
    for (const key in row) {
      const value = (row as Record<string, unknown>)[key];
      bytes += 6 * key.length + 4; // quotes, colon, comma
      if (typeof value === 'string') bytes += 6 * value.length + 2;
      else if (typeof value === 'number' || typeof value === 'boolean' || value === null) bytes += NUMBER_CHARS;
      else return undefined;
    }
  }
  return bytes;
}

/** Page size asked for, or the default, never above the hard cap. */
export function pageSize(asked: number | undefined, limits: { pageSize: number; maxPageSize: number }): number {
  return Math.min(asked ?? limits.pageSize, limits.maxPageSize);
}

export function byteSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}
