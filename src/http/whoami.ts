import type { RequestHandler } from 'express';
import type { Authenticated } from '../auth/chain.js';
import { FrappeError } from '../frappe/errors.js';
import { loadProfile } from '../tools/profile.js';
import { sendError } from './errors.js';

/** GET /api/v1/whoami: the simplest end-to-end check of a credential. Never echoes a secret. */
export const whoami: RequestHandler = (_req, res, next) => {
  const { principal, frappe } = res.locals.auth as Authenticated;
  loadProfile(frappe, principal).then(
    (profile) =>
      res.json({
        user: principal.user,
        full_name: profile.fullName ?? null,
        roles: profile.roles ?? [],
        credential: principal.kind,
        service_account: principal.serviceAccount ?? false,
        site: principal.site,
        valid_until: new Date(principal.validUntil).toISOString(),
      }),
    (err: unknown) => {
      if (err instanceof FrappeError) {
        const status = err.credentialRejected ? 401 : err.isOutage ? 503 : 502;
        return sendError(res, status, err.credentialRejected ? 'invalid_credentials' : 'frappe_error', err.message);
      }
      next(err);
    },
  );
};
