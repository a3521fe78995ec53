// Served as /assets/frappe_mcp_gateway/js/oauth_callback.js by oauth-callback.html, the redirect URI of
// the cross-site sign-in (ask_ai/token.js). Hands the authorization code to the desk page that opened
// this window or frame, on this site's own origin only, then closes.
(function () {
	"use strict";
	var params = new URLSearchParams(window.location.search);
	var message = {
		type: "frappe_mcp_gateway:oauth",
		state: params.get("state"),
		code: params.get("code"),
		error: params.get("error"),
		error_description: params.get("error_description"),
	};
	var target = window.opener || (window.parent !== window ? window.parent : null);
	if (target) target.postMessage(message, window.location.origin);
	// Drop the code from this window's history before closing.
	if (window.history && window.history.replaceState) window.history.replaceState(null, "", window.location.pathname);
	if (window.opener) window.close();
})();
