// Cross-site mode: a short-lived gateway token for the signed-in user, obtained through the gateway's
// OAuth facade (authorization code + PKCE, public client) and kept in this page's memory only: never
// in localStorage, a cookie or the URL. The user is already signed in to Frappe and consent is
// remembered after the first time, so a hidden frame usually completes the round trip silently;
// otherwise the dialog offers a "Sign in" button that does it in a pop-up (a click, so no pop-up
// blocker interferes). The code comes back to oauth-callback.html on this site's own origin, which
// hands it to this page with postMessage restricted to this origin.
import { ChatError, SENTENCES } from "./errors.js";
import { root } from "./desk.js";

export const CALLBACK_PATH = "/assets/frappe_mcp_gateway/oauth-callback.html";
export const MESSAGE_TYPE = "frappe_mcp_gateway:oauth";
const SCOPE = "frappe:read frappe:write";
const SILENT_TIMEOUT_MS = 8000;
const POPUP_TIMEOUT_MS = 180000;
const EXPIRY_MARGIN_MS = 30000;

let current = null; // {url, token, expires_at}
let pending = null; // one sign-in at a time; concurrent questions share it

export function redirect_uri() {
	return root.location.origin + CALLBACK_PATH;
}

/** The token in memory for `url` if it is still good for a while, else null. */
export function cached_token(url) {
	if (current && current.url === url && current.expires_at - EXPIRY_MARGIN_MS > Date.now()) return current.token;
	return null;
}

/** Forget the token (the gateway refused it, or it expired early). */
export function drop_token() {
	current = null;
}

function b64url(bytes) {
	let s = "";
	for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
	return root.btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function make_pkce() {
	const verifier = b64url(root.crypto.getRandomValues(new Uint8Array(32)));
	const digest = await root.crypto.subtle.digest("SHA-256", new root.TextEncoder().encode(verifier));
	return { verifier, challenge: b64url(digest), state: b64url(root.crypto.getRandomValues(new Uint8Array(16))) };
}

function client_key(url) {
	return `frappe_mcp_gateway:oauth_client:${url}|${redirect_uri()}`;
}

function storage() {
	try {
		return root.localStorage || null;
	} catch (e) {
		return null;
	}
}

async function post(url, body, form) {
	let response;
	try {
		response = await root.fetch(url, {
			method: "POST",
			mode: "cors",
			credentials: "omit",
			headers: { "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json" },
			body: form ? new root.URLSearchParams(body).toString() : JSON.stringify(body),
		});
	} catch (err) {
		throw new ChatError(SENTENCES.unreachable(), `${(err && err.message) || err} (${url})`);
	}
	let payload = null;
	try {
		payload = await response.json();
	} catch (e) {
		payload = null;
	}
	return { status: response.status, ok: response.ok, payload };
}

/** This site's client id at the gateway: registered once per browser (a public id, not a secret). */
async function client_id(url, fresh) {
	const store = storage();
	const key = client_key(url);
	if (!fresh && store && store.getItem(key)) return store.getItem(key);
	const r = await post(url + "/register", {
		client_name: "Ask AI on " + root.location.host,
		redirect_uris: [redirect_uri()],
		token_endpoint_auth_method: "none",
		grant_types: ["authorization_code"],
		response_types: ["code"],
		scope: SCOPE,
	});
	if (!r.ok || !r.payload || typeof r.payload.client_id !== "string") {
		const why = r.payload && (r.payload.error_description || r.payload.error);
		throw new ChatError(SENTENCES.sign_in(), `registration: HTTP ${r.status} ${why || ""} (${url}/register)`);
	}
	if (store) store.setItem(key, r.payload.client_id);
	return r.payload.client_id;
}

/** Wait for oauth-callback.html's message with our `state`. */
function wait_for_callback(state, timeout_ms, on_settle) {
	return new Promise((resolve, reject) => {
		const done = (fn, value) => {
			root.removeEventListener("message", listener);
			root.clearTimeout(timer);
			on_settle();
			fn(value);
		};
		const listener = (event) => {
			const data = event.data;
			if (event.origin !== root.location.origin || !data || data.type !== MESSAGE_TYPE) return;
			if (data.state !== state) return;
			if (data.code) done(resolve, data.code);
			else done(reject, new ChatError(SENTENCES.sign_in(), `authorize: ${data.error || "no code"} ${data.error_description || ""}`));
		};
		const timer = root.setTimeout(() => done(reject, new ChatError(SENTENCES.sign_in(), "authorize: no answer in time")), timeout_ms);
		root.addEventListener("message", listener);
	});
}

/** Run the authorization in a hidden frame (silent) or a pop-up window (after a click). */
function authorize(authorize_url, state, interactive) {
	if (interactive) {
		const popup = root.open(authorize_url, "frappe_mcp_gateway_sign_in", "width=520,height=680");
		if (!popup) return Promise.reject(new ChatError(SENTENCES.sign_in(), "the pop-up window was blocked"));
		return wait_for_callback(state, POPUP_TIMEOUT_MS, () => {
			try {
				popup.close();
			} catch (e) {
				// already closed
			}
		});
	}
	const frame = root.document.createElement("iframe");
	frame.className = "mcp-ai-sign-in-frame";
	frame.setAttribute("aria-hidden", "true");
	frame.setAttribute("tabindex", "-1");
	frame.style.display = "none";
	const waiting = wait_for_callback(state, SILENT_TIMEOUT_MS, () => frame.remove());
	frame.src = authorize_url;
	root.document.body.append(frame);
	return waiting;
}

async function sign_in(url, interactive) {
	let id = await client_id(url, false);
	for (let attempt = 0; attempt < 2; attempt++) {
		const { verifier, challenge, state } = await make_pkce();
		const query = new root.URLSearchParams({
			response_type: "code",
			client_id: id,
			redirect_uri: redirect_uri(),
			code_challenge: challenge,
			code_challenge_method: "S256",
			scope: SCOPE,
			state,
		});
		const code = await authorize(`${url}/authorize?${query}`, state, interactive);
		const r = await post(
			url + "/token",
			{ grant_type: "authorization_code", code, redirect_uri: redirect_uri(), client_id: id, code_verifier: verifier },
			true
		);
		if (r.ok && r.payload && typeof r.payload.access_token === "string") {
			const seconds = Number(r.payload.expires_in) > 0 ? Number(r.payload.expires_in) : 300;
			current = { url, token: r.payload.access_token, expires_at: Date.now() + seconds * 1000 };
			return current.token;
		}
		const error = r.payload && r.payload.error;
		if (error === "invalid_client" && attempt === 0) {
			id = await client_id(url, true); // the registration expired at the gateway: register again
			continue;
		}
		throw new ChatError(SENTENCES.sign_in(), `token: HTTP ${r.status} ${error || ""} (${url}/token)`);
	}
	throw new ChatError(SENTENCES.sign_in(), "token: the client could not be registered");
}

/**
 * A gateway token for the signed-in user: from memory, else a sign-in — in a hidden frame, or, when
 * `interactive` (right after a click in the dialog, so no pop-up blocker interferes), in a pop-up,
 * which closes itself at once when consent is remembered. Concurrent callers share one sign-in.
 */
export function get_token(url, interactive) {
	const token = cached_token(url);
	if (token) return Promise.resolve(token);
	if (!pending) {
		pending = sign_in(url, Boolean(interactive)).finally(() => {
			pending = null;
		});
	}
	return pending;
}
