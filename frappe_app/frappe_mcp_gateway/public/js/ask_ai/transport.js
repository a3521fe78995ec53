// Asking the gateway, per mode:
//   proxy      — POST <path>/api/v1/chat on this site's origin, with the browser's own sid cookie and
//                the desk's CSRF token; the answer streams (SSE). No Frappe worker waits.
//   cross-site — POST <gateway url>/api/v1/chat on the gateway's own origin (CORS), with a short-lived
//                gateway token (token.js) and no cookie; the answer streams. No Frappe worker waits.
//   relay      — POST the whitelisted frappe_mcp_gateway.api.ask; the Frappe server forwards the
//                question and returns the gateway's JSON (one web worker waits, bounded by the server).
import { get_config } from "./config.js";
import { desk, parse_json, root, t } from "./desk.js";
import { ChatError, SENTENCES, describe_failure } from "./errors.js";
import { read_sse } from "./sse.js";
import { drop_token, get_token } from "./token.js";

export const CHAT_PATH = "/api/v1/chat";
export const RELAY_URL = "/api/method/frappe_mcp_gateway.api.ask";

/** The fetch() arguments for one question, per the configured mode. Throws ChatError on bad settings. */
export function build_request(config, body, signal, token) {
	const headers = { "Content-Type": "application/json" };
	const init = { method: "POST", headers, body: JSON.stringify(body), signal };
	if (config.mode === "relay") {
		headers.Accept = "application/json";
		headers["X-Frappe-CSRF-Token"] = desk().csrf_token || "";
		return { url: RELAY_URL, init: Object.assign(init, { credentials: "same-origin" }) };
	}
	if (config.mode === "cross-site") {
		if (!config.url) throw new ChatError(SENTENCES.config(), t("The Gateway URL in MCP Gateway Settings is invalid."));
		// Another origin: no cookie and no CSRF token leave this site, only the gateway's own token.
		headers.Accept = "text/event-stream";
		headers.Authorization = "Bearer " + token;
		return { url: config.url + CHAT_PATH, init: Object.assign(init, { mode: "cors", credentials: "omit" }) };
	}
	if (config.path === null) {
		throw new ChatError(SENTENCES.config(), t("The AI gateway path in MCP Gateway Settings is invalid."));
	}
	headers.Accept = "text/event-stream";
	headers["X-Frappe-CSRF-Token"] = desk().csrf_token || ""; // the browser's own sid cookie goes with it
	return { url: config.path + CHAT_PATH, init: Object.assign(init, { credentials: "same-origin" }) };
}

async function read_json(response) {
	try {
		return await response.json();
	} catch (e) {
		return null;
	}
}

async function send(url, init) {
	try {
		return await root.fetch(url, init);
	} catch (err) {
		if (err && err.name === "AbortError") throw err;
		throw new ChatError(SENTENCES.unreachable(), `${(err && err.message) || String(err)} (${url})`);
	}
}

/**
 * Ask once. Calls on_event(name, data) with the gateway's events (status, tool_call, content, done,
 * error); JSON answers (relay mode, or a gateway that does not stream) arrive as one "done". Ends
 * with exactly one "done" or "error" ({message, detail, sign_in?}), unless `signal` aborts (then it
 * rejects with AbortError). `interactive` lets cross-site mode open a sign-in pop-up (after a click).
 */
export async function run_chat({ message, context, confirm, signal, interactive }, on_event) {
	const config = get_config();
	const body = { message };
	if (context && Object.keys(context).length) body.context = context;
	if (confirm) body.confirm = confirm;
	const fail = (err) => on_event("error", { message: err.message, detail: err.detail || "", sign_in: err.sign_in });
	let response;
	let url;
	try {
		for (let attempt = 0; ; attempt++) {
			let token;
			if (config.mode === "cross-site" && config.url) {
				try {
					token = await get_token(config.url, interactive);
				} catch (err) {
					// Silently, it could not finish (first use: consent is asked once): offer a click.
					if (err instanceof ChatError && !interactive) {
						const offer = new ChatError(SENTENCES.sign_in_needed(), err.detail);
						offer.sign_in = true;
						throw offer;
					}
					throw err;
				}
			}
			const req = build_request(config, body, signal, token);
			url = req.url;
			response = await send(req.url, req.init);
			// A token the gateway no longer accepts (revoked, restarted without a shared store): once more.
			if (response.status === 401 && token && attempt === 0) {
				drop_token();
				continue;
			}
			break;
		}
	} catch (err) {
		if (err instanceof ChatError) return fail(err);
		throw err;
	}
	if (!response.ok) {
		const failure = describe_failure(response.status, await read_json(response), url);
		return on_event("error", failure);
	}
	const type = (response.headers && response.headers.get("content-type")) || "";
	if (config.mode !== "relay" && type.includes("text/event-stream") && response.body) {
		let finished = false;
		await read_sse(response.body, ({ event, data }) => {
			if (finished) return;
			if (event === "done" || event === "error") finished = true;
			const parsed = parse_json(data);
			if (event === "error") {
				const d = parsed && typeof parsed === "object" ? parsed : {};
				const failure = d.status ? describe_failure(d.status, { error: { message: d.message } }, url) : null;
				on_event("error", {
					message: (failure && failure.message) || SENTENCES.failed(),
					detail: [d.status ? `HTTP ${d.status}` : "", d.message || ""].filter(Boolean).join(" "),
				});
				return;
			}
			on_event(event, parsed);
		});
		if (!finished) on_event("error", { message: SENTENCES.cut(), detail: `The stream from ${url} ended early.` });
		return;
	}
	const payload = await read_json(response);
	// The relay answers like any whitelisted method: {"message": <the gateway's JSON>}.
	const answer = config.mode === "relay" ? payload && payload.message : payload;
	if (answer && typeof answer === "object") on_event("done", answer);
	else on_event("error", { message: SENTENCES.unreadable(), detail: `HTTP ${response.status} ${type} (${url})` });
}
