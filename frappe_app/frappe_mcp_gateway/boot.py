"""Tell the desk, at boot, whether and how this user may ask the gateway."""

import frappe

from frappe_mcp_gateway.settings import get_settings, user_is_allowed


def get_boot_info(user=None):
	"""{enabled, mode, path, allowed} for the desk JS. `path` is the same-origin prefix (proxy mode)
	or "" (relay mode); `allowed` is False for Guest, users without the role, or a disabled or
	half-configured gateway, and then the desk shows no "Ask AI"."""
	settings = get_settings()
	configured = bool(settings.gateway_path) if settings.mode == "proxy" else bool(settings.gateway_url)
	return {
		"enabled": settings.enabled,
		"mode": settings.mode,
		"path": settings.gateway_path if settings.mode == "proxy" else "",
		"allowed": bool(settings.enabled and configured and user_is_allowed(settings, user)),
	}


def boot_session(bootinfo):
	"""`boot_session` hook. Frappe caches boot info per user; the settings controller clears it on save."""
	bootinfo["mcp_gateway"] = get_boot_info()
