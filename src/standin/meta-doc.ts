import type { DocContext } from './documents.js';
import { requireMeta } from './documents.js';
import { getMeta, tableFields, type DocTypeDef } from './meta.js';
import { WORKFLOWS } from './meta-buying.js';
import type { Doc } from './store.js';

const DOCTYPE_KEYS = [
  '_table_fields',
  'actions',
  'allow_auto_repeat',
  'allow_copy',
  'allow_events_in_timeline',
  'allow_guest_to_view',
  'allow_import',
  'allow_rename',
  'autoname',
  'beta',
  'creation',
  'custom',
  'description',
  'docstatus',
  'doctype',
  'document_type',
  'editable_grid',
  'email_append_to',
  'engine',
  'fields',
  'force_re_route_to_default_view',
  'grid_page_length',
  'has_web_view',
  'hide_toolbar',
  'icon',
  'idx',
  'image_field',
  'in_create',
  'index_web_pages_for_search',
  'is_calendar_and_gantt',
  'is_large_table',
  'is_submittable',
  'is_tree',
  'is_virtual',
  'issingle',
  'istable',
  'links',
  'make_attachments_public',
  'max_attachments',
  'migration_hash',
  'modified',
  'modified_by',
  'module',
  'name',
  'naming_rule',
  'owner',
  'permissions',
  'protect_attached_files',
  'queue_in_background',
  'quick_entry',
  'read_only',
  'row_format',
  'search_fields',
  'show_name_in_global_search',
  'show_preview_popup',
  'show_title_field_in_link',
  'sort_field',
  'sort_order',
  'states',
  'timeline_field',
  'title_field',
  'track_changes',
  'track_seen',
  'track_views',
  'translated_doctype',
];
/** search_fields exactly as stored on the recorded site (with their stray spaces). */
const RECORDED_SEARCH_FIELDS: Record<string, string> = {
  Customer: 'customer_group,territory, mobile_no,primary_address',
  'Sales Order': 'status,transaction_date,customer,customer_name, territory,order_type,company',
};

/** Keys frappe.desk.form.load.getdoctype adds for the form view (assets, scripts). */
const FORM_KEYS = [
  '__assets_loaded',
  '__calendar_js',
  '__css',
  '__custom_js',
  '__custom_list_js',
  '__dashboard',
  '__form_grid_templates',
  '__js',
  '__kanban_column_fields',
  '__linked_with',
  '__list_js',
  '__listview_template',
  '__map_js',
  '__messages',
  '__print_formats',
  '__templates',
  '__tree_js',
  '__workflow_docs',
];

function fieldDoc(meta: DocTypeDef, index: number): Doc {
  const f = meta.fields[index]!;
  return {
    doctype: 'DocField',
    name: `df${meta.name.length}${String(index).padStart(6, '0')}`,
    creation: '2013-06-11 14:26:44',
    modified: '2026-11-23 02:48:25.626351',
    modified_by: 'Administrator',
    owner: 'Administrator',
    docstatus: 0,
    parent: meta.name,
    parentfield: 'fields',
    parenttype: 'DocType',
    idx: index + 1,
    fieldname: f.fieldname,
    label: f.label,
    fieldtype: f.fieldtype,
    options: f.options ?? null,
    reqd: f.reqd ?? 0,
    in_list_view: f.in_list_view ?? 0,
    permlevel: f.permlevel ?? 0,
    allow_on_submit: f.allow_on_submit ?? 0,
    in_global_search: f.in_global_search ?? 0,
    hidden: 0,
    read_only: 0,
    unique: 0,
    no_copy: 0,
    print_hide: 0,
    report_hide: 0,
    bold: 0,
    in_standard_filter: 0,
    search_index: 0,
    length: 0,
  };
}

/** The DocType document as Frappe's meta serialises it (`frappe.get_meta(dt).as_dict()`). */
export function metaDoc(meta: DocTypeDef, forForm: boolean): Doc {
  const doc: Doc = {};
  for (const k of DOCTYPE_KEYS) doc[k] = 0;
  Object.assign(doc, {
    name: meta.name,
    doctype: 'DocType',
    module: meta.module,
    istable: meta.istable,
    issingle: meta.issingle ?? 0,
    is_submittable: meta.is_submittable,
    autoname: meta.autoname,
    title_field: meta.title_field ?? null,
    search_fields: RECORDED_SEARCH_FIELDS[meta.name] ?? meta.search_fields.join(','),
    sort_field: 'modified',
    sort_order: 'DESC',
    engine: 'InnoDB',
    owner: 'Administrator',
    modified_by: 'Administrator',
    creation: '2013-06-11 14:26:44',
    modified: '2025-03-03 16:49:00.676927',
    description: null,
    icon: null,
    image_field: null,
    naming_rule: meta.autoname.startsWith('field:') ? 'By fieldname' : 'By "Naming Series" field',
    document_type: meta.istable ? '' : 'Setup',
    migration_hash: null,
    row_format: 'Dynamic',
    grid_page_length: 50,
    fields: meta.fields.map((_, i) => fieldDoc(meta, i)),
    permissions: [],
    actions: [],
    links: [],
    states: [],
    _table_fields: tableFields(meta).map((f) => ({ fieldname: f.fieldname, options: f.options })),
  });
  if (forForm) for (const k of FORM_KEYS) doc[k] = k === '__messages' ? {} : k === '__assets_loaded' ? [] : null;
  return doc;
}

/** getdoctype body: the main DocType plus every child-table DocType; any logged-in user may read it (recorded). */
export function getDoctype(ctx: DocContext, doctype: string): Record<string, unknown> {
  const meta = requireMeta(ctx, doctype);
  const children = tableFields(meta)
    .map((t) => getMeta(String(t.options)))
    .filter((m): m is DocTypeDef => m !== undefined);
  const main = metaDoc(meta, true);
  // FormMeta.load_workflows: the active Workflow (then its Workflow State docs, left out here).
  const workflow = WORKFLOWS[meta.name];
  if (workflow) main.__workflow_docs = [workflow];
  return { docs: [main, ...children.map((c) => metaDoc(c, true))], user_settings: '{}' };
}
