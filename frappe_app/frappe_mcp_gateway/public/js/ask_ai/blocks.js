// The gateway's answer blocks (src/chat/blocks.ts) as DOM. Every value is inserted as text, never HTML.
import { el, t } from "./desk.js";
import { form_link, format_value } from "./format.js";

const RIGHT = new Set(["Currency", "Float", "Int", "Percent", "Duration"]);

function link_node(text, href) {
	const a = el("a", "mcp-ai-link", text);
	a.setAttribute("href", href);
	return a;
}

function render_table(block) {
	const wrap = el("div", "mcp-ai-block mcp-ai-table");
	if (block.title) wrap.append(el("div", "mcp-ai-table-title", block.title));
	const rows = Array.isArray(block.rows) ? block.rows.filter((r) => r && typeof r === "object") : [];
	let columns = Array.isArray(block.columns) ? block.columns.filter((c) => c && typeof c.fieldname === "string") : [];
	if (!columns.length && rows.length) columns = Object.keys(rows[0]).map((f) => ({ fieldname: f, label: f }));
	const links = Array.isArray(block.links) ? block.links : [];
	if (!rows.length) {
		wrap.append(el("p", "text-muted", t("No rows.")));
		return wrap;
	}
	const table = el("table", "table table-bordered table-sm");
	const head = table.appendChild(el("thead")).appendChild(el("tr"));
	for (const col of columns) {
		const th = head.appendChild(el("th", null, col.label || col.fieldname));
		if (RIGHT.has(col.fieldtype)) th.classList.add("text-right");
	}
	const tbody = table.appendChild(el("tbody"));
	rows.forEach((row, i) => {
		const tr = tbody.appendChild(el("tr"));
		const href = form_link(links[i]);
		// The row's record link goes on the cell that shows its name, else on the first cell.
		let link_col = href ? columns.find((c) => String(row[c.fieldname]) === links[i].name) : null;
		if (href && !link_col) link_col = columns[0];
		for (const col of columns) {
			const td = tr.appendChild(el("td"));
			if (RIGHT.has(col.fieldtype)) td.classList.add("text-right");
			const value = row[col.fieldname];
			const text = format_value(value, col, row);
			if (col === link_col) {
				td.append(link_node(text || links[i].name, href));
				continue;
			}
			// A Link column points at another record: link it too (e.g. the customer of an order).
			const target =
				col.fieldtype === "Link" && typeof col.options === "string" && typeof value === "string" && value
					? form_link({ doctype: col.options, name: value })
					: null;
			if (target) td.append(link_node(text, target));
			else td.textContent = text;
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

/** Frappe's own words behind a sentence (a refusal), collapsed under it; null when there are none. */
export function render_detail(detail) {
	if (typeof detail !== "string" || !detail) return null;
	const details = el("details", "mcp-ai-detail");
	details.append(el("summary", "text-muted small", t("Details")));
	details.append(el("pre", null, detail));
	return details;
}

function render_text(block, opts) {
	// The dialog already shows this text as the answer: only its detail is left to show.
	if (opts && typeof opts.answer === "string" && block.text === opts.answer) return render_detail(block.detail);
	const wrap = el("div", "mcp-ai-block mcp-ai-text", block.text);
	const detail = render_detail(block.detail);
	if (detail) wrap.append(detail);
	return wrap;
}

/** One block as a DOM element, or null for an unknown type. `opts.on_confirm(token)` runs when a
 * confirm block's button is pressed; a text block equal to `opts.answer` shows only its detail. */
export function render_block(block, opts) {
	if (!block || typeof block !== "object") return null;
	switch (block.type) {
		case "table":
			return render_table(block);
		case "text":
			return render_text(block, opts);
		case "number": {
			const wrap = el("div", "mcp-ai-block mcp-ai-number");
			wrap.append(el("div", "mcp-ai-number-label text-muted", block.label));
			const column = block.fieldtype ? { fieldtype: block.fieldtype, options: block.options } : null;
			wrap.append(el("div", "mcp-ai-number-value", format_value(block.value, column, {})));
			return wrap;
		}
		case "confirm":
			return render_confirm(block, opts && opts.on_confirm);
		default:
			return null;
	}
}

export function render_blocks(container, blocks, opts) {
	for (const block of Array.isArray(blocks) ? blocks : []) {
		const node = render_block(block, opts);
		if (node) container.append(node);
	}
	return container;
}
