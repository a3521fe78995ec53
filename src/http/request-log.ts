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
 * A request's res.locals, with its child logger made on first read: a successful tool call writes only
 * its audit line, and a child costs a redaction pass over its bindings (~5 KB per request; issue #12).
 * A class, not Object.defineProperty on express's res.locals: a getter defined per request gives each
 * request's locals a hidden class (map) of its own. Maps live in V8's old space until a full GC, and that
 * one held the getter, its closure and through it the whole request, so every request survived the
 * young-generation collections and was promoted to the old space (~110 KB per scavenge, ~1 ms each).
 */
class RequestLocals {
  [key: string]: unknown;
  readonly #root: Logger;
  #child: Logger | undefined;

  constructor(
    root: Logger,
    readonly reqId: string,
  ) {
    this.#root = root;
  }

  get log(): Logger {
    return (this.#child ??= this.#root.child({ reqId: this.reqId }));
  }
}

/**
 * A request id on every line (the caller's X-Request-Id when sane), and one line per request when it
 * ends — except a successful request whose tool call already logged its line (one line per call).
 */
export function requestLog(root: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const reqId = typeof incoming === 'string' && REQ_ID_RE.test(incoming) ? incoming : randomUUID();
    const locals = new RequestLocals(root, reqId);
    res.locals = locals;
    res.setHeader('X-Request-Id', reqId);
    const started = performance.now();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? (req.baseUrl || 'unmatched');
      httpRequestsBy(`${req.method} ${route} ${res.statusCode}`).observe((performance.now() - started) / 1000);
      if (res.statusCode < 400 && (locals.outcome as { logged?: boolean } | undefined)?.logged) return;
      const user = (locals.auth as { principal?: { user?: string } } | undefined)?.principal?.user;
      locals.log.info(
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
