import type { RequestHandler } from 'express';
import type { Readiness } from '../health/readiness.js';

/**
 * GET /readyz: 200 when the gateway can serve (Frappe answers, Redis answers where configured), else
 * 503 naming the part that is down. /healthz stays the liveness probe (the process answers at all),
 * so an orchestrator takes a replica out of rotation during an outage instead of restarting it.
 */
export function readyz(readiness: Readiness): RequestHandler {
  return (_req, res, next) => {
    readiness.check().then((report) => {
      res.set('Cache-Control', 'no-store');
      if (report.ready) {
        res.json({ status: 'ready', ...report });
      } else {
        const down = [report.frappe.ok ? undefined : 'frappe', report.redis?.ok === false ? 'redis' : undefined];
        res.set('Retry-After', '5');
        res.status(503).json({ status: 'unavailable', down: down.filter(Boolean), ...report });
      }
    }, next);
  };
}
