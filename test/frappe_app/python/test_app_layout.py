"""The files bench and Frappe need, and the hooks this app must (and must not) register."""

import importlib
import json
import re

from conftest import APP_ROOT

APP = APP_ROOT / "frappe_mcp_gateway"
DOCTYPE_DIR = APP / "mcp_gateway" / "doctype" / "mcp_gateway_settings"


def test_bench_recognises_the_app():
	# bench's is_frappe_app() looks for these three; get_app_name() reads pyproject's project name.
	for name in ("hooks.py", "modules.txt", "patches.txt"):
		assert (APP / name).is_file(), name
	pyproject = (APP_ROOT / "pyproject.toml").read_text()  # read as text: tomllib needs Python 3.11
	assert re.search(r'^\[project\]\nname = "frappe_mcp_gateway"$', pyproject, re.M)
	assert re.search(r"^build-backend = \"setuptools.build_meta\"$", pyproject, re.M)
	assert re.search(r"^dependencies = \[\n(\s*#.*\n)*\]$", pyproject, re.M)  # none
	assert (APP / "modules.txt").read_text().strip() == "MCP Gateway"
	assert importlib.import_module("frappe_mcp_gateway").__version__


def test_hooks_load_the_desk_script_and_boot_info_but_no_server_search_hook():
	hooks = importlib.import_module("frappe_mcp_gateway.hooks")
	assert hooks.app_name == "frappe_mcp_gateway"
	assert hooks.app_include_js == "frappe_mcp_gateway.bundle.js"
	assert (APP / "public" / "js" / "frappe_mcp_gateway.bundle.js").is_file()
	assert 'import "./ask_ai/index.js"' in (APP / "public" / "js" / "frappe_mcp_gateway.bundle.js").read_text()
	# The cross-site sign-in's redirect page, served by Frappe as /assets/frappe_mcp_gateway/oauth-callback.html.
	callback = (APP / "public" / "oauth-callback.html").read_text()
	assert '<script src="js/oauth_callback.js"></script>' in callback
	assert "window.location.origin" in (APP / "public" / "js" / "oauth_callback.js").read_text()
	assert hooks.boot_session == "frappe_mcp_gateway.boot.boot_session"
	assert not hasattr(hooks, "awesomebar_search")
	assert not hasattr(hooks, "override_whitelisted_methods")
	for dotted in (hooks.boot_session, hooks.before_install, hooks.after_install, hooks.after_migrate):
		module, _, attr = dotted.rpartition(".")
		assert callable(getattr(importlib.import_module(module), attr))


def test_settings_doctype_matches_its_controller():
	meta = json.loads((DOCTYPE_DIR / "mcp_gateway_settings.json").read_text())
	assert meta["name"] == "MCP Gateway Settings"
	assert meta["issingle"] == 1
	assert meta["module"] == "MCP Gateway"
	fields = {f["fieldname"]: f for f in meta["fields"]}
	assert meta["field_order"] == [f["fieldname"] for f in meta["fields"]]
	assert {"enabled", "mode", "gateway_url", "gateway_path", "timeout", "allowed_role"} <= fields.keys()
	assert fields["mode"]["options"].split("\n") == ["proxy", "relay", "cross-site"]
	assert fields["allowed_role"]["options"] == "Role"
	assert [p["role"] for p in meta["permissions"]] == ["System Manager"]
	# Frappe finds the controller as <app>.<scrubbed module>.doctype.<scrubbed name>.<scrubbed name>.<Name without spaces>
	module = importlib.import_module(
		"frappe_mcp_gateway.mcp_gateway.doctype.mcp_gateway_settings.mcp_gateway_settings"
	)
	assert hasattr(module, meta["name"].replace(" ", ""))


def test_nginx_snippet_proxies_the_default_path_without_buffering():
	conf = (APP_ROOT / "nginx" / "mcp-gateway.conf").read_text()
	assert "location /mcp-gateway/" in conf
	assert "proxy_buffering off;" in conf
	assert "proxy_http_version 1.1;" in conf
