import type { IncomingHttpHeaders } from 'node:http';
import type { FrappeClient, FrappeSite } from '../frappe/client.js';
import { credentialFingerprint, type Credential, type CredentialKind } from '../frappe/credential.js';
import { FrappeError } from '../frappe/errors.js';
import type { Logger } from '../log/logger.js';
import { validations } from '../metrics.js';
import { StoreUnavailableError } from '../redis/errors.js';
import type { CacheEntry, IdentityCache } from './cache.js';
import { AuthError } from './errors.js';
import { apiKeyStrategy } from './strategies/api-key.js';
import { bearerStrategy } from './strategies/bearer.js';
import { sidStrategy } from './strategies/sid.js';
import { isMalformed, type AuthStrategy, type MintedTokens, type Principal } from './types.js';

export const STRATEGIES: Record<CredentialKind, AuthStrategy> = {
  sid: sidStrategy,
  bearer: bearerStrategy,
  api_key: apiKeyStrategy,
};

export interface AuthChainOptions {
  site: FrappeSite;
  cache: IdentityCache;
  logger: Logger;
  order: CredentialKind[];
  ttlSeconds: Record<CredentialKind, number>;
  rejectionTtlSeconds: number;
  /** Used only when a request carries no credential at all. */
  serviceAccount?: { key: string; secret: string };
  /** Decides whether a cookie may be used, given the request's Origin (cookies are ambient; tokens are not). */
  cookieAllowed?: (headers: IncomingHttpHeaders) => boolean;
  /** OAuth facade: bearer tokens the gateway minted, resolved to the user's current Frappe token. */
  minted?: MintedTokens;
  now?: () => number;
}

/** The caller, confirmed, with a Frappe client that forwards exactly their credential. */
export interface Authenticated {
  principal: Principal;
  credential: Credential;
  frappe: FrappeClient;
}

const OUTAGE_RETRY_SECONDS = 5;

/**
 * The hybrid auth chain: the presented credentials are tried in the configured order and the first
 * one Frappe confirms wins. All rejected → 401. Frappe unreachable → 503, never a 401, never cached,
 * never another identity.
 */
export class AuthChain {
  private readonly inflight = new Map<string, Promise<CacheEntry>>();
  private readonly strategies: AuthStrategy[];
  private readonly now: () => number;

  constructor(private readonly options: AuthChainOptions) {
    this.strategies = options.order.map((k) => STRATEGIES[k]);
    this.now = options.now ?? Date.now;
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<Authenticated> {
    const rejections: string[] = [];
    let tokenPresented = false;
    let sawCredential = false;
    let originRefused = false;
    for (const strategy of this.strategies) {
      const found = strategy.extract(headers);
      if (!found) continue;
      if (strategy.kind === 'sid' && this.options.cookieAllowed && !this.options.cookieAllowed(headers)) {
        originRefused = true;
        continue;
      }
      sawCredential = true;
      if (strategy.kind !== 'sid') tokenPresented = true;
      if (isMalformed(found)) {
        rejections.push(found.malformed);
        continue;
      }
      if (found.kind === 'bearer' && this.options.minted?.recognises(found.token)) {
        const minted = await this.authenticateMinted(this.options.minted, found.token);
        if ('auth' in minted) return minted.auth;
        rejections.push(minted.reason);
        continue;
      }
      const entry = await this.verifyCached(strategy, found);
      if (entry.ok) return this.bind(entry.principal, found);
      rejections.push(entry.reason);
    }
    if (originRefused && !sawCredential) {
      throw new AuthError(403, 'origin_not_allowed', 'Cookie authentication is not allowed from this Origin.');
    }
    if (!sawCredential) {
      const sa = this.options.serviceAccount;
      if (sa) return this.serviceAccount(sa);
      const unsupported = headers.authorization ? ' (the Authorization scheme is not supported)' : '';
      throw new AuthError(401, 'no_credentials', `No credential was presented${unsupported}.`);
    }
    throw new AuthError(
      401,
      'invalid_credentials',
      `Frappe rejected the credential: ${rejections.join('; ')}.`,
      tokenPresented,
    );
  }

  /** The cache key of a credential: site, kind and a hash of the secret. */
  keyOf(credential: Credential): string {
    return `${this.options.site.origin}|${credential.kind}|${credentialFingerprint(credential)}`;
  }

  /** Drops a credential's cached identity, e.g. after Frappe refused a call made with it. */
  evict(credential: Credential): void {
    this.options.cache.delete(this.keyOf(credential));
  }

  private async serviceAccount(sa: { key: string; secret: string }): Promise<Authenticated> {
    const credential: Credential = { kind: 'api_key', key: sa.key, secret: sa.secret };
    const entry = await this.verifyCached(apiKeyStrategy, credential);
    if (!entry.ok)
      throw new AuthError(503, 'frappe_unavailable', 'The configured service account was rejected by Frappe.');
    this.options.logger.info({ user: entry.principal.user }, 'no credential presented: running as the service account');
    return this.bind({ ...entry.principal, serviceAccount: true }, credential);
  }

  /**
   * A token this gateway minted: its grant gives the user's current Frappe bearer (never our token),
   * which Frappe confirms like any bearer (cached). Refused once → the Frappe token is refreshed and tried again.
   */
  private async authenticateMinted(
    minted: MintedTokens,
    token: string,
  ): Promise<{ auth: Authenticated } | { reason: string }> {
    const gone = { reason: 'the access token is unknown, expired or revoked' };
    try {
      let identity = await minted.resolve(token);
      if (!identity) return gone;
      let entry = await this.verifyCached(bearerStrategy, identity.credential);
      if (!entry.ok) {
        this.evict(identity.credential);
        identity = await minted.resolve(token, true);
        if (!identity) return gone;
        entry = await this.verifyCached(bearerStrategy, identity.credential);
        if (!entry.ok) return { reason: 'Frappe no longer accepts the authorization behind this token' };
      }
      if (entry.principal.user !== identity.user) return { reason: 'the token and Frappe disagree about the user' };
      const principal: Principal = {
        ...entry.principal,
        validUntil: Math.min(entry.principal.validUntil, identity.expiresAt),
        scopes: identity.scopes,
        oauthClientId: identity.clientId,
      };
      return { auth: this.bind(principal, identity.credential, () => minted.upstreamRejected(token)) };
    } catch (err) {
      if (err instanceof AuthError) throw err;
      if (err instanceof StoreUnavailableError) {
        throw new AuthError(
          503,
          'store_unavailable',
          'The gateway cannot check this sign-in right now (its shared store is unavailable). Try again shortly.',
          false,
          err.retryAfterSeconds,
        );
      }
      if (err instanceof FrappeError && err.isOutage) {
        throw new AuthError(
          503,
          'frappe_unavailable',
          'Frappe is unavailable, so the sign-in could not be refreshed. Try again shortly.',
          false,
          OUTAGE_RETRY_SECONDS,
        );
      }
      throw err;
    }
  }

  private bind(principal: Principal, credential: Credential, onRejected?: () => void): Authenticated {
    const key = this.keyOf(credential);
    const cache = this.options.cache;
    const frappe = this.options.site.as(credential, {
      onRejected: () => {
        cache.delete(key);
        onRejected?.();
      },
      csrfToken: () => {
        const e = cache.get(key);
        return e?.ok ? e.csrfToken : undefined;
      },
      rememberCsrfToken: (token) => {
        const e = cache.get(key);
        if (e?.ok) e.csrfToken = token;
      },
    });
    return { principal, credential, frappe };
  }

  /** Cache first; concurrent first requests for one credential share a single Frappe call. */
  private verifyCached(strategy: AuthStrategy, credential: Credential): Promise<CacheEntry> {
    const key = this.keyOf(credential);
    const cached = this.options.cache.get(key);
    if (cached && (cached.ok ? cached.principal.validUntil : cached.until) > this.now()) return Promise.resolve(cached);
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.verifyNow(strategy, credential, key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async verifyNow(strategy: AuthStrategy, credential: Credential, key: string): Promise<CacheEntry> {
    const { cache, site, logger, ttlSeconds, rejectionTtlSeconds } = this.options;
    try {
      // No caller signal: the answer is shared by every request waiting on this credential.
      const id = await strategy.verify(credential, site);
      const now = this.now();
      let ttl = ttlSeconds[credential.kind];
      if (id.expiresAt !== undefined) ttl = Math.min(ttl, Math.floor((id.expiresAt - now) / 1000));
      const principal: Principal = {
        user: id.user,
        kind: credential.kind,
        site: site.origin,
        validUntil: now + Math.max(ttl, 0) * 1000,
        ...(id.fullName ? { fullName: id.fullName } : {}),
        ...(id.roles ? { roles: id.roles } : {}),
      };
      const entry: CacheEntry = { ok: true, principal };
      cache.set(key, entry, ttl);
      validations.inc({ kind: credential.kind, result: 'ok' });
      logger.debug({ user: id.user, kind: credential.kind }, 'credential confirmed by Frappe');
      return entry;
    } catch (err) {
      if (err instanceof FrappeError && !err.isOutage) {
        const entry: CacheEntry = {
          ok: false,
          reason: `${credential.kind} ${describeRejection(err)}`,
          until: this.now() + rejectionTtlSeconds * 1000,
        };
        cache.set(key, entry, rejectionTtlSeconds);
        validations.inc({ kind: credential.kind, result: 'rejected' });
        logger.info({ kind: credential.kind, status: err.status }, 'credential rejected by Frappe');
        return entry;
      }
      const retry = err instanceof FrappeError ? (err.retryAfterSeconds ?? OUTAGE_RETRY_SECONDS) : OUTAGE_RETRY_SECONDS;
      validations.inc({ kind: credential.kind, result: 'outage' });
      logger.warn(
        { kind: credential.kind, err: err instanceof FrappeError ? err.message : String(err) },
        'Frappe unavailable while verifying',
      );
      throw new AuthError(
        503,
        'frappe_unavailable',
        'Frappe is unavailable, so the credential could not be checked. Try again shortly.',
        false,
        retry,
      );
    }
  }
}

function describeRejection(err: FrappeError): string {
  if (err.sessionExpired) return 'session has expired or was logged out';
  if (err.status === 403) return 'is not a live session';
  return 'was not accepted';
}
