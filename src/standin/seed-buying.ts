import { buildDoc } from './seed.js';
import type { Store } from './store.js';

/**
 * Records for the buying side and the groups people name in asks ("suppliers in India", "items in
 * group Raw Material", "purchase orders to approve"). Additive: no Customer, Sales Order or Sales
 * Invoice changes, so every count other tests rely on stays as recorded.
 */
const T0 = '2026-11-22 16:20:00.000000';

function put(store: Store, doctype: string, values: Record<string, unknown>): void {
  const doc = buildDoc(doctype, { creation: T0, ...values });
  doc.modified ??= doc.creation;
  doc.modified_by ??= doc.owner;
  store.put(doctype, doc);
}

function tree(store: Store, doctype: string, key: string, root: string, names: string[]): void {
  put(store, doctype, { name: root, [`${key}_name`]: root, [`parent_${key}`]: '', is_group: 1 });
  for (const n of names) put(store, doctype, { name: n, [`${key}_name`]: n, [`parent_${key}`]: root, is_group: 0 });
}

export const SUPPLIERS: Array<[name: string, group: string, country: string, type: string, disabled: 0 | 1]> = [
  ['Acme Supplies', 'Raw Material', 'United States', 'Company', 0],
  ['Tech Source India', 'Hardware', 'India', 'Company', 0],
  ['Bharat Electricals', 'Electrical', 'India', 'Company', 0],
  ['Berlin Tech GmbH', 'Hardware', 'Germany', 'Company', 0],
  ['Northwind Traders', 'Local', 'United States', 'Partnership', 0],
  ['Sunrise Services', 'Services', 'India', 'Individual', 0],
  ['London Steel Co', 'Raw Material', 'United Kingdom', 'Company', 0],
  ['Old Vendor Inc', 'Local', 'United States', 'Company', 1],
];

const PURCHASE_ORDERS: Array<
  [name: string, supplier: string, date: string, total: number, docstatus: 0 | 1, state: string]
> = [
  ['PUR-ORD-2026-00001', 'Acme Supplies', '2026-10-05', 1200, 1, 'Approved'],
  ['PUR-ORD-2026-00002', 'Tech Source India', '2026-11-02', 5400, 1, 'Approved'],
  ['PUR-ORD-2026-00003', 'Berlin Tech GmbH', '2026-11-10', 880, 0, 'Pending Approval'],
  ['PUR-ORD-2026-00004', 'Bharat Electricals', '2026-11-18', 2300, 0, 'Pending Approval'],
  ['PUR-ORD-2026-00005', 'London Steel Co', '2026-11-20', 640, 0, 'Draft'],
  ['PUR-ORD-2026-00006', 'Northwind Traders', '2026-11-25', 150, 0, 'Rejected'],
];

const PURCHASE_INVOICES: Array<[name: string, supplier: string, date: string, total: number, status: string]> = [
  ['ACC-PINV-2026-00001', 'Acme Supplies', '2026-10-12', 1200, 'Paid'],
  ['ACC-PINV-2026-00002', 'Tech Source India', '2026-11-08', 5400, 'Unpaid'],
  ['ACC-PINV-2026-00003', 'Acme Supplies', '2026-11-15', 300, 'Overdue'],
  ['ACC-PINV-2026-00004', 'Sunrise Services', '2026-11-21', 750, 'Unpaid'],
];

export function seedBuying(store: Store): void {
  tree(store, 'Supplier Group', 'supplier_group', 'All Supplier Groups', [
    'Raw Material',
    'Hardware',
    'Electrical',
    'Services',
    'Local',
  ]);
  tree(store, 'Item Group', 'item_group', 'All Item Groups', [
    'Products',
    'Consumable',
    'Raw Material',
    'Services',
    'Sub Assemblies',
  ]);
  for (const [country, code] of [
    ['India', 'in'],
    ['United States', 'us'],
    ['United Kingdom', 'gb'],
    ['Germany', 'de'],
    ['China', 'cn'],
  ]) {
    put(store, 'Country', { name: country, country_name: country, code });
  }
  // A territory people name that holds no customers yet (the recorded customer counts stay).
  put(store, 'Territory', { name: 'India', territory_name: 'India', parent_territory: 'All Territories', is_group: 0 });
  SUPPLIERS.forEach(([name, group, country, type, disabled], i) => {
    put(store, 'Supplier', {
      name,
      supplier_name: name,
      supplier_group: group,
      country,
      supplier_type: type,
      disabled,
      creation: `2026-11-2${Math.min(i, 8)} 09:00:00.000000`,
    });
  });
  for (const [name, supplier, date, total, docstatus, state] of PURCHASE_ORDERS) {
    put(store, 'Purchase Order', {
      name,
      supplier,
      supplier_name: supplier,
      company: 'Test Company',
      transaction_date: date,
      schedule_date: date,
      grand_total: total,
      docstatus,
      status: docstatus ? 'To Receive and Bill' : 'Draft',
      workflow_state: state,
      creation: `${date} 10:00:00.000000`,
    });
  }
  for (const [name, supplier, date, total, status] of PURCHASE_INVOICES) {
    put(store, 'Purchase Invoice', {
      name,
      supplier,
      supplier_name: supplier,
      company: 'Test Company',
      posting_date: date,
      grand_total: total,
      outstanding_amount: status === 'Paid' ? 0 : total,
      status,
      docstatus: 1,
      creation: `${date} 11:00:00.000000`,
    });
  }
  const visits: Array<[string, string, string, string]> = [
    ['sv0001', 'Initech', '2026-11-03', 'Interested'],
    ['sv0002', 'Hooli', '2026-11-12', 'Follow Up'],
    ['sv0003', 'Globex Corporation', '2026-11-26', 'Not Interested'],
  ];
  for (const [name, customer, date, outcome] of visits) {
    put(store, 'Sales Visit', {
      name,
      customer,
      visit_date: date,
      outcome,
      owner: 'sales@example.com',
      creation: `${date} 12:00:00.000000`,
    });
  }
}
