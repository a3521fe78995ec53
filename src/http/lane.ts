import { IncomingMessage, ServerResponse, type RequestListener } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';

/**
 * The request and response classes of the gateway's HTTP server: Node's own, born with express's
 * request and response methods, so the lane need not swap prototypes. Object.setPrototypeOf on each
 * request, as express does, gives the request and the response maps of their own in V8 as soon as
 * Node writes to them again; every property access on them then misses V8's inline caches and is
 * looked up in the runtime (~120 such lookups per tool call, about a quarter of the gateway's
 * instructions; issue #12, scripts/bench/instructions.ts). A request that express's router serves
 * still gets its prototype swapped by express, which is harmless.
 */
export class LaneRequest extends IncomingMessage {}
Object.setPrototypeOf(LaneRequest.prototype, express.request);
export class LaneResponse<R extends IncomingMessage = IncomingMessage> extends ServerResponse<R> {}
Object.setPrototypeOf(LaneResponse.prototype, express.response);

/**
 * The app's request listener, with one exception: POST to exactly `route` (no query, no other
 * spelling) runs that route's fixed chain of express handlers without express's router. The request and
 * response become what app.handle and the router make of them (express's methods and req.app, res.locals,
 * req.res / res.req, req.route for the metrics label); then the handlers run in order, and an error
 * passed to next, thrown, or rejected by a returned promise goes to the error handlers in order.
 *
 * Why: the router matches every layer registered before a route against the path and allocates per
 * layer it passes (~13 KB of the gateway's ~118 KB per tool call, the largest share of its own;
 * issue #12). POST /mcp is nearly all of the traffic and its chain is known when the app is built.
 * The same handlers stay registered on the app, which serves every other request, /mcp?x included.
 */
export function lane(
  app: Express,
  route: string,
  handlers: readonly RequestHandler[],
  errorHandlers: readonly ErrorRequestHandler[],
): RequestListener {
  const request = app.request as object;
  const response = app.response as object;
  const routeInfo = Object.freeze({ path: route });
  return (nodeReq, nodeRes) => {
    if (nodeReq.method !== 'POST' || nodeReq.url !== route) return void app(nodeReq, nodeRes);
    const req = nodeReq as IncomingMessage & Record<string, unknown>;
    const res = nodeRes as ServerResponse & Record<string, unknown>;
    req.res = res;
    (res as Record<string, unknown>).req = req;
    if (nodeReq instanceof LaneRequest && nodeRes instanceof LaneResponse) {
      // Express's methods find their app here rather than on app.request / app.response.
      req.app = app;
      res.app = app;
    } else {
      Object.setPrototypeOf(req, request);
      Object.setPrototypeOf(res, response);
    }
    res.locals ??= Object.create(null);
    req.originalUrl ??= req.url;
    req.baseUrl = '';
    req.params = {};
    req.route = routeInfo;
    let step = 0;
    let failed = 0;
    const run = (err: unknown): void => {
      try {
        const h = err ? errorHandlers[failed++] : handlers[step++];
        // A chain that ends without answering is a bug in it; the caller still gets an answer.
        if (!h) return void (res.headersSent ? res.end() : ((res.statusCode = err ? 500 : 404), res.end()));
        const out: unknown = err
          ? (h as ErrorRequestHandler)(err, req as never, res as never, next)
          : (h as RequestHandler)(req as never, res as never, next);
        if (out instanceof Promise) out.then(undefined, (e: unknown) => next(e ?? new Error('rejected')));
      } catch (thrown) {
        next(thrown ?? new Error('thrown'));
      }
    };
    // As in express, a falsy argument means "go on" and anything else is an error.
    const next = (err?: unknown): void => run(err);
    next();
  };
}
