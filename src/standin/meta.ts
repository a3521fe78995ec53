import { COLUMN_DEFAULTS } from './columns.js';
import { BUYING_DEFS } from './meta-buying.js';

export interface FieldDef {
  fieldname: string;
  fieldtype: string;
  label: string;
  options?: string;
  reqd?: 1;
  in_list_view?: 1;
  /** Fields above permlevel 0 are silently dropped for users without that level (recorded on User). */
  permlevel?: number;
  allow_on_submit?: 1;
  in_global_search?: 1;
}

export interface DocTypeDef {
  name: string;
  module: string;
  istable: 0 | 1;
  issingle?: 0 | 1;
  is_submittable: 0 | 1;
  autoname: string;
  title_field?: string;
  /** Extra search fields shown by search_link / search_widget, in order. */
  search_fields: string[];
  fields: FieldDef[];
  /** A custom DocType (made in the desk, not shipped by an app). */
  custom?: 1;
}

const f = (
  fieldname: string,
  fieldtype: string,
  label: string,
  more: Omit<FieldDef, 'fieldname' | 'fieldtype' | 'label'> = {},
): FieldDef => ({
  fieldname,
  fieldtype,
  label,
  ...more,
});
const table = (fieldname: string, label: string, options: string, more: Partial<FieldDef> = {}): FieldDef =>
  f(fieldname, 'Table', label, { options, ...more });
const child = (name: string, module: string, fields: FieldDef[]): DocTypeDef => ({
  name,
  module,
  istable: 1,
  is_submittable: 0,
  autoname: 'hash',
  search_fields: [],
  fields,
});

const DEFS: DocTypeDef[] = [
  {
    name: 'Customer',
    module: 'Selling',
    istable: 0,
    is_submittable: 0,
    autoname: 'naming_series:',
    title_field: 'customer_name',
    search_fields: ['customer_group', 'territory', 'mobile_no', 'primary_address'],
    fields: [
      f('naming_series', 'Select', 'Series', { options: 'CUST-.YYYY.-' }),
      f('customer_name', 'Data', 'Customer Name', { reqd: 1, in_global_search: 1 }),
      f('customer_type', 'Select', 'Customer Type', { options: 'Company\nIndividual\nPartnership', reqd: 1 }),
      f('customer_group', 'Link', 'Customer Group', { options: 'Customer Group', in_list_view: 1 }),
      f('territory', 'Link', 'Territory', { options: 'Territory', in_list_view: 1 }),
      f('customer_details', 'Text', 'Customer Details'),
      f('mobile_no', 'Read Only', 'Mobile No'),
      f('primary_address', 'Text', 'Primary Address'),
      f('email_id', 'Read Only', 'Email Id'),
      f('disabled', 'Check', 'Disabled'),
      table('accounts', 'Accounts', 'Party Account'),
      table('sales_team', 'Sales Team', 'Sales Team'),
      table('portal_users', 'Portal Users', 'Portal User'),
      table('companies', 'Allowed To Transact With', 'Allowed To Transact With'),
      table('credit_limits', 'Credit Limit', 'Customer Credit Limit'),
    ],
  },
  {
    name: 'Customer Group',
    module: 'Setup',
    istable: 0,
    is_submittable: 0,
    autoname: 'field:customer_group_name',
    search_fields: ['parent_customer_group'],
    fields: [
      f('customer_group_name', 'Data', 'Customer Group Name', { reqd: 1 }),
      f('parent_customer_group', 'Link', 'Parent Customer Group', { options: 'Customer Group', in_list_view: 1 }),
      f('is_group', 'Check', 'Is Group', { in_list_view: 1 }),
    ],
  },
  {
    name: 'Territory',
    module: 'Setup',
    istable: 0,
    is_submittable: 0,
    autoname: 'field:territory_name',
    search_fields: ['parent_territory'],
    fields: [
      f('territory_name', 'Data', 'Territory Name', { reqd: 1 }),
      f('parent_territory', 'Link', 'Parent Territory', { options: 'Territory', in_list_view: 1 }),
      f('is_group', 'Check', 'Is Group', { in_list_view: 1 }),
    ],
  },
  {
    name: 'Item',
    module: 'Stock',
    istable: 0,
    is_submittable: 0,
    autoname: 'field:item_code',
    title_field: 'item_name',
    search_fields: ['item_name', 'item_group'],
    fields: [
      f('item_code', 'Data', 'Item Code', { reqd: 1 }),
      f('item_name', 'Data', 'Item Name', { in_global_search: 1 }),
      f('item_group', 'Link', 'Item Group', { options: 'Item Group', reqd: 1, in_list_view: 1 }),
      f('stock_uom', 'Link', 'Default Unit of Measure', { options: 'UOM', reqd: 1 }),
      f('is_stock_item', 'Check', 'Maintain Stock'),
      f('standard_rate', 'Currency', 'Standard Selling Rate'),
      f('description', 'Text Editor', 'Description'),
      f('disabled', 'Check', 'Disabled'),
    ],
  },
  {
    name: 'Sales Order',
    module: 'Selling',
    istable: 0,
    is_submittable: 1,
    autoname: 'naming_series:',
    title_field: 'customer_name',
    search_fields: ['status', 'transaction_date', 'customer', 'customer_name', 'territory', 'order_type', 'company'],
    fields: [
      f('naming_series', 'Select', 'Series', { options: 'SAL-ORD-.YYYY.-', reqd: 1 }),
      f('customer', 'Link', 'Customer', { options: 'Customer', reqd: 1 }),
      f('customer_name', 'Data', 'Customer Name', { in_global_search: 1 }),
      f('order_type', 'Select', 'Order Type', { options: '\nSales\nMaintenance\nShopping Cart', reqd: 1 }),
      f('transaction_date', 'Date', 'Date', { reqd: 1 }),
      f('delivery_date', 'Date', 'Delivery Date', { in_list_view: 1, allow_on_submit: 1 }),
      f('company', 'Link', 'Company', { options: 'Company', reqd: 1 }),
      f('amended_from', 'Link', 'Amended From', { options: 'Sales Order' }),
      f('currency', 'Link', 'Currency', { options: 'Currency', reqd: 1 }),
      f('selling_price_list', 'Link', 'Price List', { options: 'Price List', reqd: 1 }),
      f('total_qty', 'Float', 'Total Quantity'),
      f('total', 'Currency', 'Total'),
      f('net_total', 'Currency', 'Net Total'),
      f('grand_total', 'Currency', 'Grand Total', { in_list_view: 1 }),
      f('rounded_total', 'Currency', 'Rounded Total'),
      f('customer_group', 'Link', 'Customer Group', { options: 'Customer Group' }),
      f('territory', 'Link', 'Territory', { options: 'Territory' }),
      f('status', 'Select', 'Status', {
        options: '\nDraft\nOn Hold\nTo Pay\nTo Deliver and Bill\nTo Bill\nTo Deliver\nCompleted\nCancelled\nClosed',
        reqd: 1,
        in_list_view: 1,
        allow_on_submit: 1,
      }),
      f('per_delivered', 'Percent', '%  Delivered', { allow_on_submit: 1 }),
      f('per_billed', 'Percent', '% Amount Billed', { allow_on_submit: 1 }),
      f('delivery_status', 'Select', 'Delivery Status', { allow_on_submit: 1 }),
      f('billing_status', 'Select', 'Billing Status', { allow_on_submit: 1 }),
      table('items', 'Items', 'Sales Order Item', { reqd: 1 }),
      table('taxes', 'Sales Taxes and Charges', 'Sales Taxes and Charges'),
      table('packed_items', 'Packed Items', 'Packed Item'),
      table('pricing_rules', 'Pricing Rule Detail', 'Pricing Rule Detail'),
      table('payment_schedule', 'Payment Schedule', 'Payment Schedule'),
      table('sales_team', 'Sales Team', 'Sales Team', { allow_on_submit: 1 }),
    ],
  },
  child('Sales Order Item', 'Selling', [
    f('item_code', 'Link', 'Item Code', { options: 'Item', in_list_view: 1 }),
    f('item_name', 'Data', 'Item Name', { reqd: 1 }),
    f('description', 'Text Editor', 'Description'),
    f('qty', 'Float', 'Quantity', { reqd: 1, in_list_view: 1 }),
    f('uom', 'Link', 'UOM', { options: 'UOM', reqd: 1 }),
    f('rate', 'Currency', 'Rate', { in_list_view: 1 }),
    f('amount', 'Currency', 'Amount', { in_list_view: 1 }),
    f('warehouse', 'Link', 'Delivery Warehouse', { options: 'Warehouse' }),
    f('delivery_date', 'Date', 'Delivery Date', { allow_on_submit: 1 }),
  ]),
  child('Sales Taxes and Charges', 'Accounts', [f('charge_type', 'Select', 'Type', { reqd: 1 })]),
  child('Packed Item', 'Stock', [f('item_code', 'Link', 'Item Code', { options: 'Item' })]),
  child('Pricing Rule Detail', 'Accounts', [f('pricing_rule', 'Link', 'Pricing Rule', { options: 'Pricing Rule' })]),
  child('Payment Schedule', 'Accounts', [f('due_date', 'Date', 'Due Date')]),
  child('Sales Team', 'Selling', [f('sales_person', 'Link', 'Sales Person', { options: 'Sales Person', reqd: 1 })]),
  child('Party Account', 'Accounts', [f('company', 'Link', 'Company', { options: 'Company' })]),
  child('Portal User', 'Core', [f('user', 'Link', 'User', { options: 'User' })]),
  child('Allowed To Transact With', 'Accounts', [f('company', 'Link', 'Company', { options: 'Company' })]),
  child('Customer Credit Limit', 'Selling', [f('company', 'Link', 'Company', { options: 'Company' })]),
  child('Has Role', 'Core', [f('role', 'Link', 'Role', { options: 'Role', in_list_view: 1 })]),
  {
    name: 'Sales Invoice',
    module: 'Accounts',
    istable: 0,
    is_submittable: 1,
    autoname: 'naming_series:',
    title_field: 'customer_name',
    search_fields: ['posting_date', 'due_date', 'customer', 'customer_name', 'grand_total', 'outstanding_amount'],
    fields: [
      f('naming_series', 'Select', 'Series', { options: 'ACC-SINV-.YYYY.-' }),
      f('customer', 'Link', 'Customer', { options: 'Customer', reqd: 1 }),
      f('customer_name', 'Data', 'Customer Name'),
      f('company', 'Link', 'Company', { options: 'Company', reqd: 1 }),
      f('posting_date', 'Date', 'Date', { reqd: 1 }),
      f('due_date', 'Date', 'Payment Due Date'),
      f('grand_total', 'Currency', 'Grand Total', { in_list_view: 1 }),
      f('outstanding_amount', 'Currency', 'Outstanding Amount', { allow_on_submit: 1 }),
      f('status', 'Select', 'Status', { in_list_view: 1, allow_on_submit: 1 }),
      f('currency', 'Link', 'Currency', { options: 'Currency' }),
      table('items', 'Items', 'Sales Invoice Item', { reqd: 1 }),
    ],
  },
  child('Sales Invoice Item', 'Accounts', [
    f('item_code', 'Link', 'Item', { options: 'Item', in_list_view: 1 }),
    f('item_name', 'Data', 'Item Name', { reqd: 1 }),
    f('qty', 'Float', 'Quantity', { in_list_view: 1 }),
    f('uom', 'Link', 'UOM', { options: 'UOM', reqd: 1 }),
    f('rate', 'Currency', 'Rate', { reqd: 1, in_list_view: 1 }),
    f('amount', 'Currency', 'Amount', { reqd: 1, in_list_view: 1 }),
  ]),
  {
    name: 'ToDo',
    module: 'Desk',
    istable: 0,
    is_submittable: 0,
    autoname: 'hash',
    title_field: 'description',
    search_fields: ['description'],
    fields: [
      f('status', 'Select', 'Status', { options: 'Open\nClosed\nCancelled', in_list_view: 1 }),
      f('priority', 'Select', 'Priority', { options: 'High\nMedium\nLow' }),
      f('date', 'Date', 'Due Date'),
      f('allocated_to', 'Link', 'Allocated To', { options: 'User', in_list_view: 1 }),
      f('description', 'Text Editor', 'Description', { reqd: 1, in_list_view: 1 }),
      f('reference_type', 'Link', 'Reference Type', { options: 'DocType' }),
      f('reference_name', 'Dynamic Link', 'Reference Name', { options: 'reference_type' }),
    ],
  },
  {
    name: 'User',
    module: 'Core',
    istable: 0,
    is_submittable: 0,
    autoname: 'field:email',
    title_field: 'full_name',
    search_fields: ['full_name'],
    fields: [
      f('email', 'Data', 'Email', { reqd: 1 }),
      f('first_name', 'Data', 'First Name', { reqd: 1 }),
      f('last_name', 'Data', 'Last Name'),
      f('full_name', 'Data', 'Full Name', { in_list_view: 1 }),
      f('enabled', 'Check', 'Enabled', { in_list_view: 1 }),
      f('user_image', 'Attach Image', 'User Image'),
      f('user_type', 'Select', 'User Type', { options: 'System User\nWebsite User', permlevel: 1 }),
      f('api_key', 'Data', 'API Key', { permlevel: 1 }),
      table('roles', 'Roles Assigned', 'Has Role', { permlevel: 1 }),
    ],
  },
  {
    name: 'Report',
    module: 'Core',
    istable: 0,
    is_submittable: 0,
    autoname: 'field:report_name',
    search_fields: ['report_type', 'ref_doctype'],
    fields: [
      f('report_name', 'Data', 'Report Name', { reqd: 1 }),
      f('ref_doctype', 'Link', 'Ref DocType', { options: 'DocType', reqd: 1, in_list_view: 1 }),
      f('report_type', 'Select', 'Report Type', {
        options: 'Report Builder\nQuery Report\nScript Report\nCustom Report',
        reqd: 1,
        in_list_view: 1,
      }),
      f('is_standard', 'Select', 'Is Standard', { options: 'No\nYes' }),
      f('module', 'Link', 'Module', { options: 'Module Def' }),
      f('prepared_report', 'Check', 'Prepared Report'),
      f('disabled', 'Check', 'Disabled'),
      f('add_total_row', 'Check', 'Add Total Row'),
      table('filters', 'Filters', 'Report Filter'),
      table('columns', 'Columns', 'Report Column'),
      table('roles', 'Roles', 'Has Role'),
    ],
  },
  child('Report Filter', 'Core', [f('fieldname', 'Data', 'Fieldname', { reqd: 1 })]),
  child('Report Column', 'Core', [f('fieldname', 'Data', 'Fieldname', { reqd: 1 })]),
  {
    name: 'Prepared Report',
    module: 'Core',
    istable: 0,
    is_submittable: 0,
    autoname: 'hash',
    search_fields: [],
    fields: [
      f('report_name', 'Data', 'Report Name', { reqd: 1, in_list_view: 1 }),
      f('status', 'Select', 'Status', { options: 'Error\nQueued\nStarted\nCompleted', in_list_view: 1 }),
      f('queued_by', 'Data', 'Queued By'),
      f('queued_at', 'Datetime', 'Queued At'),
      f('report_end_time', 'Datetime', 'Report End Time'),
      f('job_id', 'Data', 'Job ID'),
      f('filters', 'Small Text', 'Filters'),
      f('error_message', 'Text', 'Error Message'),
      f('peak_memory_usage', 'Int', 'Peak Memory Usage'),
    ],
  },
  {
    name: 'Company',
    module: 'Setup',
    istable: 0,
    is_submittable: 0,
    autoname: 'field:company_name',
    search_fields: ['abbr'],
    fields: [
      f('company_name', 'Data', 'Company', { reqd: 1 }),
      f('abbr', 'Data', 'Abbr', { reqd: 1, in_list_view: 1 }),
      f('default_currency', 'Link', 'Default Currency', { options: 'Currency', reqd: 1 }),
      f('country', 'Link', 'Country', { options: 'Country', reqd: 1 }),
    ],
  },
  {
    name: 'DocType',
    module: 'Core',
    istable: 0,
    is_submittable: 0,
    autoname: 'Prompt',
    search_fields: ['module'],
    fields: [
      f('module', 'Link', 'Module', { options: 'Module Def', reqd: 1, in_list_view: 1 }),
      f('istable', 'Check', 'Is Child Table'),
      f('issingle', 'Check', 'Is Single'),
      f('is_submittable', 'Check', 'Is Submittable'),
      f('custom', 'Check', 'Custom?'),
    ],
  },
];

DEFS.push(...BUYING_DEFS);

const BY_NAME = new Map(DEFS.map((d) => [d.name, d]));

/** The DocType definition, or undefined when the site has no such DocType. */
export function getMeta(doctype: string): DocTypeDef | undefined {
  return BY_NAME.get(doctype);
}

export function allMetas(): readonly DocTypeDef[] {
  return DEFS;
}

/** Columns every table has (frappe.model.default_fields). */
export const STANDARD_FIELDS = ['name', 'owner', 'creation', 'modified', 'modified_by', 'docstatus', 'idx'] as const;
export const CHILD_FIELDS = ['parent', 'parentfield', 'parenttype'] as const;
const OPTIONAL_STANDARD = ['_user_tags', '_comments', '_assign', '_liked_by'];

export function tableFields(meta: DocTypeDef): FieldDef[] {
  return meta.fields.filter((x) => x.fieldtype === 'Table');
}

/** Fields that may be named in `fields`/`filters` of a list query. */
export function isQueryableField(meta: DocTypeDef, fieldname: string): boolean {
  if ((STANDARD_FIELDS as readonly string[]).includes(fieldname) || OPTIONAL_STANDARD.includes(fieldname)) return true;
  if (meta.istable && (CHILD_FIELDS as readonly string[]).includes(fieldname)) return true;
  return (
    meta.fields.some((x) => x.fieldname === fieldname && x.fieldtype !== 'Table') ||
    columnNames(meta).includes(fieldname)
  );
}

const columnCache = new Map<string, string[]>();

/** Every database column of the DocType, in Frappe's order (standard fields first). */
export function columnNames(meta: DocTypeDef): string[] {
  let cols = columnCache.get(meta.name);
  if (!cols) {
    const own = Object.keys(COLUMN_DEFAULTS[meta.name] ?? {});
    const declared = meta.fields.filter((x) => x.fieldtype !== 'Table').map((x) => x.fieldname);
    cols = [...new Set([...own, ...declared])];
    columnCache.set(meta.name, cols);
  }
  return cols;
}

/** A column's value for a new document: the recorded default or null/0 by type. */
export function columnDefault(meta: DocTypeDef, fieldname: string): unknown {
  const recorded = COLUMN_DEFAULTS[meta.name];
  if (recorded && fieldname in recorded) return recorded[fieldname];
  const field = meta.fields.find((x) => x.fieldname === fieldname);
  if (!field) return null;
  if (['Check', 'Int'].includes(field.fieldtype)) return 0;
  if (['Float', 'Currency', 'Percent'].includes(field.fieldtype)) return 0.0;
  return null;
}
