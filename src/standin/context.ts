import type { IncomingHttpHeaders } from 'node:http';
import type { DocContext } from './documents.js';
import type { Session } from './sessions.js';
import type { Traits } from './version.js';

export type AuthKind = 'sid' | 'token' | 'basic' | 'bearer' | 'none';

/** Everything a route handler may read about the request (Frappe's form_dict, session and resolved user). */
export interface RequestContext extends DocContext {
  method: string;
  /** Path as sent (still percent-encoded). */
  rawPath: string;
  headers: IncomingHttpHeaders;
  cookies: Record<string, string>;
  query: Record<string, unknown>;
  /** The query string exactly as received (without '?'). */
  rawQuery: string;
  /** frappe.form_dict: the JSON body alone, or query + form fields. */
  args: Record<string, unknown>;
  /** Whether the body was JSON (some endpoints, like the OAuth token endpoint, read form fields only). */
  jsonBody: boolean;
  session: Session | undefined;
  /** A sid was sent but is unknown, logged out or expired. */
  sessionExpired: boolean;
  /** The sid names a session Frappe 16 broke (sid sent with a Bearer): the request runs as Guest after a logout. */
  brokenSession?: boolean;
  /** Queue the expiring copies of the session cookies. */
  clearCookies: boolean;
  auth: AuthKind;
  v2: boolean;
  ip: string;
  now: number;
  /** How the imitated Frappe version behaves. */
  traits: Traits;
}

/** What a route answers; the app turns it into headers, cookies and a body. */
export interface Reply {
  status?: number;
  /** JSON body. */
  body?: unknown;
  html?: string;
  text?: string;
  location?: string;
  headers?: Record<string, string>;
  /** Answers that Frappe sends without any Set-Cookie (failed login, Werkzeug 404...). */
  noCookies?: boolean;
  /** Body replaces frappe.local.response entirely (no session_expired merge). */
  raw?: boolean;
  /** Cookies for this session instead of the request's (login). */
  cookieSession?: Session;
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function intArg(v: unknown, fallback: number): number {
  if (v === undefined || v === null || v === '') return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? Math.max(0, Math.trunc(n)) : fallback;
}

export function truthy(v: unknown): boolean {
  if (typeof v === 'string') return !['', '0', 'false', 'False', 'null'].includes(v);
  return Boolean(v);
}

/** scheme://host as Frappe builds it (Host header, X-Forwarded-Proto). */
export function baseUrlOf(headers: IncomingHttpHeaders): string {
  const proto = String(headers['x-forwarded-proto'] ?? 'http')
    .split(',')[0]!
    .trim();
  return `${proto}://${headers.host ?? '127.0.0.1:8000'}`;
}
