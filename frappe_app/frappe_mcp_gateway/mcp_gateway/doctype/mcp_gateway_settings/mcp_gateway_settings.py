# Copyright (c) 2026, frappe-mcp-gateway contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from frappe_mcp_gateway.settings import (
	DEFAULT_PATH,
	MODES,
	normalize_gateway_path,
	normalize_gateway_url,
	normalize_public_url,
	normalize_timeout,
)


class MCPGatewaySettings(Document):
	def validate(self):
		if self.mode not in MODES:
			frappe.throw(_("Mode must be proxy, relay or cross-site"))
		try:
			self.timeout = normalize_timeout(self.timeout)
			if self.mode == "proxy" or self.gateway_path:
				self.gateway_path = normalize_gateway_path(self.gateway_path or DEFAULT_PATH)
			if self.mode == "relay" or self.gateway_url:
				self.gateway_url = normalize_gateway_url(self.gateway_url)
			if self.mode == "cross-site" or self.gateway_public_url:
				self.gateway_public_url = normalize_public_url(self.gateway_public_url)
		except ValueError as e:
			frappe.throw(_(str(e)), title=_("Invalid MCP Gateway Settings"))
		if self.allowed_role and not frappe.db.exists("Role", self.allowed_role):
			frappe.throw(_("Role {0} does not exist").format(self.allowed_role))

	def on_update(self):
		# Every user's cached boot info holds bootinfo.mcp_gateway (boot_session is cached per user).
		cache = frappe.cache() if callable(frappe.cache) else frappe.cache  # v15: object, older: function
		cache.delete_key("bootinfo")
