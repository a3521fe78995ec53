/**
 * What the planner knows about common ERPNext DocTypes: the words people use for them, the columns
 * worth showing, and which fields carry the date, the amount and the party. DocTypes of the site that
 * are not listed here are still understood by name, with default columns.
 */
export interface DoctypeInfo {
  doctype: string;
  /** Lower-case words and phrases that name it, singular and plural. */
  words: string[];
  columns: string[];
  dateField?: string;
  amountField?: string;
  /** Party link fields, by the word people put before a name ("customer Acme"). */
  party?: Record<string, string>;
  /** Status words → filters. Shared docstatus words are added for submittable DocTypes. */
  status?: Record<string, Array<[string, string, unknown]>>;
  submittable?: boolean;
}

const OPEN_INVOICE: Array<[string, string, unknown]> = [['status', 'in', ['Unpaid', 'Overdue', 'Partly Paid']]];

export const CATALOG: DoctypeInfo[] = [
  {
    doctype: 'Customer',
    words: ['customer', 'customers', 'client', 'clients', 'buyer', 'buyers'],
    columns: ['name', 'customer_name', 'customer_group', 'territory'],
    dateField: 'creation',
    status: { active: [['disabled', '=', 0]], enabled: [['disabled', '=', 0]], disabled: [['disabled', '=', 1]] },
  },
  {
    doctype: 'Supplier',
    words: ['supplier', 'suppliers', 'vendor', 'vendors'],
    columns: ['name', 'supplier_name', 'supplier_group', 'country'],
    dateField: 'creation',
    status: { active: [['disabled', '=', 0]], enabled: [['disabled', '=', 0]], disabled: [['disabled', '=', 1]] },
  },
  {
    doctype: 'Item',
    words: ['item', 'items', 'product', 'products'],
    columns: ['name', 'item_name', 'item_group', 'standard_rate'],
    dateField: 'creation',
    amountField: 'standard_rate',
    status: { active: [['disabled', '=', 0]], enabled: [['disabled', '=', 0]], disabled: [['disabled', '=', 1]] },
  },
  {
    doctype: 'Sales Invoice',
    words: ['sales invoice', 'sales invoices', 'invoice', 'invoices'],
    columns: ['name', 'customer', 'posting_date', 'grand_total', 'outstanding_amount', 'status'],
    dateField: 'posting_date',
    amountField: 'grand_total',
    party: { customer: 'customer' },
    submittable: true,
    status: {
      overdue: [['status', '=', 'Overdue']],
      unpaid: OPEN_INVOICE,
      open: OPEN_INVOICE,
      outstanding: OPEN_INVOICE,
      paid: [['status', '=', 'Paid']],
      'partly paid': [['status', '=', 'Partly Paid']],
      returned: [['is_return', '=', 1]],
    },
  },
  {
    doctype: 'Purchase Invoice',
    words: ['purchase invoice', 'purchase invoices', 'supplier invoice', 'supplier invoices', 'bill', 'bills'],
    columns: ['name', 'supplier', 'posting_date', 'grand_total', 'outstanding_amount', 'status'],
    dateField: 'posting_date',
    amountField: 'grand_total',
    party: { supplier: 'supplier' },
    submittable: true,
    status: {
      overdue: [['status', '=', 'Overdue']],
      unpaid: OPEN_INVOICE,
      open: OPEN_INVOICE,
      outstanding: OPEN_INVOICE,
      paid: [['status', '=', 'Paid']],
    },
  },
  {
    doctype: 'Sales Order',
    words: ['sales order', 'sales orders', 'order', 'orders', 'so', 'sos'],
    columns: ['name', 'customer', 'transaction_date', 'delivery_date', 'grand_total', 'status'],
    dateField: 'transaction_date',
    amountField: 'grand_total',
    party: { customer: 'customer' },
    submittable: true,
    status: {
      open: [['status', 'in', ['To Deliver and Bill', 'To Bill', 'To Deliver']]],
      overdue: [
        ['delivery_date', '<', '@today'],
        ['status', 'in', ['To Deliver and Bill', 'To Deliver']],
      ],
      completed: [['status', '=', 'Completed']],
      closed: [['status', '=', 'Closed']],
      'on hold': [['status', '=', 'On Hold']],
      unpaid: [
        ['per_billed', '<', 100],
        ['docstatus', '=', 1],
      ],
    },
  },
  {
    doctype: 'Purchase Order',
    words: ['purchase order', 'purchase orders', 'po', 'pos'],
    columns: ['name', 'supplier', 'transaction_date', 'schedule_date', 'grand_total', 'status'],
    dateField: 'transaction_date',
    amountField: 'grand_total',
    party: { supplier: 'supplier' },
    submittable: true,
    status: {
      open: [['status', 'in', ['To Receive and Bill', 'To Bill', 'To Receive']]],
      completed: [['status', '=', 'Completed']],
    },
  },
  {
    doctype: 'Quotation',
    words: ['quotation', 'quotations', 'quote', 'quotes'],
    columns: ['name', 'party_name', 'transaction_date', 'grand_total', 'status'],
    dateField: 'transaction_date',
    amountField: 'grand_total',
    party: { customer: 'party_name', lead: 'party_name' },
    submittable: true,
    status: { open: [['status', '=', 'Open']], lost: [['status', '=', 'Lost']], ordered: [['status', '=', 'Ordered']] },
  },
  {
    doctype: 'Delivery Note',
    words: ['delivery note', 'delivery notes', 'delivery', 'deliveries', 'shipment', 'shipments'],
    columns: ['name', 'customer', 'posting_date', 'grand_total', 'status'],
    dateField: 'posting_date',
    amountField: 'grand_total',
    party: { customer: 'customer' },
    submittable: true,
  },
  {
    doctype: 'Payment Entry',
    words: ['payment', 'payments', 'payment entry', 'payment entries'],
    columns: ['name', 'payment_type', 'party', 'posting_date', 'paid_amount'],
    dateField: 'posting_date',
    amountField: 'paid_amount',
    party: { customer: 'party', supplier: 'party' },
    submittable: true,
  },
  {
    doctype: 'Lead',
    words: ['lead', 'leads', 'prospect', 'prospects'],
    columns: ['name', 'lead_name', 'company_name', 'status', 'source'],
    dateField: 'creation',
    status: { open: [['status', '=', 'Open']], converted: [['status', '=', 'Converted']] },
  },
  {
    doctype: 'Opportunity',
    words: ['opportunity', 'opportunities', 'deal', 'deals'],
    columns: ['name', 'party_name', 'opportunity_amount', 'status'],
    dateField: 'transaction_date',
    amountField: 'opportunity_amount',
    status: { open: [['status', '=', 'Open']], lost: [['status', '=', 'Lost']] },
  },
  {
    doctype: 'Employee',
    words: ['employee', 'employees', 'staff', 'people'],
    columns: ['name', 'employee_name', 'department', 'designation', 'status'],
    dateField: 'date_of_joining',
    status: { active: [['status', '=', 'Active']], left: [['status', '=', 'Left']] },
  },
  {
    doctype: 'Project',
    words: ['project', 'projects'],
    columns: ['name', 'project_name', 'status', 'percent_complete'],
    dateField: 'expected_end_date',
    status: { open: [['status', '=', 'Open']], completed: [['status', '=', 'Completed']] },
  },
  {
    doctype: 'Task',
    words: ['task', 'tasks'],
    columns: ['name', 'subject', 'project', 'status', 'exp_end_date'],
    dateField: 'exp_end_date',
    status: {
      open: [['status', '=', 'Open']],
      overdue: [['status', '=', 'Overdue']],
      completed: [['status', '=', 'Completed']],
    },
  },
  {
    doctype: 'ToDo',
    words: ['todo', 'todos', 'to-do', 'to-dos', 'to do', 'to dos'],
    columns: ['name', 'description', 'status', 'date', 'allocated_to'],
    dateField: 'date',
    status: {
      open: [['status', '=', 'Open']],
      closed: [['status', '=', 'Closed']],
      cancelled: [['status', '=', 'Cancelled']],
    },
  },
  {
    doctype: 'Issue',
    words: ['issue', 'issues', 'ticket', 'tickets'],
    columns: ['name', 'subject', 'status', 'priority', 'opening_date'],
    dateField: 'opening_date',
    status: { open: [['status', '=', 'Open']], closed: [['status', '=', 'Closed']] },
  },
  {
    doctype: 'Stock Entry',
    words: ['stock entry', 'stock entries', 'stock movement', 'stock movements'],
    columns: ['name', 'stock_entry_type', 'posting_date', 'total_amount'],
    dateField: 'posting_date',
    amountField: 'total_amount',
    submittable: true,
  },
  {
    doctype: 'Journal Entry',
    words: ['journal entry', 'journal entries', 'journal', 'journals'],
    columns: ['name', 'voucher_type', 'posting_date', 'total_debit'],
    dateField: 'posting_date',
    amountField: 'total_debit',
    submittable: true,
  },
  {
    doctype: 'Warehouse',
    words: ['warehouse', 'warehouses'],
    columns: ['name', 'warehouse_name', 'company'],
  },
  {
    doctype: 'Contact',
    words: ['contact', 'contacts'],
    columns: ['name', 'first_name', 'last_name', 'email_id', 'phone'],
    dateField: 'creation',
  },
  {
    doctype: 'Customer Group',
    words: ['customer group', 'customer groups'],
    columns: ['name', 'parent_customer_group'],
  },
  {
    doctype: 'Territory',
    words: ['territory', 'territories'],
    columns: ['name', 'parent_territory'],
  },
  {
    doctype: 'Item Group',
    words: ['item group', 'item groups', 'product group', 'product groups'],
    columns: ['name', 'parent_item_group'],
  },
];

/** Status words that mean a docstatus on every submittable DocType. */
export const DOCSTATUS_WORDS: Record<string, number> = { draft: 0, drafts: 0, submitted: 1, cancelled: 2, canceled: 2 };

/** Phrases before a value that name a field ("in territory India", "with status Overdue"). */
export const FIELD_PHRASES: Array<{ phrase: string; field: string; doctypes?: string[] }> = [
  { phrase: 'customer group', field: 'customer_group' },
  { phrase: 'supplier group', field: 'supplier_group' },
  { phrase: 'item group', field: 'item_group' },
  { phrase: 'territory', field: 'territory' },
  { phrase: 'group', field: 'customer_group', doctypes: ['Customer'] },
  { phrase: 'group', field: 'supplier_group', doctypes: ['Supplier'] },
  { phrase: 'group', field: 'item_group', doctypes: ['Item'] },
  { phrase: 'status', field: 'status' },
  { phrase: 'company', field: 'company' },
  { phrase: 'department', field: 'department' },
  { phrase: 'country', field: 'country' },
  { phrase: 'warehouse', field: 'set_warehouse' },
  { phrase: 'project', field: 'project' },
  { phrase: 'currency', field: 'currency' },
];
