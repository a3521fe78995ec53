// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadAskAi } from './helpers/frappe-stub.js';
import type { Column } from './helpers/frappe-stub.js';

const ORDERS = {
  type: 'table',
  columns: [
    { fieldname: 'name', label: 'ID', fieldtype: 'Link', options: 'Sales Order' },
    { fieldname: 'customer', label: 'Customer', fieldtype: 'Link', options: 'Customer' },
    { fieldname: 'transaction_date', label: 'Date', fieldtype: 'Date' },
    { fieldname: 'grand_total', label: 'Grand Total', fieldtype: 'Currency', options: 'currency' },
    { fieldname: 'status', label: 'Status' },
  ],
  rows: [
    {
      name: 'SO-1',
      customer: 'Acme & Co',
      transaction_date: '2026-01-05',
      grand_total: 200,
      status: 'Draft',
      currency: 'EUR',
    },
    { name: 'SO-2', customer: null, transaction_date: null, grand_total: 1234.5, status: '<b>x</b>' },
  ],
  links: [
    { doctype: 'Sales Order', name: 'SO-1' },
    { doctype: 'Sales Order', name: 'SO-2' },
  ],
};

/** The desk's frappe.format as it behaves for these types: HTML out, the currency from the row. */
function deskFormat(value: unknown, df: Column, options: { inline?: boolean }, doc: Record<string, unknown>): string {
  if (df.fieldtype === 'Currency') {
    const currency = (df.options && typeof doc[df.options] === 'string' ? doc[df.options] : 'USD') as string;
    const text = `${currency === 'EUR' ? '€' : '$'} ${Number(value)
      .toFixed(2)
      .replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
    return options.inline ? text : `<div style="text-align: right">${text}</div>`;
  }
  if (df.fieldtype === 'Date') {
    const [y, m, d] = String(value).split('-');
    return `${d}-${m}-${y}`;
  }
  return String(value);
}

function cells(node: Element): string[][] {
  return Array.from(node.querySelectorAll('tbody tr'), (tr) =>
    Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? ''),
  );
}

afterEach(() => {
  window.history.replaceState(null, '', '/');
});

describe('answers formatted as the desk formats them', () => {
  it("formats amounts and dates with the desk's own formatter, each amount in its row's currency", () => {
    const format = vi.fn(deskFormat);
    const api = loadAskAi({ prepare: (f) => (f.format = format) }).mcp_gateway;
    const node = api.render_block(ORDERS)!;
    expect(cells(node)).toEqual([
      ['SO-1', 'Acme & Co', '05-01-2026', '€ 200.00', 'Draft'],
      ['SO-2', '', '', '$ 1,234.50', '<b>x</b>'],
    ]);
    // Called with Frappe's df and the row, so the desk finds the currency field itself.
    expect(format).toHaveBeenCalledWith(
      200,
      { fieldtype: 'Currency', fieldname: 'grand_total', options: 'currency' },
      { inline: true, only_value: true },
      ORDERS.rows[0],
    );
    // Data and Link values never go through the formatter (it would return their text as HTML).
    expect(format.mock.calls.map((c) => c[1].fieldtype)).not.toContain('Link');
    expect(node.querySelector('b')).toBeNull();
    expect(Array.from(node.querySelectorAll('th.text-right'), (th) => th.textContent)).toEqual(['Grand Total']);
  });

  it('falls back to plain values without a desk formatter, and to the plain value when it throws', () => {
    const api = loadAskAi().mcp_gateway;
    expect(api.format_value(1234.5, { fieldname: 'x', fieldtype: 'Currency' }, {})).toBe((1234.5).toLocaleString());
    const broken = loadAskAi({
      prepare: (f) =>
        (f.format = () => {
          throw new Error('no currency');
        }),
    }).mcp_gateway;
    expect(broken.format_value('2026-01-05', { fieldname: 'd', fieldtype: 'Date' }, {})).toBe('2026-01-05');
  });

  it('links the record and every Link column, styled as links, under /app on v15', () => {
    const api = loadAskAi({ prepare: (f) => (f.format = deskFormat) }).mcp_gateway;
    const node = api.render_block(ORDERS)!;
    const links = Array.from(node.querySelectorAll('a.mcp-ai-link'), (a) => [a.getAttribute('href'), a.textContent]);
    expect(links).toEqual([
      ['/app/sales-order/SO-1', 'SO-1'],
      ['/app/customer/Acme%20%26%20Co', 'Acme & Co'],
      ['/app/sales-order/SO-2', 'SO-2'],
    ]);
    expect(document.getElementById('mcp-ai-style')).toBeNull(); // styles come with the dialog
    const s = api.open_dialog('')!;
    expect(s.dialog.answer.ownerDocument.getElementById('mcp-ai-style')!.textContent).toContain('a.mcp-ai-link');
  });

  it('points links into /desk on Frappe 16, from boot versions or from the page path', () => {
    const v16 = loadAskAi({
      prepare: (f) => ((f.boot as Record<string, unknown>).versions = { frappe: '16.9.0' }),
    }).mcp_gateway;
    expect(v16.desk_base()).toBe('/desk');
    expect(v16.form_link({ doctype: 'Sales Order', name: 'SO-1' })).toBe('/desk/sales-order/SO-1');

    const v15 = loadAskAi({ prepare: (f) => ((f.boot as Record<string, unknown>).versions = { frappe: '15.75.0' }) });
    expect(v15.mcp_gateway.form_link({ doctype: 'Customer', name: 'A/B' })).toBe('/app/customer/A%2FB');

    window.history.replaceState(null, '', '/desk/sales-order');
    const unknown = loadAskAi({ prepare: (f) => delete f.utils.get_form_link }).mcp_gateway;
    expect(unknown.desk_base()).toBe('/desk');
    expect(unknown.form_link({ doctype: 'Customer Group', name: 'All' })).toBe('/desk/customer-group/All');
  });

  it('never links outside the desk', () => {
    const frappe = loadAskAi();
    frappe.utils.get_form_link = () => 'https://evil.example/app/x';
    expect(frappe.mcp_gateway.form_link({ doctype: 'Customer', name: 'x' })).toBeNull();
    frappe.utils.get_form_link = () => '//evil.example/x';
    expect(frappe.mcp_gateway.form_link({ doctype: 'Customer', name: 'x' })).toBeNull();
    expect(frappe.mcp_gateway.form_link({ doctype: '', name: 'x' })).toBeNull();
  });
});
