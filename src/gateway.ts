import { AuthChain } from './auth/chain.js';
import { MemoryIdentityCache } from './auth/cache.js';
import type { Config } from './config/load.js';
import { FrappeSite } from './frappe/client.js';
import { siteVersion } from './frappe/version.js';
import { originPolicy } from './http/guards.js';
import { RedisConnection } from './redis/connection.js';
import { AuditLog } from './audit/log.js';
import type { Logger } from './log/logger.js';
import { buildOAuth, type OAuthRuntime, type OAuthTestHooks } from './oauth/index.js';
import type { KvStore } from './oauth/kv.js';
import type { ToolLimits } from './tools/define.js';
import { toolsets } from './tools/index.js';
import { selectTools, type ToolRegistry } from './tools/registry.js';
import { DEFAULT_METHOD_ALLOWLIST } from './tools/method-allowlist.js';

/** Everything a running gateway is made of, built once from config. */
export interface Gateway {
  config: Config;
  logger: Logger;
  frappeUrl: string;
  publicUrl: URL;
  site: FrappeSite;
  cache: MemoryIdentityCache;
  chain: AuthChain;
  registry: ToolRegistry;
  limits: ToolLimits;
  allowedOrigins: string[];
  /** Fronting the embedded demo stand-in (no frappe.url configured): the demo pages are served. */
  demo: boolean;
  /** OAuth (facade or direct mode); undefined when oauth.mode is off. */
  oauth?: OAuthRuntime;
  /** The shared Redis when REDIS_URL is set: OAuth state, rate-limit counters, chat confirmations. */
  redis?: RedisConnection;
  /** The audit trail (on by default); undefined when audit.enabled is false. */
  audit?: AuditLog;
  close(): Promise<void>;
}

/** Test-only construction hooks. */
export interface GatewayHooks {
  oauth?: OAuthTestHooks;
}

/** One site of several (src/sites.ts): its name, and its slice of the OAuth store the sites share. */
export interface SiteSlot {
  name: string;
  store: KvStore;
  /** The Redis the sites share (owned and closed by src/sites.ts), when REDIS_URL is set. */
  redis?: RedisConnection;
}

export function buildGateway(
  config: Config,
  logger: Logger,
  frappeUrl: string,
  listenPort?: number,
  hooks: GatewayHooks = {},
  slot?: SiteSlot,
): Gateway {
  if (slot) logger = logger.child({ site: slot.name });
  const port = listenPort ?? config.server.port;
  const publicUrl = new URL(config.server.public_url ?? `http://${config.server.host}:${port}`);
  const site = new FrappeSite({
    baseUrl: frappeUrl,
    siteName: config.frappe.site_name,
    timeoutMs: config.frappe.timeout_ms,
    retries: config.frappe.retries,
    maxInFlight: config.frappe.max_in_flight,
    maxQueued: config.frappe.max_queued,
    dnsCacheMs: config.frappe.dns_cache_seconds * 1000,
    logger: logger.child({ component: 'frappe' }),
  });
  // Pinned by config, or learned once from the site (logged at start-up, shown in /healthz).
  siteVersion(site, config.frappe.version);
  const cache = new MemoryIdentityCache(config.auth.cache.max_entries);
  const allowedOrigins = config.server.allowed_origins ?? [new URL(frappeUrl).origin, publicUrl.origin];
  const { service_account: sa } = config.auth;
  const redisUrl = config.oauth.redis_url;
  const ownRedis = !slot?.redis && redisUrl ? new RedisConnection({ url: redisUrl, logger }) : undefined;
  const redis = slot?.redis ?? ownRedis;
  const ac = config.audit;
  const audit = ac.enabled
    ? new AuditLog({ logger, redactFields: ac.redact_fields, ...(ac.file ? { file: ac.file } : {}) })
    : undefined;
  const oauth = buildOAuth({
    config,
    logger,
    site,
    ...(redis ? { redis } : {}),
    ...(audit ? { audit } : {}),
    publicUrl,
    frappeUrl,
    ...(hooks.oauth ? { hooks: hooks.oauth } : {}),
    ...(slot ? { store: slot.store } : {}),
  });
  const chain = new AuthChain({
    site,
    cache,
    logger: logger.child({ component: 'auth' }),
    order: config.auth.strategies,
    ttlSeconds: config.auth.cache.ttl_seconds,
    rejectionTtlSeconds: config.auth.cache.rejection_ttl_seconds,
    // Cookies are ambient: only the cookie origins may use them, even where /mcp admits more origins (OAuth browser clients).
    cookieAllowed: originPolicy(allowedOrigins),
    ...(oauth?.minted ? { minted: oauth.minted } : {}),
    ...(sa.enabled && sa.api_key && sa.api_secret
      ? { serviceAccount: { key: sa.api_key, secret: sa.api_secret } }
      : {}),
  });
  const registry = selectTools(toolsets, {
    toolsets: config.mcp.toolsets,
    disabledToolsets: config.mcp.disabled_toolsets,
    tools: config.mcp.tools,
    disabledTools: config.mcp.disabled_tools,
    readOnly: config.mcp.read_only,
  });
  const limits: ToolLimits = {
    pageSize: config.mcp.page_size,
    maxPageSize: config.mcp.max_page_size,
    maxResultBytes: config.mcp.max_result_bytes,
    methodAllowlist: config.mcp.method_allowlist ?? DEFAULT_METHOD_ALLOWLIST,
  };
  return {
    config,
    logger,
    frappeUrl,
    publicUrl,
    site,
    cache,
    chain,
    registry,
    limits,
    allowedOrigins,
    demo: config.frappe.url === undefined,
    ...(oauth ? { oauth } : {}),
    ...(redis ? { redis } : {}),
    ...(audit ? { audit } : {}),
    close: async () => {
      cache.close();
      await oauth?.close();
      await ownRedis?.close();
      audit?.close();
    },
  };
}
