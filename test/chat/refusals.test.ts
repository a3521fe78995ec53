import { describe, expect, it } from 'vitest';
import { detectWrite, refusalMessage } from '../../src/chat/refusals.js';

/** Asks whose main verb changes data: refused in planner mode (the tested refusal list). */
const REFUSED: Array<[ask: string, verb: string]> = [
  ['cancel all orders', 'cancel'],
  ['remove every lead', 'remove'],
  ['delete draft invoices', 'delete'],
  ['Delete customer Jane Doe', 'delete'],
  ['pls submit all draft sales orders', 'submit'],
  ['can you create a customer called Acme', 'create'],
  ['I want to add a new supplier', 'add'],
  ['update the territory of Initech', 'update'],
  ['change customer group of hooli to retail', 'change'],
  ['set all open todos to closed', 'set'],
  ['approve pending purchase orders', 'approve'],
  ['reject the leave application', 'reject'],
  ['amend SAL-ORD-2026-00001', 'amend'],
  ['close all open issues', 'close'],
  ['mark the invoice as paid', 'mark'],
  ['rename customer Hooli', 'rename'],
  ['email the overdue invoices to customers', 'email'],
  ['new customer Acme Ltd', 'new'],
  ['please kindly delete it', 'delete'],
  ['show draft invoices and delete them', 'delete'],
  ['list open orders then cancel all', 'cancel'],
];

/** Reads that merely contain such words. */
const NOT_REFUSED = [
  'cancelled invoices',
  'submitted sales orders',
  'new customers this month',
  'closed tickets',
  'approved purchase orders',
  'customers added last week',
  'draft invoices to submit',
  'show me the address of Initech',
  'set of items in group Products',
  'how many updated orders today',
  'email of customer Hooli',
  'payments last month',
  'converted leads',
];

describe('refusals', () => {
  it.each(REFUSED)('refuses “%s” (%s)', (ask, verb) => {
    expect(detectWrite(ask)?.verb).toBe(verb);
  });

  it.each(NOT_REFUSED)('reads “%s”', (ask) => {
    expect(detectWrite(ask)).toBeUndefined();
  });

  it('keeps what the ask is about, to offer the matching read', () => {
    expect(detectWrite('cancel all orders')?.rest).toBe('orders');
    expect(detectWrite('delete draft invoices')?.rest).toBe('draft invoices');
    expect(detectWrite('show draft invoices and delete them')?.rest).toBe('draft invoices');
  });

  it('says it only reads, and offers the read when it knows one', () => {
    const write = { verb: 'cancel', rest: 'orders' };
    expect(refusalMessage(write, { ask: 'show orders', what: 'Sales Orders' })).toBe(
      'I only read data here, so I will not cancel anything. I can show you the Sales Orders instead: ask “show orders”. ' +
        'To make changes, use the desk or an assistant with an AI model configured.',
    );
    expect(refusalMessage(write)).toMatch(/^I only read data here.*“show open sales orders”/);
  });
});
