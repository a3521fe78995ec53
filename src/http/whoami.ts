import type { RequestHandler } from 'express';
import { AuthError } from '../auth/errors.js';
import type { Authenticated } from '../auth/chain.js';
import { FrappeError } from '../frappe/errors.js';
import { loadProfile } from '../tools/profile.js';
import { sendAuthError, type ChallengeOptions } from './authenticate.js';
import { sendError } from './errors.js';

/** GET /api/v1/whoami: the simplest end-to-end check of a credential. Never echoes a secret. */
export const whoami =
  (challenge: ChallengeOptions): RequestHandler =>
  (_req, res, next) => {
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
          const { credential } = res.locals.auth as Authenticated;
          if (err.credentialRejected) {
            const expired = 'Frappe no longer accepts this credential; sign in again.';
            return sendAuthError(
              res,
              new AuthError(401, 'invalid_credentials', expired, credential.kind !== 'sid'),
              challenge,
            );
          }
          if (err.isOutage) res.setHeader('Retry-After', String(err.retryAfterSeconds ?? 5));
          return sendError(res, err.isOutage ? 503 : 502, 'frappe_error', err.message);
        }
        next(err);
      },
    );
  };
