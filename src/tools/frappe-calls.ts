/**
 * The Frappe requests each tool makes, on a warm identity with default arguments: every extra request
 * is Frappe CPU taken from the caller's site, so the count is part of a tool's contract. The README
 * tool table shows `what`; test/tools/frappe-calls.test.ts counts `calls` at the stand-in.
 */
export interface FrappeCalls {
  calls: number;
  what: string;
}

export const FRAPPE_CALLS: Readonly<Record<string, FrappeCalls>> = {
  whoami: { calls: 0, what: '0 once known; the first time `get_roles` (+ the full name unless known)' },
  list_documents: {
    calls: 1,
    what: '1: `GET /api/resource/{doctype}` (one row more than the page); +1 `reportview.get_count` with `include_total`',
  },
  get_document: { calls: 1, what: '1: `GET /api/resource/{doctype}/{name}`' },
  count_documents: { calls: 1, what: '1: `frappe.desk.reportview.get_count`' },
  create_document: { calls: 1, what: '1: `POST /api/resource/{doctype}`' },
  update_document: { calls: 2, what: '2: read the document, then `PUT` with its `modified`' },
  delete_document: { calls: 1, what: '1: `DELETE /api/resource/{doctype}/{name}`' },
  submit_document: { calls: 2, what: '2: read the document, then `frappe.client.submit`' },
  cancel_document: { calls: 2, what: '2: read the document, then `frappe.client.cancel`' },
  amend_document: { calls: 2, what: '2: read the cancelled document, then insert the amendment' },
  aggregate_documents: {
    calls: 1,
    what: '1: `GET /api/resource/{doctype}` with aggregate fields and `group_by` (`frappe.client.get_list` with `parent` for a child table) (+ `get_versions` once per site)',
  },
  search_link: { calls: 1, what: '1: `frappe.desk.search.search_link`' },
  global_search: { calls: 1, what: '1: `frappe.utils.global_search.search`' },
  list_doctypes: { calls: 1, what: '1: `GET /api/resource/DocType`; +1 count with `include_total`' },
  describe_doctype: {
    calls: 1,
    what: '1: `frappe.desk.form.load.getdoctype` (+ `get_roles` once per identity when roles are unknown)',
  },
  list_reports: { calls: 1, what: '1: `GET /api/resource/Report`; +1 count with `include_total`' },
  describe_report: { calls: 1, what: '1: `frappe.desk.query_report.get_script`' },
  run_report: { calls: 2, what: '2: `query_report.get_script` (required filters), then `query_report.run`' },
  get_workflow_actions: { calls: 2, what: '2: read the document, then `workflow.get_transitions`' },
  apply_workflow_action: { calls: 2, what: '2: read the document, then `workflow.apply_workflow`' },
  call_method: { calls: 1, what: '1: the whitelisted method itself' },
};
