import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, queryKey } from '../../src/tools/cursor.js';
import { ToolInputError } from '../../src/tools/define.js';
import { normalizeFilters, normalizeOrderBy } from '../../src/tools/filters.js';

describe('normalizeFilters', () => {
  it('turns dict form into list form and keeps list form', () => {
    expect(normalizeFilters({ status: 'Open', total: ['>', 5], tags: ['a', 'b'] })).toEqual([
      ['status', '=', 'Open'],
      ['total', '>', 5],
      ['tags', '=', ['a', 'b']],
    ]);
    expect(
      normalizeFilters([
        ['name', 'LIKE', '%a%'],
        ['x', 1],
        ['Sales Order Item', 'item_code', '=', 'W'],
      ]),
    ).toEqual([
      ['name', 'like', '%a%'],
      ['x', '=', 1],
      ['Sales Order Item', 'item_code', '=', 'W'],
    ]);
    expect(normalizeFilters(undefined)).toBeUndefined();
  });

  it('refuses unknown operators, bad field names and malformed values', () => {
    expect(() => normalizeFilters([['a', 'regexp', 'x']])).toThrow(ToolInputError);
    expect(() => normalizeFilters([['a`b', '=', 'x']])).toThrow(/Bad field name/);
    expect(() => normalizeFilters({ 'a b': 1 })).toThrow(/Bad field name/);
    expect(() => normalizeFilters([['a', 'between', ['1']]])).toThrow(/two values/);
    expect(() => normalizeFilters([['a', 'is', 'maybe']])).toThrow(/set/);
    expect(() => normalizeFilters([['a', 'in', 5]])).toThrow(/list/);
  });
});

describe('normalizeOrderBy', () => {
  it('defaults to modified desc with a name tiebreak', () => {
    expect(normalizeOrderBy(undefined)).toBe('modified desc, name desc');
    expect(normalizeOrderBy('customer_name')).toBe('customer_name asc, name asc');
    expect(normalizeOrderBy('name DESC')).toBe('name desc');
  });
  it('refuses anything but fields and directions', () => {
    expect(() => normalizeOrderBy('name; drop')).toThrow(ToolInputError);
    expect(() => normalizeOrderBy('`tabX`.name')).toThrow(ToolInputError);
  });
});

describe('cursor', () => {
  it('round-trips and is bound to its query', () => {
    const key = queryKey({ d: 'Customer' });
    expect(decodeCursor(encodeCursor(40, key), key)).toBe(40);
    expect(decodeCursor(undefined, key)).toBe(0);
    expect(() => decodeCursor(encodeCursor(40, key), queryKey({ d: 'Item' }))).toThrow(/different query/);
    expect(() => decodeCursor('bm90IGpzb24', key)).toThrow(/not valid/);
    expect(() => decodeCursor(Buffer.from('{"s":-1,"q":"x"}').toString('base64url'), key)).toThrow(/not valid/);
  });
});
