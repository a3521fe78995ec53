import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * CORS for /api/v1/chat, for the desk's cross-site mode: a page on an allowed origin (the Frappe site)
 * calls the gateway on its own origin with a gateway token in the Authorization header. Never with
 * credentials: no Access-Control-Allow-Credentials, so a browser sends no cookie of this host along
 * (its preflight would fail), and cookie sessions stay same-origin (proxy mode) only.
 */
export function chatCors(isAllowed: (headers: IncomingHttpHeaders) => boolean): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && isAllowed(req.headers)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After, WWW-Authenticate');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept');
        res.setHeader('Access-Control-Max-Age', '600');
      }
    }
    res.vary('Origin');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}
