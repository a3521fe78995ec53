import { sha256 } from '../hash.js';
import { ToolInputError } from './define.js';

/** What a cursor carries: where the next page starts and which query it belongs to. */
interface CursorState {
  s: number;
  q: string;
}

/** A short fingerprint of everything that decides the rows and their order (not the page size). */
export function queryKey(query: unknown): string {
  return sha256(JSON.stringify(query)).slice(0, 16);
}

/** Opaque base64url JSON; only this module reads it. */
export function encodeCursor(start: number, key: string): string {
  return Buffer.from(JSON.stringify({ s: start, q: key } satisfies CursorState)).toString('base64url');
}

/**
 * The start offset a cursor points at, or 0 without one. Throws ToolInputError for a cursor that is not
 * ours or that came from a different query (other filters, order or report), which would skip or repeat rows.
 */
export function decodeCursor(cursor: string | undefined, key: string): number {
  if (cursor === undefined || cursor === '') return 0;
  let state: Partial<CursorState> | undefined;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorState>;
  } catch {
    state = undefined;
  }
  if (
    !state ||
    typeof state.s !== 'number' ||
    !Number.isInteger(state.s) ||
    state.s < 0 ||
    typeof state.q !== 'string'
  ) {
    throw new ToolInputError(
      'The cursor is not valid. Pass next_cursor exactly as returned, or omit it to start over.',
    );
  }
  if (state.q !== key) {
    throw new ToolInputError(
      'This cursor belongs to a different query (filters, order or report changed). Repeat the same arguments with the cursor, or omit cursor to start over.',
    );
  }
  return state.s;
}
