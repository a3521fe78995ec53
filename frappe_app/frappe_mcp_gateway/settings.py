"""Reading and checking "MCP Gateway Settings".

The pure checks (`normalize_gateway_url`, `normalize_gateway_path`, `normalize_timeout`) raise
ValueError so the controller, the relay and the tests share one rule set.
"""

import re
from urllib.parse import urlsplit

import frappe

DOCTYPE = "MCP Gateway Settings"
MODES = ("proxy", "relay", "cross-site")
DEFAULT_PATH = "/mcp-gateway"
# Relay mode holds a web worker while it waits: keep it short.
DEFAULT_TIMEOUT = 15
MAX_TIMEOUT = 30
DEFAULT_ROLE = "AI User"

_PATH_RE = re.compile(r"^(/[A-Za-z0-9._~-]+)+$")
# Paths Frappe itself serves: a proxy location there would shadow the desk or the API.
_RESERVED_PREFIXES = ("/api", "/app", "/desk", "/assets", "/files", "/private", "/socket.io", "/login")


def normalize_gateway_url(url):
	"""The gateway's base URL without a trailing slash. Raises ValueError unless it is a plain
	http(s) URL: a host, no user:password, no query or fragment (the relay appends its own path)."""
	url = (url or "").strip()
	if not url:
		raise ValueError("Gateway URL is required")
	parts = urlsplit(url)
	if parts.scheme not in ("http", "https"):
		raise ValueError("Gateway URL must start with http:// or https://")
	if not parts.hostname:
		raise ValueError("Gateway URL must name a host")
	if parts.username or parts.password or "@" in parts.netloc:
		raise ValueError("Gateway URL must not contain a user name or password")
	if parts.query or parts.fragment:
		raise ValueError("Gateway URL must not contain a query string or fragment")
	try:
		parts.port  # noqa: B018 - raises ValueError on a bad port
	except ValueError as e:
		raise ValueError("Gateway URL has an invalid port") from e
	return url.rstrip("/")


def normalize_public_url(url):
	"""The gateway's URL as the browser reaches it (cross-site mode): https, or http on this machine only,
	since the browser sends the user's gateway token there."""
	try:
		url = normalize_gateway_url(url)
	except ValueError as e:
		raise ValueError(str(e).replace("Gateway URL", "Gateway Public URL")) from e
	parts = urlsplit(url)
	if parts.scheme != "https" and parts.hostname not in ("localhost", "127.0.0.1", "::1"):
		raise ValueError("Gateway Public URL must start with https:// (http only for localhost)")
	return url


def normalize_gateway_path(path):
	"""The same-origin path the reverse proxy forwards to the gateway, e.g. "/mcp-gateway", without a
	trailing slash. Raises ValueError for anything but a plain absolute path outside Frappe's own routes."""
	path = (path or "").strip().rstrip("/")
	if not path:
		raise ValueError("Path is required in proxy mode")
	if not _PATH_RE.match(path) or ".." in path.split("/"):
		raise ValueError("Path must be an absolute path like /mcp-gateway (letters, digits, - _ . ~ /)")
	lowered = path.lower()
	for prefix in _RESERVED_PREFIXES:
		if lowered == prefix or lowered.startswith(prefix + "/"):
			raise ValueError(f"Path must not be under {prefix}, which Frappe serves itself")
	return path


def normalize_timeout(timeout):
	"""Seconds the relay waits for the gateway: an int from 1 to MAX_TIMEOUT; empty means the default."""
	if timeout in (None, "", 0, "0"):
		return DEFAULT_TIMEOUT
	try:
		value = int(timeout)
	except (TypeError, ValueError) as e:
		raise ValueError("Timeout must be a whole number of seconds") from e
	if value < 1 or value > MAX_TIMEOUT:
		raise ValueError(f"Timeout must be between 1 and {MAX_TIMEOUT} seconds")
	return value


def get_settings():
	"""The settings as a frappe._dict with defaults filled in. Never raises on bad stored values:
	`gateway_url`/`gateway_path` come back empty when invalid, so callers refuse instead of guessing."""
	doc = frappe.get_cached_doc(DOCTYPE, DOCTYPE)
	mode = doc.get("mode") if doc.get("mode") in MODES else "proxy"
	try:
		url = normalize_gateway_url(doc.get("gateway_url"))
	except ValueError:
		url = ""
	try:
		path = normalize_gateway_path(doc.get("gateway_path") or DEFAULT_PATH)
	except ValueError:
		path = ""
	try:
		public_url = normalize_public_url(doc.get("gateway_public_url"))
	except ValueError:
		public_url = ""
	try:
		timeout = normalize_timeout(doc.get("timeout"))
	except ValueError:
		timeout = DEFAULT_TIMEOUT
	return frappe._dict(
		enabled=bool(doc.get("enabled")),
		mode=mode,
		gateway_url=url,
		gateway_path=path,
		gateway_public_url=public_url,
		timeout=timeout,
		allowed_role=(doc.get("allowed_role") or "").strip(),
	)


def user_is_allowed(settings, user=None):
	"""True when `user` (default: the session user) may ask: not Guest, and holding `allowed_role`
	when one is set. An empty role means every signed-in user."""
	user = user or frappe.session.user
	if not user or user == "Guest":
		return False
	if not settings.allowed_role:
		return True
	return settings.allowed_role in frappe.get_roles(user)
