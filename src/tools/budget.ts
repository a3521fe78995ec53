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
  // The common case, every row fits: one string for the page instead of one per row (issue #12:
  // per-call allocations). The page's JSON is the rows' plus commas, so this is the same test.
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

/** Page size asked for, or the default, never above the hard cap. */
export function pageSize(asked: number | undefined, limits: { pageSize: number; maxPageSize: number }): number {
  return Math.min(asked ?? limits.pageSize, limits.maxPageSize);
}

export function byteSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}
