import type { RequestHandler } from 'express';
import type { Authenticated } from '../auth/chain.js';
import { FrappeError } from '../frappe/errors.js';
import { sendError } from './errors.js';

/**
 * A cookie-authenticated request that a browser made (it carries Origin or Sec-Fetch-Site) must also
 * carry the session's CSRF token, and Frappe must confirm the pair: a POST that Frappe checks for
 * CSRF before it runs. curl with a sid alone (no browser marks) keeps working. The confirmation is
 * remembered with the sid's cache entry, so it costs one Frappe call per session and token.
 */
export function browserCsrf(
  remember: (auth: Authenticated, token: string) => boolean,
  confirmed: (auth: Authenticated) => string | undefined,
): RequestHandler {
  return (req, res, next) => {
    const auth = res.locals.auth as Authenticated;
    const browser = req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined;
    if (auth.credential.kind !== 'sid' || !browser) return next();
    const token = auth.credential.csrfToken;
    if (!token) {
      return sendError(
        res,
        403,
        'csrf_token_required',
        'Send the desk’s X-Frappe-CSRF-Token with cookie-authenticated browser requests.',
      );
    }
    if (confirmed(auth) === token) return next();
    auth.frappe
      .request({ method: 'POST', path: '/api/method/frappe.auth.get_logged_user' })
      .then(() => {
        remember(auth, token);
        next();
      })
      .catch((err: unknown) => {
        if (err instanceof FrappeError && err.kind === 'csrf') {
          return sendError(
            res,
            403,
            'csrf_token_invalid',
            'Frappe did not accept the CSRF token for this session. Reload the desk and try again.',
          );
        }
        if (err instanceof FrappeError && err.isOutage) return sendError(res, 503, 'frappe_unavailable', err.message);
        if (err instanceof FrappeError)
          return sendError(res, 401, 'invalid_credentials', 'Frappe no longer accepts this session; sign in again.');
        next(err);
      });
  };
}
