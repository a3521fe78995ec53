import express, { type Express } from 'express';
import type { Gateway } from '../gateway.js';
import { authenticate, type ChallengeOptions } from './authenticate.js';
import { errorHandler, sendError } from './errors.js';
import { allowedHostNames, hostGuard, originGuard, originPolicy } from './guards.js';
import { mcpRoute } from './mcp-route.js';
import { requestLog } from './request-log.js';
import { whoami } from './whoami.js';

export function resourceMetadataUrl(publicUrl: URL): string {
  return new URL('/.well-known/oauth-protected-resource/mcp', publicUrl).href;
}

/** The gateway's HTTP surface. Every route that touches Frappe runs the auth chain first. */
export function createApp(gw: Gateway): Express {
  const { config, logger } = gw;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.server.trust_proxy);
  app.set('query parser', 'simple');

  const challenge: ChallengeOptions = {
    realm: 'frappe-mcp-gateway',
    resourceMetadataUrl: resourceMetadataUrl(gw.publicUrl),
  };
  const originAllowed = originPolicy(gw.allowedOrigins);
  const auth = authenticate(gw.chain, challenge);
  const json = express.json({
    limit: config.server.body_limit,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });

  app.use(requestLog(logger));
  app.use(hostGuard(allowedHostNames(gw.publicUrl, config.server.allowed_hosts, config.server.host)));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/api/v1/whoami', originGuard(originAllowed), auth, whoami(challenge));

  const mcp = mcpRoute({
    registry: gw.registry,
    limits: gw.limits,
    challenge,
    logger,
    maxBodyBytes: 4 * 1024 * 1024,
  });
  app.post('/mcp', originGuard(originAllowed), json, auth, mcp);
  app.all('/mcp', (req, res) => {
    res.setHeader('Allow', 'POST');
    sendError(
      res,
      405,
      'method_not_allowed',
      `${req.method} is not supported on /mcp: this server is stateless; use POST.`,
    );
  });

  app.use((req, res) => sendError(res, 404, 'not_found', `No route for ${req.method} ${req.path}.`));
  app.use(errorHandler);
  return app;
}
