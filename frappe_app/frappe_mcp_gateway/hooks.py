app_name = "frappe_mcp_gateway"
app_title = "MCP Gateway"
app_publisher = "frappe-mcp-gateway contributors"
app_description = "Type \"@ai <question>\" in the desk's Awesome Bar and get the answer from frappe-mcp-gateway, with your own permissions"
app_email = "maintainers@example.com"
app_license = "MIT"
required_apps = ["frappe"]

# Loaded on every desk page after Frappe's own bundles, before the toolbar is built:
# public/js/ask_ai.js patches frappe.search.AwesomeBar at load time.
app_include_js = "frappe_mcp_gateway.bundle.js"

# bootinfo.mcp_gateway = {enabled, mode, path, allowed}
boot_session = "frappe_mcp_gateway.boot.boot_session"

after_install = "frappe_mcp_gateway.install.after_install"

# Deliberately NOT registering Frappe's server-side `awesomebar_search` hook (v16.32+): it would
# make every keystroke of every user a server call, and its results can only carry a route,
# never the click action that opens the answer dialog.
