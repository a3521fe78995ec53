import { parseCookie } from 'cookie';
import { isWellFormedCsrfToken, isWellFormedSid } from '../../frappe/credential.js';
import type { AuthStrategy } from '../types.js';
import { loggedUser } from './logged-user.js';

/** The Frappe session cookie, with the browser's CSRF token when it sent one. */
export const sidStrategy: AuthStrategy = {
  kind: 'sid',
  extract(headers) {
    const raw = headers.cookie;
    if (!raw || !raw.includes('sid=')) return null;
    const sid = parseCookie(raw).sid;
    // Frappe's own Guest cookie is no credential.
    if (!sid || sid === 'Guest') return null;
    if (!isWellFormedSid(sid)) return { kind: 'sid', malformed: 'the sid cookie is not a Frappe session id' };
    const csrf = headers['x-frappe-csrf-token'];
    const csrfToken = typeof csrf === 'string' && isWellFormedCsrfToken(csrf) ? csrf : undefined;
    return csrfToken ? { kind: 'sid', sid, csrfToken } : { kind: 'sid', sid };
  },
  verify: loggedUser,
};
