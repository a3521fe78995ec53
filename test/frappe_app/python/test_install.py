"""Installing the app on a site, as `bench --site <site> install-app frappe_mcp_gateway` does it
(bench_stub.install_app), and installing the package into a bench's Python environment offline."""

import os
import shutil
import subprocess
import venv

import pytest
from bench_stub import AlreadyInstalled, doctypes, install_app, migrate, save_single, validate_links
from conftest import APP_ROOT

APP = "frappe_mcp_gateway"
SETTINGS = "MCP Gateway Settings"


@pytest.fixture
def fresh_site(frappe):
	"""A site with Frappe's own roles, without this app: no "AI User", no settings."""
	frappe.state.records["Role"].discard("AI User")
	frappe.state.singles.pop(SETTINGS, None)
	frappe.state.installed_apps = ["frappe", "erpnext"]
	return frappe


def test_first_install_creates_the_role_before_the_settings_link_to_it(fresh_site):
	install_app(fresh_site)
	assert "AI User" in fresh_site.state.records["Role"]
	assert fresh_site.state.installed_apps[-1] == APP
	stored = fresh_site.state.singles[SETTINGS]
	assert stored["allowed_role"] == "AI User"
	assert stored["enabled"] in ("0", 0)
	assert [d["doctype"] for d in fresh_site.state.inserted] == ["Role"]


def test_a_second_install_says_already_installed_and_a_forced_one_changes_nothing(fresh_site):
	install_app(fresh_site)
	fresh_site.state.singles[SETTINGS].update(enabled=1, mode="relay", gateway_url="http://gw:3000", allowed_role="")
	with pytest.raises(AlreadyInstalled):
		install_app(fresh_site)
	install_app(fresh_site, force=True)
	stored = fresh_site.state.singles[SETTINGS]
	assert (stored["mode"], stored["gateway_url"]) == ("relay", "http://gw:3000")
	assert fresh_site.state.installed_apps.count(APP) == 1
	assert [d["doctype"] for d in fresh_site.state.inserted] == ["Role"]  # the role was made once


def test_migrate_repairs_a_site_half_installed_by_an_older_version(fresh_site):
	# Listed as installed, but the role was never created (the failure this app used to cause).
	fresh_site.state.installed_apps.append(APP)
	migrate(fresh_site)
	assert "AI User" in fresh_site.state.records["Role"]
	save_single(fresh_site, APP, next(m for m in doctypes(APP) if m.get("issingle")))  # no longer refused


def test_the_stub_enforces_link_validation_as_frappe_does(fresh_site):
	# The check that made today's install fail must itself hold: a missing link target is refused.
	meta = next(m for m in doctypes(APP) if m.get("issingle"))
	with pytest.raises(fresh_site.LinkValidationError, match="Could not find Allowed Role: AI User"):
		validate_links(fresh_site, meta, fresh_site._dict(allowed_role="AI User"))


def test_hooks_do_not_declare_required_apps():
	import frappe_mcp_gateway.hooks as hooks

	assert not hasattr(hooks, "required_apps")


def _readme_block(name):
	"""The shell lines of README.md's fenced block that follows the marker comment `<!-- name -->`."""
	text = (APP_ROOT / "README.md").read_text()
	start = text.index(f"<!-- {name} -->")
	block = text[text.index("```bash\n", start) + len("```bash\n") : text.index("```", text.index("```bash\n", start) + 7)]
	return block


@pytest.mark.parametrize("apps_txt", ["frappe\nerpnext", "frappe\nerpnext\n", "frappe\nerpnext\nfrappe_mcp_gateway\n"])
def test_the_readme_line_that_lists_the_app_copes_with_any_apps_txt(tmp_path, apps_txt):
	(tmp_path / "sites").mkdir()
	(tmp_path / "sites" / "apps.txt").write_text(apps_txt)
	lines = [line for line in _readme_block("apps-txt").splitlines() if "apps.txt" in line]
	assert lines, "README.md must show how to list the app in sites/apps.txt"
	for line in lines:
		subprocess.run(["bash", "-euc", line], cwd=tmp_path, check=True)
	assert (tmp_path / "sites" / "apps.txt").read_text().split() == ["frappe", "erpnext", APP]


def test_the_readme_offline_steps_make_the_app_importable_in_a_bench_env_without_build_tools(tmp_path):
	# An offline bench: no package index, and an env without flit_core (and, on Python 3.12+, without
	# setuptools): the README's offline lines must still make the app importable there.
	app = tmp_path / "apps" / APP
	shutil.copytree(APP_ROOT, app, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
	env = tmp_path / "env"
	venv.EnvBuilder(with_pip=False).create(env)
	offline = {**os.environ, "PIP_NO_INDEX": "1", "PYTHONDONTWRITEBYTECODE": "1"}
	probe = subprocess.run([env / "bin" / "python", "-c", "import flit_core"], capture_output=True, env=offline)
	assert probe.returncode != 0, "this check needs an environment without flit_core"
	lines = [line for line in _readme_block("offline-env").splitlines() if line and not line.startswith("#")]
	assert lines, "README.md must show the offline way to add the app to the bench's env"
	for line in lines:
		subprocess.run(["bash", "-euc", line], cwd=tmp_path, check=True, env=offline)
	out = subprocess.run(
		[env / "bin" / "python", "-c", "import frappe_mcp_gateway as m, os; print(m.__version__, os.path.dirname(m.__file__))"],
		check=True,
		capture_output=True,
		text=True,
		env=offline,
		cwd="/",
	).stdout.split()
	assert out == [__import__("frappe_mcp_gateway").__version__, str(app / APP)]
