// What the server told this desk at boot (frappe_mcp_gateway.boot.boot_session), and which desk this is.
import { desk, root } from "./desk.js";

export const MODES = ["proxy", "relay", "cross-site"];

/** The same-origin prefix ("" or "/mcp-gateway"), or null when it is not a plain absolute path. */
export function normalize_path(path) {
	const p = (path == null ? "" : String(path)).trim().replace(/\/+$/, "");
	if (p === "") return "";
	if (!/^\/(?!\/)[^\\?#\s]*$/.test(p) || /(^|\/)\.\.(\/|$)/.test(p)) return null;
	return p;
}

/** The gateway's own origin + path for cross-site mode ("https://gw.example.com"), or null. */
export function normalize_url(url) {
	const u = (url == null ? "" : String(url)).trim().replace(/\/+$/, "");
	const m = /^(https?):\/\/([^/?#@\s]+)(\/[^?#\s]*)?$/i.exec(u);
	return m ? u : null;
}

/** bootinfo.mcp_gateway: {enabled, allowed, mode, path, url}. */
export function get_config() {
	const frappe = desk();
	const c = (frappe.boot && frappe.boot.mcp_gateway) || {};
	const mode = MODES.includes(c.mode) ? c.mode : "proxy";
	return {
		enabled: Boolean(c.enabled),
		allowed: Boolean(c.allowed),
		mode,
		path: normalize_path(c.path),
		url: mode === "cross-site" ? normalize_url(c.url) : null,
		client_id: typeof c.client_id === "string" ? c.client_id : "",
	};
}

export function is_available() {
	const c = get_config();
	return c.enabled && c.allowed;
}

/** "/desk" on Frappe 16 and later, "/app" before: where record forms live. */
export function desk_base() {
	const frappe = desk();
	const version = frappe.boot && frappe.boot.versions && frappe.boot.versions.frappe;
	const major = parseInt(String(version || ""), 10);
	if (major >= 16) return "/desk";
	if (major > 0) return "/app";
	const path = (root.location && root.location.pathname) || "";
	return /^\/desk(\/|$)/.test(path) ? "/desk" : "/app";
}
