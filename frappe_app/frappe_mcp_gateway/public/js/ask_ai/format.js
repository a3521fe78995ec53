// Values as the desk shows them: its own formatter (frappe.format) for amounts, numbers and dates, and
// record links into the desk of the running version (/app/… on v15, /desk/… on v16).
import { desk_base } from "./config.js";
import { desk, html_to_text } from "./desk.js";

// Typed values frappe.format turns into display text. Other types (Data, Link, Select, untyped) are
// shown as they came: frappe.format would return their text as HTML unescaped.
const FORMATTED = new Set(["Currency", "Float", "Int", "Percent", "Date", "Datetime", "Time", "Check", "Duration"]);

function plain(value) {
	if (value == null) return "";
	if (typeof value === "number") return value.toLocaleString();
	if (typeof value === "object") return JSON.stringify(value);
	return String(value);
}

/**
 * The display text of `value` in `column` ({fieldtype, options}) of `row`. Currency finds its currency
 * in the row the way the desk does (options names the row's currency field), else the site default.
 */
export function format_value(value, column, row) {
	if (value == null || value === "") return "";
	const fieldtype = column && column.fieldtype;
	const format = desk().format;
	if (fieldtype && FORMATTED.has(fieldtype) && typeof format === "function") {
		try {
			const df = { fieldtype, fieldname: column.fieldname };
			if (typeof column.options === "string" && column.options) df.options = column.options;
			// frappe.format returns HTML (e.g. a right-aligned div); read only its text, in an inert document.
			const html = format(value, df, { inline: true, only_value: true }, row || {});
			const text = html_to_text(html).trim();
			if (text) return text;
		} catch (e) {
			// fall back to the plain value below
		}
	}
	return plain(value);
}

function slug(doctype) {
	const router = desk().router;
	if (router && typeof router.slug === "function") return router.slug(doctype);
	return String(doctype).toLowerCase().replace(/ /g, "-");
}

/** A record's desk URL, under /app or /desk as the running desk expects, or null. Never another origin. */
export function form_link(link) {
	if (!link || typeof link.doctype !== "string" || typeof link.name !== "string") return null;
	if (!link.doctype || !link.name) return null;
	const base = desk_base();
	const make = desk().utils && desk().utils.get_form_link;
	let href = typeof make === "function" ? make(link.doctype, link.name) : null;
	if (typeof href === "string" && /^\/(app|desk)\//.test(href)) {
		// The desk's helper knows the route; only the prefix may lag behind the running version.
		href = base + href.slice(href.indexOf("/", 1));
	} else if (href === null || href === undefined) {
		href = `${base}/${slug(link.doctype)}/${encodeURIComponent(link.name)}`;
	} else if (typeof href !== "string" || !/^\/(?!\/)/.test(href)) {
		return null;
	}
	return href;
}
