import { describe, expect, it } from 'vitest';
import { amendmentOf, mergeUpdate } from '../../src/tools/doc-edit.js';

const current = {
  name: 'SO-1',
  modified: 't1',
  customer: 'A',
  items: [
    { name: 'r1', item_code: 'W', qty: 1, parent: 'SO-1', idx: 1 },
    { name: 'r2', item_code: 'G', qty: 2, parent: 'SO-1', idx: 2 },
  ],
};

describe('mergeUpdate', () => {
  it('sends only changed fields, and touched tables whole', () => {
    expect(mergeUpdate(current, { customer: 'B', modified: 'x', name: 'y' })).toEqual({ customer: 'B' });
    const body = mergeUpdate(current, {
      items: [
        { name: 'r2', qty: 5 },
        { item_code: 'C', qty: 1 },
      ],
    });
    expect(body.items).toEqual([current.items[0], { ...current.items[1], qty: 5 }, { item_code: 'C', qty: 1 }]);
  });

  it('removes rows only when asked', () => {
    expect(mergeUpdate(current, {}, { items: ['r1'] })).toEqual({ items: [current.items[1]] });
    expect(() => mergeUpdate(current, {}, { items: ['zz'] })).toThrow(/no row named zz/);
    expect(() => mergeUpdate(current, {})).toThrow(/Nothing to update/);
    expect(() => mergeUpdate(current, { items: 'x' })).toThrow(/child table/);
  });
});

describe('amendmentOf', () => {
  it('copies a cancelled doc without its identity and links it back', () => {
    const copy = amendmentOf({ ...current, docstatus: 2, status: 'Cancelled', owner: 'u' }, { customer: 'C' });
    expect(copy).toEqual({
      customer: 'C',
      items: [
        { item_code: 'W', qty: 1 },
        { item_code: 'G', qty: 2 },
      ],
      amended_from: 'SO-1',
      docstatus: 0,
    });
  });
});
