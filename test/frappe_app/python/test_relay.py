"""frappe_mcp_gateway.api.ask: the relay forwards the session to the configured gateway only."""

import inspect
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from frappe_mcp_gateway import api

ANSWER = {
	"answer": "Top customers",
	"blocks": [{"type": "number", "label": "Customers", "value": 5}],
	"tool_calls": [{"name": "list_documents", "arguments": {"doctype": "Customer"}}],
}


class FakeGateway:
	"""A real HTTP server on 127.0.0.1 that records requests and answers as told."""

	def __init__(self):
		self.requests = []
		self.status, self.headers, self.body = 200, {"Content-Type": "application/json"}, json.dumps(ANSWER)
		self.handler = None  # optional callable(handler) that writes the whole response itself
		gateway = self

		class Handler(BaseHTTPRequestHandler):
			def do_POST(self):
				length = int(self.headers.get("Content-Length") or 0)
				raw = self.rfile.read(length)
				gateway.requests.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(raw)})
				if gateway.handler:
					return gateway.handler(self)
				body = gateway.body.encode() if isinstance(gateway.body, str) else gateway.body
				self.send_response(gateway.status)
				for key, value in gateway.headers.items():
					self.send_header(key, value)
				self.send_header("Content-Length", str(len(body)))
				self.end_headers()
				self.wfile.write(body)

			def log_message(self, *_args):
				pass

		self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
		self.server.daemon_threads = True
		self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
		threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

	def close(self):
		self.server.shutdown()
		self.server.server_close()


@pytest.fixture
def gateway(settings):
	gw = FakeGateway()
	settings["gateway_url"] = gw.url
	yield gw
	gw.close()


@pytest.fixture
def other_server():
	gw = FakeGateway()
	yield gw
	gw.close()


def test_is_whitelisted_for_post_only_and_not_for_guests(frappe):
	assert frappe.whitelisted["frappe_mcp_gateway.api.ask"] == {"allow_guest": False, "methods": ["POST"]}


def test_takes_no_url_from_the_caller():
	assert list(inspect.signature(api.ask).parameters) == ["message", "context", "confirm"]


def test_forwards_the_session_sid_and_csrf_token_and_returns_the_gateway_json(gateway):
	result = api.ask(
		message="  show me top 5 customers ",
		context={"route": ["List", "Customer", 3, {"x": 1}], "doctype": "Customer", "evil": "dropped"},
	)
	assert result == ANSWER
	[request] = gateway.requests
	assert request["path"] == "/api/v1/chat"
	assert request["headers"]["Cookie"] == "sid=sid-abc123"
	assert request["headers"]["X-Frappe-CSRF-Token"] == "csrf-xyz"
	assert request["headers"]["Content-Type"] == "application/json"
	assert request["headers"]["Accept"] == "application/json"  # JSON mode: the relay does not stream
	assert "Origin" not in request["headers"]  # an unmarked server-side call, not a browser one
	assert request["body"] == {
		"message": "show me top 5 customers",
		"context": {"route": ["List", "Customer", "3"], "doctype": "Customer"},
	}


def test_sends_the_confirm_token_and_a_json_string_context(gateway):
	api.ask(message="create customer Zeta", context='{"docname": "CUST-1"}', confirm="tok-1")
	assert gateway.requests[0]["body"] == {
		"message": "create customer Zeta",
		"context": {"docname": "CUST-1"},
		"confirm": "tok-1",
	}


def test_omits_the_csrf_header_when_the_session_has_no_token(frappe, gateway):
	frappe.session.data = frappe._dict()
	api.ask(message="hi")
	assert "X-Frappe-CSRF-Token" not in gateway.requests[0]["headers"]


def test_keeps_a_path_prefix_of_the_gateway_url(settings, gateway):
	settings["gateway_url"] = gateway.url + "/mcp-gateway/"
	api.ask(message="hi")
	assert gateway.requests[0]["path"] == "/mcp-gateway/api/v1/chat"


def test_never_follows_a_redirect(frappe, gateway, other_server):
	gateway.status = 307
	gateway.headers = {"Location": other_server.url + "/api/v1/chat"}
	gateway.body = ""
	with pytest.raises(api.GatewayError, match="redirect"):
		api.ask(message="hi")
	assert other_server.requests == []


@pytest.mark.parametrize(
	("user", "sid", "cookies", "headers", "message"),
	[
		("Guest", "Guest", {"sid": "Guest"}, {}, "log in"),
		("plain@example.com", "sid-plain", {"sid": "sid-plain"}, {}, "not allowed"),
		# API-key callers: v15 keeps the Guest session id, v16's set_user() sets it to the user's name.
		("ai@example.com", "Guest", {}, {"Authorization": "token k:s"}, "browser sessions only"),
		("ai@example.com", "ai@example.com", {}, {"Authorization": "token k:s"}, "browser sessions only"),
		("Administrator", "Administrator", {}, {"Authorization": "Bearer tok"}, "browser sessions only"),
		# A session cookie plus an Authorization header: Frappe may have switched the user after the cookie.
		("ai@example.com", "sid-abc123", {"sid": "sid-abc123"}, {"Authorization": "token k:s"}, "browser sessions only"),
		# The session Frappe resumed is not the cookie's.
		("ai@example.com", "sid-abc123", {"sid": "sid-other"}, {}, "browser sessions only"),
		("ai@example.com", "", {}, {}, "browser sessions only"),
	],
)
def test_refuses_callers_without_a_permitted_browser_session(frappe, gateway, user, sid, cookies, headers, message):
	frappe.session.user, frappe.session.sid = user, sid
	frappe.request = type(frappe.request)(cookies=cookies, headers=headers)
	with pytest.raises(frappe.PermissionError, match=message):
		api.ask(message="hi")
	assert gateway.requests == []


def test_refuses_outside_a_request(frappe, gateway):
	frappe.request = None
	with pytest.raises(frappe.PermissionError, match="browser sessions only"):
		api.ask(message="hi")
	assert gateway.requests == []


def test_refuses_when_the_site_is_not_in_relay_mode(frappe, settings, gateway):
	settings["mode"] = "proxy"
	with pytest.raises(frappe.PermissionError, match="not in relay mode"):
		api.ask(message="hi")
	assert gateway.requests == []


def test_refuses_a_second_question_of_the_same_user_while_one_runs(frappe, gateway):
	with api._relay_slot("ai@example.com", 5):
		with pytest.raises(api.GatewayRateLimited, match="already have a question running"):
			api.ask(message="hi")
	assert gateway.requests == []
	assert api.ask(message="hi") == ANSWER  # the slot was freed


@pytest.mark.parametrize(("workers", "running"), [(2, 1), (3, 1), (4, 2), (9, 4)])
def test_refuses_when_half_the_workers_would_be_relaying(frappe, gateway, workers, running):
	frappe.conf.gunicorn_workers = workers
	from contextlib import ExitStack

	with ExitStack() as stack:
		for i in range(running - 1):
			stack.enter_context(api._relay_slot(f"other{i}@example.com", 5))
		# One slot left: this user's question is admitted and answered.
		assert api.ask(message="hi") == ANSWER
		stack.enter_context(api._relay_slot("last@example.com", 5))
		with pytest.raises(api.RelayBusy, match="busy right now"):
			api.ask(message="hi")
	assert len(gateway.requests) == 1
	assert frappe.cache.zcard(api.INFLIGHT_KEY) == 0  # every slot was given back


def test_refuses_on_a_single_worker_bench(frappe, gateway):
	frappe.conf.gunicorn_workers = 1
	with pytest.raises(api.RelayBusy, match="at least 2 web workers"):
		api.ask(message="hi")
	assert gateway.requests == []


def test_frees_the_slots_when_the_gateway_fails(frappe, gateway):
	gateway.status = 500
	with pytest.raises(api.GatewayError):
		api.ask(message="hi")
	assert frappe.cache.zcard(api.INFLIGHT_KEY) == 0
	assert frappe.cache.strings == {}


def test_a_slot_left_by_a_dead_worker_expires_with_its_timeout(frappe, gateway, monkeypatch):
	frappe.conf.gunicorn_workers = 2
	frappe.cache.zadd(api.INFLIGHT_KEY, {"dead-worker-call": time.time() - 1})  # its deadline has passed
	assert api.ask(message="hi") == ANSWER


def test_refuses_when_disabled(frappe, settings, gateway):
	settings["enabled"] = 0
	with pytest.raises(frappe.PermissionError, match="not enabled"):
		api.ask(message="hi")
	assert gateway.requests == []


def test_allows_every_signed_in_user_when_no_role_is_set(frappe, settings, gateway):
	settings["allowed_role"] = ""
	frappe.session.user = "plain@example.com"
	assert api.ask(message="hi") == ANSWER


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://gw.example", "http://user:pw@gw.example", "gw:3000", ""])
def test_refuses_a_stored_gateway_url_that_is_not_plain_http(settings, url):
	settings["gateway_url"] = url
	with pytest.raises(api.GatewayError, match="Gateway URL"):
		api.ask(message="hi")


@pytest.mark.parametrize("message", [None, "", "   ", 42, "x" * (api.MAX_MESSAGE_CHARS + 1)])
def test_rejects_a_bad_question(frappe, gateway, message):
	with pytest.raises(frappe.ValidationError):
		api.ask(message=message)
	assert gateway.requests == []


def test_rejects_bad_context_and_confirm(frappe, gateway):
	with pytest.raises(frappe.ValidationError, match="context"):
		api.ask(message="hi", context="{not json")
	with pytest.raises(frappe.ValidationError, match="context"):
		api.ask(message="hi", context="[1]")
	with pytest.raises(frappe.ValidationError, match="confirmation"):
		api.ask(message="hi", confirm="x" * 1000)
	assert gateway.requests == []


@pytest.mark.parametrize(
	("status", "exc_name", "message"),
	[
		(400, "ValidationError", "Question too long"),
		(403, "PermissionError", "Question too long"),
		(429, "GatewayRateLimited", "Question too long"),
		(401, "GatewayError", "could not verify your session"),
		(500, "GatewayError", "Question too long"),
	],
)
def test_maps_gateway_errors(frappe, gateway, status, exc_name, message):
	gateway.status = status
	gateway.body = json.dumps({"error": {"code": "x", "message": "Question too long"}})
	exc = getattr(api, exc_name, None) or getattr(frappe, exc_name)
	with pytest.raises(exc, match=message):
		api.ask(message="hi")


def test_maps_errors_without_a_json_body(gateway):
	gateway.status, gateway.body = 502, "<html>Bad Gateway</html>"
	with pytest.raises(api.GatewayError, match=r"failed \(502\)"):
		api.ask(message="hi")


def test_rejects_a_success_that_is_not_json(gateway):
	gateway.body = "<html>nginx default page</html>"
	with pytest.raises(api.GatewayError, match="not JSON"):
		api.ask(message="hi")


def test_reports_an_unreachable_gateway(settings):
	with socket.socket() as s:  # a port that was just free: connection refused
		s.bind(("127.0.0.1", 0))
		port = s.getsockname()[1]
	settings["gateway_url"] = f"http://127.0.0.1:{port}"
	with pytest.raises(api.GatewayError, match="unreachable"):
		api.ask(message="hi")


def test_gives_up_after_the_timeout_when_no_answer_comes(settings, gateway):
	settings["timeout"] = 1
	gateway.handler = lambda handler: time.sleep(3)
	started = time.monotonic()
	with pytest.raises(api.GatewayTimeout):
		api.ask(message="hi")
	assert time.monotonic() - started < 2


def test_bounds_the_total_time_of_a_slowly_dripping_answer(settings, gateway):
	settings["timeout"] = 1

	def drip(handler):
		handler.send_response(200)
		handler.send_header("Content-Type", "application/json")
		handler.end_headers()
		try:
			for _ in range(30):
				handler.wfile.write(b" ")
				handler.wfile.flush()
				time.sleep(0.2)
		except OSError:
			pass

	gateway.handler = drip
	started = time.monotonic()
	with pytest.raises(api.GatewayTimeout):
		api.ask(message="hi")
	assert time.monotonic() - started < 2


def test_refuses_an_oversized_answer(monkeypatch, gateway):
	monkeypatch.setattr(api, "MAX_RESPONSE_BYTES", 100)
	gateway.body = json.dumps({"answer": "x" * 500, "blocks": [], "tool_calls": []})
	with pytest.raises(api.GatewayError, match="too large"):
		api.ask(message="hi")
