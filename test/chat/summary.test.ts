import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/chat/catalog.js';
import { conditionWords, firstLine } from '../../src/chat/summary.js';

const order = CATALOG.find((c) => c.doctype === 'Sales Order')!;

describe('the answer’s first line', () => {
  it('states the query in words, as the issue shows it', () => {
    expect(
      firstLine({ what: 'Customers', conditions: ['Customer Group = Retail'], order: 'newest first', rows: 5 }),
    ).toBe('Customers where Customer Group = Retail, newest first, 5 rows');
    expect(firstLine({ what: 'Suppliers', order: 'newest first', rows: 1 })).toBe('Suppliers, newest first, 1 row');
    expect(firstLine({ what: 'Number of Sales Orders', conditions: ['Status = To Bill', 'Company = TC'] })).toBe(
      'Number of Sales Orders where Status = To Bill and Company = TC',
    );
  });

  it.each([
    [['status', '=', 'To Bill'], 'Status = To Bill'],
    [['docstatus', '=', 0], 'Document Status = Draft'],
    [['status', 'in', ['To Bill', 'To Deliver']], 'Status is To Bill or To Deliver'],
    [['customer_name', 'like', '%Tech%'], 'Customer Name contains “Tech”'],
    [['customer_name', 'like', 'A%'], 'Customer Name starts with “A”'],
    [['customer_name', 'like', '%Ltd'], 'Customer Name ends with “Ltd”'],
    [['transaction_date', 'between', ['2026-11-01', '2026-11-30']], 'Transaction Date from 2026-11-01 to 2026-11-30'],
    [['delivery_date', '<', '2026-11-30'], 'Delivery Date before 2026-11-30'],
    [['grand_total', '>', 100], 'Grand Total > 100'],
  ] as const)('%j → %s', (c, words) => {
    expect(conditionWords([c[0], c[1], c[2]], order)).toBe(words);
  });

  it('uses the site’s own label when it has one', () => {
    const meta = {
      name: 'Sales Order',
      submittable: true,
      fields: [{ fieldname: 'transaction_date', fieldtype: 'Date', label: 'Date' }],
    };
    expect(conditionWords(['transaction_date', '=', '2026-11-30'], order, meta)).toBe('Date = 2026-11-30');
  });
});
