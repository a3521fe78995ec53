// "@ai <question>" in the Frappe desk's Awesome Bar, answered by frappe-mcp-gateway as the signed-in
// user. Loaded through frappe_mcp_gateway.bundle.js (hooks.py app_include_js, built by `bench build`
// with esbuild), which runs after Frappe's own bundles and before the toolbar exists.
//
//   hook.js      the Awesome Bar item            dialog.js   the answer dialog
//   transport.js asking, per mode                token.js    the cross-site gateway token
//   sse.js       the event-stream parser         blocks.js   answer blocks as DOM
//   format.js    the desk's formatting, links    errors.js   failures as sentences
//   config.js    boot info, desk version         desk.js     the desk's globals
//
// Everything testable is exported as frappe.mcp_gateway.
import { desk_base, get_config, is_available, normalize_path, normalize_url } from "./config.js";
import { desk } from "./desk.js";
import { open_dialog } from "./dialog.js";
import { describe_failure } from "./errors.js";
import { form_link, format_value } from "./format.js";
import { get_context, install, make_items, open_later, parse_query } from "./hook.js";
import { render_block, render_blocks } from "./blocks.js";
import { create_sse_parser, read_sse } from "./sse.js";
import { build_request, run_chat } from "./transport.js";
import { redirect_uri } from "./token.js";

const frappe = desk();
if (frappe) {
	const api = {
		version: "0.2.0",
		parse_query,
		make_items: (txt) => make_items(txt, open_dialog),
		install: () => install(open_dialog),
		get_config,
		is_available,
		get_context,
		normalize_path,
		normalize_url,
		desk_base,
		create_sse_parser,
		read_sse,
		build_request,
		run_chat,
		describe_failure,
		format_value,
		form_link,
		render_block,
		render_blocks,
		open_dialog,
		open_later: (question) => open_later(question, open_dialog),
		redirect_uri,
	};
	frappe.mcp_gateway = api;
	api.install_result = install(open_dialog);
}
