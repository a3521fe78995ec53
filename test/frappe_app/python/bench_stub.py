"""`bench --site <site> install-app <app>` and `bench migrate` against the stub `frappe`, in the order
of frappe/installer.py install_app (v15 and v16):

1. `required_apps` are resolved (v15 asks the GitHub API: offline or rate-limited, a ConnectionError);
2. "already installed" unless `force`;
3. `before_install` hooks;
4. the app's doctypes are synced;
5. the app is added to installed apps (committed at once);
6. the single "MCP Gateway Settings" is saved with its defaults: as observed on v15 and v16 benches,
   after the app is listed and before `after_install`. Saving runs the controller's validate and then
   checks every Link as Frappe's Document._validate_links does (LinkValidationError "Could not find
   <label>: <value>");
7. `after_install` hooks.
"""

import importlib
import json

from conftest import APP_ROOT


class AlreadyInstalled(Exception):
	pass


def _hooks(app):
	return importlib.import_module(f"{app}.hooks")


def _hook_list(hooks, name):
	value = getattr(hooks, name, None)
	if value is None:
		return []
	return list(value) if isinstance(value, list | tuple) else [value]


def _call(dotted):
	module, _, attr = dotted.rpartition(".")
	return getattr(importlib.import_module(module), attr)()


def _scrub(text):
	return text.replace(" ", "_").replace("-", "_").lower()


def doctypes(app):
	"""The app's doctype definitions, as sync_for reads them."""
	for path in sorted((APP_ROOT / app).glob("*/doctype/*/*.json")):
		meta = json.loads(path.read_text())
		if meta.get("doctype") == "DocType":
			yield meta


def _controller(app, meta):
	name = _scrub(meta["name"])
	module = importlib.import_module(f"{app}.{_scrub(meta['module'])}.doctype.{name}.{name}")
	return getattr(module, meta["name"].replace(" ", "").replace("-", ""))


def validate_links(frappe, meta, doc):
	for field in meta["fields"]:
		value = doc.get(field["fieldname"])
		if field["fieldtype"] == "Link" and value and not frappe.db.exists(field["options"], value):
			raise frappe.LinkValidationError(f"Could not find {field.get('label')}: {value}")


def save_single(frappe, app, meta):
	"""Save a single as Frappe does: defaults for unset fields, validate, links, then on_update."""
	stored = frappe.state.singles.setdefault(meta["name"], {})
	values = {f["fieldname"]: f["default"] for f in meta["fields"] if "default" in f}
	values.update({k: v for k, v in stored.items() if v not in (None, "")})
	doc = _controller(app, meta)(values)
	doc.validate()
	validate_links(frappe, meta, doc)
	stored.update({f["fieldname"]: doc.get(f["fieldname"]) for f in meta["fields"] if "fieldname" in f})
	doc.on_update()
	return doc


def install_app(frappe, app="frappe_mcp_gateway", force=False):
	hooks = _hooks(app)
	if getattr(hooks, "required_apps", None):
		raise ConnectionError("install-app resolves required_apps through api.github.com (offline bench)")
	installed = frappe.state.setdefault("installed_apps", [])
	if app in installed and not force:
		raise AlreadyInstalled(f"App {app} already installed")
	for dotted in _hook_list(hooks, "before_install"):
		if _call(dotted) is False:
			return
	metas = list(doctypes(app))
	for meta in metas:
		frappe.state.records.setdefault("DocType", set()).add(meta["name"])
	if app not in installed:
		installed.append(app)
	for meta in metas:
		if meta.get("issingle"):
			save_single(frappe, app, meta)
	for dotted in _hook_list(hooks, "after_install"):
		_call(dotted)


def migrate(frappe, app="frappe_mcp_gateway"):
	"""`bench migrate`: resync the doctypes of an installed app, then its after_migrate hooks."""
	hooks = _hooks(app)
	for meta in doctypes(app):
		frappe.state.records.setdefault("DocType", set()).add(meta["name"])
	for dotted in _hook_list(hooks, "after_migrate"):
		_call(dotted)
