import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Logger } from '../log/logger.js';
import { displayText } from './display-text.js';
import { OAuthError } from './errors.js';
import { redirectUriProblem } from './redirect.js';
import type { ClientRecord } from './types.js';

export interface FetchedDocument {
  status: number;
  body: string;
  cacheControl?: string;
}

/** Fetches a client metadata document; the default one guards against SSRF. Tests may inject their own. */
export type MetadataFetcher = (url: URL) => Promise<FetchedDocument>;

export interface GuardOptions {
  timeoutMs: number;
  maxBytes: number;
  /** TEST ONLY: host names that may resolve to loopback/private addresses and may use http. */
  testAllowHosts?: readonly string[];
}

/** Only public unicast addresses may be fetched: no loopback, private, link-local, CGNAT, multicast, … */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let a = ipaddr.parse(address);
  if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
  return a.range() === 'unicast';
}

/** A DNS lookup that refuses a host when ANY of its addresses is not public; the connection uses the checked ones. */
function guardedLookup(allowed: (host: string) => boolean): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err);
      if (!addresses.length) return callback(new Error(`${hostname} has no address`));
      if (!allowed(hostname)) {
        const bad = addresses.find((a) => !isPublicAddress(a.address));
        if (bad) return callback(new Error(`${hostname} resolves to a non-public address (${bad.address})`));
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as unknown as LookupFunction;
}

/**
 * GET with an SSRF guard: https only, every resolved address must be public (IP literals too), no
 * redirects followed, a size cap and a time cap.
 */
export function guardedFetcher(opts: GuardOptions): MetadataFetcher {
  const testHosts = new Set(opts.testAllowHosts ?? []);
  const allowed = (host: string): boolean => testHosts.has(host);
  return (url) =>
    new Promise<FetchedDocument>((resolve, reject) => {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed(url.hostname))) {
        return reject(new Error('client metadata must be fetched over https'));
      }
      if (isIP(host) && !allowed(url.hostname) && !isPublicAddress(host)) {
        return reject(new Error(`${host} is not a public address`));
      }
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method: 'GET',
          headers: { Accept: 'application/json', 'User-Agent': 'frappe-mcp-gateway' },
          lookup: guardedLookup(allowed),
          timeout: opts.timeoutMs,
          signal: AbortSignal.timeout(opts.timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > opts.maxBytes) {
              req.destroy(new Error(`client metadata is larger than ${opts.maxBytes} bytes`));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => {
            const cc = res.headers['cache-control'];
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ...(cc ? { cacheControl: cc } : {}),
            });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('client metadata fetch timed out')));
      req.on('error', reject);
      req.end();
    });
}

/** A `client_id` that is a Client ID Metadata Document URL: https with a path. */
export function isCimdClientId(id: string): boolean {
  if (!id.startsWith('https://')) return false;
  try {
    const u = new URL(id);
    return u.pathname !== '/' && !u.hash && !u.username && !u.password;
  } catch {
    return false;
  }
}

interface CacheItem {
  client: ClientRecord;
  freshUntil: number;
}

const MIN_CACHE_SECONDS = 60;
const MAX_CACHE_SECONDS = 86_400;
const FAILURE_CACHE_SECONDS = 60;

/** Resolves URL client ids: fetch, check, cache per Cache-Control (bounded), serve the stale copy when a refetch fails. */
export class CimdResolver {
  private readonly cache = new Map<string, CacheItem>();
  private readonly inflight = new Map<string, Promise<ClientRecord>>();
  private readonly failures = new Map<string, { error: OAuthError; until: number }>();

  constructor(
    private readonly fetcher: MetadataFetcher,
    private readonly opts: {
      defaultCacheSeconds: number;
      extraRedirects: readonly string[];
      logger: Logger;
      now?: () => number;
      maxEntries?: number;
    },
  ) {}

  async resolve(clientId: string): Promise<ClientRecord> {
    const now = (this.opts.now ?? Date.now)();
    const hit = this.cache.get(clientId);
    if (hit && hit.freshUntil > now) return hit.client;
    const failure = this.failures.get(clientId);
    if (failure && failure.until > now && !hit) throw failure.error;
    let pending = this.inflight.get(clientId);
    if (!pending) {
      pending = this.fetchAndCheck(clientId, now).finally(() => this.inflight.delete(clientId));
      this.inflight.set(clientId, pending);
    }
    try {
      return await pending;
    } catch (err) {
      if (hit) {
        this.opts.logger.warn(
          { clientId, err: (err as Error).message },
          'client metadata refetch failed: using the cached copy',
        );
        return hit.client;
      }
      throw this.failed(clientId, err, now);
    }
  }

  /**
   * A refused or unreachable document: the caller learns only that it could not be fetched (the
   * reason, which may name internal hosts and addresses, goes to the log), and the answer is kept
   * for a minute so repeated requests do not make the gateway fetch again.
   */
  private failed(clientId: string, err: unknown, now: number): OAuthError {
    const refusal =
      err instanceof OAuthError
        ? err
        : new OAuthError('invalid_client', `The client metadata document at ${clientId} could not be fetched.`);
    if (!(err instanceof OAuthError))
      this.opts.logger.warn({ clientId, err: (err as Error).message }, 'client metadata fetch failed');
    if (this.failures.size >= (this.opts.maxEntries ?? 1000)) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(clientId, { error: refusal, until: now + FAILURE_CACHE_SECONDS * 1000 });
    return refusal;
  }

  private async fetchAndCheck(clientId: string, now: number): Promise<ClientRecord> {
    const doc = await this.fetcher(new URL(clientId));
    if (doc.status !== 200)
      throw new OAuthError('invalid_client', `The client metadata document answered HTTP ${doc.status}`);
    let meta: Record<string, unknown>;
    try {
      meta = JSON.parse(doc.body) as Record<string, unknown>;
    } catch {
      throw new OAuthError('invalid_client', 'The client metadata document is not JSON');
    }
    if (!meta || typeof meta !== 'object' || Array.isArray(meta))
      throw new OAuthError('invalid_client', 'The client metadata document is not a JSON object');
    if (meta.client_id !== clientId)
      throw new OAuthError('invalid_client', 'The client_id in the metadata document differs from its URL');
    const uris = meta.redirect_uris;
    if (!Array.isArray(uris) || !uris.length || uris.some((u) => typeof u !== 'string'))
      throw new OAuthError('invalid_client', 'The client metadata document has no redirect_uris');
    const problems = (uris as string[]).map((u) => redirectUriProblem(u, this.opts.extraRedirects)).filter(Boolean);
    if (problems.length) throw new OAuthError('invalid_client', `Client metadata: ${problems.join('; ')}`);
    const method = meta.token_endpoint_auth_method ?? 'none';
    if (method !== 'none')
      throw new OAuthError('invalid_client', 'A metadata-document client must use token_endpoint_auth_method "none"');
    const given = typeof meta.client_name === 'string' ? displayText(meta.client_name, 200) : '';
    const client: ClientRecord = {
      client_id: clientId,
      client_name: given || new URL(clientId).host,
      redirect_uris: uris as string[],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      client_id_issued_at: Math.floor(now / 1000),
      cimd: true,
      ...(typeof meta.client_uri === 'string' ? { client_uri: meta.client_uri } : {}),
    };
    const seconds = Math.min(
      MAX_CACHE_SECONDS,
      Math.max(MIN_CACHE_SECONDS, maxAge(doc.cacheControl) ?? this.opts.defaultCacheSeconds),
    );
    if (this.cache.size >= (this.opts.maxEntries ?? 1000)) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(clientId, { client, freshUntil: now + seconds * 1000 });
    this.failures.delete(clientId);
    return client;
  }
}

function maxAge(cc: string | undefined): number | undefined {
  if (!cc) return undefined;
  if (/no-store|no-cache/i.test(cc)) return 0;
  const m = /max-age=(\d+)/i.exec(cc);
  return m ? Number(m[1]) : undefined;
}
