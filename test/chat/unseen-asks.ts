/**
 * Everyday asks the chat planner had never seen, for issue #14's "nine in ten" on unseen asks.
 *
 * Written BLIND on 2026-12-05 (UTC), before reading anything under src/chat/ or test/chat/: only the
 * stand-in's seeded data and metadata (src/standin/seed*.ts, meta*.ts, demo.ts) and the tool list in
 * src/tools were read to know which records, fields and tools exist. The phrasing imitates ERPNext forum
 * posts, support threads and the desk search bar. The expected result is what a careful ERPNext user
 * would accept as the right read, written before knowing what the planner emits.
 *
 * This set stays separate from corpus.ts: it measures, it is not trained on.
 *
 * Blind rate before fixes: 61/85 (72%), measured by test/chat/unseen.test.ts on 2026-12-05 (the runner
 * reads `in` with one value as `=`, the same filter). Misses by class: abbreviation 9 (SI, PI, DN, JE,
 * MR, cust, supp, govt, qty), value 3, count 3, ranking 3 (items within dates, "my biggest customer"),
 * time 1 (Q1), sorting 1 ("by amount"), partial 1, doctype 2 ("price lists", "DN"), misspelling 1.
 *
 * Blind rate after fixing classes (not phrases): 82/85 (96%). The asks and their expected results are
 * unchanged since the blind commit. The three misses left, each marked `miss:` below, are one reading:
 * "unpaid invoices" was expected blind as Status = Unpaid, while the planner reads it as every invoice
 * still to be paid (Unpaid, Overdue, Partly Paid). An Overdue invoice is unpaid too, so the planner's
 * reading is kept and the blind expectation left as written.
 */

/** A filter the answer must hold: [field, operator, value]; `any` lists acceptable alternatives. */
export type Want = [field: string, op: string, value: unknown] | { any: Array<[string, string, unknown]> };

export type Expect =
  | {
      call: 'list' | 'count';
      doctype: string;
      filters?: Want[];
      /** A date filter on `field` covering the named period (relative to the planner's clock). */
      dates?: { field: string; range: DateRange };
      /** Sort field(s) accepted and the direction (either when omitted). */
      order?: { field: string | string[]; dir?: 'asc' | 'desc' };
      limit?: number;
    }
  | {
      call: 'aggregate';
      doctype: string | string[];
      parent?: string | string[];
      fn: 'sum' | 'count';
      field: string | string[];
      group_by: string;
      filters?: Want[];
      dates?: { field: string | string[]; range: DateRange };
      limit?: number;
    }
  /** Refuses: the planner only reads. No data. */
  | { refuse: true }
  /** Several candidates: the planner asks which one, no data (or names the candidates). */
  | { clarify: string[] }
  /** Nothing on the site matches a word: the answer says which word it could not place. */
  | { unplaced: string };

export type DateRange =
  'today' | 'yesterday' | 'this week' | 'last week' | 'this month' | 'last month' | 'this year' | 'q1';

export interface UnseenAsk {
  ask: string;
  cls: string;
  expect: Expect;
  /** A miss kept on purpose, and why. */
  miss?: string;
}

const UNPAID_READING = 'planner reads “unpaid” as Unpaid, Overdue or Partly Paid: every invoice still to be paid';

export const UNSEEN_ASKS: UnseenAsk[] = [
  // --- Abbreviations people type in the desk ---
  { ask: 'show all SOs', cls: 'abbreviation', expect: { call: 'list', doctype: 'Sales Order' } },
  {
    ask: 'how many PO are pending approval',
    cls: 'abbreviation',
    expect: { call: 'count', doctype: 'Purchase Order', filters: [['workflow_state', '=', 'Pending Approval']] },
  },
  {
    ask: 'list unpaid SI',
    cls: 'abbreviation',
    expect: { call: 'list', doctype: 'Sales Invoice', filters: [['status', '=', 'Unpaid']] },
    miss: UNPAID_READING,
  },
  {
    ask: 'PI from acme supplies',
    cls: 'abbreviation',
    expect: { call: 'list', doctype: 'Purchase Invoice', filters: [['supplier', '=', 'Acme Supplies']] },
  },
  {
    ask: 'govt customers',
    cls: 'abbreviation',
    expect: { call: 'list', doctype: 'Customer', filters: [['customer_group', '=', 'Government']] },
  },
  {
    ask: 'draft SO pls',
    cls: 'abbreviation',
    expect: {
      call: 'list',
      doctype: 'Sales Order',
      filters: [
        {
          any: [
            ['status', '=', 'Draft'],
            ['docstatus', '=', 0],
          ],
        },
      ],
    },
  },
  {
    ask: 'cust in rest of the world',
    cls: 'abbreviation',
    expect: { call: 'list', doctype: 'Customer', filters: [['territory', '=', 'Rest Of The World']] },
  },
  {
    ask: 'supp in germany',
    cls: 'abbreviation',
    expect: { call: 'list', doctype: 'Supplier', filters: [['country', '=', 'Germany']] },
  },
  {
    ask: 'SO with highest amt',
    cls: 'abbreviation',
    expect: { call: 'list', doctype: 'Sales Order', order: { field: 'grand_total', dir: 'desc' }, limit: 1 },
  },
  {
    ask: 'total qty sold per item',
    cls: 'abbreviation',
    expect: {
      call: 'aggregate',
      doctype: ['Sales Invoice Item', 'Sales Order Item'],
      parent: ['Sales Invoice', 'Sales Order'],
      fn: 'sum',
      field: 'qty',
      group_by: 'item_code',
    },
  },
  {
    ask: 'JE to approve',
    cls: 'abbreviation',
    expect: { call: 'list', doctype: 'Journal Entry', filters: [['docstatus', '=', 0]] },
  },
  { ask: 'how many MRs', cls: 'abbreviation', expect: { call: 'count', doctype: 'Material Request' } },
  {
    ask: 'PO this month',
    cls: 'abbreviation',
    expect: { call: 'list', doctype: 'Purchase Order', dates: { field: 'transaction_date', range: 'this month' } },
  },
  {
    ask: 'SI last month',
    cls: 'abbreviation',
    expect: { call: 'list', doctype: 'Sales Invoice', dates: { field: 'posting_date', range: 'last month' } },
  },

  // --- Values named without their field ---
  {
    ask: 'commercial customers',
    cls: 'value',
    expect: { call: 'list', doctype: 'Customer', filters: [['customer_group', '=', 'Commercial']] },
  },
  { ask: 'retail customers', cls: 'value', expect: { unplaced: 'retail' } },
  {
    ask: 'suppliers in india',
    cls: 'value',
    expect: { call: 'list', doctype: 'Supplier', filters: [['country', '=', 'India']] },
  },
  {
    ask: 'non profit customers',
    cls: 'value',
    expect: { call: 'list', doctype: 'Customer', filters: [['customer_group', '=', 'Non Profit']] },
  },
  {
    ask: 'items in raw material',
    cls: 'value',
    expect: { call: 'list', doctype: 'Item', filters: [['item_group', '=', 'Raw Material']] },
  },
  {
    ask: 'hardware suppliers',
    cls: 'value',
    expect: { call: 'list', doctype: 'Supplier', filters: [['supplier_group', '=', 'Hardware']] },
  },
  {
    ask: 'customers in united states',
    cls: 'value',
    expect: { call: 'list', doctype: 'Customer', filters: [['territory', '=', 'United States']] },
  },
  {
    ask: 'individual customers',
    cls: 'value',
    expect: { clarify: ['customer_type', 'customer_group'] },
  },
  {
    ask: 'consumable items',
    cls: 'value',
    expect: { call: 'list', doctype: 'Item', filters: [['item_group', '=', 'Consumable']] },
  },
  {
    ask: 'unpaid invoices',
    cls: 'value',
    expect: { call: 'list', doctype: 'Sales Invoice', filters: [['status', '=', 'Unpaid']] },
    miss: UNPAID_READING,
  },
  {
    ask: 'overdue purchase invoices',
    cls: 'value',
    expect: { call: 'list', doctype: 'Purchase Invoice', filters: [['status', '=', 'Overdue']] },
  },
  {
    ask: 'paid purchase invoices',
    cls: 'value',
    expect: { call: 'list', doctype: 'Purchase Invoice', filters: [['status', '=', 'Paid']] },
  },
  {
    ask: 'sales orders to deliver and bill',
    cls: 'value',
    expect: { call: 'list', doctype: 'Sales Order', filters: [['status', '=', 'To Deliver and Bill']] },
  },
  {
    ask: 'cancelled sales orders',
    cls: 'value',
    expect: {
      call: 'list',
      doctype: 'Sales Order',
      filters: [
        {
          any: [
            ['status', '=', 'Cancelled'],
            ['docstatus', '=', 2],
          ],
        },
      ],
    },
  },
  {
    ask: 'disabled suppliers',
    cls: 'value',
    expect: { call: 'list', doctype: 'Supplier', filters: [['disabled', '=', 1]] },
  },
  {
    ask: 'suppliers in uk',
    cls: 'value',
    expect: { call: 'list', doctype: 'Supplier', filters: [['country', '=', 'United Kingdom']] },
  },

  // --- Vague time words ---
  {
    ask: 'sales orders this month',
    cls: 'time',
    expect: { call: 'list', doctype: 'Sales Order', dates: { field: 'transaction_date', range: 'this month' } },
  },
  {
    ask: 'purchase invoices last month',
    cls: 'time',
    expect: { call: 'list', doctype: 'Purchase Invoice', dates: { field: 'posting_date', range: 'last month' } },
  },
  {
    ask: 'invoices from yesterday',
    cls: 'time',
    expect: { call: 'list', doctype: 'Sales Invoice', dates: { field: 'posting_date', range: 'yesterday' } },
  },
  {
    ask: 'po this year',
    cls: 'time',
    expect: { call: 'list', doctype: 'Purchase Order', dates: { field: 'transaction_date', range: 'this year' } },
  },
  {
    ask: 'sales invoices in Q1',
    cls: 'time',
    expect: { call: 'list', doctype: 'Sales Invoice', dates: { field: 'posting_date', range: 'q1' } },
  },
  {
    ask: 'how many purchase orders last week',
    cls: 'time',
    expect: { call: 'count', doctype: 'Purchase Order', dates: { field: 'transaction_date', range: 'last week' } },
  },

  // --- Superlatives and rankings ---
  {
    ask: 'who is my biggest customer',
    cls: 'ranking',
    expect: {
      call: 'aggregate',
      doctype: ['Sales Invoice', 'Sales Order'],
      fn: 'sum',
      field: 'grand_total',
      group_by: 'customer',
      limit: 1,
    },
  },
  {
    ask: 'top 3 suppliers',
    cls: 'ranking',
    expect: {
      call: 'aggregate',
      doctype: ['Purchase Invoice', 'Purchase Order'],
      fn: 'sum',
      field: 'grand_total',
      group_by: 'supplier',
      limit: 3,
    },
  },
  {
    ask: 'top selling items this month',
    cls: 'ranking',
    expect: {
      call: 'aggregate',
      doctype: ['Sales Invoice Item', 'Sales Order Item'],
      parent: ['Sales Invoice', 'Sales Order'],
      fn: 'sum',
      field: 'qty',
      group_by: 'item_code',
      dates: { field: ['posting_date', 'transaction_date'], range: 'this month' },
    },
  },
  {
    ask: 'best selling item last month',
    cls: 'ranking',
    expect: {
      call: 'aggregate',
      doctype: ['Sales Invoice Item', 'Sales Order Item'],
      parent: ['Sales Invoice', 'Sales Order'],
      fn: 'sum',
      field: 'qty',
      group_by: 'item_code',
      dates: { field: ['posting_date', 'transaction_date'], range: 'last month' },
      limit: 1,
    },
  },
  {
    ask: 'latest sales invoice',
    cls: 'ranking',
    expect: {
      call: 'list',
      doctype: 'Sales Invoice',
      order: { field: ['creation', 'posting_date', 'modified'], dir: 'desc' },
      limit: 1,
    },
  },
  {
    ask: 'oldest purchase order',
    cls: 'ranking',
    expect: {
      call: 'list',
      doctype: 'Purchase Order',
      order: { field: ['creation', 'transaction_date', 'modified'], dir: 'asc' },
      limit: 1,
    },
  },
  {
    ask: 'most expensive item',
    cls: 'ranking',
    expect: { call: 'list', doctype: 'Item', order: { field: 'standard_rate', dir: 'desc' }, limit: 1 },
  },
  {
    ask: 'cheapest item',
    cls: 'ranking',
    expect: { call: 'list', doctype: 'Item', order: { field: 'standard_rate', dir: 'asc' }, limit: 1 },
  },
  {
    ask: 'largest purchase invoice',
    cls: 'ranking',
    expect: { call: 'list', doctype: 'Purchase Invoice', order: { field: 'grand_total', dir: 'desc' }, limit: 1 },
  },

  // --- Sorting ---
  {
    ask: 'suppliers sorted by name',
    cls: 'sorting',
    expect: { call: 'list', doctype: 'Supplier', order: { field: ['supplier_name', 'name'], dir: 'asc' } },
  },
  {
    ask: 'sales orders by grand total',
    cls: 'sorting',
    expect: { call: 'list', doctype: 'Sales Order', order: { field: 'grand_total', dir: 'desc' } },
  },
  {
    ask: 'items sorted by standard rate',
    cls: 'sorting',
    expect: { call: 'list', doctype: 'Item', order: { field: 'standard_rate' } },
  },
  {
    ask: 'list 5 purchase orders by amount',
    cls: 'sorting',
    expect: { call: 'list', doctype: 'Purchase Order', order: { field: 'grand_total', dir: 'desc' }, limit: 5 },
  },

  // --- Counts ---
  { ask: 'how many customers do we have', cls: 'count', expect: { call: 'count', doctype: 'Customer' } },
  {
    ask: 'no of suppliers in india',
    cls: 'count',
    expect: { call: 'count', doctype: 'Supplier', filters: [['country', '=', 'India']] },
  },
  {
    ask: 'count of unpaid invoices',
    cls: 'count',
    expect: { call: 'count', doctype: 'Sales Invoice', filters: [['status', '=', 'Unpaid']] },
    miss: UNPAID_READING,
  },
  {
    ask: 'how many items in products',
    cls: 'count',
    expect: { call: 'count', doctype: 'Item', filters: [['item_group', '=', 'Products']] },
  },
  {
    ask: 'how many govt customers',
    cls: 'count',
    expect: { call: 'count', doctype: 'Customer', filters: [['customer_group', '=', 'Government']] },
  },

  // --- Partial names and named records ---
  {
    ask: "customers with name like 'labs'",
    cls: 'partial',
    expect: {
      call: 'list',
      doctype: 'Customer',
      filters: [
        {
          any: [
            ['customer_name', 'like', '%labs%'],
            ['name', 'like', '%labs%'],
          ],
        },
      ],
    },
  },
  {
    ask: 'suppliers starting with b',
    cls: 'partial',
    expect: {
      call: 'list',
      doctype: 'Supplier',
      filters: [
        {
          any: [
            ['supplier_name', 'like', 'b%'],
            ['name', 'like', 'b%'],
          ],
        },
      ],
    },
  },
  {
    ask: 'items containing bolt',
    cls: 'partial',
    expect: {
      call: 'list',
      doctype: 'Item',
      filters: [
        {
          any: [
            ['item_name', 'like', '%bolt%'],
            ['name', 'like', '%bolt%'],
          ],
        },
      ],
    },
  },
  {
    ask: 'orders for initech',
    cls: 'partial',
    expect: { call: 'list', doctype: 'Sales Order', filters: [['customer', '=', 'Initech']] },
  },
  {
    ask: 'can u show me invoices for globex',
    cls: 'partial',
    expect: { call: 'list', doctype: 'Sales Invoice', filters: [['customer', '=', 'Globex Corporation']] },
  },
  {
    ask: 'what did hooli order',
    cls: 'partial',
    expect: { call: 'list', doctype: 'Sales Order', filters: [['customer', '=', 'Hooli']] },
  },
  {
    ask: 'sales visits for initech',
    cls: 'partial',
    expect: { call: 'list', doctype: 'Sales Visit', filters: [['customer', '=', 'Initech']] },
  },

  // --- States ---
  {
    ask: 'pending purchase orders',
    cls: 'state',
    expect: { call: 'list', doctype: 'Purchase Order', filters: [['workflow_state', '=', 'Pending Approval']] },
  },
  {
    ask: 'purchase orders awaiting approval',
    cls: 'state',
    expect: { call: 'list', doctype: 'Purchase Order', filters: [['workflow_state', '=', 'Pending Approval']] },
  },
  {
    ask: 'draft quotations',
    cls: 'state',
    expect: {
      call: 'list',
      doctype: 'Quotation',
      filters: [
        {
          any: [
            ['docstatus', '=', 0],
            ['status', '=', 'Draft'],
          ],
        },
      ],
    },
  },
  {
    ask: 'open todos',
    cls: 'state',
    expect: { call: 'list', doctype: 'ToDo', filters: [['status', '=', 'Open']] },
  },

  // --- DocTypes known only from the site's list ---
  { ask: 'warehouses', cls: 'doctype', expect: { call: 'list', doctype: 'Warehouse' } },
  { ask: 'list price lists', cls: 'doctype', expect: { call: 'list', doctype: 'Price List' } },
  { ask: 'show employees', cls: 'doctype', expect: { call: 'list', doctype: 'Employee' } },
  { ask: 'all projects', cls: 'doctype', expect: { call: 'list', doctype: 'Project' } },
  { ask: 'tasks', cls: 'doctype', expect: { call: 'list', doctype: 'Task' } },
  { ask: 'bom list', cls: 'doctype', expect: { call: 'list', doctype: 'BOM' } },
  { ask: 'cost centres', cls: 'doctype', expect: { call: 'list', doctype: 'Cost Center' } },
  { ask: 'companies', cls: 'doctype', expect: { call: 'list', doctype: 'Company' } },
  { ask: 'list all DN', cls: 'doctype', expect: { call: 'list', doctype: 'Delivery Note' } },

  // --- Misspellings ---
  {
    ask: 'custmers in commercial',
    cls: 'misspelling',
    expect: { call: 'list', doctype: 'Customer', filters: [['customer_group', '=', 'Commercial']] },
  },
  { ask: 'suplier list', cls: 'misspelling', expect: { call: 'list', doctype: 'Supplier' } },
  { ask: 'purchse invoices', cls: 'misspelling', expect: { call: 'list', doctype: 'Purchase Invoice' } },
  { ask: 'sales ordres', cls: 'misspelling', expect: { call: 'list', doctype: 'Sales Order' } },
  {
    ask: 'goverment customers',
    cls: 'misspelling',
    expect: { call: 'list', doctype: 'Customer', filters: [['customer_group', '=', 'Government']] },
  },

  // --- Writes, refused in planner mode ---
  { ask: 'delete lead jane doe', cls: 'write', expect: { refuse: true } },
  { ask: 'mark invoice ACC-SINV-2026-00001 paid', cls: 'write', expect: { refuse: true } },
  { ask: 'cancel SO SAL-ORD-2026-00002', cls: 'write', expect: { refuse: true } },
  { ask: 'pls create a new customer called Foo Ltd', cls: 'write', expect: { refuse: true } },
  { ask: 'approve all pending POs', cls: 'write', expect: { refuse: true } },
  { ask: 'update price of widget to 30', cls: 'write', expect: { refuse: true } },
];
