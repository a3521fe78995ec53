import express, { type RequestHandler } from 'express';
import type { RequestListener } from 'node:http';
import { lane } from './lane.js';
import type { Authenticated } from '../auth/chain.js';
import type { Gateway } from '../gateway.js';
import { authenticate, type ChallengeOptions } from './authenticate.js';
import { errorHandler, sendError } from './errors.js';
import { allowedHostNames, hostGuard, originGuard, originPolicy } from './guards.js';
import { insufficientScopeGuard, mcpCors } from '../oauth/index.js';
import { mcpBody, mcpRoute } from './mcp-route.js';
import { collectProcessMetrics, registry } from '../metrics.js';
import { requestLog } from './request-log.js';
import { rateLimitStore } from '../redis/rate-limit-store.js';
import { userRateLimit } from './user-rate-limit.js';
import { whoami } from './whoami.js';
import { browserCsrf } from './browser-csrf.js';
import { chatRoute } from './chat-route.js';
import { chatRoleGuard } from './chat-roles.js';
import { chatCors } from './chat-cors.js';
import { demoDesk } from './demo-desk.js';
import { resourceMetadataUrl } from './public-url.js';
import { versionReport } from '../frappe/version.js';
import { Readiness } from '../health/readiness.js';
import { readyz } from './readyz.js';

/** The gateway's HTTP surface. Every route that touches Frappe runs the auth chain first. */
export function createApp(gw: Gateway): RequestListener {
  const { config, logger } = gw;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.server.trust_proxy);
  app.set('query parser', 'simple');

  const challenge: ChallengeOptions = {
    realm: 'frappe-mcp-gateway',
    resourceMetadataUrl: resourceMetadataUrl(gw.publicUrl),
    ...(gw.oauth ? { scope: gw.oauth.challengeScope } : {}),
  };
  const originAllowed = originPolicy(gw.allowedOrigins);
  // /mcp also admits the OAuth browser clients' origins (e.g. MCP Inspector); cookies stay limited to allowedOrigins by the chain.
  const publicClientOrigins = gw.oauth?.publicClientOrigins ?? [];
  const mcpOriginAllowed = publicClientOrigins.includes('*')
    ? () => true
    : originPolicy([...gw.allowedOrigins, ...publicClientOrigins]);
  const auth = authenticate(gw.chain, challenge);
  const perUser = userRateLimit(config.server.rate_limit_per_user_per_minute, logger, rateLimitStore(gw.redis, 'user'));
  const json = express.json({
    limit: config.server.body_limit,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });

  // Every handler the app runs for all paths before /mcp joins mcpLane below as well.
  const logRequests = requestLog(logger);
  // Only origin-form targets ("/path?query"): absolute-form ("http://host/path") or "*" would reach
  // handlers that build URLs from Host + req.url.
  const onlyPaths: RequestHandler = (req, res, next) =>
    req.url.startsWith('/') ? next() : sendError(res, 400, 'bad_request', 'The request target must be a path.');
  app.use(logRequests, onlyPaths);
  // Probes come from orchestrators that address the pod by IP, so they answer before the Host check;
  // they reveal nothing a caller could misuse.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', frappe: versionReport(gw.site) });
  });
  const readiness = new Readiness({
    site: gw.site,
    ...(gw.redis ? { redis: gw.redis } : {}),
    cacheMs: config.frappe.ready_cache_seconds * 1000,
    // The full version when a caller could read it, else the major learned from the site's traits.
    frappeVersion: () => {
      const v = versionReport(gw.site);
      return v.version ?? (v.major ? String(v.major) : undefined);
    },
  });
  app.get('/readyz', readyz(readiness));
  const hosts = hostGuard(allowedHostNames(gw.publicUrl, config.server.allowed_hosts, config.server.host));
  app.use(hosts);

  if (config.server.metrics) {
    collectProcessMetrics();
    app.get('/metrics', (_req, res, next) => {
      registry.metrics().then((text) => res.type(registry.contentType).send(text), next);
    });
  }

  // /mcp is nearly all of the traffic: exact POST /mcp takes the lane below; its other spellings and
  // methods are matched here, before the OAuth, whoami and chat routes (none of which serves /mcp).
  const mcp = mcpRoute({
    registry: gw.registry,
    limits: gw.limits,
    challenge,
    logger,
    maxBodyBytes: 4 * 1024 * 1024,
    ...(gw.audit ? { audit: gw.audit } : {}),
  });
  // The SDK reads and validates the JSON-RPC body itself (parse errors become JSON-RPC errors).
  const isWriteTool = (name: string): boolean => {
    const tool = gw.registry.tools.get(name);
    return tool !== undefined && tool.listing.annotations.readOnlyHint !== true;
  };
  const cors = mcpCors(publicClientOrigins);
  app.options('/mcp', cors);
  const [mcpJson, mcpJsonError] = mcpBody(4 * 1024 * 1024);
  const mcpChain = [
    cors,
    originGuard(mcpOriginAllowed),
    auth,
    perUser,
    mcpJson,
    insufficientScopeGuard(isWriteTool, challenge.resourceMetadataUrl, 4 * 1024 * 1024),
    mcp,
  ];
  app.post('/mcp', ...mcpChain, mcpJsonError);
  // The same chain, with the app-wide handlers a POST /mcp passes through before it, without the
  // router (see lane.ts). Express keeps serving the rest, and /mcp spelt otherwise (a query, a slash).
  const listener = lane(app, '/mcp', [logRequests, onlyPaths, hosts, ...mcpChain], [mcpJsonError, errorHandler]);
  app.all('/mcp', (req, res) => {
    res.setHeader('Allow', 'POST');
    sendError(
      res,
      405,
      'method_not_allowed',
      `${req.method} is not supported on /mcp: this server is stateless; use POST.`,
    );
  });

  // OAuth: protected-resource metadata, and in facade mode the authorization server.
  if (gw.oauth) app.use(gw.oauth.router);

  app.get('/api/v1/whoami', originGuard(originAllowed), auth, perUser, whoami(challenge));

  // The desk's "@ai" and curl: the same tools as MCP, run as the caller.
  const entry = (a: Authenticated) => {
    const e = gw.cache.get(gw.chain.keyOf(a.credential));
    return e?.ok ? e : undefined;
  };
  // The desk's cross-site mode calls from the site's origin with a gateway token (CORS, no cookies).
  const chatCorsAllowed = chatCors(originAllowed);
  app.options('/api/v1/chat', chatCorsAllowed);
  app.post(
    '/api/v1/chat',
    chatCorsAllowed,
    originGuard(originAllowed),
    auth,
    perUser,
    json,
    browserCsrf(
      (a, token) => {
        const e = entry(a);
        if (e) e.csrfConfirmed = token;
        return e !== undefined;
      },
      (a) => entry(a)?.csrfConfirmed,
    ),
    chatRoleGuard(
      config.chat.allowed_roles,
      {
        get: (a) => entry(a)?.principal.roles,
        set: (a, roles) => {
          const e = entry(a);
          if (e) e.principal.roles = roles;
        },
        key: (a) => gw.chain.keyOf(a.credential),
      },
      challenge,
    ),
    chatRoute({
      registry: gw.registry,
      limits: gw.limits,
      challenge,
      config,
      ...(gw.oauth?.kv ? { store: gw.oauth.kv } : {}),
      ...(gw.audit ? { audit: gw.audit } : {}),
    }),
  );
  if (gw.demo) app.use('/demo', demoDesk(gw));

  app.use((req, res) => sendError(res, 404, 'not_found', `No route for ${req.method} ${req.path}.`));
  app.use(errorHandler);
  return listener;
}
