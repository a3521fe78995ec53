import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/chat/catalog.js';
import { partialFilter, takePartialName } from '../../src/chat/names.js';
import { AskText } from '../../src/chat/query.js';
import { statusWord, waitingState, WAITING_RE } from '../../src/chat/states.js';

describe('states: "to approve", "pending"', () => {
  it.each([
    'to approve',
    'pending',
    'awaiting approval',
    'waiting for approval',
    'need approval',
    'pending approval',
    'unapproved',
    'not yet approved',
  ])('hears “%s”', (words) => {
    expect(WAITING_RE.test(` orders ${words} `)).toBe(true);
  });

  it('means the Workflow’s waiting states where there is a Workflow, and says which', () => {
    const meta = {
      name: 'Purchase Order',
      submittable: true,
      fields: [],
      workflow: { name: 'PO Approval', stateField: 'workflow_state', waiting: ['Pending Approval', 'Pending CFO'] },
    };
    expect(waitingState(meta, true)).toEqual({
      filter: ['workflow_state', 'in', ['Pending Approval', 'Pending CFO']],
      note: 'waiting for approval in Workflow “PO Approval” (Pending Approval, Pending CFO)',
    });
  });

  it('means drafts of a submittable DocType without a Workflow, and says so', () => {
    expect(waitingState({ name: 'Journal Entry', submittable: true, fields: [] }, true)).toEqual({
      filter: ['docstatus', '=', 0],
      note: 'drafts not yet submitted (no approval Workflow on this DocType)',
    });
  });

  it('leaves the words to the DocType’s own statuses when it is neither', () => {
    expect(waitingState({ name: 'Task', submittable: false, fields: [] }, false)).toBeUndefined();
  });
});

describe('partial names', () => {
  const supplier = CATALOG.find((c) => c.doctype === 'Supplier')!;
  it.each([
    ['suppliers whose name contains Tech', ['supplier_name', 'like', '%Tech%'], 'suppliers'],
    ["suppliers named like 'Ltd'", ['supplier_name', 'like', '%Ltd%'], 'suppliers'],
    ['suppliers starting with A', ['supplier_name', 'like', 'A%'], 'suppliers'],
    ['suppliers ending with GmbH in germany', ['supplier_name', 'like', '%GmbH'], 'suppliers in germany'],
    ['supplier name begins with "Tec"', ['supplier_name', 'like', 'Tec%'], 'supplier'],
  ])('“%s” → %j', (text, filter, left) => {
    const ask = new AskText(text);
    const p = takePartialName(ask)!;
    expect(partialFilter(p, supplier)).toEqual(filter);
    expect(ask.text.trim()).toBe(left);
  });

  it('uses the title field from the site’s metadata, else the name', () => {
    const p = { how: 'contains' as const, value: 'x' };
    expect(
      partialFilter(p, supplier, { name: 'Supplier', submittable: false, fields: [], titleField: 'supplier_name' })[0],
    ).toBe('supplier_name');
    expect(partialFilter(p, supplier, { name: 'Supplier', submittable: false, fields: [] })[0]).toBe('name');
  });

  it('finds nothing in an ask without a partial name', () => {
    expect(takePartialName(new AskText('suppliers in india'))).toBeUndefined();
  });
});

describe('status words', () => {
  const invoice = CATALOG.find((c) => c.doctype === 'Sales Invoice')!;
  it.each([
    ['overdue invoices', { word: 'overdue', conditions: [['status', '=', 'Overdue']] }],
    ['invoices not paid', { word: 'not paid', conditions: [['status', '!=', 'Paid']] }],
    [
      'invoices that aren’t overdue'.replace('’', "'"),
      { word: 'not overdue', conditions: [['status', '!=', 'Overdue']] },
    ],
    ['non cancelled invoices', { word: 'not cancelled', conditions: [['docstatus', '!=', 2]] }],
    ['unpaid invoices', { word: 'unpaid', conditions: [['status', 'in', ['Unpaid', 'Overdue', 'Partly Paid']]] }],
    ['ovrdue invoices', { word: 'overdue', conditions: [['status', '=', 'Overdue']], typo: 'ovrdue' }],
  ])('“%s”', (text, expected) => {
    const ask = new AskText(text);
    expect(statusWord(ask, invoice)).toEqual(expected);
    expect(ask.text.trim()).toMatch(/^invoices( that)?$/);
  });
});
