import { describe, expect, it } from 'vitest';
import { fitRows } from '../../src/tools/budget.js';

const rows = Array.from({ length: 20 }, (_, i) => ({ name: `CUST-${String(i).padStart(4, '0')}`, city: 'Zürich' }));
/** The budget at which exactly the first `n` rows fit (600 bytes are kept for the envelope). */
const budgetFor = (n: number) => Buffer.byteLength(JSON.stringify(rows.slice(0, n))) + 1 + 600;

describe('fitRows', () => {
  it('keeps every row when the page fits exactly, counting multi-byte characters as bytes', () => {
    const fitted = fitRows(rows, budgetFor(20));
    expect(fitted).toEqual({ rows, cut: false });
    expect(fitted.rows).not.toBe(rows);
  });

  it('cuts at the last whole row that fits once the page is one byte over', () => {
    const fitted = fitRows(rows, budgetFor(20) - 1);
    expect(fitted.cut).toBe(true);
    expect(fitted.rows).toEqual(rows.slice(0, 19));
    expect(fitRows(rows, budgetFor(7)).rows).toEqual(rows.slice(0, 7));
  });

  it('always keeps one row, even alone over the budget', () => {
    const big = [{ text: 'x'.repeat(5000) }, { text: 'y' }];
    expect(fitRows(big, 1000)).toEqual({ rows: [big[0]], cut: true });
  });
});
