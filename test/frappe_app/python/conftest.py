"""A stub `frappe` package, just large enough for frappe_mcp_gateway's Python, so the app is tested
without a bench. Installed in sys.modules before any app module is imported."""

import sys
import types
from pathlib import Path

import pytest

APP_ROOT = Path(__file__).resolve().parents[3] / "frappe_app"
sys.path.insert(0, str(APP_ROOT))


class _dict(dict):
	def __getattr__(self, key):
		return self.get(key)

	def __setattr__(self, key, value):
		self[key] = value


class ValidationError(Exception):
	http_status_code = 417


class PermissionError(Exception):  # noqa: A001 - frappe's name
	http_status_code = 403


class LinkValidationError(ValidationError):
	pass


class DuplicateEntryError(Exception):
	pass


class Cache:
	"""frappe.cache(): Frappe's RedisWrapper, a redis.Redis with site-prefixed helpers. Only the calls
	the app makes, with Redis semantics (SET NX EX, sorted sets)."""

	def __init__(self):
		self.deleted = []
		self.strings = {}
		self.zsets = {}

	def delete_key(self, key):
		self.deleted.append(key)

	def make_key(self, key):
		return f"_site1|{key}"

	def set(self, key, value, nx=False, ex=None):
		if nx and key in self.strings:
			return None
		self.strings[key] = value
		return True

	def delete(self, *keys):
		return sum(1 for k in keys if self.strings.pop(k, None) is not None or self.zsets.pop(k, None) is not None)

	def zadd(self, key, mapping):
		self.zsets.setdefault(key, {}).update(mapping)
		return len(mapping)

	def zrem(self, key, *members):
		zset = self.zsets.get(key, {})
		return sum(1 for m in members if zset.pop(m, None) is not None)

	def zremrangebyscore(self, key, low, high):
		zset = self.zsets.get(key, {})
		gone = [m for m, score in zset.items() if (low == "-inf" or score >= float(low)) and score <= float(high)]
		for m in gone:
			del zset[m]
		return len(gone)

	def zcard(self, key):
		return len(self.zsets.get(key, {}))

	def expire(self, key, seconds):
		return key in self.zsets or key in self.strings


class Request:
	"""frappe.request: what the relay reads of the HTTP request (cookies and headers)."""

	def __init__(self, cookies=None, headers=None):
		self.cookies = dict(cookies or {})
		self.headers = dict(headers or {})


class Document(_dict):
	def __init__(self, *args, **kwargs):
		super().__init__(*args, **kwargs)


class Db:
	def __init__(self, state):
		self._state = state

	def exists(self, doctype, name=None):
		return name in self._state.records.get(doctype, set())


def _build_stub():
	frappe = types.ModuleType("frappe")
	frappe.__path__ = []  # a package, so `frappe.model.document` can be imported
	frappe._dict = _dict
	frappe.ValidationError = ValidationError
	frappe.PermissionError = PermissionError
	frappe.LinkValidationError = LinkValidationError
	frappe.DuplicateEntryError = DuplicateEntryError
	frappe.whitelisted = {}

	def whitelist(allow_guest=False, methods=None, **_kwargs):
		def register(fn):
			frappe.whitelisted[f"{fn.__module__}.{fn.__name__}"] = {"allow_guest": allow_guest, "methods": methods}
			return fn

		return register

	def throw(msg, exc=ValidationError, title=None, **_kwargs):
		raise exc(msg)

	def get_roles(user=None):
		return list(frappe.state.roles.get(user or frappe.session.user, []))

	def get_cached_doc(doctype, name=None):
		return Document(frappe.state.singles.get(doctype, {}))

	def get_doc(values):
		doc = Document(values)

		def insert(ignore_permissions=False, ignore_if_duplicate=False):
			name = values.get("role_name") or values.get("name")
			records = frappe.state.records.setdefault(values["doctype"], set())
			if name in records:
				if ignore_if_duplicate:
					return doc
				raise DuplicateEntryError(f"{values['doctype']} {name} already exists")
			records.add(name)
			frappe.state.inserted.append(dict(values))
			return doc

		doc.insert = insert
		return doc

	def enqueue(*_args, **_kwargs):
		raise AssertionError("frappe_mcp_gateway must not enqueue jobs (the sid would land in RQ kwargs)")

	def get_request_header(key, default=None):
		request = getattr(frappe, "request", None)
		if request is None:
			return default
		return {k.lower(): v for k, v in request.headers.items()}.get(key.lower(), default)

	frappe.get_request_header = get_request_header
	frappe.whitelist = whitelist
	frappe.throw = throw
	frappe._ = lambda text, *args: text
	frappe.get_roles = get_roles
	frappe.get_cached_doc = get_cached_doc
	frappe.get_doc = get_doc
	frappe.enqueue = enqueue

	model = types.ModuleType("frappe.model")
	model.__path__ = []
	document = types.ModuleType("frappe.model.document")
	document.Document = Document
	model.document = document
	frappe.model = model
	sys.modules.update({"frappe": frappe, "frappe.model": model, "frappe.model.document": document})
	return frappe


STUB = _build_stub()


@pytest.fixture(autouse=True)
def frappe():
	"""A fresh world: a desk session of a user holding "AI User", and enabled relay settings that
	tests point at their own gateway."""
	state = _dict(
		roles={
			"ai@example.com": ["AI User", "Sales User"],
			"plain@example.com": ["Sales User"],
			"Administrator": ["Administrator", "System Manager", "AI User"],
		},
		singles={
			"MCP Gateway Settings": {
				"enabled": 1,
				"mode": "relay",
				"gateway_url": "http://127.0.0.1:9",
				"gateway_path": "/mcp-gateway",
				"timeout": 5,
				"allowed_role": "AI User",
			}
		},
		records={"Role": {"AI User", "Sales User", "System Manager"}},
		inserted=[],
	)
	STUB.state = state
	STUB.session = _dict(user="ai@example.com", sid="sid-abc123", data=_dict(csrf_token="csrf-xyz"))
	# The desk's request: the session's sid cookie, no Authorization header.
	STUB.request = Request(cookies={"sid": "sid-abc123"})
	STUB.conf = _dict(gunicorn_workers=4)
	STUB.cache = Cache()
	STUB.db = Db(state)
	yield STUB


@pytest.fixture
def settings(frappe):
	"""The stored MCP Gateway Settings values, to edit in a test."""
	return frappe.state.singles["MCP Gateway Settings"]
