import type { RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type { Authenticated } from '../auth/chain.js';
import type { Logger } from '../log/logger.js';
import { LogSampler } from '../log/sampled.js';
import { rateLimited } from '../metrics.js';

/**
 * Per-user request budget on the routes that reach Frappe, keyed by the resolved Frappe user (not
 * the IP: many users share one NAT, and one runaway agent should not starve the rest of Frappe).
 * Runs after the auth chain. Counters live in Redis when the gateway has one (per process while it is
 * down), else in this process.
 */
export function userRateLimit(perMinute: number, logger: Logger, store?: Store): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next();
  const sampler = new LogSampler();
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
      rateLimited.inc({ limiter: 'user' });
      if (sampler.take(principal.user)) {
        ((res.locals.log as Logger | undefined) ?? logger).warn(
          { user: principal.user },
          'per-user rate limit reached (further refusals for this user are counted in fmg_rate_limited_total, logged at most once a minute)',
        );
      }
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
