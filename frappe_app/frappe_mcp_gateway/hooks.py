app_name = "frappe_mcp_gateway"
app_title = "MCP Gateway"
app_publisher = "frappe-mcp-gateway contributors"
app_description = "Type \"@ai <question>\" in the desk's Awesome Bar and get the answer from frappe-mcp-gateway, with your own permissions"
app_email = "maintainers@example.com"
app_license = "MIT"
# No `required_apps`: Frappe 15 resolves it through the GitHub API during install-app, which fails
# offline or when rate-limited, and every site already has frappe.

# Loaded on every desk page after Frappe's own bundles, before the toolbar is built:
# public/js/ask_ai.js patches frappe.search.AwesomeBar at load time.
app_include_js = "frappe_mcp_gateway.bundle.js"

# bootinfo.mcp_gateway = {enabled, mode, path, allowed}
boot_session = "frappe_mcp_gateway.boot.boot_session"

# The role "AI User" is created before the doctypes are synced: the settings' Allowed Role links to it.
before_install = "frappe_mcp_gateway.install.before_install"
after_install = "frappe_mcp_gateway.install.after_install"
# `bench migrate` repairs a site whose earlier install stopped before the role existed.
after_migrate = "frappe_mcp_gateway.install.after_migrate"

# Deliberately NOT registering Frappe's server-side `awesomebar_search` hook (v16.32+): it would
# make every keystroke of every user a server call, and its results can only carry a route,
# never the click action that opens the answer dialog.
