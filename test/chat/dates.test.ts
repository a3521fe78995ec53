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

  it.each([
    ['invoices between 1 nov and 15 nov', ['2026-11-01', '2026-11-15', 'between 1 nov and 15 nov']],
    ['orders from 2026-10-01 to 2026-10-15', ['2026-10-01', '2026-10-15', 'from 2026-10-01 to 2026-10-15']],
    ['invoices since 1st october', ['2026-10-01', '2026-11-30', 'since 1st october']],
    ['orders after nov 20', ['2026-11-21', '2026-11-30', 'after nov 20']],
    ['invoices on 15 nov', ['2026-11-15', '2026-11-15', 'on 15 nov']],
    ['orders of 25th december', ['2025-12-25', '2025-12-25', '25th december']],
    ['orders from 3 march 2025', ['2025-03-03', '2026-11-30', 'from 3 march 2025']],
  ])('reads days written out: %s', (text, expected) => {
    expect(range(text)).toEqual(expected);
  });

  it('reads “may” after a number as a month only with “on”, an ordinal or a year', () => {
    expect(range('show 5 may orders')).toBeUndefined();
    expect(range('orders on 5 may')?.[0]).toBe('2026-05-05');
    expect(range('orders 5th may')?.[0]).toBe('2026-05-05');
  });

  it('does not take an impossible day for a date', () => {
    expect(range('invoices on 31 nov')).toEqual(['2026-11-01', '2026-11-30', 'nov']);
  });

  it('does not read a quarter out of a word or a code', () => {
    expect(parseDateRange('item q10 widget', today)).toBeUndefined();
  });

  it('reads a short month name that is also a word only after “in”, “for”… or before a year', () => {
    expect(parseDateRange('who may see the orders', today)).toBeUndefined();
    expect(parseDateRange('items in may', today)?.from).toBe('2026-05-01');
  });
});
