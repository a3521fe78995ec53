/**
 * What the desk needs to format a table column as it formats that field everywhere else: Frappe's
 * fieldtype and options (Currency + the field naming its currency, Date, Link + the target DocType).
 * Known from ERPNext's standard DocTypes, so an answer costs no extra metadata call; a field that is
 * neither listed nor recognisable by its name carries no type, and the desk shows it as plain text.
 */
export interface ColumnMeta {
  fieldtype?: string;
  /** Frappe's `options`: a Link's DocType, a Currency's currency field ("currency") or "Company:…". */
  options?: string;
}

type Fields = Record<string, ColumnMeta>;

const DATE: ColumnMeta = { fieldtype: 'Date' };
const DOC_CURRENCY: ColumnMeta = { fieldtype: 'Currency', options: 'currency' };
const COMPANY_CURRENCY: ColumnMeta = { fieldtype: 'Currency', options: 'Company:company:default_currency' };
const link = (doctype: string): ColumnMeta => ({ fieldtype: 'Link', options: doctype });

/** Fields shared by many DocTypes, with the same meaning everywhere. */
const COMMON: Fields = {
  customer: link('Customer'),
  supplier: link('Supplier'),
  company: link('Company'),
  project: link('Project'),
  item_code: link('Item'),
  customer_group: link('Customer Group'),
  supplier_group: link('Supplier Group'),
  item_group: link('Item Group'),
  territory: link('Territory'),
  country: link('Country'),
  department: link('Department'),
  designation: link('Designation'),
  warehouse: link('Warehouse'),
  currency: link('Currency'),
  owner: link('User'),
  allocated_to: link('User'),
  posting_date: DATE,
  transaction_date: DATE,
  delivery_date: DATE,
  schedule_date: DATE,
  due_date: DATE,
  opening_date: DATE,
  exp_start_date: DATE,
  exp_end_date: DATE,
  date: DATE,
  creation: { fieldtype: 'Datetime' },
  modified: { fieldtype: 'Datetime' },
  percent_complete: { fieldtype: 'Percent' },
  qty: { fieldtype: 'Float' },
};

/** Where one DocType's field differs from COMMON or is its own. */
const BY_DOCTYPE: Record<string, Fields> = {
  'Sales Order': { grand_total: DOC_CURRENCY, rounded_total: DOC_CURRENCY, net_total: DOC_CURRENCY },
  'Sales Invoice': {
    grand_total: DOC_CURRENCY,
    rounded_total: DOC_CURRENCY,
    net_total: DOC_CURRENCY,
    outstanding_amount: { fieldtype: 'Currency', options: 'party_account_currency' },
  },
  'Purchase Order': { grand_total: DOC_CURRENCY, rounded_total: DOC_CURRENCY, net_total: DOC_CURRENCY },
  'Purchase Invoice': {
    grand_total: DOC_CURRENCY,
    rounded_total: DOC_CURRENCY,
    net_total: DOC_CURRENCY,
    outstanding_amount: { fieldtype: 'Currency', options: 'party_account_currency' },
  },
  Quotation: { grand_total: DOC_CURRENCY, net_total: DOC_CURRENCY, valid_till: DATE },
  Opportunity: { opportunity_amount: DOC_CURRENCY, expected_closing: DATE },
  'Payment Entry': {
    paid_amount: { fieldtype: 'Currency', options: 'paid_from_account_currency' },
    received_amount: { fieldtype: 'Currency', options: 'paid_to_account_currency' },
    reference_date: DATE,
  },
  'Journal Entry': { total_debit: COMPANY_CURRENCY, total_credit: COMPANY_CURRENCY },
  'Stock Entry': { total_amount: COMPANY_CURRENCY, stock_entry_type: link('Stock Entry Type') },
  // Item prices without a currency field: Frappe formats them in the site's default currency.
  Item: { standard_rate: { fieldtype: 'Currency' }, valuation_rate: { fieldtype: 'Currency' } },
};

/** The fieldtype and options of `fieldname` in `doctype`, as far as they are known. */
export function columnMeta(doctype: string, fieldname: string): ColumnMeta {
  const known = BY_DOCTYPE[doctype]?.[fieldname] ?? COMMON[fieldname];
  if (known) return { ...known };
  if (/_date$/.test(fieldname)) return { ...DATE };
  return {};
}

/** The fields a row must keep so the desk can resolve its columns' currencies (e.g. "currency"). */
export function currencyFields(columns: ReadonlyArray<ColumnMeta>): string[] {
  return [
    ...new Set(
      columns
        .filter((c) => c.fieldtype === 'Currency' && c.options && /^[a-z_][a-z0-9_]*$/.test(c.options))
        .map((c) => c.options!),
    ),
  ];
}
