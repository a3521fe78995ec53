import type { DocTypeDef, FieldDef } from './meta.js';

/**
 * Buying, geography, item groups and one custom DocType, so the chat planner's value look-ups
 * (Supplier Group, Country, Item Group…), supplier rankings and Workflow states have real records to
 * find. Field names, labels and Select options follow ERPNext 15.
 */
const f = (fieldname: string, fieldtype: string, label: string, more: Partial<FieldDef> = {}): FieldDef => ({
  fieldname,
  fieldtype,
  label,
  ...more,
});

const tree = (name: string, key: string, parentLabel: string): DocTypeDef => ({
  name,
  module: 'Setup',
  istable: 0,
  is_submittable: 0,
  autoname: `field:${key}_name`,
  search_fields: [`parent_${key}`],
  fields: [
    f(`${key}_name`, 'Data', `${parentLabel} Name`, { reqd: 1 }),
    f(`parent_${key}`, 'Link', `Parent ${parentLabel}`, { options: name, in_list_view: 1 }),
    f('is_group', 'Check', 'Is Group', { in_list_view: 1 }),
  ],
});

const PURCHASE_STATUS =
  '\nDraft\nOn Hold\nTo Receive and Bill\nTo Bill\nTo Receive\nCompleted\nCancelled\nClosed\nDelivered';

export const BUYING_DEFS: DocTypeDef[] = [
  tree('Supplier Group', 'supplier_group', 'Supplier Group'),
  tree('Item Group', 'item_group', 'Item Group'),
  {
    name: 'Country',
    module: 'Geo',
    istable: 0,
    is_submittable: 0,
    autoname: 'field:country_name',
    search_fields: [],
    fields: [f('country_name', 'Data', 'Country Name', { reqd: 1 }), f('code', 'Data', 'Code', { in_list_view: 1 })],
  },
  {
    name: 'Supplier',
    module: 'Buying',
    istable: 0,
    is_submittable: 0,
    autoname: 'naming_series:',
    title_field: 'supplier_name',
    search_fields: ['supplier_group'],
    fields: [
      f('naming_series', 'Select', 'Series', { options: 'SUP-.YYYY.-' }),
      f('supplier_name', 'Data', 'Supplier Name', { reqd: 1, in_global_search: 1 }),
      f('supplier_type', 'Select', 'Supplier Type', { options: 'Company\nIndividual\nPartnership', reqd: 1 }),
      f('supplier_group', 'Link', 'Supplier Group', { options: 'Supplier Group', in_list_view: 1 }),
      f('country', 'Link', 'Country', { options: 'Country', in_list_view: 1 }),
      f('default_currency', 'Link', 'Billing Currency', { options: 'Currency' }),
      f('disabled', 'Check', 'Disabled'),
    ],
  },
  {
    name: 'Purchase Order',
    module: 'Buying',
    istable: 0,
    is_submittable: 1,
    autoname: 'naming_series:',
    title_field: 'supplier_name',
    search_fields: ['status', 'transaction_date', 'supplier', 'grand_total'],
    fields: [
      f('naming_series', 'Select', 'Series', { options: 'PUR-ORD-.YYYY.-', reqd: 1 }),
      f('supplier', 'Link', 'Supplier', { options: 'Supplier', reqd: 1 }),
      f('supplier_name', 'Data', 'Supplier Name'),
      f('transaction_date', 'Date', 'Date', { reqd: 1 }),
      f('schedule_date', 'Date', 'Required By', { in_list_view: 1 }),
      f('company', 'Link', 'Company', { options: 'Company', reqd: 1 }),
      f('grand_total', 'Currency', 'Grand Total', { in_list_view: 1 }),
      f('status', 'Select', 'Status', { options: PURCHASE_STATUS, reqd: 1, in_list_view: 1, allow_on_submit: 1 }),
      f('workflow_state', 'Link', 'Workflow State', { options: 'Workflow State', allow_on_submit: 1 }),
    ],
  },
  {
    name: 'Purchase Invoice',
    module: 'Accounts',
    istable: 0,
    is_submittable: 1,
    autoname: 'naming_series:',
    title_field: 'supplier_name',
    search_fields: ['posting_date', 'supplier', 'grand_total'],
    fields: [
      f('naming_series', 'Select', 'Series', { options: 'ACC-PINV-.YYYY.-' }),
      f('supplier', 'Link', 'Supplier', { options: 'Supplier', reqd: 1 }),
      f('supplier_name', 'Data', 'Supplier Name'),
      f('company', 'Link', 'Company', { options: 'Company', reqd: 1 }),
      f('posting_date', 'Date', 'Date', { reqd: 1 }),
      f('grand_total', 'Currency', 'Grand Total', { in_list_view: 1 }),
      f('outstanding_amount', 'Currency', 'Outstanding Amount', { allow_on_submit: 1 }),
      f('status', 'Select', 'Status', {
        options: '\nDraft\nReturn\nDebit Note Issued\nSubmitted\nPaid\nPartly Paid\nUnpaid\nOverdue\nCancelled',
        in_list_view: 1,
        allow_on_submit: 1,
      }),
    ],
  },
  {
    name: 'Sales Visit',
    // A custom module, as desk-made DocTypes usually have (the recorded Selling list stays as it was).
    module: 'Field Sales',
    custom: 1,
    istable: 0,
    is_submittable: 0,
    autoname: 'hash',
    title_field: 'customer',
    search_fields: ['customer'],
    fields: [
      f('customer', 'Link', 'Customer', { options: 'Customer', reqd: 1, in_list_view: 1 }),
      f('visit_date', 'Date', 'Visit Date', { reqd: 1, in_list_view: 1 }),
      f('outcome', 'Select', 'Outcome', { options: 'Interested\nNot Interested\nFollow Up', in_list_view: 1 }),
    ],
  },
];

/** Active Workflows, by DocType, as `__workflow_docs` of getdoctype carries them. */
export const WORKFLOWS: Record<string, Record<string, unknown>> = {
  'Purchase Order': {
    name: 'Purchase Order Approval',
    doctype: 'Workflow',
    document_type: 'Purchase Order',
    is_active: 1,
    workflow_state_field: 'workflow_state',
    states: [
      { state: 'Draft', doc_status: '0', allow_edit: 'Purchase User' },
      { state: 'Pending Approval', doc_status: '0', allow_edit: 'Purchase Manager' },
      { state: 'Approved', doc_status: '1', allow_edit: 'Purchase Manager' },
      { state: 'Rejected', doc_status: '0', allow_edit: 'Purchase Manager' },
    ],
    transitions: [
      { state: 'Draft', action: 'Review', next_state: 'Pending Approval', allowed: 'Purchase User' },
      { state: 'Pending Approval', action: 'Approve', next_state: 'Approved', allowed: 'Purchase Manager' },
      { state: 'Pending Approval', action: 'Reject', next_state: 'Rejected', allowed: 'Purchase Manager' },
    ],
  },
};
