"""Settings checks, the settings controller, boot info and install."""

import pytest

from frappe_mcp_gateway import boot, install
from frappe_mcp_gateway.mcp_gateway.doctype.mcp_gateway_settings.mcp_gateway_settings import MCPGatewaySettings
from frappe_mcp_gateway.settings import (
	get_settings,
	normalize_gateway_path,
	normalize_gateway_url,
	normalize_timeout,
)


@pytest.mark.parametrize(
	("url", "expected"),
	[
		("http://127.0.0.1:3000", "http://127.0.0.1:3000"),
		(" https://gw.example.com/mcp-gateway/ ", "https://gw.example.com/mcp-gateway"),
		("HTTP://[::1]:3000", "HTTP://[::1]:3000"),
	],
)
def test_accepts_plain_http_urls(url, expected):
	assert normalize_gateway_url(url) == expected


@pytest.mark.parametrize(
	"url",
	[
		"",
		"gw.example.com",
		"ftp://gw.example.com",
		"javascript:alert(1)",
		"file:///etc/passwd",
		"http://",
		"http://user:secret@gw.example.com",
		"http://gw.example.com/?next=http://evil",
		"http://gw.example.com/#x",
		"http://gw.example.com:99999",
	],
)
def test_rejects_other_urls(url):
	with pytest.raises(ValueError):
		normalize_gateway_url(url)


@pytest.mark.parametrize(("path", "expected"), [("/mcp-gateway", "/mcp-gateway"), ("/ai/gw/", "/ai/gw")])
def test_accepts_plain_paths(path, expected):
	assert normalize_gateway_path(path) == expected


@pytest.mark.parametrize(
	"path",
	["", "/", "mcp-gateway", "//evil.example", "https://evil.example", "/a/../b", "/a b", "/api", "/api/v1", "/app/x", "/assets"],
)
def test_rejects_other_paths(path):
	with pytest.raises(ValueError):
		normalize_gateway_path(path)


def test_timeout_defaults_and_bounds():
	assert normalize_timeout(None) == 15
	assert normalize_timeout("30") == 30
	for bad in (-1, 31, "soon"):
		with pytest.raises(ValueError):
			normalize_timeout(bad)


def test_get_settings_fills_defaults_for_a_never_saved_single(frappe):
	frappe.state.singles["MCP Gateway Settings"] = {}
	assert get_settings() == {
		"enabled": False,
		"mode": "proxy",
		"gateway_url": "",
		"gateway_path": "/mcp-gateway",
		"gateway_public_url": "",
		"timeout": 15,
		"allowed_role": "",
	}


def make_doc(**values):
	base = {"enabled": 1, "mode": "proxy", "gateway_path": "/mcp-gateway/", "gateway_url": "", "timeout": None}
	return MCPGatewaySettings({**base, **values})


def test_controller_normalizes_valid_settings():
	doc = make_doc(gateway_url="http://127.0.0.1:3000/", allowed_role="AI User")
	doc.validate()
	assert (doc.gateway_path, doc.gateway_url, doc.timeout) == ("/mcp-gateway", "http://127.0.0.1:3000", 15)


@pytest.mark.parametrize(
	("values", "message"),
	[
		({"mode": "direct"}, "proxy, relay or cross-site"),
		({"mode": "cross-site", "gateway_public_url": ""}, "required"),
		({"mode": "cross-site", "gateway_public_url": "http://gw.example.com"}, "https"),
		({"mode": "cross-site", "gateway_public_url": "javascript:alert(1)"}, "http"),
		({"gateway_path": "https://evil.example"}, "absolute path"),
		({"mode": "relay", "gateway_url": ""}, "required"),
		({"mode": "relay", "gateway_url": "ftp://x"}, "http"),
		({"timeout": 1000}, "between"),
		({"allowed_role": "Nobody"}, "does not exist"),
	],
)
def test_controller_rejects_bad_settings(frappe, values, message):
	with pytest.raises(frappe.ValidationError, match=message):
		make_doc(**values).validate()


def test_saving_settings_clears_every_users_cached_boot_info(frappe):
	make_doc().on_update()
	assert frappe.cache.deleted == ["bootinfo"]


def test_boot_info_for_an_allowed_user_in_relay_mode(frappe):
	bootinfo = frappe._dict()
	boot.boot_session(bootinfo)
	assert bootinfo.mcp_gateway == {"enabled": True, "mode": "relay", "path": "", "allowed": True}


def test_boot_info_in_cross_site_mode_sends_the_public_url(settings):
	settings.update(mode="cross-site", gateway_public_url="https://ai.example.com/")
	assert boot.get_boot_info() == {
		"enabled": True,
		"mode": "cross-site",
		"path": "",
		"url": "https://ai.example.com",
		"allowed": True,
	}
	settings.update(gateway_public_url="http://ai.example.com")  # stored before validation existed
	assert boot.get_boot_info()["allowed"] is False


def test_controller_accepts_cross_site_on_https_or_localhost(frappe):
	for url in ("https://ai.example.com/", "http://127.0.0.1:3000"):
		doc = make_doc(mode="cross-site", gateway_public_url=url)
		doc.validate()
		assert doc.gateway_public_url == url.rstrip("/")


def test_boot_info_in_proxy_mode_sends_the_path(settings):
	settings.update(mode="proxy", gateway_path="/ai-gw/")
	assert boot.get_boot_info() == {"enabled": True, "mode": "proxy", "path": "/ai-gw", "allowed": True}


@pytest.mark.parametrize(
	("user", "changes"),
	[
		("plain@example.com", {}),  # lacks the role
		("Guest", {}),
		("ai@example.com", {"enabled": 0}),
		("ai@example.com", {"gateway_url": "not a url"}),  # relay mode without a usable URL
	],
)
def test_boot_info_hides_ask_ai(frappe, settings, user, changes):
	frappe.session.user = user
	settings.update(changes)
	assert boot.get_boot_info()["allowed"] is False


def test_after_install_creates_the_default_role_once(frappe):
	install.after_install()
	assert frappe.state.inserted == []  # "AI User" already exists in the fixture
	frappe.state.records["Role"].discard("AI User")
	install.after_install()
	assert frappe.state.inserted == [{"doctype": "Role", "role_name": "AI User", "desk_access": 1}]
