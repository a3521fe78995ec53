"""Relay for sites without reverse-proxy control (Frappe Cloud): the desk POSTs the question here
and this server forwards it, with the caller's own session, to the configured gateway.

Rules: the sid and CSRF token go to `MCP Gateway Settings.gateway_url` only (never a URL from the
request), redirects are never followed, the call is synchronous (the sid never enters a background
job's arguments, which System Managers can read in "RQ Job"), and time and size are bounded.

A relay call holds a web worker until the gateway answers, and the gateway calls back into this site
while it works. So it is bounded hard: a short timeout (settings.MAX_TIMEOUT), one call per user at a
time, and never more relay calls in flight than half the bench's gunicorn workers; past those, the
caller is refused at once instead of freezing the desk for everyone.
"""

import http.client
import json
import ssl
import time
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit

import frappe
from frappe import _

from frappe_mcp_gateway.settings import get_settings, user_is_allowed

CHAT_PATH = "/api/v1/chat"
MAX_MESSAGE_CHARS = 4000
MAX_CONFIRM_CHARS = 512
MAX_CONTEXT_ITEM_CHARS = 140
MAX_RESPONSE_BYTES = 2 * 1024 * 1024
MAX_ERROR_CHARS = 300
USER_AGENT = "frappe_mcp_gateway-relay"
# Bench-wide (gunicorn serves every site of the bench): the relay calls in flight, as a sorted set of
# call ids scored by when each call must have ended, so a worker killed mid-call frees its slot anyway.
INFLIGHT_KEY = "frappe_mcp_gateway:relay:inflight"
# When common_site_config.json does not say (bench writes gunicorn_workers there).
DEFAULT_WORKERS = 2


class GatewayError(frappe.ValidationError):
	"""The gateway is unreachable, misconfigured, or answered with something that is not its JSON."""

	http_status_code = 502


class GatewayTimeout(GatewayError):
	http_status_code = 504


class GatewayRateLimited(frappe.ValidationError):
	http_status_code = 429


class RelayBusy(frappe.ValidationError):
	"""Answering now would tie up more than half of the site's web workers."""

	http_status_code = 503


@frappe.whitelist(methods=["POST"])
def ask(message=None, context=None, confirm=None):
	"""Ask the gateway as the session user. Returns the gateway's JSON answer
	`{"answer", "blocks", "tool_calls"}`. Throws PermissionError (403) for Guest, users without the
	allowed role, or requests without a browser session; ValidationError (417) for a bad question or
	the gateway refusing it; GatewayError (502), GatewayTimeout (504), GatewayRateLimited (429)."""
	settings = get_settings()
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in to ask the AI."), frappe.PermissionError)
	if not settings.enabled:
		frappe.throw(_("Ask AI is not enabled on this site."), frappe.PermissionError)
	if not user_is_allowed(settings):
		frappe.throw(_("You are not allowed to ask the AI."), frappe.PermissionError)
	if settings.mode != "relay":
		frappe.throw(_("Ask AI is not in relay mode on this site."), frappe.PermissionError)
	if not settings.gateway_url:
		frappe.throw(_("MCP Gateway Settings has no valid Gateway URL."), GatewayError)

	sid = _browser_session_id()
	if not sid:
		# API-key or OAuth callers have no browser session to forward; they can call the gateway directly.
		frappe.throw(_("The relay forwards browser sessions only."), frappe.PermissionError)

	body = {"message": _clean_message(message)}
	cleaned_context = _clean_context(context)
	if cleaned_context:
		body["context"] = cleaned_context
	if confirm not in (None, ""):
		if not isinstance(confirm, str) or len(confirm) > MAX_CONFIRM_CHARS:
			frappe.throw(_("Invalid confirmation token."))
		body["confirm"] = confirm

	headers = {
		"Content-Type": "application/json",
		"Accept": "application/json",
		"User-Agent": USER_AGENT,
		"Cookie": f"sid={sid}",
	}
	csrf_token = (frappe.session.data or {}).get("csrf_token")
	if csrf_token:
		headers["X-Frappe-CSRF-Token"] = csrf_token

	with _relay_slot(frappe.session.user, settings.timeout):
		status, payload = _post_json(settings.gateway_url + CHAT_PATH, body, headers, settings.timeout)
	if 200 <= status < 300:
		if not isinstance(payload, dict):
			frappe.throw(_("The AI gateway sent an unexpected answer."), GatewayError)
		return payload
	_raise_for_status(status, payload)


def _browser_session_id():
	"""The sid of the browser session this request was authenticated with, or None.

	Decided from the request itself, not from `frappe.session.sid`'s text: on v16, `frappe.set_user()`
	(run for API-key and OAuth callers) sets the session id to the user's name, so an API-key call
	looks like a session "Administrator". A browser session is a request that sent a `sid` cookie,
	which Frappe resumed as this very session, and no Authorization header (with one, Frappe may have
	switched the user after resuming the cookie's session)."""
	request = getattr(frappe, "request", None)
	if request is None:
		return None
	if frappe.get_request_header("Authorization"):
		return None
	cookie = request.cookies.get("sid")
	sid = frappe.session.sid
	if not cookie or cookie == "Guest" or cookie != sid:
		return None
	return sid


def _cache():
	return frappe.cache() if callable(frappe.cache) else frappe.cache


def _max_relays():
	"""Relay calls allowed at once: half the bench's web workers, rounded down."""
	try:
		workers = int(frappe.conf.get("gunicorn_workers") or DEFAULT_WORKERS)
	except (TypeError, ValueError):
		workers = DEFAULT_WORKERS
	return max(workers, 0) // 2


@contextmanager
def _relay_slot(user, timeout):
	"""Admit one relay call for `user`, or refuse at once (429 for a second call of the same user, 503
	when half the workers would be busy). Slots expire with the call's timeout even if a worker dies."""
	cache = _cache()
	ttl = int(timeout) + 5
	user_key = cache.make_key(f"frappe_mcp_gateway:relay:user:{user}")
	if not cache.set(user_key, 1, nx=True, ex=ttl):
		frappe.throw(
			_("You already have a question running. Wait for its answer, then ask again."), GatewayRateLimited
		)
	call_id = uuid.uuid4().hex
	try:
		limit = _max_relays()
		now = time.time()
		cache.zremrangebyscore(INFLIGHT_KEY, "-inf", now)
		cache.zadd(INFLIGHT_KEY, {call_id: now + ttl})
		cache.expire(INFLIGHT_KEY, ttl)
		if cache.zcard(INFLIGHT_KEY) > limit:
			if limit == 0:
				frappe.throw(
					_("The AI relay needs at least 2 web workers on this bench (gunicorn_workers)."), RelayBusy
				)
			frappe.throw(
				_("The AI service is busy right now. Try again in a minute."),
				RelayBusy,
			)
		yield
	finally:
		cache.zrem(INFLIGHT_KEY, call_id)
		cache.delete(user_key)


def _clean_message(message):
	if not isinstance(message, str) or not message.strip():
		frappe.throw(_("Please type a question."))
	message = message.strip()
	if len(message) > MAX_MESSAGE_CHARS:
		frappe.throw(_("The question is too long (at most {0} characters).").format(MAX_MESSAGE_CHARS))
	return message


def _clean_context(context):
	"""Keep only {route: [str], doctype: str, docname: str}; anything else is dropped."""
	if context in (None, ""):
		return None
	if isinstance(context, str):
		try:
			context = json.loads(context)
		except ValueError:
			frappe.throw(_("Invalid context."))
	if not isinstance(context, dict):
		frappe.throw(_("Invalid context."))
	out = {}
	route = context.get("route")
	if isinstance(route, list):
		out["route"] = [
			str(part)[:MAX_CONTEXT_ITEM_CHARS]
			for part in route[:10]
			if isinstance(part, str | int | float) and not isinstance(part, bool)
		]
	for key in ("doctype", "docname"):
		value = context.get(key)
		if isinstance(value, str) and value:
			out[key] = value[:MAX_CONTEXT_ITEM_CHARS]
	return out or None


def _post_json(url, body, headers, timeout):
	"""POST `body` as JSON to `url` and return (status, parsed JSON or None). One request, no redirects,
	no proxy environment variables, at most `timeout` seconds in all and MAX_RESPONSE_BYTES read."""
	parts = urlsplit(url)
	if parts.scheme == "https":
		conn = http.client.HTTPSConnection(
			parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
		)
	else:
		conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
	deadline = time.monotonic() + timeout
	try:
		conn.request("POST", parts.path or "/", body=json.dumps(body).encode(), headers=headers)
		# Keep the socket: getresponse() detaches it from `conn` when the server says Connection: close.
		sock = conn.sock
		sock.settimeout(max(deadline - time.monotonic(), 0.001))
		response = conn.getresponse()
		chunks, size = [], 0
		while True:
			remaining = deadline - time.monotonic()
			if remaining <= 0:
				raise TimeoutError
			sock.settimeout(remaining)
			chunk = response.read1(65536)
			if not chunk:
				break
			size += len(chunk)
			if size > MAX_RESPONSE_BYTES:
				frappe.throw(_("The AI gateway's answer is too large."), GatewayError)
			chunks.append(chunk)
		status = response.status
	except TimeoutError:
		frappe.throw(_("The AI gateway did not answer within {0} seconds.").format(timeout), GatewayTimeout)
	except (OSError, http.client.HTTPException):
		frappe.throw(_("The AI gateway is unreachable."), GatewayError)
	finally:
		conn.close()

	if 300 <= status < 400:
		frappe.throw(_("The AI gateway answered with a redirect, which the relay does not follow."), GatewayError)
	try:
		payload = json.loads(b"".join(chunks).decode("utf-8")) if chunks else None
	except ValueError:
		payload = None
	if payload is None and 200 <= status < 300:
		frappe.throw(_("The AI gateway sent an answer that is not JSON."), GatewayError)
	return status, payload


def _raise_for_status(status, payload):
	message = None
	if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
		message = payload["error"].get("message")
	message = str(message)[:MAX_ERROR_CHARS] if message else None
	if status == 401:
		frappe.throw(_("The AI gateway could not verify your session."), GatewayError)
	if status == 403:
		frappe.throw(message or _("The AI gateway refused this request."), frappe.PermissionError)
	if status == 429:
		frappe.throw(message or _("Too many questions; please wait a moment."), GatewayRateLimited)
	if 400 <= status < 500:
		frappe.throw(message or _("The AI gateway refused this question ({0}).").format(status))
	frappe.throw(message or _("The AI gateway failed ({0}).").format(status), GatewayError)
