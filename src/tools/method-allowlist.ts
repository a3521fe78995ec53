/**
 * Whitelisted Frappe methods call_method may run when config names none: read-only lookups that
 * check the caller's permissions themselves. frappe.client.get_count is deliberately absent: it
 * ignores permissions (recorded on Frappe 15.75).
 */
export const DEFAULT_METHOD_ALLOWLIST: readonly string[] = [
  'frappe.client.get_value',
  'frappe.client.get_list',
  'frappe.desk.reportview.get_count',
  'frappe.desk.search.search_link',
  'frappe.utils.global_search.search',
  'frappe.auth.get_logged_user',
  'frappe.core.doctype.user.user.get_roles',
];
