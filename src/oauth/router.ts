import { sha256 } from '../hash.js';
import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { FrappeError } from '../frappe/errors.js';
import type { AuditLog } from '../audit/log.js';
import type { Logger } from '../log/logger.js';
import { LogSampler } from '../log/sampled.js';
import { rateLimited } from '../metrics.js';
import { StoreUnavailableError } from '../redis/errors.js';
import { OAuthError } from './errors.js';
import type { Facade } from './facade.js';
import type { TokenResponse } from './types.js';
import { consentPage, errorPage } from './pages.js';

export interface RouterOptions {
  /** Protected Resource Metadata (RFC 9728) of the MCP endpoint. */
  prm: Record<string, unknown>;
  /**
   * The same at the root well-known URL, which by RFC 9728 §3.1 describes the resource named by the
   * bare base URL, so its `resource` is that URL, not …/mcp.
   */
  rootPrm: Record<string, unknown>;
  /** Authorization-server metadata (RFC 8414); absent in direct mode. */
  asMetadata?: Record<string, unknown>;
  facade?: Facade;
  /** Where the consent form posts: /oauth/consent, under the site's path prefix when it has one. */
  consentAction?: string;
  /** Browser origins of public clients allowed by CORS on register/token/revoke ('*' allows any). */
  publicClientOrigins: readonly string[];
  secureCookies: boolean;
  rateLimits: { register_per_hour: number; authorize_per_minute: number; token_per_minute: number };
  /** Shared counters (Redis) so the limits hold across replicas; memory when absent. */
  rateLimitStore?: (name: string) => Store | undefined;
  logger: Logger;
  /** The audit trail: one line per grant, revocation or refusal at /token, /revoke and consent. */
  audit?: AuditLog;
}

const CONSENT_COOKIE_PLAIN = 'fmg_consent';
const CONSENT_COOKIE_SECURE = '__Host-fmg_consent';

/** One cookie per pending consent, so two sign-ins open at once in one browser do not spoil each other. */
export function consentCookieName(consentId: string, secure: boolean): string {
  const suffix = sha256(consentId, 'hex').slice(0, 12);
  return `${secure ? CONSENT_COOKIE_SECURE : CONSENT_COOKIE_PLAIN}_${suffix}`;
}

/** CORS for public, credential-free endpoints: any origin may read metadata. */
const publicCors: RequestHandler = (req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
    return;
  }
  next();
};

/** CORS for the token, registration and revocation endpoints: the configured public-client origins only, never credentials. */
export function clientCors(origins: readonly string[]): RequestHandler {
  const any = origins.includes('*');
  const set = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && (any || set.has(origin))) {
      res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
      res.vary('Origin');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
        res.setHeader(
          'Access-Control-Allow-Headers',
          req.headers['access-control-request-headers'] ?? 'Content-Type, Authorization, MCP-Protocol-Version',
        );
        res.setHeader('Access-Control-Max-Age', '600');
      }
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}

const reqIdOf = (res: Response): string => String(res.locals.reqId ?? '-');

function oauthJsonError(res: Response, err: OAuthError): void {
  if (err.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="frappe-mcp-gateway"');
  res.status(err.status).set('Cache-Control', 'no-store').json(err.toJSON());
}

function limiter(limit: number, windowMs: number, logger: Logger, name: string, store?: Store): RequestHandler {
  const sampler = new LogSampler();
  return rateLimit({
    windowMs,
    limit,
    ...(store ? { store } : {}),
    passOnStoreError: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    validate: { xForwardedForHeader: false },
    handler: (req, res) => {
      rateLimited.inc({ limiter: name });
      if (sampler.take(req.ip ?? '-')) logger.warn({ ip: req.ip, path: req.path }, 'oauth rate limit reached');
      res
        .status(429)
        .set('Retry-After', String(Math.ceil(windowMs / 1000)))
        .json({
          error: 'slow_down',
          error_description: 'Too many requests from this address; try again later.',
        });
    },
  });
}

/** Form fields as strings; repeated parameters are refused (RFC 6749 §3.1). */
function params(source: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (!source || typeof source !== 'object') return out;
  for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) throw new OAuthError('invalid_request', `The ${k} parameter is repeated.`);
  }
  return out;
}

function basicAuth(req: Request): { id: string; secret: string } | undefined {
  const h = req.headers.authorization;
  if (!h || !/^basic\s/i.test(h)) return undefined;
  const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) throw new OAuthError('invalid_client', 'Malformed Basic credentials.', 401);
  // RFC 6749 §2.3.1: both parts are form-urlencoded; a bad %-sequence is a client error, not ours.
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, i).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(i + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw new OAuthError('invalid_client', 'Malformed Basic credentials (bad %-encoding).', 401);
  }
}

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * The OAuth surface: metadata (both modes) and, in facade mode, /register, /authorize,
 * /oauth/callback, /oauth/consent, /token and /revoke.
 */
export function oauthRouter(o: RouterOptions): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 });
  const json = express.json({ limit: '32kb' });
  const cors = clientCors(o.publicClientOrigins);
  r.all(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'], publicCors);
  r.get('/.well-known/oauth-protected-resource/mcp', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(o.prm);
  });
  r.get('/.well-known/oauth-protected-resource', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(o.rootPrm);
  });

  const facade = o.facade;
  if (!facade || !o.asMetadata) return r;
  const asMetadata = o.asMetadata;
  const wellKnownAs = ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'];
  r.all(wellKnownAs, publicCors);
  r.get('/.well-known/oauth-authorization-server', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(asMetadata);
  });
  r.get('/.well-known/openid-configuration', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json({ ...asMetadata, subject_types_supported: ['public'] });
  });

  const fail = (res: Response, err: unknown): void => {
    if (err instanceof OAuthError) return oauthJsonError(res, err);
    if (err instanceof StoreUnavailableError) {
      res.status(503).set('Retry-After', String(err.retryAfterSeconds)).set('Cache-Control', 'no-store').json({
        error: 'temporarily_unavailable',
        error_description: err.message,
      });
      return;
    }
    if (err instanceof FrappeError && err.isOutage) {
      res.status(503).set('Retry-After', '5').json({
        error: 'temporarily_unavailable',
        error_description: 'Frappe is unavailable; try again shortly.',
      });
      return;
    }
    o.logger.error({ err }, 'oauth endpoint failed');
    res.status(500).json({ error: 'server_error', error_description: 'Internal error.' });
  };

  /** Browser steps: a Redis outage is a 503 page that says to retry, never a 500 or the client's error text. */
  const pageFailure = (res: Response, err: unknown, what: string): void => {
    if (err instanceof StoreUnavailableError) {
      res.set('Retry-After', String(err.retryAfterSeconds));
      return errorPage(res, 503, 'Sign-in is briefly unavailable on this gateway; try again in a moment.');
    }
    o.logger.error({ err }, what);
    errorPage(res, 500, 'Internal error.');
  };

  const perMinute = 60_000;
  r.options('/register', cors);
  r.post(
    '/register',
    cors,
    limiter(o.rateLimits.register_per_hour, 3_600_000, o.logger, 'register', o.rateLimitStore?.('register')),
    json,
    (req, res) => {
      facade.register(req.body).then(
        (client) => res.status(201).set('Cache-Control', 'no-store').json(client),
        (err: unknown) => fail(res, err),
      );
    },
  );

  const authorizeLimit = limiter(
    o.rateLimits.authorize_per_minute,
    perMinute,
    o.logger,
    'authorize',
    o.rateLimitStore?.('authorize'),
  );
  r.get('/authorize', authorizeLimit, (req, res) => {
    let q: Record<string, string | undefined>;
    try {
      q = params(req.query);
    } catch (err) {
      return errorPage(res, 400, (err as Error).message);
    }
    facade.authorize(q, req.ip ?? 'unknown').then(
      (out) => (out.kind === 'redirect' ? res.redirect(302, out.location) : errorPage(res, out.status, out.message)),
      (err: unknown) => pageFailure(res, err, 'authorize failed'),
    );
  });

  const cookieName = (consentId: string) => consentCookieName(consentId, o.secureCookies);
  r.get('/oauth/callback', authorizeLimit, (req, res) => {
    let q: Record<string, string | undefined>;
    try {
      q = params(req.query);
    } catch (err) {
      return errorPage(res, 400, (err as Error).message);
    }
    facade.callback(q).then(
      (out) => {
        if (out.kind === 'redirect') return res.redirect(302, out.location);
        if (out.kind === 'error-page') return errorPage(res, out.status, out.message);
        res.cookie(cookieName(out.view.consentId), out.view.csrf, {
          httpOnly: true,
          secure: o.secureCookies,
          sameSite: 'strict',
          path: '/',
          maxAge: 10 * 60 * 1000,
        });
        consentPage(res, out.view, o.consentAction ?? '/oauth/consent');
      },
      (err: unknown) => pageFailure(res, err, 'oauth callback failed'),
    );
  });

  r.post('/oauth/consent', authorizeLimit, form, (req, res) => {
    let b: Record<string, string | undefined>;
    try {
      b = params(req.body);
    } catch (err) {
      return errorPage(res, 400, (err as Error).message);
    }
    if (!b.consent || !b.csrf || (b.decision !== 'approve' && b.decision !== 'deny'))
      return errorPage(res, 400, 'The consent form is incomplete.');
    const name = cookieName(b.consent);
    facade.decide(b.consent, b.csrf, cookieValue(req, name), b.decision === 'approve').then(
      (out) => {
        // Only a decided consent ends the cookie: a refused (e.g. cross-site) POST must not spoil the pending one.
        if (b.decision === 'deny' && out.kind === 'redirect')
          o.audit?.write({ event: 'oauth_refusal', reqId: reqIdOf(res), step: 'consent', outcome: 'access_denied' });
        if (out.kind === 'redirect') {
          res.clearCookie(name, { path: '/', secure: o.secureCookies, httpOnly: true, sameSite: 'strict' });
          return res.redirect(303, out.location);
        }
        errorPage(res, out.status, out.message);
      },
      (err: unknown) => pageFailure(res, err, 'oauth consent failed'),
    );
  });

  const tokenLimit = limiter(o.rateLimits.token_per_minute, perMinute, o.logger, 'token', o.rateLimitStore?.('token'));
  const formOnly: RequestHandler = (req, res, next) => {
    if (!req.is('application/x-www-form-urlencoded'))
      return oauthJsonError(
        res,
        new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.'),
      );
    next();
  };
  r.options(['/token', '/revoke'], cors);
  /** /token and /revoke read the same form and client authentication, and fail the same way. */
  const clientForm =
    (
      run: (
        p: Record<string, string | undefined>,
        basic: { id: string; secret: string } | undefined,
      ) => Promise<unknown>,
      answer: (res: Response, result: unknown) => void,
      onDone?: (
        res: Response,
        p: Record<string, string | undefined>,
        clientId: string | undefined,
        result: unknown,
      ) => void,
    ): RequestHandler =>
    (req, res) => {
      let p: Record<string, string | undefined>;
      let basic: { id: string; secret: string } | undefined;
      try {
        p = params(req.body);
        basic = basicAuth(req);
      } catch (err) {
        return fail(res, err);
      }
      const clientId = basic?.id ?? p.client_id;
      run(p, basic).then(
        (result) => {
          answer(res, result);
          onDone?.(res, p, clientId, result);
        },
        (err: unknown) => {
          fail(res, err);
          o.audit?.write({
            event: 'oauth_refusal',
            reqId: reqIdOf(res),
            step: req.path.slice(1),
            ...(clientId ? { client_id: clientId } : {}),
            ...(p.grant_type ? { grant_type: p.grant_type } : {}),
            outcome:
              err instanceof OAuthError
                ? err.error
                : res.statusCode === 503
                  ? 'temporarily_unavailable'
                  : 'server_error',
            status: res.statusCode,
          });
        },
      );
    };
  r.post(
    '/token',
    cors,
    tokenLimit,
    formOnly,
    form,
    clientForm(
      (p, basic) => facade.token(p, basic),
      (res, t) => res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(t),
      (res, p, clientId, t) => {
        const audit = o.audit;
        if (!audit) return;
        // The response names no user; the token just minted does (one store read per grant).
        facade.resolve((t as TokenResponse).access_token).then(
          (id) =>
            audit.write({
              event: 'oauth_grant',
              reqId: reqIdOf(res),
              ...(id ? { user: id.user, scopes: id.scopes } : {}),
              ...(clientId ? { client_id: clientId } : {}),
              grant_type: p.grant_type,
              outcome: 'granted',
            }),
          () =>
            audit.write({
              event: 'oauth_grant',
              reqId: reqIdOf(res),
              ...(clientId ? { client_id: clientId } : {}),
              grant_type: p.grant_type,
              outcome: 'granted',
            }),
        );
      },
    ),
  );
  r.post(
    '/revoke',
    cors,
    tokenLimit,
    formOnly,
    form,
    clientForm(
      (p, basic) => facade.revoke(p, basic),
      (res) => res.status(200).set('Cache-Control', 'no-store').json({}),
      (res, _p, clientId) =>
        o.audit?.write({
          event: 'oauth_revocation',
          reqId: reqIdOf(res),
          ...(clientId ? { client_id: clientId } : {}),
          outcome: 'revoked',
        }),
    ),
  );
  return r;
}
