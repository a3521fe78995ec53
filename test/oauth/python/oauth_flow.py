#!/usr/bin/env python3
"""The Python MCP SDK client (what mcpo builds on) through the gateway's whole OAuth flow, headlessly.

Usage: python3 oauth_flow.py <gateway url> <frappe url>

Configured the way mcpo configures it: ``server_url`` is the full MCP URL, DCR with mcpo's default client
metadata (no ``token_endpoint_auth_method``), redirect URI ``http://localhost:3030/callback``. The redirect
handler plays the browser with plain httpx: it signs in to Frappe (the stand-in) with the demo user, follows
the authorization URL through the gateway's /authorize, Frappe's authorize, the gateway's /oauth/callback and
its consent page, submits "Allow" with the page's CSRF field and cookie, and keeps the code and state from
the final redirect to the client's redirect URI, which it never connects to. Then it lists the tools and
calls ``whoami``.

Prints one JSON object on stdout; progress goes to stderr. Exits 0 only if every step succeeded.
"""

from __future__ import annotations

import asyncio
import json
import sys
import traceback
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

try:
    import httpx
    from mcp import ClientSession
    from mcp.client.auth import OAuthClientProvider, TokenStorage
    from mcp.client.streamable_http import streamablehttp_client
    from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken
except ImportError as exc:  # pragma: no cover - reported to the vitest wrapper
    print(
        f"MISSING_PYTHON_MCP: cannot import the Python MCP SDK ({exc}). "
        "Install it with: python3 -m pip install 'mcp<2'",
        file=sys.stderr,
    )
    sys.exit(3)

REDIRECT_URI = "http://localhost:3030/callback"
USER = "sales@example.com"
PASSWORD = "Sales#Pass2024"


def log(msg: str) -> None:
    print(f"[oauth_flow] {msg}", file=sys.stderr, flush=True)


class MemoryStorage(TokenStorage):
    """In-memory TokenStorage (mcpo's "memory" storage_type)."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info


class FormParser(HTMLParser):
    """Collects each <form>'s method, action, hidden inputs and submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._current = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "fields": {},
                "buttons": [],
            }
            self.forms.append(self._current)
        elif self._current is not None and tag == "input" and a.get("type", "text") == "hidden":
            self._current["fields"][a.get("name", "")] = a.get("value", "")
        elif self._current is not None and tag == "button" and a.get("type", "submit") == "submit":
            self._current["buttons"].append((a.get("name", ""), a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


class HeadlessBrowser:
    """Plays the user's browser: one cookie jar (cookies per host, as browsers keep them), manual redirects."""

    def __init__(self, frappe_url: str) -> None:
        self.frappe_url = frappe_url.rstrip("/")
        self.http = httpx.AsyncClient(follow_redirects=False, timeout=30)
        self.visited: list[str] = []
        self.callback: dict[str, str] = {}
        self.consent_page: str = ""
        self.done = asyncio.Event()
        self.error: BaseException | None = None

    async def login(self) -> None:
        res = await self.http.post(
            f"{self.frappe_url}/api/method/login",
            data={"usr": USER, "pwd": PASSWORD},
            headers={"Accept": "application/json"},
        )
        if res.status_code != 200:
            raise RuntimeError(f"Frappe login answered {res.status_code}: {res.text[:300]}")
        if "sid" not in self.http.cookies:
            raise RuntimeError("Frappe login set no sid cookie")
        log(f"signed in to Frappe as {USER}")

    async def _follow(self, url: str) -> tuple[str | None, httpx.Response | None]:
        """Follows redirects; stops at the client's redirect URI (returned, never loaded) or at a page."""
        nxt = url
        for _ in range(20):
            if nxt.startswith(REDIRECT_URI):
                return nxt, None
            self.visited.append(nxt)
            res = await self.http.get(nxt)
            if 300 <= res.status_code < 400:
                nxt = urljoin(nxt, res.headers["location"])
                continue
            return None, res
        raise RuntimeError("too many redirects")

    async def authorize(self, authorization_url: str) -> None:
        try:
            await self.login()
            landed, page = await self._follow(authorization_url)
            if landed is None:
                assert page is not None
                if page.status_code != 200:
                    raise RuntimeError(f"authorization stopped at {page.url} with {page.status_code}: {page.text[:500]}")
                self.consent_page = page.text
                parser = FormParser()
                parser.feed(page.text)
                forms = [
                    f for f in parser.forms if f["method"] == "post" and any(v == "approve" for (_n, v) in f["buttons"])
                ]
                if not forms:
                    raise RuntimeError(f"no consent form with an approve button on {page.url}: {page.text[:500]}")
                form = forms[0]
                if "csrf" not in form["fields"]:
                    raise RuntimeError("the consent form has no csrf field")
                button = next(n for (n, v) in form["buttons"] if v == "approve")
                action = urljoin(str(page.url), form["action"] or str(page.url))
                log(f"consent page shown; submitting approve to {action}")
                res = await self.http.post(action, data={**form["fields"], button: "approve"})
                if res.status_code not in (302, 303):
                    raise RuntimeError(f"consent POST answered {res.status_code}: {res.text[:500]}")
                landed, page = await self._follow(urljoin(action, res.headers["location"]))
                if landed is None:
                    assert page is not None
                    raise RuntimeError(f"after consent the browser stopped at {page.url}: {page.status_code}")
            q = {k: v[0] for k, v in parse_qs(urlsplit(landed).query).items()}
            log(f"back at the client's redirect URI with {sorted(q)}")
            self.callback = q
        except BaseException as exc:  # noqa: BLE001 - handed to the callback handler
            self.error = exc
        finally:
            self.done.set()


async def run(gateway_url: str, frappe_url: str) -> dict[str, Any]:
    server_url = gateway_url.rstrip("/") + "/mcp"
    storage = MemoryStorage()
    browser = HeadlessBrowser(frappe_url)
    auth_urls: list[str] = []

    async def redirect_handler(authorization_url: str) -> None:
        log(f"redirect to {authorization_url}")
        auth_urls.append(authorization_url)
        # Like mcpo's webbrowser.open: hand the URL to the "browser" and return at once.
        asyncio.get_running_loop().create_task(browser.authorize(authorization_url))

    async def callback_handler() -> tuple[str, str | None]:
        await asyncio.wait_for(browser.done.wait(), timeout=60)
        if browser.error is not None:
            raise browser.error
        if "error" in browser.callback:
            raise RuntimeError(f"authorization refused: {browser.callback}")
        if "code" not in browser.callback:
            raise RuntimeError(f"no code in the redirect: {browser.callback}")
        return browser.callback["code"], browser.callback.get("state")

    # mcpo's default DCR body: no token_endpoint_auth_method, no scope (taken from the challenge/PRM/AS).
    metadata = OAuthClientMetadata(
        client_name="MCPO Client for frappe",
        redirect_uris=[REDIRECT_URI],
        grant_types=["authorization_code", "refresh_token"],
        response_types=["code"],
    )
    provider = OAuthClientProvider(
        server_url=server_url,
        client_metadata=metadata,
        storage=storage,
        redirect_handler=redirect_handler,
        callback_handler=callback_handler,
        timeout=60,
    )

    async with streamablehttp_client(server_url, auth=provider, timeout=30) as (read, write, _sid):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            tools = await session.list_tools()
            who = await session.call_tool("whoami", {})
    await browser.http.aclose()

    if who.isError:
        raise RuntimeError(f"whoami failed: {who.model_dump(mode='json')}")
    tokens = storage.tokens
    info = storage.client_info
    if tokens is None or info is None:
        raise RuntimeError("the provider stored no tokens or no client information")
    auth_q = {k: v[0] for k, v in parse_qs(urlsplit(auth_urls[0]).query).items()} if auth_urls else {}
    return {
        "ok": True,
        "protocolVersion": init.protocolVersion,
        "server": init.serverInfo.model_dump(mode="json"),
        "tools": [t.name for t in tools.tools],
        "whoami": {
            "structuredContent": who.structuredContent,
            "content": [c.model_dump(mode="json") for c in who.content],
        },
        "authorization_request": auth_q,
        "callback": {k: v for k, v in browser.callback.items() if k != "code"},
        "code_prefix": browser.callback.get("code", "")[:8],
        "consent_page_has_user": USER in browser.consent_page,
        "visited": browser.visited,
        "client_info": {
            "client_id": info.client_id,
            "token_endpoint_auth_method": info.token_endpoint_auth_method,
            "has_secret": bool(info.client_secret),
            "redirect_uris": [str(u) for u in (info.redirect_uris or [])],
        },
        "tokens": {
            "access_token": tokens.access_token,
            "token_type": tokens.token_type,
            "scope": tokens.scope,
            "has_refresh_token": bool(tokens.refresh_token),
        },
    }


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: oauth_flow.py <gateway url> <frappe url>", file=sys.stderr)
        return 2
    try:
        result = asyncio.run(asyncio.wait_for(run(sys.argv[1], sys.argv[2]), timeout=90))
    except BaseException as exc:  # noqa: BLE001 - any failure is a non-zero exit with the reason
        traceback.print_exception(exc, file=sys.stderr)
        print(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}))
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
