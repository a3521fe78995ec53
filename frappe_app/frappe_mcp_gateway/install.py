"""Install hooks: the role "Ask AI" defaults to must exist before anything links to it.

Frappe's `install-app` runs `before_install`, then syncs this app's doctypes (saving the single
"MCP Gateway Settings" with its defaults, whose Allowed Role links to "AI User"), then
`after_install`. Creating the role only in `after_install` failed the sync with
`LinkValidationError: Could not find Allowed Role: AI User` and left the site half-installed, so
the role is made first, and every step is safe to run again (`install-app --force`, `bench migrate`).
"""

import frappe

from frappe_mcp_gateway.settings import DEFAULT_ROLE


def ensure_role():
	"""Create the default role unless it exists. Idempotent."""
	if frappe.db.exists("Role", DEFAULT_ROLE):
		return
	frappe.get_doc({"doctype": "Role", "role_name": DEFAULT_ROLE, "desk_access": 1}).insert(
		ignore_permissions=True, ignore_if_duplicate=True
	)


def before_install():
	ensure_role()


def after_install():
	# Also repairs a site left half-installed by an older version of this app (role missing).
	ensure_role()


def after_migrate():
	ensure_role()
