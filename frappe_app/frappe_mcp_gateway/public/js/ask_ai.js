// "@ai <question>" in the Frappe desk's Awesome Bar, answered by frappe-mcp-gateway as the signed-in user.
//
// Plain browser JavaScript with no imports, so one file serves three hosts: the desk (through
// frappe_mcp_gateway.bundle.js, an `app_include_js` that runs after Frappe's bundles and before the
// toolbar exists), the demo page (/demo/desk/ask_ai.js) and the tests (evaluated in jsdom with a stub
// `frappe`). Everything testable is exported as `frappe.mcp_gateway`.
//
// Design: /work/shared/frappe/AWESOME-BAR.md. In short: subclass frappe.search.AwesomeBar and override
// only add_defaults/build_options, so "@ai …" yields one route-less item whose onclick opens a
// frappe.ui.Dialog one tick later (v16 hides its search modal right after onclick). The dialog POSTs
// to the gateway on this site's own origin (proxy mode: the browser's sid cookie and CSRF token
// travel as usual) or to the whitelisted relay frappe_mcp_gateway.api.ask (relay mode).
(function (root) {
	"use strict";

	const frappe = root.frappe;
	if (!frappe) return;

	const AI_QUERY = /^@ai\b/i;
	const CHAT_PATH = "/api/v1/chat";
	const RELAY_URL = "/api/method/frappe_mcp_gateway.api.ask";
	const ITEM_INDEX = 1000; // core's highest is "Search for …" at 100; autoFirst makes Enter pick ours
	const PATCHED = "__mcp_gateway_ask_ai__";

	// ---------------------------------------------------------------- small helpers

	function format(text, args) {
		return String(text).replace(/\{(\d+)\}/g, (m, i) => (args && i in args ? String(args[i]) : m));
	}

	/** Frappe's translator when present. Only ever called with our own strings. */
	function t(text, args) {
		return typeof root.__ === "function" ? root.__(text, args) : format(text, args);
	}

	function escape_html(value) {
		const s = value == null ? "" : String(value);
		if (frappe.utils && typeof frappe.utils.escape_html === "function") return frappe.utils.escape_html(s);
		return s.replace(/[&<>"'`=/]/g, (c) => "&#" + c.charCodeAt(0) + ";");
	}

	/** An element whose text is set with textContent, never parsed as HTML. */
	function el(tag, className, text) {
		const node = root.document.createElement(tag);
		if (className) node.className = className;
		if (text != null) node.textContent = String(text);
		return node;
	}

	function parse_json(text) {
		try {
			return JSON.parse(text);
		} catch (e) {
			return text;
		}
	}

	function html_to_text(html) {
		if (typeof root.DOMParser !== "function") return String(html).replace(/<[^>]*>/g, "");
		// An inert document: nothing in it runs or loads.
		return new root.DOMParser().parseFromString(String(html), "text/html").body.textContent || "";
	}

	// ---------------------------------------------------------------- configuration (from boot)

	/** The same-origin prefix ("" or "/mcp-gateway"), or null when it is not a plain absolute path. */
	function normalize_path(path) {
		const p = (path == null ? "" : String(path)).trim().replace(/\/+$/, "");
		if (p === "") return "";
		if (!/^\/(?!\/)[^\\?#\s]*$/.test(p) || /(^|\/)\.\.(\/|$)/.test(p)) return null;
		return p;
	}

	/** bootinfo.mcp_gateway as sent by frappe_mcp_gateway.boot.boot_session. */
	function get_config() {
		const c = (frappe.boot && frappe.boot.mcp_gateway) || {};
		return {
			enabled: Boolean(c.enabled),
			allowed: Boolean(c.allowed),
			mode: c.mode === "relay" ? "relay" : "proxy",
			path: normalize_path(c.path),
		};
	}

	function is_available() {
		const c = get_config();
		return c.enabled && c.allowed;
	}

	// ---------------------------------------------------------------- the Awesome Bar hook

	/** The question of an "@ai …" query ("" for a bare "@ai"), or null when `txt` is not one. */
	function parse_query(txt) {
		if (typeof txt !== "string") return null;
		const s = txt.trim();
		if (!AI_QUERY.test(s)) return null;
		return s.replace(AI_QUERY, "").replace(/^[\s:,]+/, "").trim();
	}

	/** The Awesome Bar items for `txt`: exactly one for "@ai …", or null when `txt` is not for us. */
	function make_items(txt) {
		const question = parse_query(txt);
		if (question === null) return null;
		const item = {
			type: "AI",
			index: ITEM_INDEX,
			match: question,
			description: t("Answered by the AI gateway with your permissions"),
			// No `route`: the desk calls onclick instead of frappe.set_route, and deduplicate keeps it.
			onclick: () => open_later(question),
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
	 * Patch the desk. Returns "awesomebar" when frappe.search.AwesomeBar was subclassed, "command" when
	 * the class lacks add_defaults/build_options and a searchable "Ask AI" command was registered
	 * instead, "installed" when this already ran, or "none".
	 */
	function install() {
		const search = frappe.search;
		const Base = search && search.AwesomeBar;
		if (typeof Base === "function" && Base[PATCHED]) return "installed";
		const proto = Base && Base.prototype;
		if (proto && typeof proto.add_defaults === "function" && typeof proto.build_options === "function") {
			// A subclass assigned back: every instance created later (v16 makes several) gets it, and
			// another app doing the same chains on top of us.
			class AskAIAwesomeBar extends Base {
				add_defaults(txt) {
					const items = is_available() ? make_items(txt) : null;
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
			utils.make_function_searchable(() => open_later(""), t("Ask AI"));
			return "command";
		}
		return "none";
	}

	/** Where the user is, sent to the gateway as a hint. */
	function get_context() {
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

	/** Open the dialog after the desk has finished handling the selection. */
	function open_later(question) {
		const context = get_context();
		const run = () => open_dialog(question, { context });
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

	// ---------------------------------------------------------------- server-sent events

	/**
	 * An incremental text/event-stream parser. push(text) any number of times (chunks may split lines,
	 * "\r\n" pairs or fields anywhere), then end(). Calls on_event({event, data, id}) per event; `event`
	 * defaults to "message", `data` is the joined data lines. A last event without its blank line is
	 * still delivered at end().
	 */
	function create_sse_parser(on_event) {
		let buffer = "";
		let started = false;
		let event = "";
		let data = [];
		let id = "";

		function dispatch() {
			if (data.length) on_event({ event: event || "message", data: data.join("\n"), id });
			event = "";
			data = [];
		}

		function take_line(line) {
			if (line === "") return dispatch();
			if (line[0] === ":") return undefined; // comment / keep-alive
			const colon = line.indexOf(":");
			const field = colon === -1 ? line : line.slice(0, colon);
			let value = colon === -1 ? "" : line.slice(colon + 1);
			if (value[0] === " ") value = value.slice(1);
			if (field === "event") event = value;
			else if (field === "data") data.push(value);
			else if (field === "id" && !value.includes("\0")) id = value;
			return undefined; // "retry" and unknown fields are ignored
		}

		function push(chunk) {
			if (!chunk) return;
			if (!started) {
				started = true;
				if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
			}
			buffer += chunk;
			let start = 0;
			for (let i = 0; i < buffer.length; i++) {
				const c = buffer[i];
				if (c !== "\n" && c !== "\r") continue;
				if (c === "\r" && i === buffer.length - 1) break; // maybe the first half of "\r\n"
				take_line(buffer.slice(start, i));
				if (c === "\r" && buffer[i + 1] === "\n") i++;
				start = i + 1;
			}
			buffer = buffer.slice(start);
		}

		function end() {
			if (buffer) push("\n");
			dispatch();
		}

		return { push, end };
	}

	/** Read a ReadableStream of bytes (or strings) as SSE until it ends. Rejects if the stream errors. */
	async function read_sse(stream, on_event) {
		const reader = stream.getReader();
		const decoder = new root.TextDecoder("utf-8");
		const parser = create_sse_parser(on_event);
		for (;;) {
			const { value, done } = await reader.read();
			if (done) break;
			parser.push(typeof value === "string" ? value : decoder.decode(value, { stream: true }));
		}
		parser.push(decoder.decode());
		parser.end();
	}

	// ---------------------------------------------------------------- talking to the gateway

	/** The fetch() arguments for one question, per the configured mode. Throws on a bad path. */
	function build_request(config, body, signal) {
		const relay = config.mode === "relay";
		if (!relay && config.path === null) {
			const err = new Error(t("The AI gateway path in MCP Gateway Settings is invalid."));
			err.name = "ConfigError";
			throw err;
		}
		return {
			url: relay ? RELAY_URL : config.path + CHAT_PATH,
			init: {
				method: "POST",
				credentials: "same-origin", // the browser's own sid cookie, never sent elsewhere
				headers: {
					"Content-Type": "application/json",
					Accept: relay ? "application/json" : "text/event-stream",
					"X-Frappe-CSRF-Token": frappe.csrf_token || "",
				},
				body: JSON.stringify(body),
				signal,
			},
		};
	}

	/** A readable message for a failed response: the gateway's {error: {message}}, Frappe's
	 * _server_messages, or one chosen by status. */
	async function error_message(response) {
		let payload = null;
		try {
			payload = await response.json();
		} catch (e) {
			payload = null;
		}
		if (payload && payload.error && typeof payload.error.message === "string") return payload.error.message;
		if (payload && typeof payload._server_messages === "string") {
			const messages = parse_json(payload._server_messages);
			const first = Array.isArray(messages) && messages.length ? parse_json(messages[0]) : null;
			const text = first && typeof first === "object" ? first.message : first;
			if (typeof text === "string" && text) return html_to_text(text);
		}
		const status = response.status;
		if (status === 401) return t("Your session has expired. Please reload the page and log in again.");
		if (status === 403) return t("You are not allowed to ask the AI.");
		if (status === 404) return t("The AI gateway was not found. Check the path in MCP Gateway Settings and the proxy.");
		if (status === 429) return t("Too many questions; please wait a moment.");
		return t("The AI gateway failed ({0}).", [status]);
	}

	/**
	 * Ask once. Calls on_event(name, data) with the gateway's events (status, tool_call, content, done,
	 * error); JSON answers (relay mode, or a gateway that does not stream) arrive as one "done". Always
	 * ends with exactly one "done" or "error", unless `signal` aborts (then it rejects with AbortError).
	 * Network failures reject with the fetch error.
	 */
	async function run_chat({ message, context, confirm, signal }, on_event) {
		const config = get_config();
		const body = { message };
		if (context && Object.keys(context).length) body.context = context;
		if (confirm) body.confirm = confirm;
		const { url, init } = build_request(config, body, signal);
		const response = await root.fetch(url, init);
		if (!response.ok) {
			on_event("error", { message: await error_message(response), status: response.status });
			return;
		}
		const type = (response.headers && response.headers.get("content-type")) || "";
		if (config.mode !== "relay" && type.includes("text/event-stream") && response.body) {
			let finished = false;
			await read_sse(response.body, ({ event, data }) => {
				if (finished) return;
				if (event === "done" || event === "error") finished = true;
				on_event(event, parse_json(data));
			});
			if (!finished) on_event("error", { message: t("The answer was cut off. Please try again.") });
			return;
		}
		let payload = null;
		try {
			payload = await response.json();
		} catch (e) {
			payload = null;
		}
		// The relay answers like any whitelisted method: {"message": <the gateway's JSON>}.
		const answer = config.mode === "relay" ? payload && payload.message : payload;
		if (answer && typeof answer === "object") on_event("done", answer);
		else on_event("error", { message: t("The AI gateway sent an unexpected answer.") });
	}

	// ---------------------------------------------------------------- rendering blocks

	function format_value(value) {
		if (value == null) return "";
		if (typeof value === "number") return value.toLocaleString();
		if (typeof value === "object") return JSON.stringify(value);
		return String(value);
	}

	/** A record URL from the desk's own helper (it knows /app vs /desk), or null. */
	function form_link(link) {
		if (!link || typeof link.doctype !== "string" || typeof link.name !== "string") return null;
		if (!link.doctype || !link.name) return null;
		const make = frappe.utils && frappe.utils.get_form_link;
		if (typeof make !== "function") return null;
		const href = make(link.doctype, link.name);
		return typeof href === "string" && (/^\/(?!\/)/.test(href) || /^https?:\/\//i.test(href)) ? href : null;
	}

	function render_table(block) {
		const wrap = el("div", "mcp-ai-block mcp-ai-table");
		if (block.title) wrap.append(el("div", "mcp-ai-table-title", block.title));
		const rows = Array.isArray(block.rows) ? block.rows.filter((r) => r && typeof r === "object") : [];
		let columns = Array.isArray(block.columns)
			? block.columns.filter((c) => c && typeof c.fieldname === "string")
			: [];
		if (!columns.length && rows.length) columns = Object.keys(rows[0]).map((f) => ({ fieldname: f, label: f }));
		const links = Array.isArray(block.links) ? block.links : [];
		if (!rows.length) {
			wrap.append(el("p", "text-muted", t("No rows.")));
			return wrap;
		}
		const table = el("table", "table table-bordered table-sm");
		const head = table.appendChild(el("thead")).appendChild(el("tr"));
		for (const col of columns) head.append(el("th", null, col.label || col.fieldname));
		const tbody = table.appendChild(el("tbody"));
		rows.forEach((row, i) => {
			const tr = tbody.appendChild(el("tr"));
			const href = form_link(links[i]);
			// Link the cell that shows the record's name, else the first one.
			let link_col = href ? columns.find((c) => String(row[c.fieldname]) === links[i].name) : null;
			if (href && !link_col) link_col = columns[0];
			for (const col of columns) {
				const td = tr.appendChild(el("td"));
				const text = format_value(row[col.fieldname]);
				if (col === link_col) {
					const a = td.appendChild(el("a", "mcp-ai-link", text || links[i].name));
					a.setAttribute("href", href);
				} else {
					td.textContent = text;
				}
			}
		});
		const scroll = el("div", "table-responsive");
		scroll.append(table);
		wrap.append(scroll);
		return wrap;
	}

	function render_confirm(block, on_confirm) {
		const wrap = el("div", "mcp-ai-block mcp-ai-confirm");
		wrap.append(el("p", "mcp-ai-confirm-summary", block.summary || t("The AI wants to make a change.")));
		if (block.tool) {
			const details = wrap.appendChild(el("details"));
			details.append(el("summary", "text-muted", t("Tool: {0}", [block.tool])));
			details.append(el("pre", "mcp-ai-arguments", JSON.stringify(block.arguments || {}, null, 2)));
		}
		const actions = wrap.appendChild(el("div", "mcp-ai-confirm-actions"));
		const yes = actions.appendChild(el("button", "btn btn-primary btn-sm mcp-ai-confirm-yes", t("Confirm")));
		const no = actions.appendChild(el("button", "btn btn-default btn-sm mcp-ai-confirm-no", t("Cancel")));
		yes.type = "button";
		no.type = "button";
		yes.addEventListener("click", () => {
			yes.disabled = no.disabled = true;
			if (on_confirm) on_confirm(block.token);
		});
		no.addEventListener("click", () => {
			yes.disabled = no.disabled = true;
			wrap.append(el("p", "text-muted", t("Cancelled. Nothing was changed.")));
		});
		return wrap;
	}

	/** One block as a DOM element, or null for an unknown type. `opts.on_confirm(token)` runs when a
	 * confirm block's button is pressed. */
	function render_block(block, opts) {
		if (!block || typeof block !== "object") return null;
		switch (block.type) {
			case "table":
				return render_table(block);
			case "text":
				return el("div", "mcp-ai-block mcp-ai-text", block.text);
			case "number": {
				const wrap = el("div", "mcp-ai-block mcp-ai-number");
				wrap.append(el("div", "mcp-ai-number-label text-muted", block.label));
				wrap.append(el("div", "mcp-ai-number-value", format_value(block.value)));
				return wrap;
			}
			case "confirm":
				return render_confirm(block, opts && opts.on_confirm);
			default:
				return null;
		}
	}

	function render_blocks(container, blocks, opts) {
		for (const block of Array.isArray(blocks) ? blocks : []) {
			const node = render_block(block, opts);
			if (node) container.append(node);
		}
		return container;
	}

	// ---------------------------------------------------------------- the answer dialog

	const STYLE = `
.mcp-ai-answer .mcp-ai-status { min-height: 1.5em; }
.mcp-ai-answer .mcp-ai-stream, .mcp-ai-answer .mcp-ai-text { white-space: pre-wrap; margin-bottom: 0.75em; }
.mcp-ai-answer .mcp-ai-block { margin-bottom: 1em; }
.mcp-ai-answer .mcp-ai-table-title { font-weight: 600; margin-bottom: 0.25em; }
.mcp-ai-answer .mcp-ai-number-value { font-size: 1.75em; font-weight: 600; }
.mcp-ai-answer .mcp-ai-confirm { border: 1px solid var(--border-color, #d1d8dd); border-radius: 6px; padding: 0.75em; }
.mcp-ai-answer .mcp-ai-confirm-actions button { margin-right: 0.5em; }
.mcp-ai-answer .mcp-ai-error { color: var(--red-600, #c0392b); white-space: pre-wrap; }
`;

	function ensure_style() {
		const doc = root.document;
		if (!doc || doc.getElementById("mcp-ai-style")) return;
		const style = el("style", null, STYLE);
		style.id = "mcp-ai-style";
		(doc.head || doc.documentElement).append(style);
	}

	function field_element(dialog, fieldname) {
		const field = dialog.fields_dict && dialog.fields_dict[fieldname];
		if (!field) return null;
		if (field.wrapper) return field.wrapper;
		const $w = field.$wrapper;
		return $w ? (typeof $w.get === "function" ? $w.get(0) : $w[0]) : null;
	}

	/** The view inside the dialog's HTML field; each method replaces or appends text, never HTML. */
	function create_answer_view(container) {
		const view = el("div", "mcp-ai-answer");
		const status = view.appendChild(el("div", "mcp-ai-status text-muted small"));
		const stream = view.appendChild(el("div", "mcp-ai-stream"));
		const blocks = view.appendChild(el("div", "mcp-ai-blocks"));
		const tools = view.appendChild(el("div", "mcp-ai-tools text-muted small"));
		const error = view.appendChild(el("div", "mcp-ai-error"));
		container.replaceChildren(view);
		return {
			root: view,
			reset() {
				status.textContent = t("Thinking…");
				stream.textContent = "";
				blocks.replaceChildren();
				tools.replaceChildren();
				error.textContent = "";
			},
			status(text) {
				status.textContent = text || "";
			},
			append_text(text) {
				stream.textContent += text;
			},
			add_block(block, opts) {
				const node = render_block(block, opts);
				if (node) blocks.append(node);
			},
			done(data, opts) {
				status.textContent = "";
				const answer = typeof data.answer === "string" ? data.answer : "";
				if (answer || !stream.textContent) stream.textContent = answer;
				if (Array.isArray(data.blocks)) {
					blocks.replaceChildren();
					// The answer already holds this text; do not show it twice.
					render_blocks(
						blocks,
						data.blocks.filter((b) => !(b && b.type === "text" && b.text === answer)),
						opts,
					);
				}
				if (!answer && !blocks.childNodes.length) stream.textContent = t("No answer.");
				const calls = Array.isArray(data.tool_calls) ? data.tool_calls.filter((c) => c && c.name) : [];
				tools.replaceChildren();
				if (calls.length) {
					const details = tools.appendChild(el("details"));
					details.append(el("summary", null, t("Tools used: {0}", [calls.map((c) => c.name).join(", ")])));
					for (const call of calls) {
						details.append(el("pre", null, call.name + " " + JSON.stringify(call.arguments || {})));
					}
				}
			},
			error(text) {
				status.textContent = "";
				error.textContent = text;
			},
		};
	}

	let current = null;

	/**
	 * Open the answer dialog and, when `question` is not empty, ask it at once. Returns
	 * {dialog, ask(message, confirm?), view}, or null when the desk has no frappe.ui.Dialog.
	 */
	function open_dialog(question, opts) {
		if (!frappe.ui || typeof frappe.ui.Dialog !== "function") return null;
		const context = (opts && opts.context) || {};
		ensure_style();
		if (current) current.abort();

		let controller = null;
		let asked = "";
		const dialog = new frappe.ui.Dialog({
			title: t("Ask AI"),
			size: "large",
			minimizable: true,
			fields: [
				{ fieldtype: "Small Text", fieldname: "question", label: t("Question"), default: question || "" },
				{ fieldtype: "HTML", fieldname: "answer" },
			],
			primary_action_label: t("Ask"),
			primary_action(values) {
				const q = ((values && values.question) || "").trim();
				if (q) ask(q);
			},
		});
		const container = field_element(dialog, "answer");
		const view = create_answer_view(container);

		function abort() {
			if (controller) controller.abort();
			controller = null;
		}

		/** Ask `message` (again); `confirm` is a confirm block's token. */
		function ask(message, confirm) {
			abort();
			asked = message;
			const mine = (controller = new root.AbortController());
			const render_opts = { on_confirm: (token) => ask(asked, token) };
			view.reset();
			const on_event = (name, data) => {
				if (mine !== controller) return; // a newer question replaced this one
				const d = data && typeof data === "object" ? data : {};
				if (name === "status") view.status(d.message);
				else if (name === "tool_call") view.status(t("Calling {0}…", [d.name || "?"]));
				else if (name === "content") {
					if (typeof d.text === "string") view.append_text(d.text);
					if (d.block) view.add_block(d.block, render_opts);
				} else if (name === "done") view.done(d, render_opts);
				else if (name === "error") view.error(d.message || t("The AI gateway failed."));
			};
			return run_chat({ message, context, confirm, signal: mine.signal }, on_event).catch((err) => {
				if (mine !== controller || (err && err.name === "AbortError")) return;
				if (err && err.name === "ConfigError") view.error(err.message);
				else view.error(t("Could not reach the AI gateway: {0}", [(err && err.message) || String(err)]));
			});
		}

		const session = { dialog, view, ask, abort };
		const previous_onhide = dialog.onhide;
		dialog.onhide = function () {
			abort();
			if (current === session) current = null;
			if (typeof previous_onhide === "function") previous_onhide.apply(this, arguments);
		};
		current = session;
		dialog.show();
		if (question) session.pending = ask(question);
		return session;
	}

	// ---------------------------------------------------------------- exports and install

	const api = {
		version: "0.1.0",
		parse_query,
		make_items,
		install,
		get_config,
		is_available,
		get_context,
		normalize_path,
		create_sse_parser,
		read_sse,
		build_request,
		run_chat,
		render_block,
		render_blocks,
		open_dialog,
		open_later,
	};
	frappe.mcp_gateway = api;
	api.install_result = install();
})(typeof window !== "undefined" ? window : globalThis);
