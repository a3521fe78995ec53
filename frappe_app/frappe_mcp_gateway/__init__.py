"""Ask AI from the Frappe desk's Awesome Bar, answered by frappe-mcp-gateway as the signed-in user."""

__version__ = "0.1.0"
