// Built by `bench build --app frappe_mcp_gateway` and loaded on every desk page (hooks.py app_include_js).
// ask_ai.js is a plain script so that the demo page and the tests can load the very same file.
import "./ask_ai.js";
