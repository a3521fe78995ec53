import express, { type RequestHandler } from 'express';
import type { Authenticated } from '../auth/chain.js';
import { hasWriteScope, SCOPES_SUPPORTED, WRITE_SCOPE } from './scopes.js';

const EXPOSED = 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version';
const ALLOWED_HEADERS =
  'Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID, Mcp-Method, Mcp-Name';

/**
 * CORS for /mcp, placed before the origin guard and auth: a preflight is answered at once, and a
 * browser client on an allowed origin can read the 401 challenge. Credentials are never allowed.
 */
export function mcpCors(origins: readonly string[]): RequestHandler {
  const any = origins.includes('*');
  const set = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    const allowed = origin !== undefined && (any || set.has(origin));
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.vary('Origin');
      res.setHeader('Access-Control-Expose-Headers', EXPOSED);
    }
    if (req.method !== 'OPTIONS') return next();
    if (!allowed) {
      res
        .status(403)
        .json({ error: { code: 'origin_not_allowed', message: 'Requests from this Origin are not allowed.' } });
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', 'POST, GET, DELETE, OPTIONS');
    const requested = req.headers['access-control-request-headers'];
    res.setHeader('Access-Control-Allow-Headers', requested ? `${ALLOWED_HEADERS}, ${requested}` : ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}

/** The first JSON-RPC message in a body that calls a write tool, if any. */
function writeCall(body: unknown, isWriteTool: (name: string) => boolean): string | undefined {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  for (const m of messages) {
    const msg = m as { method?: unknown; params?: { name?: unknown } } | null;
    if (msg?.method === 'tools/call' && typeof msg.params?.name === 'string' && isWriteTool(msg.params.name))
      return msg.params.name;
  }
  return undefined;
}

/**
 * After auth: a `tools/call` of a tool that is not read-only, made with a token that lacks the write
 * scope, gets HTTP 403 `insufficient_scope` (so the client can step up) instead of running. Only
 * such callers have their body parsed here; the parsed body then goes on to the MCP handler.
 */
export function insufficientScopeGuard(
  isWriteTool: (name: string) => boolean,
  resourceMetadataUrl: string,
  maxBodyBytes: number,
): RequestHandler {
  const parse = express.json({ limit: maxBodyBytes, strict: true, type: ['application/json', 'application/*+json'] });
  return (req, res, next) => {
    const auth = res.locals.auth as Authenticated | undefined;
    if (!auth || hasWriteScope(auth)) return next();
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      const tool = writeCall(req.body, isWriteTool);
      if (!tool) return next();
      const message = `The tool ${tool} changes data and needs the ${WRITE_SCOPE} scope; this token was granted read access only.`;
      res.setHeader(
        'WWW-Authenticate',
        `Bearer error="insufficient_scope", scope="${SCOPES_SUPPORTED.join(' ')}", resource_metadata="${resourceMetadataUrl}", error_description="${message}"`,
      );
      res.status(403).json({ error: { code: 'insufficient_scope', message } });
    });
  };
}
