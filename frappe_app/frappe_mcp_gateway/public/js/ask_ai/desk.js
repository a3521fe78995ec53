// Small helpers over the desk's globals. Every module reads `window.frappe` when called, never at
// load, so one bundle serves the desk, the demo page and tests that replace the stub between runs.

export const root = typeof window !== "undefined" ? window : globalThis;

export function desk() {
	return root.frappe;
}

function format_args(text, args) {
	return String(text).replace(/\{(\d+)\}/g, (m, i) => (args && i in args ? String(args[i]) : m));
}

/** Frappe's translator when present. Only ever called with our own strings. */
export function t(text, args) {
	return typeof root.__ === "function" ? root.__(text, args) : format_args(text, args);
}

export function escape_html(value) {
	const s = value == null ? "" : String(value);
	const utils = desk().utils;
	if (utils && typeof utils.escape_html === "function") return utils.escape_html(s);
	return s.replace(/[&<>"'`=/]/g, (c) => "&#" + c.charCodeAt(0) + ";");
}

/** An element whose text is set with textContent, never parsed as HTML. */
export function el(tag, className, text) {
	const node = root.document.createElement(tag);
	if (className) node.className = className;
	if (text != null) node.textContent = String(text);
	return node;
}

export function parse_json(text) {
	try {
		return JSON.parse(text);
	} catch (e) {
		return text;
	}
}

/** The text of an HTML fragment, read in an inert document: nothing in it runs or loads. */
export function html_to_text(html) {
	if (typeof root.DOMParser !== "function") return String(html).replace(/<[^>]*>/g, "");
	return new root.DOMParser().parseFromString(String(html), "text/html").body.textContent || "";
}
