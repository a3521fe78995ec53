import { describe, expect, it } from 'vitest';
import { FuzzyIndex, plural, singular, withinOneEdit } from '../../src/chat/text.js';
import { Vocabulary } from '../../src/chat/vocabulary.js';

/** A slice of a real ERPNext 15 DocType list, with a custom DocType. */
const SITE = [
  { name: 'Company', module: 'Setup' },
  { name: 'Cost Center', module: 'Accounts' },
  { name: 'BOM', module: 'Manufacturing', submittable: true },
  { name: 'Work Order', module: 'Manufacturing', submittable: true },
  { name: 'Material Request', module: 'Stock', submittable: true },
  { name: 'Salary Slip', module: 'Payroll', submittable: true },
  { name: 'Delivery Trip', module: 'Stock' },
  { name: 'Vehicle Service Log', module: 'Fleet' },
  { name: 'Customer', module: 'Selling' },
];
const v = new Vocabulary(SITE);
const find = (ask: string) => v.find(ask)?.info.doctype;

describe('vocabulary from the site’s DocType list', () => {
  it.each([
    ['cost centers', 'Cost Center'],
    ['BOMs', 'BOM'],
    ['list all boms pls', 'BOM'],
    ['companies', 'Company'],
    ['how many companies do we have', 'Company'],
    ['work orders this month', 'Work Order'],
    ['vehicle service logs', 'Vehicle Service Log'],
    ['delivery trips', 'Delivery Trip'],
    ['salary slips', 'Salary Slip'],
  ])('names %s → %s', (ask, doctype) => {
    expect(find(ask)).toBe(doctype);
  });

  it('keeps true synonyms: bills are Purchase Invoices, purchase requests are Material Requests', () => {
    expect(find('unpaid bills')).toBe('Purchase Invoice');
    expect(find('pending purchase requests')).toBe('Material Request');
    expect(v.find('pending purchase requests')?.info.submittable).toBe(true);
    expect(find('cost centres')).toBe('Cost Center');
  });

  it('uses a synonym only when the site has that DocType', () => {
    expect(new Vocabulary([]).find('purchase requests')).toBeUndefined();
  });

  it('prefers the longer name over a name inside it (“work orders”, not “orders”)', () => {
    expect(find('open work orders')).toBe('Work Order');
  });

  it('prefers the thing listed over a value word that is also a DocType (“company customers”)', () => {
    expect(find('company customers')).toBe('Customer');
  });

  it('forgives one typo in a longer name, and says it was one', () => {
    const hit = v.find('custmers in india')!;
    expect(hit.info.doctype).toBe('Customer');
    expect(hit.fuzzy).toBe(true);
    expect(find('purchse invoices')).toBe('Purchase Invoice');
    expect(find('suplliers')).toBe('Supplier');
  });

  it('does not read keywords as DocTypes one typo away', () => {
    expect(new Vocabulary([{ name: 'Sorter' }, { name: 'Lates' }]).find('items sorted by latest')?.info.doctype).toBe(
      'Item',
    );
  });

  it('tells singular from plural, for "the newest supplier" vs "newest suppliers"', () => {
    expect(v.find('newest supplier')!.plural).toBe(false);
    expect(v.find('newest suppliers')!.plural).toBe(true);
    expect(v.find('newest boms')!.plural).toBe(true);
  });

  it('finds nothing in an ask about nothing', () => {
    expect(v.find('what is the meaning of life')).toBeUndefined();
  });
});

describe('text helpers', () => {
  it('makes plurals and singulars', () => {
    expect(['Company', 'BOM', 'Sales Invoice', 'Address', 'Branch'].map(plural)).toEqual([
      'Companies',
      'BOMs',
      'Sales Invoices',
      'Addresses',
      'Branches',
    ]);
    expect(['companies', 'addresses', 'invoices', 'status', 'boms'].map(singular)).toEqual([
      'company',
      'address',
      'invoice',
      'status',
      'bom',
    ]);
  });

  it('finds words one edit away, and only those', () => {
    expect(withinOneEdit('invoces', 'invoices')).toBe(true);
    expect(withinOneEdit('recieve', 'receive')).toBe(true);
    expect(withinOneEdit('invoice', 'involve')).toBe(false);
    const idx = new FuzzyIndex<string>();
    idx.add('supplier', 'S');
    idx.add('sales order', 'SO');
    expect(idx.fuzzy('suplier').map((h) => h.value)).toEqual(['S']);
    expect(idx.fuzzy('sales oder').map((h) => h.value)).toEqual(['SO']);
    expect(idx.fuzzy('sales')).toEqual([]);
  });

  it('reads a typo in a DocType name only when it points at one DocType', () => {
    const two = new Vocabulary([{ name: 'Widget Log' }, { name: 'Widget Tag' }]);
    expect(two.find('widget lgo')?.info.doctype).toBe('Widget Log');
    // "widget tog" is one letter from both "widget log" and "widget tag": no guess.
    expect(two.find('widget tog')).toBeUndefined();
    expect(find('sales ordres')).toBe('Sales Order');
  });
});
