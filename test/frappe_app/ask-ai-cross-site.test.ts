// @vitest-environment jsdom
// Cross-site mode: the desk asks the gateway on its own origin with a short-lived gateway token got
// through the gateway's OAuth facade (code + PKCE), silently in a hidden frame, or in a pop-up after a click.
import { webcrypto } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, loadAskAi, sse, sseResponse } from './helpers/frappe-stub.js';
import type { FrappeStub, Session } from './helpers/frappe-stub.js';

const GW = 'https://gw.example.com';
const BOOT = { enabled: true, allowed: true, mode: 'cross-site', path: '', url: `${GW}/` };
const ANSWER = { answer: 'Top customers.', blocks: [], tool_calls: [] };

interface Call {
  url: string;
  init: RequestInit;
}

/** A fake gateway behind window.fetch: registration, token and chat; records every call. */
function fakeGateway(chat: (call: Call, n: number) => Response) {
  const calls: Call[] = [];
  let tokens = 0;
  let chats = 0;
  const fetch = vi.fn((url: string, init: RequestInit) => {
    calls.push({ url, init });
    if (url === `${GW}/register`) return Promise.resolve(jsonResponse({ client_id: 'fmcp_c_desk' }, 201));
    if (url === `${GW}/token`)
      return Promise.resolve(jsonResponse({ access_token: `tok-${++tokens}`, expires_in: 300 }));
    if (url === `${GW}/api/v1/chat`) return Promise.resolve(chat({ url, init }, chats++));
    return Promise.resolve(new Response('', { status: 404 }));
  });
  (window as unknown as { fetch: unknown }).fetch = fetch;
  return { calls, fetch };
}

/** Answer the authorization that `url` started, as oauth-callback.html does: a message from this origin. */
function callBack(url: string, answer: { code?: string; error?: string }, origin = window.location.origin): void {
  const state = new URL(url).searchParams.get('state');
  window.dispatchEvent(
    new MessageEvent('message', { origin, data: { type: 'frappe_mcp_gateway:oauth', state, ...answer } }),
  );
}

function frame(): HTMLIFrameElement | null {
  return document.querySelector('iframe.mcp-ai-sign-in-frame');
}

function errorText(s: Session): string {
  return s.dialog.answer.querySelector('.mcp-ai-error-message')?.textContent ?? '';
}

let frappe: FrappeStub;

beforeEach(() => {
  window.localStorage.clear();
  Object.defineProperty(window, 'crypto', { value: webcrypto, configurable: true });
  frappe = loadAskAi({ boot: BOOT });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('cross-site mode', () => {
  it('signs in silently in a hidden frame, then streams the answer from the gateway with its token only', async () => {
    const gw = fakeGateway(() => sseResponse([sse('done', ANSWER)]));
    const s = frappe.mcp_gateway.open_dialog('top customers')!;
    const f = await vi.waitFor(() => frame() ?? Promise.reject(new Error('no frame yet')));
    const authorize = new URL(f.src);
    expect(authorize.origin + authorize.pathname).toBe(`${GW}/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'fmcp_c_desk',
      redirect_uri: `${window.location.origin}/assets/frappe_mcp_gateway/oauth-callback.html`,
      code_challenge_method: 'S256',
      scope: 'frappe:read frappe:write',
    });
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // A message from another origin, or for another sign-in, is ignored.
    callBack(f.src, { code: 'evil' }, 'https://evil.example');
    callBack(`${GW}/authorize?state=other`, { code: 'evil' });
    callBack(f.src, { code: 'code-1' });
    await s.pending;
    expect(frame()).toBeNull(); // removed once answered

    expect(gw.calls.map((c) => c.url)).toEqual([`${GW}/register`, `${GW}/token`, `${GW}/api/v1/chat`]);
    const token = new URLSearchParams(gw.calls[1]!.init.body as string);
    expect(Object.fromEntries(token)).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-1',
      client_id: 'fmcp_c_desk',
    });
    expect(token.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const chat = gw.calls[2]!.init;
    expect(chat).toMatchObject({ method: 'POST', mode: 'cors', credentials: 'omit' });
    expect(chat.headers).toEqual({
      'Content-Type': 'application/json',
      Accept: 'text/event-stream',
      Authorization: 'Bearer tok-1',
    }); // no cookie, no CSRF token to another origin
    expect(s.dialog.answer.querySelector('.mcp-ai-stream')!.textContent).toBe('Top customers.');

    // The token stays in memory: the next question needs no sign-in, and nothing was stored but the client id.
    await frappe.mcp_gateway.open_dialog('again')!.pending;
    expect(gw.calls.map((c) => c.url).slice(3)).toEqual([`${GW}/api/v1/chat`]);
    expect(Object.keys(window.localStorage)).toEqual([
      `frappe_mcp_gateway:oauth_client:${GW}|${window.location.origin}/assets/frappe_mcp_gateway/oauth-callback.html`,
    ]);
    expect(JSON.stringify(window.localStorage)).not.toContain('tok-1');
  });

  it('gets a fresh token once when the gateway refuses the one in memory', async () => {
    const gw = fakeGateway((_c, n) =>
      n === 0
        ? jsonResponse({ error: { code: 'invalid_credentials', message: 'expired' } }, 401)
        : sseResponse([sse('done', ANSWER)]),
    );
    const s = frappe.mcp_gateway.open_dialog('q')!;
    callBack((await vi.waitFor(() => frame() ?? Promise.reject(new Error('no frame')))).src, { code: 'c1' });
    await vi.waitFor(() => expect(gw.calls.filter((c) => c.url.endsWith('/api/v1/chat'))).toHaveLength(1));
    callBack((await vi.waitFor(() => frame() ?? Promise.reject(new Error('no frame')))).src, { code: 'c2' });
    await s.pending;
    const auth = gw.calls
      .filter((c) => c.url.endsWith('/api/v1/chat'))
      .map((c) => (c.init.headers as Record<string, string>).Authorization);
    expect(auth).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(s.dialog.answer.querySelector('.mcp-ai-stream')!.textContent).toBe('Top customers.');
  });

  it('offers a Sign in button when the silent sign-in cannot finish, and signs in in a pop-up on click', async () => {
    const gw = fakeGateway(() => sseResponse([sse('done', ANSWER)]));
    const s = frappe.mcp_gateway.open_dialog('q')!;
    // Consent is needed (first use): the frame reports it, or never answers.
    callBack((await vi.waitFor(() => frame() ?? Promise.reject(new Error('no frame')))).src, {
      error: 'access_denied',
    });
    await s.pending;
    expect(errorText(s)).toBe('Sign in to the AI service to ask from the desk: click Sign in. This is needed once.');
    expect(s.dialog.answer.querySelector('.mcp-ai-error details pre')!.textContent).toContain('access_denied');
    const popups: string[] = [];
    const popup = { close: vi.fn() };
    window.open = vi.fn((url?: string | URL) => {
      popups.push(String(url));
      return popup as unknown as Window;
    });
    (s.dialog.answer.querySelector('.mcp-ai-sign-in') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(popups).toHaveLength(1));
    expect(popups[0]).toMatch(new RegExp(`^${GW}/authorize\\?`));
    callBack(popups[0]!, { code: 'c-popup' });
    await vi.waitFor(() => expect(s.dialog.answer.querySelector('.mcp-ai-stream')!.textContent).toBe('Top customers.'));
    expect(popup.close).toHaveBeenCalled();
    expect(gw.calls.filter((c) => c.url.endsWith('/api/v1/chat'))).toHaveLength(1);
  });

  it('says so when the pop-up is blocked, and when the Gateway URL is not usable', async () => {
    fakeGateway(() => sseResponse([sse('done', ANSWER)]));
    window.open = vi.fn(() => null);
    const s = frappe.mcp_gateway.open_dialog('')!;
    await s.ask('q', undefined, true);
    expect(errorText(s)).toMatch(/^Could not sign you in to the AI service/);
    expect(s.dialog.answer.querySelector('.mcp-ai-error details pre')!.textContent).toContain('blocked');

    const bad = loadAskAi({ boot: { ...BOOT, url: 'javascript:alert(1)' } });
    expect(bad.mcp_gateway.get_config().url).toBeNull();
    const s2 = bad.mcp_gateway.open_dialog('q')!;
    await s2.pending;
    expect(errorText(s2)).toMatch(/^Ask AI is not set up completely/);
  });
});
