"""after_install: create the default role that may use "Ask AI"."""

import frappe

from frappe_mcp_gateway.settings import DEFAULT_ROLE


def after_install():
	if not frappe.db.exists("Role", DEFAULT_ROLE):
		frappe.get_doc({"doctype": "Role", "role_name": DEFAULT_ROLE, "desk_access": 1}).insert(
			ignore_permissions=True
		)
