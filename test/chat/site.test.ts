import { beforeEach, describe, expect, it } from 'vitest';
import { CACHES, metaFrom, siteLookups, TtlCache } from '../../src/chat/site.js';
import type { ToolResult } from '../../src/tools/run.js';
import { clearCaches } from './site-helpers.js';

type Calls = Array<[string, Record<string, unknown>]>;

function runner(answers: Record<string, (args: Record<string, unknown>) => ToolResult>, calls: Calls) {
  return (name: string, args: Record<string, unknown>): Promise<ToolResult> => {
    calls.push([name, args]);
    return Promise.resolve(answers[name]!(args));
  };
}
const ok = (structuredContent: Record<string, unknown>): ToolResult => ({
  content: [{ type: 'text', text: '{}' }],
  structuredContent,
});
const refused: ToolResult = {
  content: [{ type: 'text', text: 'Frappe refused (403 PermissionError): No permission for DocType' }],
  isError: true,
};
const outage: ToolResult = { content: [{ type: 'text', text: 'Frappe is unavailable (503)' }], isError: true };

const DOCTYPES = ok({
  doctypes: [
    { name: 'Cost Center', module: 'Accounts', istable: false, issingle: false, is_submittable: false },
    { name: 'Selling Settings', module: 'Selling', istable: false, issingle: true, is_submittable: false },
  ],
});

beforeEach(clearCaches);

describe('site look-ups', () => {
  it('builds the vocabulary once per site and role set, from the caller’s DocType list', async () => {
    const calls: Calls = [];
    const run = runner({ list_doctypes: () => DOCTYPES }, calls);
    const a = siteLookups({ site: 'https://erp', user: 'a@x', roles: ['Accounts User', 'All'] }, run);
    const b = siteLookups({ site: 'https://erp', user: 'b@x', roles: ['All', 'Accounts User'] }, run);
    expect((await a.vocabulary()).find('cost centers')?.info.doctype).toBe('Cost Center');
    expect((await b.vocabulary()).find('cost centers')?.info.doctype).toBe('Cost Center');
    expect(await a.fullList()).toBe(true);
    // Single DocTypes are settings, not lists of records.
    expect((await a.vocabulary()).find('selling settings')).toBeUndefined();
    expect(calls.filter(([n]) => n === 'list_doctypes')).toHaveLength(1);
    await siteLookups({ site: 'https://other', user: 'a@x', roles: ['Accounts User', 'All'] }, run).vocabulary();
    await siteLookups({ site: 'https://erp', user: 'c@x', roles: ['System Manager'] }, run).vocabulary();
    expect(calls.filter(([n]) => n === 'list_doctypes')).toHaveLength(3);
  });

  it('falls back to the catalog (and DocType search) when the caller may not list DocTypes', async () => {
    const calls: Calls = [];
    const s = siteLookups({ site: 'https://erp', user: 'sales@x' }, runner({ list_doctypes: () => refused }, calls));
    expect(await s.fullList()).toBe(false);
    expect((await s.vocabulary()).find('sales orders')?.info.doctype).toBe('Sales Order');
    expect((await s.vocabulary()).find('cost centers')).toBeUndefined();
  });

  it('does not remember an outage', async () => {
    const calls: Calls = [];
    let down = true;
    const s = siteLookups(
      { site: 'https://erp', user: 'u' },
      runner({ list_doctypes: () => (down ? outage : DOCTYPES) }, calls),
    );
    expect(await s.fullList()).toBe(false);
    down = false;
    expect(await s.fullList()).toBe(true);
  });

  it('looks records up as the caller and keeps them per user, briefly', async () => {
    const calls: Calls = [];
    const run = runner({ search_link: (args) => ok({ results: [{ value: `${String(args.txt)}!` }] }) }, calls);
    const a = siteLookups({ site: 'https://erp', user: 'a@x', roles: ['R'] }, run);
    const b = siteLookups({ site: 'https://erp', user: 'b@x', roles: ['R'] }, run);
    expect(await a.searchLink('Territory', 'India')).toEqual({ values: [{ value: 'India!' }] });
    await a.searchLink('Territory', 'india');
    // Another user with the same roles may see other records (user permissions): asked again.
    await b.searchLink('Territory', 'India');
    expect(calls).toEqual([
      ['search_link', { doctype: 'Territory', txt: 'India', page_length: 10 }],
      ['search_link', { doctype: 'Territory', txt: 'India', page_length: 10 }],
    ]);
  });

  it('reports Frappe’s refusal of a look-up as denied', async () => {
    const s = siteLookups({ site: 'https://erp', user: 'u' }, runner({ search_link: () => refused }, []));
    expect(await s.searchLink('Customer Group', 'retail')).toEqual({ denied: true });
  });

  it('reads metadata, with the Workflow’s waiting states', () => {
    const meta = metaFrom({
      name: 'Purchase Order',
      is_submittable: true,
      title_field: 'supplier_name',
      fields: [
        { fieldname: 'status', fieldtype: 'Select', label: 'Status', options: 'Draft\nTo Bill', in_list_view: true },
      ],
      workflow: {
        name: 'PO Approval',
        state_field: 'workflow_state',
        states: [],
        waiting_states: ['Pending Approval'],
      },
    });
    expect(meta).toEqual({
      name: 'Purchase Order',
      submittable: true,
      titleField: 'supplier_name',
      fields: [
        { fieldname: 'status', fieldtype: 'Select', label: 'Status', options: 'Draft\nTo Bill', in_list_view: true },
      ],
      workflow: { name: 'PO Approval', stateField: 'workflow_state', waiting: ['Pending Approval'] },
    });
  });
});

describe('TtlCache', () => {
  it('forgets entries after their time and the oldest when full', () => {
    const c = new TtlCache<number>(2, 1000);
    c.set('a', 1, 0);
    c.set('b', 2, 0);
    c.set('c', 3, 0);
    expect(c.get('a', 0)).toBeUndefined();
    expect(c.get('b', 999)).toBe(2);
    expect(c.get('b', 1001)).toBeUndefined();
    expect(c.size).toBe(1);
  });

  it('bounds the shared caches', () => {
    for (let i = 0; i < 6000; i++) CACHES.link.set(`k${i}`, Promise.resolve({ values: [] }));
    expect(CACHES.link.size).toBe(5000);
  });
});
