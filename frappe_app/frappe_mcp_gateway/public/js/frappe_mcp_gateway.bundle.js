// Built by `bench build --app frappe_mcp_gateway` (Frappe's esbuild bundles every *.bundle.js) and
// loaded on every desk page through hooks.py app_include_js. The modules live in ./ask_ai/.
import "./ask_ai/index.js";
