import type { Reply, RequestContext } from './context.js';
import { str } from './context.js';
import { encodeServerMessages, thrown } from './errors.js';
import type { StandinState } from './state.js';
import { findUser, getFullName } from './users.js';

/** allow_consecutive_login_attempts (10) and allow_login_after_fail (60 s) of the recorded site. */
const MAX_FAILURES = 10;
const LOCK_MS = 60_000;

const authFailure = (message: string): Reply => ({
  status: 401,
  noCookies: true,
  body: { message, exc_type: 'AuthenticationError' },
});

/** POST /api/method/login: usr is matched against User.name only; failures never set cookies. */
export function login(ctx: RequestContext, state: StandinState): Reply {
  const usr = str(ctx.args.usr);
  const pwd = str(ctx.args.pwd);
  if (!usr || !pwd) return authFailure('Incomplete login details');
  const failures = state.loginFailures.get(ctx.ip);
  if (failures && failures.count > MAX_FAILURES && ctx.now < failures.lockedUntil) {
    const msg = `Your account has been locked and will resume after ${LOCK_MS / 1000} seconds`;
    return {
      status: 500,
      noCookies: true,
      body: {
        exc_type: 'SecurityException',
        _server_messages: encodeServerMessages([{ message: msg, title: 'Message', indicator: 'red', raise: true }]),
      },
    };
  }
  const user = findUser(usr);
  if (!user || user.password !== pwd) {
    const count = (failures && ctx.now < failures.lockedUntil ? failures.count : 0) + 1;
    state.loginFailures.set(ctx.ip, { count, lockedUntil: ctx.now + LOCK_MS });
    return authFailure('Invalid login credentials');
  }
  state.loginFailures.delete(ctx.ip);
  const session = state.sessions.create(user.name);
  ctx.session = session;
  ctx.clearCookies = false;
  return {
    cookieSession: session,
    raw: true,
    body: {
      message: 'Logged In',
      home_page: ctx.traits.deskPath === '/desk' ? 'desk' : '/app/home',
      full_name: getFullName(user.name),
    },
  };
}

/**
 * POST /api/method/logout (allow_guest; GET too on 15): drops the session and answers "No App" even without one.
 * Frappe 16 refuses GET (403 "Not permitted") and the session survives.
 */
export function logout(ctx: RequestContext, state: StandinState): Reply {
  if (ctx.traits.logoutPostOnly && ctx.method !== 'POST') throw thrown('PermissionError', 'Not permitted');
  if (ctx.session) state.sessions.delete(ctx.session.sid);
  ctx.session = undefined;
  ctx.sessionExpired = false;
  ctx.clearCookies = true;
  return { raw: true, body: { message: 'No App', home_page: '/login', full_name: 'Guest' } };
}
