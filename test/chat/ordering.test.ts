import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/chat/catalog.js';
import { resolveField } from '../../src/chat/fields.js';
import { ordering } from '../../src/chat/ordering.js';
import type { DoctypeMeta } from '../../src/chat/site.js';

const supplier = CATALOG.find((c) => c.doctype === 'Supplier')!;
const invoice = CATALOG.find((c) => c.doctype === 'Sales Invoice')!;
const SUPPLIER: DoctypeMeta = {
  name: 'Supplier',
  submittable: false,
  titleField: 'supplier_name',
  fields: [
    { fieldname: 'supplier_name', fieldtype: 'Data', label: 'Supplier Name' },
    { fieldname: 'country', fieldtype: 'Link', label: 'Country', options: 'Country' },
    { fieldname: 'credit_limit', fieldtype: 'Currency', label: 'Credit Limit' },
    { fieldname: 'on_hold_since', fieldtype: 'Date', label: 'On Hold Since' },
  ],
};

const order = (text: string, singular = false, meta: DoctypeMeta | undefined = SUPPLIER, info = supplier) =>
  ordering({ text: ` ${text} `, info, meta, singular }).ordering;

describe('ordering', () => {
  it.each([
    ['newest', true, 'creation desc', 1, 'newest first'],
    ['latest', false, 'creation desc', 20, 'newest first'],
    ['most recent', true, 'creation desc', 1, 'newest first'],
    ['oldest', true, 'creation asc', 1, 'oldest first'],
    ['earliest 3', false, 'creation asc', 3, 'oldest first'],
    ['first 10 by name', false, 'supplier_name asc', 10, 'by Supplier Name, A to Z'],
    ['sorted by country', false, 'country asc', 20, 'by Country, A to Z'],
    ['sorted by country z-a', false, 'country desc', 20, 'by Country, Z to A'],
    ['by credit limit', false, 'credit_limit desc', 20, 'by Credit Limit, highest first'],
    ['with the lowest credit limit', true, 'credit_limit asc', 1, 'by Credit Limit, lowest first'],
    ['highest credit limit', false, 'credit_limit desc', 20, 'by Credit Limit, highest first'],
    ['ordered by on hold since ascending', false, 'on_hold_since asc', 20, 'by On Hold Since, oldest first'],
    ['sorted by credt limit', false, 'credit_limit desc', 20, 'by Credit Limit, highest first'],
  ])('“%s” (singular %s) → %s, %i rows', (text, singular, orderBy, limit, note) => {
    expect(order(text, singular)).toMatchObject({ orderBy, limit, note });
  });

  it('sorts “biggest” by the amount, one row for “the biggest invoice”', () => {
    expect(order('biggest', true, undefined, invoice)).toMatchObject({ orderBy: 'grand_total desc', limit: 1 });
    expect(order('top 5', false, undefined, invoice)).toMatchObject({ orderBy: 'grand_total desc', limit: 5 });
    expect(order('smallest', false, undefined, invoice)).toMatchObject({ orderBy: 'grand_total asc', limit: 20 });
  });

  it('lets the user’s count win over a singular superlative', () => {
    expect(order('newest 7', true)).toMatchObject({ limit: 7, limitFrom: 'count' });
  });

  it('leaves the default order and takes nothing when no order is asked', () => {
    const r = ordering({ text: ' in india ', info: supplier, meta: SUPPLIER, singular: false });
    expect(r.ordering).toEqual({ orderBy: 'modified desc', note: '', limit: 20, limitFrom: 'default' });
    expect(r.text.trim()).toBe('in india');
  });

  it('leaves “by <something that is not a field>” in the ask', () => {
    const r = ordering({ text: ' by globex ', info: supplier, meta: SUPPLIER, singular: false });
    expect(r.ordering.orderBy).toBe('modified desc');
    expect(r.text).toContain('globex');
  });
});

describe('fields by label', () => {
  it('resolves labels, fieldnames and meanings', () => {
    expect(resolveField('supplier name', supplier, SUPPLIER)?.fieldname).toBe('supplier_name');
    expect(resolveField('credit_limit', supplier, SUPPLIER)?.fieldname).toBe('credit_limit');
    expect(resolveField('name', supplier, SUPPLIER)?.fieldname).toBe('supplier_name');
    expect(resolveField('date', invoice)?.fieldname).toBe('posting_date');
    expect(resolveField('total', invoice)?.fieldname).toBe('grand_total');
    expect(resolveField('colour', supplier, SUPPLIER)).toBeUndefined();
  });

  it.each([
    ['alphabetically', 'supplier_name asc', 'by Supplier Name, A to Z'],
    ['a-z', 'supplier_name asc', 'by Supplier Name, A to Z'],
    ['in alphabetical order z-a', 'supplier_name desc', 'by Supplier Name, Z to A'],
  ])('sorts “%s” without a field by the title', (text, orderBy, note) => {
    expect(order(text)).toMatchObject({ orderBy, note, limit: 20 });
  });

  it('sorts alphabetically by the ID when the DocType has no title', () => {
    expect(
      order(
        'alphabetically',
        false,
        { name: 'Thing', submittable: false, fields: [] },
        { ...supplier, columns: ['name'] },
      ).orderBy,
    ).toBe('name asc');
  });
});
