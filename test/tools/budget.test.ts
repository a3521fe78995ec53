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

  // The reference: the exact rule the bound may only shortcut (take rows while the page's JSON fits).
  const reference = (page: readonly unknown[], maxBytes: number) => {
    const limit = Math.max(maxBytes - 600, 256);
    let used = 2;
    const out: unknown[] = [];
    for (const row of page) {
      const size = Buffer.byteLength(JSON.stringify(row)) + 1;
      if (out.length > 0 && used + size > limit) return { rows: out, cut: true };
      used += size;
      out.push(row);
    }
    return { rows: out, cut: false };
  };

  it('answers as the exact rule does for any mix of values, at every budget around the page size', () => {
    // Strings that grow most in JSON (control characters, quotes, lone surrogates, 3- and 4-byte UTF-8),
    // numbers at their longest, and values the bound does not cover (nested, undefined).
    const values: unknown[] = [
      '\u0001\u001f'.repeat(40),
      '"\\'.repeat(30),
      '\ud800x\udfff',
      '€😀'.repeat(25),
      'plain',
      -0.0000012345678901234567,
      -1.7976931348623157e308,
      Number.NaN,
      true,
      null,
      { nested: ['a', 1] },
      undefined,
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 60; trial++) {
      const page = Array.from({ length: 1 + Math.floor(next() * 25) }, () =>
        Object.fromEntries(
          Array.from({ length: 1 + Math.floor(next() * 4) }, (_, k) => [
            `f${k}_\u00e9`,
            values[Math.floor(next() * (trial % 2 ? values.length : values.length - 2))],
          ]),
        ),
      );
      const exact = Buffer.byteLength(JSON.stringify(page)) + 600;
      for (const budget of [exact - 200, exact - 1, exact, exact + 1, exact * 3, exact * 7])
        expect(fitRows(page, budget)).toEqual(reference(page, budget));
    }
  });

  it('bounds numbers at their longest: a page of them one byte over the budget is still cut', () => {
    const page = Array.from({ length: 40 }, () => ({ n: -0.0000012345678901234567 }));
    expect(JSON.stringify(page[0]!.n)).toHaveLength(25);
    const budget = Buffer.byteLength(JSON.stringify(page)) + 600;
    expect(fitRows(page, budget)).toEqual({ rows: page.slice(0, 39), cut: true });
    expect(fitRows(page, budget + 1)).toEqual({ rows: page, cut: false });
  });
});
