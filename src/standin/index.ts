import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStandinApp, type AppControl, type RecordedRequest } from './app.js';
import type { FaultMode } from './faults.js';
import type { OAuthSettings } from './oauth-metadata.js';
import { StandinState } from './state.js';
import { DEFAULT_FRAPPE_MAJOR, traitsOf, type FrappeMajor, type Traits } from './version.js';

export type { RecordedRequest } from './app.js';
export type { FaultMode } from './faults.js';
export { createStandinApp } from './app.js';
export { StandinState } from './state.js';
export * from './demo.js';
export { parseFrappeMajor, traitsOf, type FrappeMajor, type Traits } from './version.js';

export interface StandinOptions {
  /** 0 = random free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Idle session expiry; default 612000 s (170 h, the recorded site's setting). */
  sessionIdleSeconds?: number;
  /** Millisecond clock, for expiry tests. */
  now?: () => number;
  /** The Frappe version to imitate (config `frappe.version` / env FRAPPE_VERSION in the demo); default 15. */
  version?: FrappeMajor;
}

export interface Standin {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  resetRequests(): void;
  setFault(mode: FaultMode | null, opts?: { delayMs?: number; status?: number; paths?: RegExp }): void;
  /** A new sid through the same code path as POST /api/method/login; throws on bad credentials. */
  login(user: string, password: string): Promise<string>;
  /** Same as loading the desk (/app on 15, /desk on 16): gives the session its CSRF token and returns it. */
  armCsrf(sid: string): string;
  /** Makes the sid behave as expired (403 + session_expired: 1). */
  expireSession(sid: string): void;
  /** A valid OAuth bearer as if issued via the flow (client demo-mcp-client, scope "all openid" by default). */
  issueBearer(
    user: string,
    opts?: { scope?: string; expiresInSeconds?: number },
  ): { access_token: string; refresh_token: string };
  revokeBearer(token: string): void;
  /** Back to the seed data, sessions and tokens cleared (keeps API keys). */
  reset(): void;
  /** The instance's state (store, sessions, OAuth rows) for tests that need to arrange data directly. */
  readonly state: StandinState;
  /** The Frappe version this instance imitates, and how it behaves because of it. */
  readonly traits: Traits;
  /** Frappe 16's OAuth Settings switches (metadata, registration), as an admin would set them; until reset(). */
  setOAuthSettings(settings: Partial<OAuthSettings>): void;
}

/** Starts the Frappe stand-in in-process and resolves once it listens. */
export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  const clock = options.now ?? Date.now;
  const traits = traitsOf(options.version ?? DEFAULT_FRAPPE_MAJOR);
  const state = new StandinState(clock, options.sessionIdleSeconds ?? 612_000, traits);
  const control: AppControl = { state, requests: [], fault: null };
  const app = createStandinApp(control);
  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  return {
    url,
    state,
    traits,
    get requests() {
      return control.requests;
    },
    resetRequests() {
      control.requests.length = 0;
    },
    setFault(mode, opts = {}) {
      control.fault = mode ? { mode, opts } : null;
    },
    async login(user, password) {
      const res = await fetch(`${url}/api/method/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ usr: user, pwd: password }),
      });
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sid='));
      const sid = cookie?.slice(4, cookie.indexOf(';'));
      if (res.status !== 200 || !sid) throw new Error(`login failed for ${user}: HTTP ${res.status}`);
      return sid;
    },
    armCsrf: (sid) => state.sessions.csrfToken(sid),
    expireSession: (sid) => state.sessions.expire(sid),
    issueBearer(user, opts = {}) {
      const scopes = (opts.scope ?? 'all openid').split(' ').filter(Boolean);
      const rec = state.oauth.issue(user, 'demo-mcp-client', scopes, opts.expiresInSeconds);
      return { access_token: rec.access, refresh_token: rec.refresh };
    },
    revokeBearer(token) {
      const rec = state.oauth.byAccess(token) ?? state.oauth.byRefresh(token);
      if (rec) rec.revoked = true;
    },
    reset: () => state.reset(),
    setOAuthSettings(settings) {
      state.oauthSettings = { ...state.oauthSettings, ...settings };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
