import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { RedisConnection } from './redis/connection.js';
import express from 'express';
import type { Config } from './config/load.js';
import { buildGateway, type Gateway, type GatewayHooks } from './gateway.js';
import { createApp } from './http/app.js';
import { sendError } from './http/errors.js';
import { hostnameOf } from './http/guards.js';
import type { Logger } from './log/logger.js';
import { PrefixedKvStore, type KvStore } from './oauth/kv.js';
import { openStore } from './oauth/index.js';

type SiteEntry = NonNullable<Config['sites']>[number];

/** The gateway's config as one site sees it: its Frappe, its public URL, its Frappe OAuth client. */
export function siteConfig(config: Config, site: SiteEntry, mainBase: string): Config {
  const { sites: _all, ...rest } = config;
  const { client_id, client_secret, admin_api_key, admin_api_secret, browser_url, scope } = site.oauth;
  return Object.freeze({
    ...rest,
    frappe: {
      ...config.frappe,
      url: site.frappe_url,
      ...(site.site_name ? { site_name: site.site_name } : {}),
    },
    server: { ...config.server, public_url: site.public_url ?? `${mainBase}/s/${site.name}` },
    oauth: {
      ...config.oauth,
      // Only this site's client: a client of another Frappe would never sign anyone in here.
      frappe_client: {
        scope: scope ?? config.oauth.frappe_client.scope,
        ...(client_id ? { client_id } : {}),
        ...(client_secret ? { client_secret } : {}),
        ...(admin_api_key ? { admin_api_key } : {}),
        ...(admin_api_secret ? { admin_api_secret } : {}),
        ...(browser_url ? { browser_url } : {}),
      },
    },
  });
}

export interface Sites {
  /** In config order. */
  gateways: Gateway[];
  /** The node request listener: picks the site, then hands the request to its app. */
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}

interface Routed {
  name: string;
  gateway: Gateway;
  app: RequestListener;
}

const PREFIXED = /^\/s\/([^/?#]+)(\/[^?#]*)?(\?.*)?$/;
const WELL_KNOWN_PREFIXED = /^\/\.well-known\/([^/?#]+)\/s\/([^/?#]+)(\/[^?#]*)?(\?.*)?$/;

/**
 * The site a request is for, and the URL its app sees. A path prefix names the site explicitly:
 * `/s/<site>/…` is stripped to `/…`, and the RFC 8414 / RFC 9728 well-known URLs of a prefixed
 * issuer or resource (`/.well-known/<kind>/s/<site>[/mcp]`) become `/.well-known/<kind>[/mcp]`.
 * Without a prefix, the Host header picks the site.
 */
export function route(
  url: string,
  host: string | undefined,
  byName: ReadonlyMap<string, string>,
  byHost: ReadonlyMap<string, string>,
): { site: string; url: string } | { unknownSite: string } | undefined {
  const wk = WELL_KNOWN_PREFIXED.exec(url);
  if (wk) {
    const name = decodeSafe(wk[2]!);
    const site = byName.get(name);
    return site ? { site, url: `/.well-known/${wk[1]!}${wk[3] ?? ''}${wk[4] ?? ''}` } : { unknownSite: name };
  }
  const px = PREFIXED.exec(url);
  if (px) {
    const name = decodeSafe(px[1]!);
    const site = byName.get(name);
    return site ? { site, url: `${px[2] ?? '/'}${px[3] ?? ''}` } : { unknownSite: name };
  }
  const hostname = hostnameOf(host ?? '');
  const site = byHost.get(host?.toLowerCase() ?? '') ?? byHost.get(hostname);
  return site ? { site, url } : undefined;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Several Frappe sites behind one gateway: one Gateway (auth chain, identity cache, OAuth facade,
 * tools) per site, each with its own slice of one shared OAuth store, so nothing one site issued or
 * confirmed is known to another.
 */
export function buildSites(config: Config, logger: Logger, listenPort: number, hooks: GatewayHooks = {}): Sites {
  const sites = config.sites ?? [];
  const mainBase = (config.server.public_url ?? `http://${config.server.host}:${listenPort}`).replace(/\/+$/, '');
  // One Redis connection for every site (rate-limit counters and the OAuth store), when configured.
  const redis = config.oauth.redis_url ? new RedisConnection({ url: config.oauth.redis_url, logger }) : undefined;
  const store: KvStore | undefined =
    config.oauth.mode === 'facade'
      ? (hooks.oauth?.kv ?? openStore(config, logger, hooks.oauth?.now, redis))
      : undefined;
  const routed = new Map<string, Routed>();
  const byName = new Map<string, string>();
  const byHost = new Map<string, string>();
  for (const site of sites) {
    const cfg = siteConfig(config, site, mainBase);
    const { kv: _shared, ...siteHooks } = hooks.oauth ?? {};
    const gateway = buildGateway(
      cfg,
      logger,
      site.frappe_url,
      listenPort,
      { oauth: siteHooks },
      // Each site's keys live under its own prefix: a token of one site is unknown to another.
      store
        ? { name: site.name, store: new PrefixedKvStore(store, `site:${site.name}:`), ...(redis ? { redis } : {}) }
        : undefined,
    );
    routed.set(site.name, { name: site.name, gateway, app: createApp(gateway) });
    byName.set(site.name, site.name);
    const pub = new URL(cfg.server.public_url!);
    if (pub.pathname.replace(/\/+$/, '') === '') {
      byHost.set(pub.host.toLowerCase(), site.name);
      byHost.set(pub.hostname.toLowerCase(), site.name);
    }
    for (const h of site.hosts) byHost.set(h.toLowerCase(), site.name);
  }
  const lost = express();
  lost.disable('x-powered-by');
  lost.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', sites: sites.map((s) => s.name) });
  });
  const choices = sites.map((s) => `/s/${s.name}/mcp`).join(', ');
  lost.use((_req, res) => sendError(res, 404, 'unknown_site', `No site is served here. Sites: ${choices}.`));

  return {
    gateways: [...routed.values()].map((r) => r.gateway),
    listener: (req, res) => {
      const r = route(req.url ?? '/', req.headers.host, byName, byHost);
      if (r && 'site' in r) {
        req.url = r.url;
        void routed.get(r.site)!.app(req, res);
        return;
      }
      if (r) {
        res.statusCode = 404;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ error: { code: 'unknown_site', message: `No site is named ${r.unknownSite}.` } }));
        return;
      }
      void lost(req, res);
    },
    close: async () => {
      await Promise.all([...routed.values()].map((r) => r.gateway.close()));
      await store?.close();
      await redis?.close();
    },
  };
}
