import { createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { RequestHandler } from 'express';
import type { Authenticated } from '../auth/chain.js';
import { AuthError } from '../auth/errors.js';
import type { Logger } from '../log/logger.js';
import { authInfoFor, mcpServerFactory, type McpRequestState } from '../mcp/server.js';
import type { ToolLimits } from '../tools/define.js';
import type { ToolRegistry } from '../tools/registry.js';
import { challengeHeader, type ChallengeOptions } from './authenticate.js';

export interface McpRouteOptions {
  registry: ToolRegistry;
  limits: ToolLimits;
  challenge: ChallengeOptions;
  logger: Logger;
  maxBodyBytes: number;
}

/**
 * POST /mcp for both protocol eras: 2026-07-28 requests on the modern path, 2025-era requests
 * (initialize handshake) through the SDK's stateless legacy fallback. Runs after the auth chain.
 */
export function mcpRoute(opts: McpRouteOptions): RequestHandler {
  const handler = createMcpHandler(mcpServerFactory(opts.registry, opts.limits), {
    legacy: 'stateless',
    maxRequestBodySize: opts.maxBodyBytes,
    onerror: (err) => opts.logger.debug({ err: err.message }, 'mcp request rejected'),
  });
  const node = toNodeHandler(
    {
      fetch: async (request, options) => {
        const response = await handler.fetch(request, options);
        const state = options?.authInfo?.extra?.state as McpRequestState | undefined;
        // Frappe refused the caller's credential mid-call (the cache entry is already gone):
        // HTTP 401 makes the client re-authenticate instead of showing a tool error.
        if (state?.outcome.credentialRejected) return expiredCredential(state.auth, opts.challenge);
        return response;
      },
    },
    { maxRequestBodySize: opts.maxBodyBytes, onerror: (err) => opts.logger.error({ err }, 'mcp adapter failed') },
  );
  return (req, res, next) => {
    const state: McpRequestState = {
      auth: res.locals.auth as Authenticated,
      log: res.locals.log as Logger,
      reqId: String(res.locals.reqId),
      outcome: {},
    };
    // toNodeHandler passes req.auth through to the server factory as authInfo.
    (req as unknown as { auth: unknown }).auth = authInfoFor(state);
    node(req as never, res as never, req.body).catch(next);
  };
}

function expiredCredential(auth: Authenticated, challenge: ChallengeOptions): Response {
  const err = new AuthError(
    401,
    'invalid_credentials',
    'Frappe no longer accepts this credential; sign in again.',
    auth.credential.kind !== 'sid',
  );
  return new Response(JSON.stringify({ error: { code: err.code, message: err.message } }), {
    status: 401,
    headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': challengeHeader(challenge, err) },
  });
}
