"""Tell the desk, at boot, whether and how this user may ask the gateway."""

import frappe

from frappe_mcp_gateway.settings import get_settings, user_is_allowed


# The setting each mode needs, and what the desk receives from it.
_MODE_SETTING = {"proxy": "gateway_path", "relay": "gateway_url", "cross-site": "gateway_public_url"}


def get_boot_info(user=None):
	"""{enabled, mode, path, allowed[, url]} for the desk JS. `path` is the same-origin prefix (proxy
	mode) or ""; `url` is the gateway's public URL (cross-site mode only); `allowed` is False for Guest,
	users without the role, or a disabled or half-configured gateway, and then the desk shows no "Ask AI"."""
	settings = get_settings()
	configured = bool(settings.get(_MODE_SETTING[settings.mode]))
	info = {
		"enabled": settings.enabled,
		"mode": settings.mode,
		"path": settings.gateway_path if settings.mode == "proxy" else "",
		"allowed": bool(settings.enabled and configured and user_is_allowed(settings, user)),
	}
	if settings.mode == "cross-site":
		info["url"] = settings.gateway_public_url
	return info


def boot_session(bootinfo):
	"""`boot_session` hook. Frappe caches boot info per user; the settings controller clears it on save."""
	bootinfo["mcp_gateway"] = get_boot_info()
