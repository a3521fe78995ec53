import { join, resolve as resolvePath } from 'node:path';
import type { Router } from 'express';
import type { MintedTokens } from '../auth/types.js';
import type { Config } from '../config/load.js';
import type { FrappeSite } from '../frappe/client.js';
import type { Logger } from '../log/logger.js';
import { CimdResolver, guardedFetcher, type MetadataFetcher } from './cimd.js';
import { loadEncryptionKey, Sealer } from './crypto.js';
import { ACCESS_PREFIX, Facade } from './facade.js';
import type { KvStore } from './kv.js';
import { RedisKvStore } from './redis-kv.js';
import { SqliteKvStore } from './sqlite-kv.js';
import { rateLimitStore } from '../http/rate-limit-store.js';
import { baseUrl } from '../http/public-url.js';
import { oauthRouter } from './router.js';
import { SCOPES_SUPPORTED } from './scopes.js';
import { FrappeUpstream } from './upstream.js';

export { hasWriteScope, READ_SCOPE, WRITE_SCOPE, SCOPES_SUPPORTED } from './scopes.js';
export { mcpCors } from './mcp-guards.js';
export { insufficientScopeGuard } from './mcp-guards.js';

/** Hooks for tests only; production passes none. */
export interface OAuthTestHooks {
  /** Replaces the SSRF-guarded fetcher for client metadata documents. */
  cimdFetcher?: MetadataFetcher;
  /** Host names the default fetcher may reach although they are loopback/private (and over http). */
  cimdTestAllowHosts?: string[];
  kv?: KvStore;
  now?: () => number;
}

export interface OAuthRuntime {
  mode: 'facade' | 'direct';
  router: Router;
  /** The scope string for WWW-Authenticate challenges. */
  challengeScope: string;
  /** Facade mode: recognises and resolves the access tokens the gateway minted. */
  minted?: MintedTokens;
  facade?: Facade;
  kv?: KvStore;
  /** The protected resource: `<public_url>/mcp`. */
  resource: string;
  publicClientOrigins: readonly string[];
  close(): Promise<void>;
}

export interface BuildOAuthArgs {
  config: Config;
  logger: Logger;
  site: FrappeSite;
  publicUrl: URL;
  frappeUrl: string;
  hooks?: OAuthTestHooks;
  /** One site of several: its slice of the store they share (the owner closes the store). */
  store?: KvStore;
}

/** The store config names: Redis when shared by replicas, else the embedded SQLite database in data_dir. */
export function openStore(config: Config, logger: Logger, now: () => number = Date.now): KvStore {
  const oc = config.oauth;
  if (oc.redis_url) return new RedisKvStore(oc.redis_url);
  const dataDir = resolvePath(oc.data_dir);
  return new SqliteKvStore(join(dataDir, 'oauth.sqlite'), {
    now,
    // The former embedded store: its live entries are imported once, so nobody has to sign in again.
    migrateFrom: join(dataDir, 'oauth-store.json'),
    onMaintenanceError: (err) => logger.error({ err }, 'oauth store: checkpoint or expiry sweep failed'),
  });
}

/** Builds the OAuth side from config: undefined when `oauth.mode` is off. */
export function buildOAuth({
  config,
  logger,
  site,
  publicUrl,
  frappeUrl,
  hooks = {},
  store,
}: BuildOAuthArgs): OAuthRuntime | undefined {
  const oc = config.oauth;
  if (oc.mode === 'off') return undefined;
  const log = logger.child({ component: 'oauth' });
  // With a path prefix (several sites on one host) the issuer carries it: RFC 8414 metadata is then
  // at /.well-known/oauth-authorization-server/s/<site>, which the site dispatcher routes here.
  const issuer = baseUrl(publicUrl);
  const resource = `${issuer}/mcp`;

  if (oc.mode === 'direct') {
    const as = oc.direct.authorization_server ?? oc.frappe_client.browser_url ?? new URL(frappeUrl).origin;
    const prm = {
      resource,
      authorization_servers: [as.replace(/\/$/, '')],
      scopes_supported: oc.direct.scopes,
      bearer_methods_supported: ['header'],
      resource_name: 'Frappe MCP gateway',
    };
    return {
      mode: 'direct',
      router: oauthRouter({
        prm,
        rootPrm: { ...prm, resource: issuer },
        publicClientOrigins: oc.public_client_origins,
        secureCookies: publicUrl.protocol === 'https:',
        rateLimits: oc.rate_limits,
        logger: log,
      }),
      challengeScope: oc.direct.scopes.join(' '),
      resource,
      publicClientOrigins: oc.public_client_origins,
      close: () => Promise.resolve(),
    };
  }

  const now = hooks.now ?? Date.now;
  const dataDir = resolvePath(oc.data_dir);
  const kv: KvStore = hooks.kv ?? store ?? openStore(config, log, now);
  const sealer = new Sealer(() => loadEncryptionKey(oc.encryption_key, dataDir));
  const callbackUrl = `${issuer}/oauth/callback`;
  const upstream = new FrappeUpstream({
    site,
    browserUrl: oc.frappe_client.browser_url ?? frappeUrl,
    callbackUrl,
    scope: oc.frappe_client.scope,
    appName: `MCP gateway (${publicUrl.host})`,
    kv,
    sealer,
    logger: log,
    now,
    ...(oc.frappe_client.client_id ? { clientId: oc.frappe_client.client_id } : {}),
    ...(oc.frappe_client.client_secret ? { clientSecret: oc.frappe_client.client_secret } : {}),
    ...(oc.frappe_client.admin_api_key ? { adminApiKey: oc.frappe_client.admin_api_key } : {}),
    ...(oc.frappe_client.admin_api_secret ? { adminApiSecret: oc.frappe_client.admin_api_secret } : {}),
  });
  const cimd = oc.cimd.enabled
    ? new CimdResolver(
        hooks.cimdFetcher ??
          guardedFetcher({
            timeoutMs: oc.cimd.timeout_ms,
            maxBytes: oc.cimd.max_bytes,
            ...(hooks.cimdTestAllowHosts ? { testAllowHosts: hooks.cimdTestAllowHosts } : {}),
          }),
        { defaultCacheSeconds: oc.cimd.cache_seconds, extraRedirects: oc.extra_redirect_uris, logger: log, now },
      )
    : undefined;
  const facade = new Facade({
    kv,
    sealer,
    upstream,
    logger: log,
    now,
    issuer,
    resource,
    accessTtlSeconds: oc.access_token_ttl_seconds,
    refreshTtlDays: oc.refresh_token_ttl_days,
    codeTtlSeconds: oc.code_ttl_seconds,
    clientTtlDays: oc.client_ttl_days,
    unusedClientTtlSeconds: oc.unused_client_ttl_hours * 3600,
    pendingPerIp: oc.pending_per_ip,
    approvalTtlDays: oc.approval_ttl_days,
    extraRedirects: oc.extra_redirect_uris,
    ...(cimd ? { cimd } : {}),
  });
  const authMethods = ['none', 'client_secret_post', 'client_secret_basic'];
  const asMetadata = {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    revocation_endpoint: `${issuer}/revoke`,
    scopes_supported: [...SCOPES_SUPPORTED],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    code_challenge_methods_supported: ['S256'],
    client_id_metadata_document_supported: Boolean(cimd),
    authorization_response_iss_parameter_supported: true,
  };
  const prm = {
    resource,
    authorization_servers: [issuer],
    scopes_supported: [...SCOPES_SUPPORTED],
    bearer_methods_supported: ['header'],
    resource_name: 'Frappe MCP gateway',
  };
  const minted: MintedTokens = {
    recognises: (token) => token.startsWith(ACCESS_PREFIX),
    resolve: (token, forceRefresh) => facade.resolve(token, forceRefresh),
    upstreamRejected: (token) => {
      facade.upstreamRejected(token).catch((err: unknown) => log.warn({ err }, 'could not mark the grant for refresh'));
    },
  };
  return {
    mode: 'facade',
    router: oauthRouter({
      prm,
      rootPrm: { ...prm, resource: issuer },
      asMetadata,
      facade,
      consentAction: `${new URL(issuer).pathname.replace(/\/$/, '')}/oauth/consent`,
      publicClientOrigins: oc.public_client_origins,
      secureCookies: publicUrl.protocol === 'https:',
      rateLimits: oc.rate_limits,
      rateLimitStore: (name) => rateLimitStore(kv, name),
      logger: log,
    }),
    challengeScope: SCOPES_SUPPORTED.join(' '),
    minted,
    facade,
    kv,
    resource,
    publicClientOrigins: oc.public_client_origins,
    close: () => kv.close(),
  };
}
