import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/chat/catalog.js';
import { comparison } from '../../src/chat/compare.js';
import { AskText } from '../../src/chat/query.js';

const invoice = CATALOG.find((c) => c.doctype === 'Sales Invoice')!;
const customer = CATALOG.find((c) => c.doctype === 'Customer')!;

describe('comparisons', () => {
  it.each([
    ['invoices above 1000', ['grand_total', '>', 1000], 'invoices'],
    ['invoices over 5k', ['grand_total', '>', 5000], 'invoices'],
    ['invoices under $250.50', ['grand_total', '<', 250.5], 'invoices'],
    ['invoices with outstanding amount more than 1,200', ['outstanding_amount', '>', 1200], 'invoices'],
    ['invoices where grand total is at least 10', ['grand_total', '>=', 10], 'invoices'],
    ['latest invoices > 99', ['grand_total', '>', 99], 'latest invoices'],
  ] as const)('“%s” → %j', (text, condition, left) => {
    const ask = new AskText(text);
    expect(comparison(ask, invoice)).toEqual(condition);
    expect(ask.text.trim()).toBe(left);
  });

  it('needs a number and a field to compare', () => {
    expect(comparison(new AskText('invoices above average'), invoice)).toBeUndefined();
    expect(comparison(new AskText('customers over 5'), customer)).toBeUndefined();
  });
});
