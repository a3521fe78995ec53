import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/chat/catalog.js';
import { AskText } from '../../src/chat/query.js';
import type { DoctypeMeta } from '../../src/chat/site.js';
import { Understanding } from '../../src/chat/plan.js';
import { MAX_TYPO_LOOKUPS } from '../../src/chat/typo-values.js';
import { linkValues, MAX_LOOKUPS, placeValues, sameFieldAsOne, selectValues } from '../../src/chat/values.js';
import { Vocabulary } from '../../src/chat/vocabulary.js';
import { fakeSite } from './site-helpers.js';

const customer = CATALOG.find((c) => c.doctype === 'Customer')!;
const salesOrder = CATALOG.find((c) => c.doctype === 'Sales Order')!;

const CUSTOMER: DoctypeMeta = {
  name: 'Customer',
  submittable: false,
  titleField: 'customer_name',
  fields: [
    { fieldname: 'customer_name', fieldtype: 'Data', label: 'Customer Name' },
    {
      fieldname: 'customer_type',
      fieldtype: 'Select',
      label: 'Customer Type',
      options: 'Company\nIndividual\nPartnership',
    },
    { fieldname: 'customer_group', fieldtype: 'Link', label: 'Customer Group', options: 'Customer Group' },
    { fieldname: 'territory', fieldtype: 'Link', label: 'Territory', options: 'Territory' },
    { fieldname: 'default_currency', fieldtype: 'Link', label: 'Billing Currency', options: 'Currency' },
    { fieldname: 'market_segment', fieldtype: 'Link', label: 'Market Segment', options: 'Market Segment' },
  ],
};
const SALES_ORDER: DoctypeMeta = {
  name: 'Sales Order',
  submittable: true,
  fields: [
    { fieldname: 'naming_series', fieldtype: 'Select', label: 'Series', options: 'SAL-ORD-.YYYY.-' },
    {
      fieldname: 'status',
      fieldtype: 'Select',
      label: 'Status',
      options: '\nDraft\nOn Hold\nTo Deliver and Bill\nTo Bill\nTo Deliver\nCompleted\nCancelled\nClosed',
    },
    {
      fieldname: 'order_type',
      fieldtype: 'Select',
      label: 'Order Type',
      options: '\nSales\nMaintenance\nShopping Cart',
    },
  ],
};
const RECORDS = {
  'Customer Group': ['All Customer Groups', 'Commercial', 'Retail', 'Retail Chains', 'Education'],
  Territory: ['India', 'United States', 'United Kingdom'],
  Currency: ['INR', 'USD'],
};

describe('Select values', () => {
  it('finds the longest status option in the ask, with no Frappe call', () => {
    const ask = new AskText(' sales orders to deliver and bill ');
    const found = selectValues(ask, salesOrder, SALES_ORDER);
    expect(found.map((f) => f.filter)).toEqual([['status', '=', 'To Deliver and Bill']]);
    expect(ask.text.trim()).toBe('sales orders');
  });

  it('reads a plural option ("individuals") and takes the field’s name with it', () => {
    const ask = new AskText(' customers of type individuals ');
    expect(selectValues(ask, customer, CUSTOMER).map((f) => f.filter)).toEqual([['customer_type', '=', 'Individual']]);
  });

  it('ignores naming series and words too short to be options', () => {
    const ask = new AskText(' sal-ord orders ');
    expect(selectValues(ask, salesOrder, SALES_ORDER)).toEqual([]);
  });
});

describe('Link values, looked up as the caller', () => {
  it('one match becomes a filter on its field', async () => {
    const site = fakeSite({ records: RECORDS });
    const v = await linkValues(new AskText(' education '), customer, CUSTOMER, site);
    expect(v.filters.map((f) => f.filter)).toEqual([['customer_group', '=', 'Education']]);
    expect(v.unplaced).toEqual([]);
  });

  it('an exact match wins over records that merely contain the word', async () => {
    const v = await linkValues(new AskText(' retail '), customer, CUSTOMER, fakeSite({ records: RECORDS }));
    expect(v.filters.map((f) => f.value)).toEqual(['Retail']);
    expect(v.ambiguous).toBeUndefined();
  });

  it('several matches are a question, naming the candidates', async () => {
    const v = await linkValues(new AskText(' in united '), customer, CUSTOMER, fakeSite({ records: RECORDS }));
    expect(v.filters).toEqual([]);
    expect(v.ambiguous?.candidates.map((c) => c.value)).toEqual(['United States', 'United Kingdom']);
  });

  it('no match leaves the word unplaced, naming where it looked', async () => {
    const v = await linkValues(new AskText(' from atlantis '), customer, CUSTOMER, fakeSite({ records: RECORDS }));
    expect(v.unplaced).toEqual(['atlantis']);
    expect(v.searched).toEqual(['Customer Group', 'Territory', 'Currency', 'Customer']);
  });

  it('a hint word narrows the look-up to its field ("the Education group")', async () => {
    const site = fakeSite({ records: RECORDS });
    const v = await linkValues(new AskText(' from the education group '), customer, CUSTOMER, site);
    expect(v.filters.map((f) => f.filter)).toEqual([['customer_group', '=', 'Education']]);
    expect(site.calls).toEqual([['Customer Group', 'education']]);
  });

  it('keeps a name with small words in it whole ("rest of the world")', async () => {
    const site = fakeSite({ records: { Territory: ['Rest Of The World'] } });
    const v = await linkValues(new AskText(' from rest of the world '), customer, CUSTOMER, site);
    expect(v.filters.map((f) => f.value)).toEqual(['Rest Of The World']);
  });

  it(`makes at most ${MAX_LOOKUPS} look-ups per ask, sharing them between words`, async () => {
    const site = fakeSite({ records: RECORDS });
    const v = await linkValues(new AskText(' retail from india '), customer, CUSTOMER, site);
    expect(v.filters.map((f) => f.value)).toEqual(['Retail', 'India']);
    const many = await linkValues(new AskText(' retail zzz yyy xxx www '), customer, CUSTOMER, site);
    expect(site.calls.length).toBeLessThanOrEqual(2 * MAX_LOOKUPS);
    expect(many.unplaced).toContain('www');
  });

  it('skips a target the caller may not read and still places the word elsewhere', async () => {
    const site = fakeSite({ records: RECORDS, denied: ['Customer Group'] });
    const v = await linkValues(new AskText(' india '), customer, CUSTOMER, site);
    expect(v.filters.map((f) => f.filter)).toEqual([['territory', '=', 'India']]);
  });

  it('makes no call when nothing is left to place', async () => {
    const site = fakeSite({ records: RECORDS });
    expect(await linkValues(new AskText(' show me all the '), customer, CUSTOMER, site)).toEqual({
      filters: [],
      unplaced: [],
      searched: [],
      corrected: [],
    });
    expect(site.calls).toEqual([]);
  });

  it('reads a misspelt value as the one record one typo away, and says so', async () => {
    const site = fakeSite({ records: { ...RECORDS, 'Customer Group': ['Government', 'Commercial'] } });
    const v = await linkValues(new AskText(' goverment '), customer, CUSTOMER, site);
    expect(v.filters.map((f) => f.filter)).toEqual([['customer_group', '=', 'Government']]);
    expect(v.corrected).toEqual([['goverment', 'Government']]);
    expect(v.unplaced).toEqual([]);
  });

  it('does not guess between two records one typo away, nor for short words', async () => {
    const site = fakeSite({ records: { 'Customer Group': ['Retail', 'Retain'], Territory: ['Iowa'] } });
    const two = await linkValues(new AskText(' retaij '), customer, CUSTOMER, site);
    expect(two.filters).toEqual([]);
    expect(two.unplaced).toEqual(['retaij']);
    const short = await linkValues(new AskText(' iowx '), customer, CUSTOMER, site);
    expect(short.unplaced).toEqual(['iowx']);
  });

  it(`spends at most ${MAX_TYPO_LOOKUPS} more look-ups on typos`, async () => {
    const site = fakeSite({ records: RECORDS });
    await linkValues(new AskText(' zzzzz yyyyy xxxxx '), customer, CUSTOMER, site);
    expect(site.calls.length).toBeLessThanOrEqual(MAX_LOOKUPS + MAX_TYPO_LOOKUPS);
  });

  it('takes a DocType’s own record only when its ID holds the words, not its title alone', async () => {
    const invoice = CATALOG.find((c) => c.doctype === 'Sales Invoice')!;
    const meta: DoctypeMeta = {
      name: 'Sales Invoice',
      submittable: true,
      fields: [{ fieldname: 'customer', fieldtype: 'Link', label: 'Customer', options: 'Customer' }],
    };
    // search_link finds the invoice by its title (the customer's name), as Frappe does.
    const site = fakeSite({ records: { Customer: ['Globex Corporation'] } });
    const customers = site.searchLink.bind(site);
    site.searchLink = (doctype, txt) =>
      doctype === 'Sales Invoice'
        ? Promise.resolve({ values: [{ value: 'ACC-SINV-2026-00001', label: 'Globex Corporation' }] })
        : customers(doctype, txt);
    const v = await linkValues(new AskText(' for globex corp '), invoice, meta, site);
    expect(v.ambiguous).toBeUndefined();
    expect(v.filters.map((f) => f.filter)).toEqual([['customer', '=', 'Globex Corporation']]);
  });
});

describe('placing values on an understanding', () => {
  it('asks which one when a Select option is also a group’s name (Customer Type and Customer Group “Individual”)', async () => {
    const site = fakeSite({ records: { 'Customer Group': ['Individual', 'Commercial'] } });
    const u = new Understanding(customer, CUSTOMER);
    const p = await placeValues(new AskText(' individual '), u, new Vocabulary(), site);
    expect(p?.kind).toBe('ask');
    expect(p?.kind === 'ask' && p.message).toContain('Customer Type “Individual”, Customer Group “Individual”');
  });

  it('does not ask again when the field is named with the value, as the question suggests', async () => {
    const site = fakeSite({ records: { 'Customer Group': ['Individual'] } });
    const u = new Understanding(customer, CUSTOMER);
    expect(await placeValues(new AskText(' in customer type individual '), u, new Vocabulary(), site)).toBeUndefined();
    expect(u.filters).toEqual([['customer_type', '=', 'Individual']]);
    expect(site.calls).toEqual([]);
  });

  it('takes a Select option when no group has its name, with one look-up', async () => {
    const site = fakeSite({ records: { 'Customer Group': ['Commercial'] } });
    const u = new Understanding(customer, CUSTOMER);
    expect(await placeValues(new AskText(' company '), u, new Vocabulary(), site)).toBeUndefined();
    expect(u.filters).toEqual([['customer_type', '=', 'Company']]);
    expect(site.calls).toEqual([['Customer Group', 'Company']]);
  });

  it('reads a second word for the same DocType as a value (“items in products”), and drops it quietly when none', async () => {
    const item = CATALOG.find((c) => c.doctype === 'Item')!;
    const meta: DoctypeMeta = {
      name: 'Item',
      submittable: false,
      fields: [{ fieldname: 'item_group', fieldtype: 'Link', label: 'Item Group', options: 'Item Group' }],
    };
    const site = fakeSite({ records: { 'Item Group': ['Products', 'Raw Material'] } });
    const u = new Understanding(item, meta);
    await placeValues(new AskText(' in products '), u, new Vocabulary(), site);
    expect(u.filters).toEqual([['item_group', '=', 'Products']]);
    const none = new Understanding(item, meta);
    await placeValues(new AskText(' item '), none, new Vocabulary(), fakeSite({}));
    expect(none.filters).toEqual([]);
    expect(none.notes).toEqual([]);
  });
});

describe('several values of one field', () => {
  it('reads “india and germany” as either, one look-up per word', async () => {
    const site = fakeSite({ records: RECORDS });
    const u = new Understanding(customer, CUSTOMER);
    await placeValues(new AskText(' from india and united kingdom '), u, new Vocabulary(), site);
    expect(u.filters).toEqual([['territory', 'in', ['India', 'United Kingdom']]]);
    expect(u.notes).toEqual([]);
  });

  it('keeps one filter for a value found twice', () => {
    const field = { fieldname: 'customer', fieldtype: 'Link', options: 'Customer' };
    const v = {
      filter: ['customer', '=', 'Johnson and Johnson'] as [string, string, unknown],
      field,
      value: 'Johnson and Johnson',
    };
    expect(sameFieldAsOne([v, v])).toEqual([['customer', '=', 'Johnson and Johnson']]);
  });
});
