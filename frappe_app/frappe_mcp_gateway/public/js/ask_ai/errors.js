// What the dialog says when something fails: one sentence a desk user can act on, and the technical
// detail (status, code, the server's own words) for the administrator, shown collapsed.
import { html_to_text, parse_json, t } from "./desk.js";

export const SENTENCES = {
	unreachable: () =>
		t("The AI service is not reachable right now. Try again in a minute, or tell your administrator."),
	session: () => t("Your session has expired. Reload the page and sign in again."),
	origin: () =>
		t(
			"The AI service does not accept questions from this site's address yet. Tell your administrator: the gateway's ALLOWED_ORIGINS must list it."
		),
	csrf: () => t("This page's security token was not accepted. Reload the page and try again."),
	not_found: () =>
		t(
			"The AI service was not found at this site. Tell your administrator: check the Path in MCP Gateway Settings and the proxy."
		),
	busy: () => t("Too many questions at once. Wait a moment, then ask again."),
	frappe_busy: () => t("The site did not answer the AI service in time. Try again in a minute."),
	forbidden: () => t("You are not allowed to ask the AI. Ask your administrator for access."),
	cut: () => t("The answer was cut off. Please try again."),
	unreadable: () =>
		t("The AI service sent an answer this page cannot read. Try again, or tell your administrator."),
	config: () =>
		t("Ask AI is not set up completely on this site. Tell your administrator (MCP Gateway Settings)."),
	sign_in_needed: () => t("Sign in to the AI service to ask from the desk: click Sign in. This is needed once."),
	sign_in: () =>
		t(
			"Could not sign you in to the AI service. Allow pop-ups for this site, then ask again. If it keeps failing, tell your administrator."
		),
	failed: () => t("The AI service could not answer. Try again, or tell your administrator."),
};

/** A failure the dialog shows: `message` for the user, `detail` for whoever fixes it. */
export class ChatError extends Error {
	constructor(message, detail) {
		super(message);
		this.name = "ChatError";
		this.detail = detail || "";
	}
}

// The gateway's error codes whose own message is already the right sentence for a desk user.
const SAY_AS_IS = new Set(["role_required", "invalid_request", "read_only", "insufficient_scope", "rate_limited"]);

/** Frappe's first _server_messages entry, as text. */
function server_message(payload) {
	if (!payload || typeof payload._server_messages !== "string") return "";
	const messages = parse_json(payload._server_messages);
	const first = Array.isArray(messages) && messages.length ? parse_json(messages[0]) : null;
	const text = first && typeof first === "object" ? first.message : first;
	return typeof text === "string" ? html_to_text(text) : "";
}

/**
 * Turn a failed response into {message, detail}. `payload` is its parsed JSON body (or null), `where`
 * the URL asked. Knows three speakers: the gateway ({error: {code, message}}), Frappe (the relay's
 * _server_messages and exc_type) and the proxy in between (HTML 502/503/504 pages).
 */
export function describe_failure(status, payload, where) {
	const gateway = payload && payload.error && typeof payload.error === "object" ? payload.error : null;
	const code = gateway && typeof gateway.code === "string" ? gateway.code : "";
	const said =
		(gateway && typeof gateway.message === "string" && gateway.message) || server_message(payload) || "";
	const exc = payload && typeof payload.exc_type === "string" ? payload.exc_type : "";
	const detail = [`HTTP ${status}`, code || exc, said, where ? `(${where})` : ""].filter(Boolean).join(" ");
	let message;
	if (code === "origin_not_allowed" || code === "host_not_allowed") message = SENTENCES.origin();
	else if (code.startsWith("csrf_")) message = SENTENCES.csrf();
	else if (code === "frappe_unavailable") message = SENTENCES.frappe_busy();
	else if (SAY_AS_IS.has(code) && said) message = said;
	else if (status === 401) message = SENTENCES.session();
	else if (status === 404) message = SENTENCES.not_found();
	else if (status === 429) message = said || SENTENCES.busy();
	else if (exc === "GatewayError" || exc === "GatewayTimeout") message = SENTENCES.unreachable();
	else if (status === 502 || status === 503 || status === 504) message = exc && said ? said : SENTENCES.unreachable();
	else if (status === 403) message = said || SENTENCES.forbidden();
	else if (status >= 400 && status < 500 && said) message = said;
	else message = SENTENCES.failed();
	return { message, detail };
}
