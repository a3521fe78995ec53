import { seedBuying } from './seed-buying.js';
import { columnDefault, columnNames, getMeta, tableFields, allMetas } from './meta.js';
import { REPORT_LIST } from './report-data.js';
import type { Doc, Store } from './store.js';

/** Full column set of a new document: recorded defaults, then the given values. */
export function buildDoc(doctype: string, values: Doc): Doc {
  const meta = getMeta(doctype);
  const doc: Doc = { name: values.name, owner: 'Administrator', creation: null, modified: null };
  doc.modified_by = values.owner ?? 'Administrator';
  doc.docstatus = 0;
  doc.idx = 0;
  if (meta) {
    for (const col of columnNames(meta)) doc[col] = columnDefault(meta, col);
    for (const t of tableFields(meta)) doc[t.fieldname] = [];
  }
  Object.assign(doc, values);
  doc.doctype = doctype;
  return doc;
}

const ALL_ROLES = [
  'Supplier',
  'Customer',
  'Analytics',
  'Agriculture Manager',
  'Agriculture User',
  'Support Team',
  'Fulfillment User',
  'Quality Manager',
  'Academics User',
  'Item Manager',
  'Fleet Manager',
  'Delivery Manager',
  'Delivery User',
  'Manufacturing User',
  'HR User',
  'Projects Manager',
  'Projects User',
  'Manufacturing Manager',
  'HR Manager',
  'Stock User',
  'Stock Manager',
  'Employee',
  'Auditor',
  'Sales Manager',
  'Maintenance User',
  'Sales Master Manager',
  'Purchase Manager',
  'Purchase Master Manager',
  'Maintenance Manager',
  'Purchase User',
  'Sales User',
  'Accounts User',
  'Accounts Manager',
  'Newsletter Manager',
  'Knowledge Base Contributor',
  'Knowledge Base Editor',
  'Blogger',
  'Inbox User',
  'Prepared Report User',
  'Translator',
  'Script Manager',
  'Report Manager',
  'Workspace Manager',
  'Dashboard Manager',
  'Website Manager',
  'System Manager',
  'All',
  'Administrator',
  'Guest',
  'Desk User',
];

export interface SeedUser {
  name: string;
  password: string;
  first_name: string;
  last_name: string | null;
  email: string;
  /** OIDC `sub` (User Social Login userid); Administrator has none. */
  sub: string | null;
  roles: string[];
}

export const SEED_USERS: SeedUser[] = [
  {
    name: 'Administrator',
    password: 'admin',
    first_name: 'Administrator',
    last_name: null,
    email: 'admin@example.com',
    sub: null,
    roles: ALL_ROLES,
  },
  {
    name: 'sales@example.com',
    password: 'Sales#Pass2024',
    first_name: 'Sales',
    last_name: 'User',
    email: 'sales@example.com',
    sub: '57676c66e10225892849ce460e3afa60d6859a1',
    roles: ['Sales User', 'All', 'Guest', 'Desk User'],
  },
  {
    name: 'limited@example.com',
    password: 'Limited#Pass2024',
    first_name: 'Limited',
    last_name: 'User',
    email: 'limited@example.com',
    sub: '9b1f0c2e7d4a4e8f8a3c5d6e7f8091a2b3c4d5e',
    roles: ['Blogger', 'All', 'Guest', 'Desk User'],
  },
];

/** Customers in the order they were inserted on the recorded site (un-ordered lists return this order). */
const CUSTOMERS: Array<[name: string, group: string, territory: string]> = [
  ['Globex Corporation', 'Commercial', 'United States'],
  ['Initech', 'Commercial', 'United States'],
  ['Umbrella Industries', 'Individual', 'Rest Of The World'],
  ['Stark Logistics', 'Government', 'United States'],
  ['Wayne Enterprises', 'Non Profit', 'United States'],
  ['Cyberdyne Systems', 'Commercial', 'Rest Of The World'],
  ['Soylent Foods', 'Commercial', 'United States'],
  ['Hooli', 'Individual', 'United States'],
  ['Vandelay Imports', 'Government', 'Rest Of The World'],
  ['Pied Piper', 'Non Profit', 'United States'],
  ['Wonka Confectionery', 'Commercial', 'United States'],
  ['Tyrell Biotech', 'Commercial', 'Rest Of The World'],
  ['Oscorp Labs', 'Individual', 'United States'],
  ['Aperture Science', 'Government', 'United States'],
  ['Black Mesa Research', 'Non Profit', 'Rest Of The World'],
  ['Duff Brewing', 'Commercial', 'United States'],
  ['Gringotts Holdings', 'Commercial', 'United States'],
  ['Monarch Solutions', 'Individual', 'Rest Of The World'],
  ['Nakatomi Trading', 'Government', 'United States'],
  ['Oceanic Airlines', 'Non Profit', 'United States'],
  ['Prestige Worldwide', 'Commercial', 'Rest Of The World'],
  ['Sterling Cooper', 'Commercial', 'United States'],
  ['Buy n Large', 'Individual', 'United States'],
  ['Dunder Mifflin', 'Government', 'Rest Of The World'],
  ['Los Pollos Hermanos', 'Non Profit', 'United States'],
  ['Kramerica', 'Commercial', 'United States'],
  ['Bluth Company', 'Commercial', 'Rest Of The World'],
  ['Gekko and Co', 'Individual', 'United States'],
  ['Jane Doe', 'Individual', 'United States'],
  ['John Smith', 'Individual', 'Rest Of The World'],
];

export const ITEMS: Array<[code: string, name: string, group: string, stock: 0 | 1, rate: number]> = [
  ['WIDGET-001', 'Widget', 'Products', 1, 25.0],
  ['GADGET-002', 'Gadget', 'Products', 1, 99.0],
  ['CABLE-003', 'USB Cable', 'Consumable', 1, 5.5],
  ['BOLT-004', 'Steel Bolt', 'Raw Material', 1, 0.35],
  ['SERVICE-HOUR', 'Consulting Hour', 'Services', 0, 120.0],
];

/** Selling DocTypes that exist on the site but are not modelled here (names only, for DocType lists). */
const OTHER_DOCTYPES: Array<[name: string, module: string, submittable: 0 | 1, single: 0 | 1]> = [
  ['Industry Type', 'Selling', 0, 0],
  ['Installation Note', 'Selling', 1, 0],
  ['Party Specific Item', 'Selling', 0, 0],
  ['Product Bundle', 'Selling', 0, 0],
  ['Quotation', 'Selling', 1, 0],
  ['Sales Partner Type', 'Selling', 0, 0],
  ['Selling Settings', 'Selling', 0, 1],
  ['SMS Center', 'Selling', 0, 1],
  // Listed (not modelled) so DocType lists hold the names people ask for: "cost centers", "BOMs".
  ['Cost Center', 'Accounts', 0, 0],
  ['Journal Entry', 'Accounts', 1, 0],
  ['Material Request', 'Stock', 1, 0],
  ['BOM', 'Manufacturing', 1, 0],
  // ERPNext 15 DocTypes named by their desk shorthand ("DN", "PR") or plural ("price lists").
  ['Delivery Note', 'Stock', 1, 0],
  ['Purchase Receipt', 'Stock', 1, 0],
  ['Price List', 'Stock', 0, 0],
];

function stamp(base: string, offsetMs: number): string {
  const [date, time] = base.split(' ') as [string, string];
  const [hms, frac = '0'] = time.split('.');
  const ms = Date.parse(`${date}T${hms}Z`) + Number(frac.padEnd(6, '0')) / 1000 + offsetMs;
  const d = new Date(Math.floor(ms));
  const micros = String(Math.round((ms % 1000) * 1000)).padStart(6, '0');
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}.${micros}`;
}

function put(store: Store, doctype: string, values: Doc): Doc {
  const doc = buildDoc(doctype, values);
  doc.modified ??= doc.creation;
  doc.modified_by = values.modified_by ?? doc.owner;
  store.put(doctype, doc);
  return doc;
}

export function seedStore(store: Store): void {
  const t0 = '2026-11-22 16:20:00.000000';
  put(store, 'Company', {
    name: 'Test Company',
    company_name: 'Test Company',
    abbr: 'TC',
    default_currency: 'USD',
    country: 'United States',
    creation: t0,
  });
  put(store, 'Customer Group', {
    name: 'All Customer Groups',
    customer_group_name: 'All Customer Groups',
    parent_customer_group: '',
    is_group: 1,
    creation: t0,
  });
  for (const g of ['Commercial', 'Government', 'Individual', 'Non Profit']) {
    put(store, 'Customer Group', {
      name: g,
      customer_group_name: g,
      parent_customer_group: 'All Customer Groups',
      is_group: 0,
      creation: t0,
    });
  }
  put(store, 'Territory', {
    name: 'All Territories',
    territory_name: 'All Territories',
    parent_territory: '',
    is_group: 1,
    creation: t0,
  });
  for (const t of ['Rest Of The World', 'United States']) {
    put(store, 'Territory', {
      name: t,
      territory_name: t,
      parent_territory: 'All Territories',
      is_group: 0,
      creation: t0,
    });
  }
  ITEMS.forEach(([code, name, group, stock, rate], i) => {
    put(store, 'Item', {
      name: code,
      item_code: code,
      item_name: name,
      item_group: group,
      stock_uom: 'Nos',
      is_stock_item: stock,
      standard_rate: rate,
      description: name,
      creation: stamp('2026-11-22 16:25:00.100000', i * 40),
    });
  });
  seedCustomers(store);
  seedUsers(store);
  seedSalesDocs(store);
  seedToDos(store);
  seedReports(store);
  seedBuying(store);
  seedDocTypes(store);
}

function seedCustomers(store: Store): void {
  const base = '2026-11-22 16:29:43.849361';
  CUSTOMERS.forEach(([name, group, territory], i) => {
    const creation = stamp(base, i * 33);
    // Initech was edited after creation on the recorded site (its `modified` is later than its `creation`).
    const modified = name === 'Initech' ? '2026-11-22 16:29:44.533045' : creation;
    const type = name === 'Jane Doe' || name === 'John Smith' ? 'Individual' : 'Company';
    put(store, 'Customer', {
      name,
      customer_name: name,
      customer_type: type,
      customer_group: group,
      territory,
      creation,
      modified,
    });
  });
  // Acme Corp pre-existed and was re-saved last, after the 30 others.
  put(store, 'Customer', {
    name: 'Acme Corp',
    customer_name: 'Acme Corp',
    customer_type: 'Company',
    customer_group: 'Commercial',
    territory: 'United States',
    creation: '2026-11-22 16:21:03.831610',
    modified: '2026-11-22 16:29:44.855178',
  });
  put(store, 'Customer', {
    name: 'Recorder Test Customer - 1',
    customer_name: 'Recorder Test Customer',
    customer_type: 'Company',
    customer_group: 'Commercial',
    territory: 'United States',
    owner: 'sales@example.com',
    creation: '2026-11-22 16:37:55.999203',
  });
}

function seedUsers(store: Store): void {
  SEED_USERS.forEach((u, i) => {
    const full = [u.first_name, u.last_name].filter(Boolean).join(' ');
    const roles = u.roles.filter((r) => !['All', 'Guest', 'Desk User'].includes(r) || u.name !== 'Administrator');
    put(store, 'User', {
      name: u.name,
      email: u.email,
      first_name: u.first_name,
      last_name: u.last_name,
      full_name: full,
      enabled: 1,
      user_image: null,
      user_type: 'System User',
      api_key: null,
      creation: stamp('2026-11-22 16:10:00.000000', i * 1000),
      modified: u.name === 'sales@example.com' ? '2026-11-22 16:31:31.594018' : undefined,
      roles: roles.map((role, idx) => ({
        name: `r${i}${String(idx).padStart(8, '0')}`,
        owner: 'Administrator',
        docstatus: 0,
        idx: idx + 1,
        role,
        parent: u.name,
        parentfield: 'roles',
        parenttype: 'User',
        doctype: 'Has Role',
      })),
    });
  });
}

interface SoSeed {
  name: string;
  customer: string;
  owner: string;
  creation: string;
  modified: string;
  docstatus: 0 | 1 | 2;
  items: Array<[rowName: string, item: string, qty: number, rate: number]>;
  amended_from?: string;
}

const SALES_ORDERS: SoSeed[] = [
  {
    name: 'SAL-ORD-2026-00001',
    customer: 'Initech',
    owner: 'sales@example.com',
    creation: '2026-11-22 16:38:32.445786',
    modified: '2026-11-22 16:38:34.829181',
    docstatus: 2,
    items: [['i3k435ubfs', 'WIDGET-001', 5, 25]],
  },
  {
    name: 'SAL-ORD-2026-00002',
    customer: 'Initech',
    owner: 'sales@example.com',
    creation: '2026-11-22 16:38:33.102311',
    modified: '2026-11-22 16:38:33.102311',
    docstatus: 0,
    items: [['i3u8f0b2kq', 'WIDGET-001', 5, 25]],
  },
  {
    name: 'SAL-ORD-2026-00001-1',
    customer: 'Initech',
    owner: 'sales@example.com',
    creation: '2026-11-22 16:38:35.764863',
    modified: '2026-11-22 16:38:36.002714',
    docstatus: 1,
    items: [['i4memv1oov', 'WIDGET-001', 5, 25]],
    amended_from: 'SAL-ORD-2026-00001',
  },
  {
    name: 'SAL-ORD-2026-00003',
    customer: 'Hooli',
    owner: 'sales@example.com',
    creation: '2026-11-22 16:38:36.391938',
    modified: '2026-11-22 16:38:37.968469',
    docstatus: 2,
    items: [['i4ss0h9kqf', 'GADGET-002', 2, 99]],
  },
  {
    name: 'SAL-ORD-2026-00004',
    customer: 'Pied Piper',
    owner: 'sales@example.com',
    creation: '2026-11-22 16:38:37.323698',
    modified: '2026-11-22 16:38:37.625498',
    docstatus: 1,
    items: [
      ['i5595j5v2b', 'CABLE-003', 20, 5.5],
      ['i55s2hr7v4', 'SERVICE-HOUR', 3, 120],
    ],
  },
  {
    name: 'SAL-ORD-2026-00005',
    customer: 'Stark Logistics',
    owner: 'Administrator',
    creation: '2026-11-22 16:39:10.114201',
    modified: '2026-11-22 16:39:10.114201',
    docstatus: 0,
    items: [['i6a1c3e5g7', 'WIDGET-001', 10, 25]],
  },
  {
    name: 'SAL-ORD-2026-00006',
    customer: 'Wayne Enterprises',
    owner: 'Administrator',
    creation: '2026-11-22 16:39:10.431877',
    modified: '2026-11-22 16:39:10.431877',
    docstatus: 0,
    items: [['i6b2d4f6h8', 'GADGET-002', 1, 99]],
  },
  {
    name: 'SAL-ORD-2026-00007',
    customer: 'Oscorp Labs',
    owner: 'Administrator',
    creation: '2026-11-22 16:39:10.760342',
    modified: '2026-11-22 16:39:10.760342',
    docstatus: 0,
    items: [['i6c3e5g7j9', 'WIDGET-001', 7, 25]],
  },
];

const SO_STATUS = { 0: 'Draft', 1: 'To Deliver and Bill', 2: 'Cancelled' } as const;

/** Sales Order values ERPNext computes from the customer and the rows (totals, names, status). */
export function soComputed(store: Store, doc: Doc): void {
  const customer = store.get('Customer', String(doc.customer));
  if (customer) {
    doc.customer_name = customer.customer_name;
    doc.customer_group = customer.customer_group;
    doc.territory = customer.territory;
  }
  const rows = (doc.items as Doc[] | undefined) ?? [];
  let qty = 0;
  let total = 0;
  for (const row of rows) {
    const item = store.get('Item', String(row.item_code));
    const q = Number(row.qty ?? 0);
    const rate = Number(row.rate ?? item?.standard_rate ?? 0);
    Object.assign(row, {
      item_name: row.item_name ?? item?.item_name ?? null,
      description: row.description ?? item?.item_name ?? null,
      item_group: item?.item_group ?? null,
      is_stock_item: item?.is_stock_item ?? 0,
      stock_uom: 'Nos',
      uom: row.uom ?? 'Nos',
      conversion_factor: 1.0,
      qty: q,
      stock_qty: q,
      rate,
      amount: q * rate,
      price_list_rate: rate,
      base_price_list_rate: rate,
      base_rate: rate,
      base_amount: q * rate,
      net_rate: rate,
      net_amount: q * rate,
      base_net_rate: rate,
      base_net_amount: q * rate,
      stock_uom_rate: rate,
      delivery_date: row.delivery_date ?? doc.delivery_date ?? null,
      transaction_date: doc.transaction_date ?? null,
      warehouse: row.warehouse ?? 'Stores - TC',
      cost_center: 'Main - TC',
    });
    qty += q;
    total += q * rate;
  }
  const words = `USD ${total} only.`;
  Object.assign(doc, {
    total_qty: qty,
    total,
    net_total: total,
    base_total: total,
    base_net_total: total,
    grand_total: total,
    base_grand_total: total,
    rounded_total: total,
    base_rounded_total: total,
    amount_eligible_for_commission: total,
    in_words: words,
    base_in_words: words,
  });
}

/** A row of a document's `items` table; like Frappe, it carries its parent's docstatus. */
export function itemRow(
  parenttype: 'Sales Order' | 'Sales Invoice',
  parent: string,
  idx: number,
  values: Doc,
  owner: string,
  creation: string,
  docstatus: number,
): Doc {
  const row = buildDoc(`${parenttype} Item`, values);
  Object.assign(row, {
    owner,
    creation,
    modified: creation,
    modified_by: owner,
    docstatus,
    idx,
    parent,
    parentfield: 'items',
    parenttype,
  });
  return row;
}

function seedSalesDocs(store: Store): void {
  for (const s of SALES_ORDERS) {
    const doc = buildDoc('Sales Order', {
      name: s.name,
      owner: s.owner,
      creation: s.creation,
      modified: s.modified,
      modified_by: s.owner,
      docstatus: s.docstatus,
      customer: s.customer,
      company: 'Test Company',
      transaction_date: '2026-11-22',
      delivery_date: '2026-11-29',
      status: SO_STATUS[s.docstatus],
      title: '{customer_name}',
      amended_from: s.amended_from ?? null,
    });
    doc.items = s.items.map(([rowName, item, qty, rate], i) =>
      itemRow(
        'Sales Order',
        s.name,
        i + 1,
        { name: rowName, item_code: item, qty, rate },
        s.owner,
        s.creation,
        s.docstatus,
      ),
    );
    soComputed(store, doc);
    for (const row of doc.items as Doc[]) row.modified = s.modified;
    store.put('Sales Order', doc);
  }
  const invoices: Array<[string, string, number, string, [rowName: string, item: string, qty: number, rate: number]]> =
    [
      [
        'ACC-SINV-2026-00001',
        'Globex Corporation',
        250,
        '2026-11-22 16:29:48.380961',
        ['s1a2b3c4d5', 'WIDGET-001', 10, 25],
      ],
      ['ACC-SINV-2026-00002', 'Initech', 960, '2026-11-22 16:29:49.102456', ['s2b3c4d5e6', 'GADGET-002', 8, 120]],
    ];
  for (const [name, customer, total, creation, [rowName, item, qty, rate]] of invoices) {
    const values = { name: rowName, item_code: item, qty, rate, amount: qty * rate };
    put(store, 'Sales Invoice', {
      name,
      customer,
      customer_name: customer,
      company: 'Test Company',
      posting_date: '2026-11-22',
      due_date: '2026-12-22',
      grand_total: total,
      outstanding_amount: total,
      status: 'Unpaid',
      currency: 'USD',
      docstatus: 1,
      creation,
      items: [itemRow('Sales Invoice', name, 1, values, 'Administrator', creation, 1)],
    });
  }
}

function seedToDos(store: Store): void {
  const todos: Array<[string, string, string]> = [
    ['eahrbovf5v', 'Administrator', 'Call Globex about the renewal'],
    ['ehjcdm6o1f', 'Administrator', 'Prepare the Q4 price list'],
    ['ei2k7m9p1r', 'limited@example.com', 'Write the launch blog post'],
    ['ei3n8q0s2t', 'limited@example.com', 'Review comments on the blog'],
    ['ej4p9r1t3v', 'sales@example.com', 'Follow up with Initech'],
    ['el6iis7tod', 'Administrator', 'csrf: created before /app'],
    ['el6tjt4gtn', 'Administrator', 'csrf: to be deleted before /app'],
    ['elf27j0b44', 'Administrator', 'csrf: with header'],
  ];
  todos.forEach(([name, owner, description], i) => {
    put(store, 'ToDo', {
      name,
      owner,
      description,
      date: '2026-11-22',
      creation: stamp('2026-11-22 16:30:00.000000', i * 1000),
    });
  });
}

/** Roles that may run a report, by report (recorded) or by module (ERPNext defaults). */
function reportRoles(name: string, module: unknown): string[] {
  if (name === 'General Ledger') return ['Accounts User', 'Accounts Manager', 'Auditor'];
  if (name === 'Sales Order Analysis') return ['Sales User', 'Sales Manager', 'Maintenance User', 'Stock User'];
  const byModule: Record<string, string[]> = {
    Selling: ['Sales User', 'Sales Manager'],
    Accounts: ['Accounts User', 'Accounts Manager'],
    Stock: ['Stock User', 'Stock Manager'],
  };
  return byModule[String(module)] ?? ['System Manager'];
}

function seedReports(store: Store): void {
  for (const r of REPORT_LIST) {
    const name = String(r.name);
    put(store, 'Report', {
      ...r,
      report_name: name,
      prepared_report: name === 'Stock Balance' ? 1 : 0,
      add_total_row: 0,
      creation: '2013-12-06 13:22:23',
      modified: '2026-11-23 02:48:14.193022',
      roles: reportRoles(name, r.module).map((role, i) => ({
        name: `${name.slice(0, 3).toLowerCase()}r${i}role00`.slice(0, 10),
        owner: 'Administrator',
        creation: '2013-12-06 13:22:23',
        modified: '2026-11-23 02:48:14.193022',
        modified_by: 'Administrator',
        docstatus: 0,
        idx: i + 1,
        role,
        parent: name,
        parentfield: 'roles',
        parenttype: 'Report',
        doctype: 'Has Role',
      })),
    });
  }
  const filters = '{"company":"Test Company","from_date":"2026-01-01","to_date":"2026-11-22"}';
  put(store, 'Prepared Report', {
    name: 'jm9uoca463',
    report_name: 'Stock Balance',
    status: 'Completed',
    queued_by: 'Administrator',
    queued_at: '2026-11-22 16:41:14.535465',
    report_end_time: '2026-11-22 16:41:16.253444',
    job_id: 'test.localhost::55820e04-e076-4c07-a0a0-b3fc48f4935c',
    peak_memory_usage: 87392,
    filters,
    creation: '2026-11-22 16:41:14.535465',
    modified: '2026-11-22 16:41:16.253781',
  });
  put(store, 'Prepared Report', {
    name: 'jqcp1m24mo',
    report_name: 'Stock Balance',
    status: 'Completed',
    queued_by: 'Administrator',
    queued_at: '2026-11-22 16:41:27.665732',
    report_end_time: '2026-11-22 16:41:29.319245',
    job_id: 'test.localhost::bddba592-1183-420c-bbff-2c2513c1d730',
    peak_memory_usage: 87392,
    filters,
    creation: '2026-11-22 16:41:27.665732',
    modified: '2026-11-22 16:41:29.319245',
  });
}

function seedDocTypes(store: Store): void {
  const rows: Array<[string, string, number, number, number]> = allMetas().map((m) => [
    m.name,
    m.module,
    m.istable,
    m.issingle ?? 0,
    m.is_submittable,
  ]);
  const custom = new Set(
    allMetas()
      .filter((m) => m.custom)
      .map((m) => m.name),
  );
  for (const [name, module, submittable, single] of OTHER_DOCTYPES) rows.push([name, module, 0, single, submittable]);
  for (const [name, module, istable, issingle, isSub] of rows) {
    put(store, 'DocType', {
      name,
      module,
      istable,
      issingle,
      is_submittable: isSub,
      custom: custom.has(name) ? 1 : 0,
      creation: '2013-06-11 14:26:44',
    });
  }
}
