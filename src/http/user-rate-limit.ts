import type { RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type { Authenticated } from '../auth/chain.js';
import type { Logger } from '../log/logger.js';

/**
 * Per-user request budget on the routes that reach Frappe, keyed by the resolved Frappe user (not
 * the IP: many users share one NAT, and one runaway agent should not starve the rest of Frappe).
 * Runs after the auth chain. Counters live in Redis when the gateway has one, else in this process.
 */
export function userRateLimit(perMinute: number, logger: Logger, store?: Store): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    ...(store ? { store } : {}),
    // A store outage must not take the gateway down with it: requests pass uncounted meanwhile.
    passOnStoreError: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (_req, res) => {
      const { principal } = res.locals.auth as Authenticated;
      return `${principal.site}|${principal.user}`;
    },
    validate: { xForwardedForHeader: false, keyGeneratorIpFallback: false },
    handler: (_req, res) => {
      const { principal } = res.locals.auth as Authenticated;
      ((res.locals.log as Logger | undefined) ?? logger).warn({ user: principal.user }, 'per-user rate limit reached');
      res
        .status(429)
        .set('Retry-After', '60')
        .json({
          error: {
            code: 'rate_limited',
            message: `More than ${perMinute} requests in a minute for this user; try again shortly.`,
          },
        });
    },
  });
}
