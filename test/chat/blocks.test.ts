import { describe, expect, it } from 'vitest';
import { documentTable } from '../../src/chat/blocks.js';
import { columnMeta, currencyFields } from '../../src/chat/columns.js';

describe('documentTable column metadata', () => {
  it('types each column as the desk does: Link with its DocType, Date, Currency with its currency field', () => {
    const block = documentTable(
      'Sales Order',
      ['name', 'customer', 'transaction_date', 'grand_total', 'status'],
      [
        {
          name: 'SO-0001',
          customer: 'Acme',
          transaction_date: '2026-01-05',
          grand_total: 200,
          status: 'Draft',
          currency: 'EUR',
          secret_note: 'not a column',
        },
      ],
    );
    expect(block.type).toBe('table');
    if (block.type !== 'table') return;
    expect(block.columns).toEqual([
      { fieldname: 'name', label: 'ID', fieldtype: 'Link', options: 'Sales Order' },
      { fieldname: 'customer', label: 'Customer', fieldtype: 'Link', options: 'Customer' },
      { fieldname: 'transaction_date', label: 'Transaction Date', fieldtype: 'Date' },
      { fieldname: 'grand_total', label: 'Grand Total', fieldtype: 'Currency', options: 'currency' },
      { fieldname: 'status', label: 'Status' },
    ]);
    // The row keeps the currency the amount is in, and nothing else that is no column.
    expect(block.rows).toEqual([
      {
        name: 'SO-0001',
        customer: 'Acme',
        transaction_date: '2026-01-05',
        grand_total: 200,
        status: 'Draft',
        currency: 'EUR',
      },
    ]);
  });

  it('leaves a row without its currency field to the site default, and unknown fields untyped', () => {
    const block = documentTable(
      'Sales Invoice',
      ['name', 'grand_total', 'remarks'],
      [{ name: 'SINV-1', grand_total: 5 }],
    );
    if (block.type !== 'table') throw new Error('not a table');
    expect(block.rows).toEqual([{ name: 'SINV-1', grand_total: 5, remarks: null }]);
    expect(block.columns[2]).toEqual({ fieldname: 'remarks', label: 'Remarks' });
  });

  it('knows company-currency amounts, per-DocType fields and *_date names', () => {
    expect(columnMeta('Journal Entry', 'total_debit')).toEqual({
      fieldtype: 'Currency',
      options: 'Company:company:default_currency',
    });
    expect(columnMeta('Payment Entry', 'paid_amount')).toEqual({
      fieldtype: 'Currency',
      options: 'paid_from_account_currency',
    });
    expect(columnMeta('Customer', 'grand_total')).toEqual({}); // not a Customer field
    expect(columnMeta('Anything', 'renewal_date')).toEqual({ fieldtype: 'Date' });
    expect(currencyFields([{ fieldtype: 'Currency', options: 'Company:company:default_currency' }])).toEqual([]);
  });
});
