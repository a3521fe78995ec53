import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../log/logger.js';
import { boundMetric, httpRequests } from '../metrics.js';

const REQ_ID_RE = /^[A-Za-z0-9\-_.]{1,64}$/;

const httpRequestsBy = boundMetric((key) => {
  const [method, route, status] = key.split(' ');
  return httpRequests.labels({ method: method!, route: route!, status: status! });
});

/**
 * A request id on every line (the caller's X-Request-Id when sane), and one line per request when it
 * ends — except a successful request whose tool call already logged its line (one line per call).
 */
export function requestLog(root: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const reqId = typeof incoming === 'string' && REQ_ID_RE.test(incoming) ? incoming : randomUUID();
    // The child logger is made on first use: a successful tool call writes only its audit line, and a
    // child costs a redaction pass over its bindings (~5 KB per request; issue #12).
    let child: Logger | undefined;
    const log = (): Logger => (child ??= root.child({ reqId }));
    Object.defineProperty(res.locals, 'log', { get: log, enumerable: true, configurable: true });
    res.locals.reqId = reqId;
    res.setHeader('X-Request-Id', reqId);
    const started = performance.now();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? (req.baseUrl || 'unmatched');
      httpRequestsBy(`${req.method} ${route} ${res.statusCode}`).observe((performance.now() - started) / 1000);
      if (res.statusCode < 400 && (res.locals.outcome as { logged?: boolean } | undefined)?.logged) return;
      const user = (res.locals.auth as { principal?: { user?: string } } | undefined)?.principal?.user;
      log().info(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
          ...(user ? { user } : {}),
        },
        'request',
      );
    });
    next();
  };
}
