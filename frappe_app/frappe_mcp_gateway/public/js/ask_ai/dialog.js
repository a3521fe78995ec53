// The answer dialog: a frappe.ui.Dialog with the question, the streamed answer and its blocks.
import { el, root, desk, t } from "./desk.js";
import { render_block, render_blocks } from "./blocks.js";
import { SENTENCES } from "./errors.js";
import { run_chat } from "./transport.js";

const STYLE = `
.mcp-ai-answer .mcp-ai-status { min-height: 1.5em; }
.mcp-ai-answer .mcp-ai-stream, .mcp-ai-answer .mcp-ai-text { white-space: pre-wrap; margin-bottom: 0.75em; }
.mcp-ai-answer .mcp-ai-block { margin-bottom: 1em; }
.mcp-ai-answer .mcp-ai-table-title { font-weight: 600; margin-bottom: 0.25em; }
.mcp-ai-answer .mcp-ai-number-value { font-size: 1.75em; font-weight: 600; }
.mcp-ai-answer a.mcp-ai-link { color: var(--text-color-link, var(--primary, #2490ef)); text-decoration: underline; }
.mcp-ai-answer a.mcp-ai-link:hover { text-decoration: none; }
.mcp-ai-answer .mcp-ai-confirm { border: 1px solid var(--border-color, #d1d8dd); border-radius: 6px; padding: 0.75em; }
.mcp-ai-answer .mcp-ai-confirm-actions button { margin-right: 0.5em; }
.mcp-ai-answer .mcp-ai-error-message { color: var(--red-600, #c0392b); white-space: pre-wrap; margin-bottom: 0.25em; }
.mcp-ai-answer .mcp-ai-error-detail pre, .mcp-ai-answer .mcp-ai-detail pre { white-space: pre-wrap; font-size: 0.85em; }
.mcp-ai-answer .mcp-ai-detail { margin-bottom: 0.75em; white-space: normal; }
.mcp-ai-answer .mcp-ai-error .mcp-ai-sign-in { margin-top: 0.5em; }
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
	error.setAttribute("role", "alert");
	container.replaceChildren(view);
	return {
		root: view,
		reset() {
			status.textContent = t("Thinking…");
			stream.textContent = "";
			blocks.replaceChildren();
			tools.replaceChildren();
			error.replaceChildren();
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
				// The answer already holds a text block's text; do not show it twice, only its detail.
				render_blocks(blocks, data.blocks, Object.assign({}, opts, { answer }));
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
		/** A sentence for the user; the technical detail collapsed below it; optionally a sign-in button. */
		error(message, detail, on_sign_in) {
			status.textContent = "";
			error.replaceChildren(el("div", "mcp-ai-error-message", message));
			if (detail) {
				const details = error.appendChild(el("details", "mcp-ai-error-detail"));
				details.append(el("summary", "text-muted small", t("Technical details")));
				details.append(el("pre", null, detail));
			}
			if (on_sign_in) {
				const button = error.appendChild(el("button", "btn btn-primary btn-sm mcp-ai-sign-in", t("Sign in")));
				button.type = "button";
				button.addEventListener("click", () => {
					button.disabled = true;
					on_sign_in();
				});
			}
		},
	};
}

let current = null;

/**
 * Open the answer dialog and, when `question` is not empty, ask it at once. Returns
 * {dialog, ask(message, confirm?, interactive?), view, abort}, or null when the desk has no frappe.ui.Dialog.
 */
export function open_dialog(question, opts) {
	const frappe = desk();
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
			if (q) ask(q, undefined, true);
		},
	});
	const container = field_element(dialog, "answer");
	const view = create_answer_view(container);

	function abort() {
		if (controller) controller.abort();
		controller = null;
	}

	/** Ask `message` (again); `confirm` is a confirm block's token; `interactive` follows a click. */
	function ask(message, confirm, interactive) {
		abort();
		asked = message;
		const mine = (controller = new root.AbortController());
		const render_opts = { on_confirm: (token) => ask(asked, token, true) };
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
			else if (name === "error") {
				const retry = d.sign_in ? () => ask(asked, confirm, true) : null;
				view.error(d.message || SENTENCES.failed(), d.detail || "", retry);
			}
		};
		return run_chat({ message, context, confirm, signal: mine.signal, interactive }, on_event).catch((err) => {
			if (mine !== controller || (err && err.name === "AbortError")) return;
			view.error(SENTENCES.failed(), (err && err.message) || String(err));
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
	// Cross-site mode signs in silently here; a pop-up only ever opens from a click in the dialog.
	if (question) session.pending = ask(question, undefined, false);
	return session;
}
