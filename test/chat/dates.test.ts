import { describe, expect, it } from 'vitest';
import { parseDateRange } from '../../src/chat/dates.js';

const today = new Date('2026-11-30T10:00:00Z');
const range = (text: string) => {
  const r = parseDateRange(text, today);
  return r && [r.from, r.to, r.matched.trim()];
};

describe('date phrases', () => {
  it.each([
    ['invoices in q1', ['2026-01-01', '2026-03-31', 'in q1']],
    ['orders q3 2025', ['2025-07-01', '2025-09-30', 'q3 2025']],
    ['sales in the second quarter', ['2026-04-01', '2026-06-30', 'in the second quarter']],
    ['4th quarter of 2025', ['2025-10-01', '2025-12-31', '4th quarter of 2025']],
    ['this month', ['2026-11-01', '2026-11-30', 'this month']],
    ['invoices in november', ['2026-11-01', '2026-11-30', 'in november']],
    ['orders in december', ['2025-12-01', '2025-12-31', 'in december']],
    ['sales orders for sept 2025', ['2025-09-01', '2025-09-30', 'for sept 2025']],
    ['po feb', ['2026-02-01', '2026-02-28', 'feb']],
    ['invoices may 2026', ['2026-05-01', '2026-05-31', 'may 2026']],
    ['ytd sales', ['2026-01-01', '2026-11-30', 'ytd']],
    ['orders month to date', ['2026-11-01', '2026-11-30', 'month to date']],
  ])('%s', (text, expected) => {
    expect(range(text)).toEqual(expected);
  });

  it('does not read a quarter out of a word or a code', () => {
    expect(parseDateRange('item q10 widget', today)).toBeUndefined();
  });

  it('reads a short month name that is also a word only after “in”, “for”… or before a year', () => {
    expect(parseDateRange('who may see the orders', today)).toBeUndefined();
    expect(parseDateRange('items in may', today)?.from).toBe('2026-05-01');
  });
});
