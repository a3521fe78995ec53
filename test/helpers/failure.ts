import { FrappeError } from '../../src/frappe/errors.js';

/** The FrappeError `p` rejects with; fails the test when it resolves or rejects with something else. */
export async function failure(p: Promise<unknown>): Promise<FrappeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FrappeError) return err;
    throw err;
  }
  throw new Error('expected a FrappeError');
}
