/**
 * Asks the LLM-free planner must understand, with the tool call each must become.
 * `today` is Monday 2026-11-30; the user is sales@example.com.
 */
export interface CorpusEntry {
  ask: string;
  tool: 'list_documents' | 'count_documents' | 'aggregate_documents';
  /** aggregate_documents only. */
  fn?: string;
  group_by?: string;
  doctype: string;
  filters?: unknown[];
  order_by?: string;
  limit?: number;
}

const ORDER_STATUS_OPEN = ['status', 'in', ['To Deliver and Bill', 'To Bill', 'To Deliver']];
const INVOICE_OPEN = ['status', 'in', ['Unpaid', 'Overdue', 'Partly Paid']];

export const CORPUS: CorpusEntry[] = [
  { ask: 'show me top 5 customers', tool: 'list_documents', doctype: 'Customer', limit: 5 },
  { ask: 'list customers', tool: 'list_documents', doctype: 'Customer', limit: 20 },
  { ask: 'customers', tool: 'list_documents', doctype: 'Customer' },
  { ask: 'Show me 10 clients', tool: 'list_documents', doctype: 'Customer', limit: 10 },
  { ask: 'how many customers', tool: 'count_documents', doctype: 'Customer' },
  { ask: 'How many customers do we have?', tool: 'count_documents', doctype: 'Customer' },
  { ask: 'number of suppliers', tool: 'count_documents', doctype: 'Supplier' },
  { ask: 'count of items', tool: 'count_documents', doctype: 'Item' },
  {
    ask: 'customers in territory United States',
    tool: 'list_documents',
    doctype: 'Customer',
    filters: [['territory', '=', 'United States']],
  },
  {
    ask: 'customers in territory India',
    tool: 'list_documents',
    doctype: 'Customer',
    filters: [['territory', '=', 'India']],
  },
  {
    ask: 'how many customers in customer group Commercial',
    tool: 'count_documents',
    doctype: 'Customer',
    filters: [['customer_group', '=', 'Commercial']],
  },
  {
    ask: 'customers in group Government',
    tool: 'list_documents',
    doctype: 'Customer',
    filters: [['customer_group', '=', 'Government']],
  },
  { ask: 'active customers', tool: 'list_documents', doctype: 'Customer', filters: [['disabled', '=', 0]] },
  { ask: 'disabled suppliers', tool: 'list_documents', doctype: 'Supplier', filters: [['disabled', '=', 1]] },
  { ask: 'latest 3 customers', tool: 'list_documents', doctype: 'Customer', order_by: 'creation desc', limit: 3 },
  { ask: 'oldest customers', tool: 'list_documents', doctype: 'Customer', order_by: 'creation asc' },
  {
    ask: 'new customers this month',
    tool: 'list_documents',
    doctype: 'Customer',
    filters: [['creation', 'between', ['2026-11-01', '2026-11-30']]],
  },
  {
    ask: 'how many overdue invoices',
    tool: 'count_documents',
    doctype: 'Sales Invoice',
    filters: [['status', '=', 'Overdue']],
  },
  { ask: 'overdue invoices', tool: 'list_documents', doctype: 'Sales Invoice', filters: [['status', '=', 'Overdue']] },
  { ask: 'unpaid invoices', tool: 'list_documents', doctype: 'Sales Invoice', filters: [INVOICE_OPEN] },
  { ask: 'paid invoices', tool: 'list_documents', doctype: 'Sales Invoice', filters: [['status', '=', 'Paid']] },
  { ask: 'open sales invoices', tool: 'list_documents', doctype: 'Sales Invoice', filters: [INVOICE_OPEN] },
  { ask: 'draft invoices', tool: 'list_documents', doctype: 'Sales Invoice', filters: [['docstatus', '=', 0]] },
  { ask: 'submitted invoices', tool: 'list_documents', doctype: 'Sales Invoice', filters: [['docstatus', '=', 1]] },
  { ask: 'cancelled invoices', tool: 'list_documents', doctype: 'Sales Invoice', filters: [['docstatus', '=', 2]] },
  { ask: 'top 5 invoices', tool: 'list_documents', doctype: 'Sales Invoice', order_by: 'grand_total desc', limit: 5 },
  {
    ask: 'biggest sales invoices this year',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    order_by: 'grand_total desc',
    filters: [['posting_date', 'between', ['2026-01-01', '2026-12-31']]],
  },
  { ask: 'smallest invoices', tool: 'list_documents', doctype: 'Sales Invoice', order_by: 'grand_total asc' },
  { ask: 'latest invoices', tool: 'list_documents', doctype: 'Sales Invoice', order_by: 'posting_date desc' },
  {
    ask: 'invoices today',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [['posting_date', '=', '2026-11-30']],
  },
  {
    ask: 'invoices from yesterday',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [['posting_date', '=', '2026-11-29']],
  },
  {
    ask: 'invoices this week',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [['posting_date', 'between', ['2026-11-30', '2026-12-06']]],
  },
  {
    ask: 'invoices last week',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [['posting_date', 'between', ['2026-11-23', '2026-11-29']]],
  },
  {
    ask: 'invoices last month',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [['posting_date', 'between', ['2026-10-01', '2026-10-31']]],
  },
  {
    ask: 'unpaid invoices from last quarter',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [INVOICE_OPEN, ['posting_date', 'between', ['2026-07-01', '2026-09-30']]],
  },
  {
    ask: 'invoices this quarter',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [['posting_date', 'between', ['2026-10-01', '2026-12-31']]],
  },
  {
    ask: 'invoices last year',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [['posting_date', 'between', ['2025-01-01', '2025-12-31']]],
  },
  {
    ask: 'invoices in the last 7 days',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [['posting_date', 'between', ['2026-11-24', '2026-11-30']]],
  },
  {
    ask: 'how many invoices in the last 30 days',
    tool: 'count_documents',
    doctype: 'Sales Invoice',
    filters: [['posting_date', 'between', ['2026-11-01', '2026-11-30']]],
  },
  {
    ask: 'invoices for customer Globex Corporation',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [['customer', 'like', '%Globex Corporation%']],
  },
  {
    ask: 'invoices for Initech',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [['customer', 'like', '%Initech%']],
  },
  {
    ask: 'overdue invoices for customer Initech',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [
      ['customer', 'like', '%Initech%'],
      ['status', '=', 'Overdue'],
    ],
  },
  {
    ask: 'sales orders for customer Initech this month',
    tool: 'list_documents',
    doctype: 'Sales Order',
    filters: [
      ['customer', 'like', '%Initech%'],
      ['transaction_date', 'between', ['2026-11-01', '2026-11-30']],
    ],
  },
  { ask: 'open sales orders', tool: 'list_documents', doctype: 'Sales Order', filters: [ORDER_STATUS_OPEN] },
  { ask: 'how many open orders', tool: 'count_documents', doctype: 'Sales Order', filters: [ORDER_STATUS_OPEN] },
  { ask: 'draft sales orders', tool: 'list_documents', doctype: 'Sales Order', filters: [['docstatus', '=', 0]] },
  { ask: 'cancelled orders', tool: 'list_documents', doctype: 'Sales Order', filters: [['docstatus', '=', 2]] },
  {
    ask: 'overdue sales orders',
    tool: 'list_documents',
    doctype: 'Sales Order',
    filters: [
      ['delivery_date', '<', '2026-11-30'],
      ['status', 'in', ['To Deliver and Bill', 'To Deliver']],
    ],
  },
  {
    ask: 'my sales orders',
    tool: 'list_documents',
    doctype: 'Sales Order',
    filters: [['owner', '=', 'sales@example.com']],
  },
  {
    ask: 'my draft orders',
    tool: 'list_documents',
    doctype: 'Sales Order',
    filters: [
      ['docstatus', '=', 0],
      ['owner', '=', 'sales@example.com'],
    ],
  },
  {
    ask: 'latest 10 sales orders',
    tool: 'list_documents',
    doctype: 'Sales Order',
    order_by: 'transaction_date desc',
    limit: 10,
  },
  { ask: 'largest orders', tool: 'list_documents', doctype: 'Sales Order', order_by: 'grand_total desc' },
  {
    ask: 'sales orders from customer Pied Piper',
    tool: 'list_documents',
    doctype: 'Sales Order',
    filters: [['customer', 'like', '%Pied Piper%']],
  },
  {
    ask: 'purchase orders from supplier Acme Supplies',
    tool: 'list_documents',
    doctype: 'Purchase Order',
    filters: [['supplier', 'like', '%Acme Supplies%']],
  },
  {
    ask: 'how many purchase invoices are overdue',
    tool: 'count_documents',
    doctype: 'Purchase Invoice',
    filters: [['status', '=', 'Overdue']],
  },
  { ask: 'unpaid bills', tool: 'list_documents', doctype: 'Purchase Invoice', filters: [INVOICE_OPEN] },
  { ask: 'open quotations', tool: 'list_documents', doctype: 'Quotation', filters: [['status', '=', 'Open']] },
  {
    ask: 'quotes for customer Hooli',
    tool: 'list_documents',
    doctype: 'Quotation',
    filters: [['party_name', 'like', '%Hooli%']],
  },
  {
    ask: 'deliveries this week',
    tool: 'list_documents',
    doctype: 'Delivery Note',
    filters: [['posting_date', 'between', ['2026-11-30', '2026-12-06']]],
  },
  {
    ask: 'payments last month',
    tool: 'list_documents',
    doctype: 'Payment Entry',
    filters: [['posting_date', 'between', ['2026-10-01', '2026-10-31']]],
  },
  { ask: 'open leads', tool: 'list_documents', doctype: 'Lead', filters: [['status', '=', 'Open']] },
  {
    ask: 'how many opportunities are open',
    tool: 'count_documents',
    doctype: 'Opportunity',
    filters: [['status', '=', 'Open']],
  },
  { ask: 'active employees', tool: 'list_documents', doctype: 'Employee', filters: [['status', '=', 'Active']] },
  {
    ask: 'employees in department Sales',
    tool: 'list_documents',
    doctype: 'Employee',
    filters: [['department', '=', 'Sales']],
  },
  { ask: 'open projects', tool: 'list_documents', doctype: 'Project', filters: [['status', '=', 'Open']] },
  { ask: 'overdue tasks', tool: 'list_documents', doctype: 'Task', filters: [['status', '=', 'Overdue']] },
  {
    ask: 'my open todos',
    tool: 'list_documents',
    doctype: 'ToDo',
    filters: [
      ['status', '=', 'Open'],
      ['allocated_to', '=', 'sales@example.com'],
    ],
  },
  { ask: 'open tickets', tool: 'list_documents', doctype: 'Issue', filters: [['status', '=', 'Open']] },
  {
    ask: 'items in item group Products',
    tool: 'list_documents',
    doctype: 'Item',
    filters: [['item_group', '=', 'Products']],
  },
  { ask: 'most expensive products', tool: 'list_documents', doctype: 'Item', order_by: 'standard_rate desc' },
  {
    ask: 'stock entries this month',
    tool: 'list_documents',
    doctype: 'Stock Entry',
    filters: [['posting_date', 'between', ['2026-11-01', '2026-11-30']]],
  },
  { ask: 'list warehouses', tool: 'list_documents', doctype: 'Warehouse' },
  {
    ask: 'invoices in 2025',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [['posting_date', 'between', ['2025-01-01', '2025-12-31']]],
  },
  {
    ask: 'orders with status Completed',
    tool: 'list_documents',
    doctype: 'Sales Order',
    filters: [['status', '=', 'Completed']],
  },
  {
    ask: 'invoices in company Test Company',
    tool: 'list_documents',
    doctype: 'Sales Invoice',
    filters: [['company', '=', 'Test Company']],
  },
  {
    ask: 'top 5 customers by sales',
    tool: 'aggregate_documents',
    doctype: 'Sales Invoice',
    fn: 'sum',
    group_by: 'customer',
    filters: [['docstatus', '=', 1]],
    limit: 5,
  },
  {
    ask: 'top suppliers by purchases',
    tool: 'aggregate_documents',
    doctype: 'Purchase Invoice',
    fn: 'sum',
    group_by: 'supplier',
    filters: [['docstatus', '=', 1]],
  },
  {
    ask: 'how many customers by group',
    tool: 'aggregate_documents',
    doctype: 'Customer',
    fn: 'count',
    group_by: 'customer_group',
  },
  {
    ask: 'customers per territory',
    tool: 'aggregate_documents',
    doctype: 'Customer',
    fn: 'count',
    group_by: 'territory',
  },
  {
    ask: 'sales orders by status',
    tool: 'aggregate_documents',
    doctype: 'Sales Order',
    fn: 'count',
    group_by: 'status',
  },
  {
    ask: 'total sales orders by customer this year',
    tool: 'aggregate_documents',
    doctype: 'Sales Order',
    fn: 'sum',
    group_by: 'customer',
    filters: [
      ['transaction_date', 'between', ['2026-01-01', '2026-12-31']],
      ['docstatus', '=', 1],
    ],
  },
  {
    ask: 'average order value by customer',
    tool: 'aggregate_documents',
    doctype: 'Sales Order',
    fn: 'avg',
    group_by: 'customer',
    filters: [['docstatus', '=', 1]],
  },
  {
    ask: 'sales by territory',
    tool: 'aggregate_documents',
    doctype: 'Sales Invoice',
    fn: 'sum',
    group_by: 'territory',
    filters: [['docstatus', '=', 1]],
  },
  {
    ask: 'revenue by customer last month',
    tool: 'aggregate_documents',
    doctype: 'Sales Invoice',
    fn: 'sum',
    group_by: 'customer',
    filters: [
      ['posting_date', 'between', ['2026-10-01', '2026-10-31']],
      ['docstatus', '=', 1],
    ],
  },
  {
    ask: 'draft invoices by customer',
    tool: 'aggregate_documents',
    doctype: 'Sales Invoice',
    fn: 'count',
    group_by: 'customer',
    filters: [['docstatus', '=', 0]],
  },
];

/** Asks it must NOT pretend to understand. */
export const NOT_UNDERSTOOD = ['what is the meaning of life', 'hello', 'make me a sandwich', ''.padEnd(3, '?')];
