"""A site set up as an administrator would, against the stub `frappe` (test/frappe_app/python): the app
installed through its install hooks (bench_stub.install_app, with Frappe's link validation), "MCP
Gateway Settings" saved through its controller, then the boot info the app's boot_session hook gives
each user. Prints {user: bootinfo.mcp_gateway} as JSON, for the browser test of the desk bundle.

Usage: python3 site_boot.py '<settings as JSON>' user...   (users holding "AI User": *-ai@…)
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "frappe_app" / "python"))

import conftest  # noqa: E402 - installs the stub `frappe`
from bench_stub import install_app, save_single  # noqa: E402

frappe = conftest.STUB


def main(settings, users):
	frappe.state = conftest._dict(
		roles={u: (["AI User", "Sales User"] if "-ai@" in u or u == "Administrator" else ["Sales User"]) for u in users},
		singles={},
		records={"Role": {"Sales User", "System Manager"}},
		inserted=[],
		installed_apps=["frappe", "erpnext"],
	)
	frappe.session = conftest._dict(user="Administrator", sid="sid-admin", data=conftest._dict())
	frappe.request = None
	frappe.conf = conftest._dict(gunicorn_workers=4)
	frappe.cache = conftest.Cache()
	frappe.db = conftest.Db(frappe.state)
	install_app(frappe)
	frappe.state.singles["MCP Gateway Settings"].update(settings)
	import bench_stub

	meta = next(m for m in bench_stub.doctypes("frappe_mcp_gateway") if m.get("issingle"))
	save_single(frappe, "frappe_mcp_gateway", meta)

	from frappe_mcp_gateway.boot import get_boot_info

	out = {}
	for user in users:
		frappe.session.user = user
		out[user] = get_boot_info(user)
	print(json.dumps(out))


if __name__ == "__main__":
	main(json.loads(sys.argv[1]), sys.argv[2:])
