import type { RequestContext } from './context.js';
import { FrappeError, thrown } from './errors.js';
import type { OAuthStore } from './oauth-store.js';
import type { SessionStore } from './sessions.js';

export interface ApiKey {
  user: string;
  secret: string;
}

const UNSAFE = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/** Session lookup: `sid` from form/query first, then the cookie; a dead sid runs as Guest with session_expired. */
export function resolveSession(ctx: RequestContext, sessions: SessionStore): void {
  const fromArgs = typeof ctx.args.sid === 'string' ? ctx.args.sid : undefined;
  const sid = fromArgs ?? ctx.cookies.sid;
  if (!sid || sid === 'Guest') return;
  const session = sessions.resume(sid);
  if (session?.broken) {
    ctx.brokenSession = true;
    return;
  }
  if (session) {
    ctx.session = session;
    ctx.user = session.user;
    ctx.auth = 'sid';
  } else {
    ctx.sessionExpired = true;
    ctx.clearCookies = true;
  }
}

/** Only sessions that rendered /app have a token; then every unsafe method must echo it (header or form field). */
export function checkCsrf(ctx: RequestContext): void {
  const expected = ctx.session?.csrfToken;
  if (!UNSAFE.has(ctx.method) || !expected) return;
  const header = ctx.headers['x-frappe-csrf-token'];
  const sent =
    typeof header === 'string' ? header : typeof ctx.args.csrf_token === 'string' ? ctx.args.csrf_token : undefined;
  if (sent !== expected) throw thrown('CSRFTokenError', 'Invalid Request');
}

function authenticationError(ctx: RequestContext): FrappeError {
  ctx.clearCookies = true;
  return new FrappeError('AuthenticationError');
}

/**
 * frappe.auth.validate_auth: an `Authorization` of exactly two words is tried as Bearer, then token/Basic API key.
 * A Bearer user always wins; an API-key user only applies when the session is Guest; a wrong key or secret is 401.
 */
export function validateAuthorization(ctx: RequestContext, oauth: OAuthStore, apiKeys: Map<string, ApiKey>): void {
  const header = ctx.headers.authorization;
  if (typeof header !== 'string') return;
  const parts = header.split(' ');
  if (parts.length !== 2) return;
  const [scheme = '', credential = ''] = parts;
  const kind = scheme.toLowerCase();
  if (kind === 'bearer') {
    const user = oauth.bearerUser(credential);
    if (user) {
      // Frappe 16 rewrites the loaded session for the Bearer user and saves it under the sid: the session dies.
      if (ctx.session && ctx.traits.sidWithBearerKillsSession) ctx.session.broken = true;
      ctx.user = user;
      ctx.auth = 'bearer';
    }
  } else if (kind === 'token' || kind === 'basic') {
    let pair = credential;
    if (kind === 'basic') {
      if (!/^[A-Za-z0-9+/=_-]+$/.test(credential)) {
        throw thrown(
          'InvalidAuthorizationToken',
          'Failed to decode token, please provide a valid base64-encoded token.',
        );
      }
      pair = Buffer.from(credential, 'base64').toString('utf8');
    }
    const colon = pair.indexOf(':');
    const key = colon >= 0 ? pair.slice(0, colon) : pair;
    const secret = colon >= 0 ? pair.slice(colon + 1) : '';
    const entry = apiKeys.get(key);
    if (!entry || entry.secret !== secret) throw authenticationError(ctx);
    if (ctx.user === 'Guest') {
      ctx.user = entry.user;
      ctx.auth = kind === 'basic' ? 'basic' : 'token';
    }
  }
  if (ctx.user === 'Guest') throw authenticationError(ctx);
}
