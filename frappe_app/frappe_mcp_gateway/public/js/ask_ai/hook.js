// The Awesome Bar hook: "@ai …" yields one route-less item whose onclick opens the answer dialog.
// Design: /work/shared/frappe/AWESOME-BAR.md. frappe.search.AwesomeBar is subclassed and only
// add_defaults/build_options are overridden (stable from v12 to v16), so every instance created
// later (v16 makes several) gets the item, and another app doing the same chains on top of us.
import { is_available } from "./config.js";
import { desk, escape_html, root, t } from "./desk.js";

const AI_QUERY = /^@ai\b/i;
const ITEM_INDEX = 1000; // core's highest is "Search for …" at 100; autoFirst makes Enter pick ours
const PATCHED = "__mcp_gateway_ask_ai__";

/** The question of an "@ai …" query ("" for a bare "@ai"), or null when `txt` is not one. */
export function parse_query(txt) {
	if (typeof txt !== "string") return null;
	const s = txt.trim();
	if (!AI_QUERY.test(s)) return null;
	return s.replace(AI_QUERY, "").replace(/^[\s:,]+/, "").trim();
}

/** Where the user is, sent to the gateway as a hint. */
export function get_context() {
	const frappe = desk();
	const context = {};
	let route = null;
	try {
		route = typeof frappe.get_route === "function" ? frappe.get_route() : null;
	} catch (e) {
		route = null;
	}
	if (Array.isArray(route)) {
		context.route = route
			.filter((p) => typeof p === "string" || typeof p === "number")
			.map(String)
			.slice(0, 10);
		const [view, doctype, name] = context.route;
		if ((view === "Form" || view === "List") && doctype) context.doctype = doctype;
		if (view === "Form" && name) context.docname = name;
	}
	return context;
}

/** Run `open(question, {context})` after the desk has finished handling the selection. */
export function open_later(question, open) {
	const context = get_context();
	const run = () => open(question, { context });
	const input = root.document && root.document.querySelector(".modal.show #navbar-search");
	const modal = input && input.closest(".modal");
	if (modal && typeof root.jQuery === "function") {
		// v16: the search modal is about to hide; opening during its fade can lose the scroll lock.
		let done = false;
		const once = () => {
			if (!done) {
				done = true;
				run();
			}
		};
		root.jQuery(modal).one("hidden.bs.modal", once);
		root.setTimeout(once, 600);
		return;
	}
	root.setTimeout(run, 0);
}

/** The Awesome Bar items for `txt`: exactly one for "@ai …", or null when `txt` is not for us. */
export function make_items(txt, open) {
	const question = parse_query(txt);
	if (question === null) return null;
	const item = {
		type: "AI",
		index: ITEM_INDEX,
		match: question,
		description: t("Answered by the AI gateway with your permissions"),
		// No `route`: the desk calls onclick instead of frappe.set_route, and deduplicate keeps it.
		onclick: () => open_later(question, open),
	};
	if (question) {
		item.label = t("Ask AI: {0}", [escape_html(question)]);
		item.value = "Ask AI: " + question; // unique in the list; the desk finds the item by it
	} else {
		item.label = escape_html(t("Ask AI: type a question after @ai"));
		item.value = "Ask AI";
	}
	return [item];
}

/**
 * Patch the desk so that choosing "Ask AI" calls `open`. Returns "awesomebar" when
 * frappe.search.AwesomeBar was subclassed, "command" when the class lacks add_defaults/build_options
 * and a searchable "Ask AI" command was registered instead, "installed" when this already ran, or "none".
 */
export function install(open) {
	const search = desk().search;
	const Base = search && search.AwesomeBar;
	if (typeof Base === "function" && Base[PATCHED]) return "installed";
	const proto = Base && Base.prototype;
	if (proto && typeof proto.add_defaults === "function" && typeof proto.build_options === "function") {
		class AskAIAwesomeBar extends Base {
			add_defaults(txt) {
				const items = is_available() ? make_items(txt, open) : null;
				if (!items) return super.add_defaults(txt);
				// Only our item: no "Search for …", calculator or random password.
				if (!Array.isArray(this.options)) this.options = [];
				this.options.push(...items);
				return undefined;
			}

			build_options(txt) {
				// Also silences set_specifics, which calls build_options on the head of the text.
				if (is_available() && parse_query(txt) !== null) return [];
				return super.build_options(txt);
			}
		}
		AskAIAwesomeBar[PATCHED] = true;
		search.AwesomeBar = AskAIAwesomeBar;
		return "awesomebar";
	}
	const utils = search && search.utils;
	if (is_available() && utils && typeof utils.make_function_searchable === "function") {
		utils.make_function_searchable(() => open_later("", open), t("Ask AI"));
		return "command";
	}
	return "none";
}
