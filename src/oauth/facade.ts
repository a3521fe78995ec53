import { startAuthorization } from './authorize.js';
import { exchangeCode } from './code-grant.js';
import { decideConsent, finishSignIn } from './consent.js';
import { FacadeCore, type BasicCredentials, type FacadeOptions, type Params } from './core.js';
import { OAuthError } from './errors.js';
import { refreshGrant } from './refresh-grant.js';
import { registerClient } from './register.js';
import { TokenResolver } from './resolve.js';
import { revokeToken } from './revoke.js';
import type { AuthorizeOutcome, CallbackOutcome, ClientRecord, ResolvedToken, TokenResponse } from './types.js';

export { ACCESS_PREFIX, canonicalResource, type FacadeOptions } from './core.js';

/**
 * The authorization-server facade: our clients, consent, codes and tokens on top of a KvStore, and
 * the user's Frappe tokens behind every grant (sealed, refreshed when due, never shown to a client).
 * Each step lives in its own module: register, authorize (→ Frappe), consent (callback and decision),
 * code-grant, refresh-grant, revoke, and resolve (the resource-server side).
 */
export class Facade {
  private readonly core: FacadeCore;
  private readonly resolver: TokenResolver;

  constructor(o: FacadeOptions) {
    this.core = new FacadeCore(o);
    this.resolver = new TokenResolver(this.core);
  }

  /** RFC 7591 registration. */
  register(body: unknown): Promise<Record<string, unknown>> {
    return registerClient(this.core, body);
  }

  /** A registered client or, for an https client_id, its metadata document. Undefined when unknown. */
  client(clientId: string): Promise<ClientRecord | undefined> {
    return this.core.client(clientId);
  }

  /** `ip` is the browser's address: it bounds how many unsigned sign-ins one address keeps waiting. */
  authorize(q: Params, ip: string): Promise<AuthorizeOutcome> {
    return startAuthorization(this.core, q, ip);
  }

  /** Frappe sent the browser back. */
  callback(q: Params): Promise<CallbackOutcome> {
    return finishSignIn(this.core, q);
  }

  /** The consent form's answer. */
  decide(
    consentId: string,
    csrfForm: string,
    csrfCookie: string | undefined,
    approve: boolean,
  ): Promise<AuthorizeOutcome> {
    return decideConsent(this.core, consentId, csrfForm, csrfCookie, approve);
  }

  token(p: Params, basic?: BasicCredentials): Promise<TokenResponse> {
    if (p.grant_type === 'authorization_code') return exchangeCode(this.core, p, basic);
    if (p.grant_type === 'refresh_token') return refreshGrant(this.core, p, basic);
    return Promise.reject(
      new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.'),
    );
  }

  /** RFC 7009. */
  revoke(p: Params, basic?: BasicCredentials): Promise<void> {
    return revokeToken(this.core, p, basic);
  }

  revokeGrant(grantId: string, why: string): Promise<void> {
    return this.core.revokeGrant(grantId, why);
  }

  /** Our access token → the user's current Frappe credential; null when unknown, expired or revoked. */
  resolve(token: string, forceRefresh = false): Promise<ResolvedToken | null> {
    return this.resolver.resolve(token, forceRefresh);
  }

  /** Frappe refused the forwarded token mid-call: refresh it before the next use. */
  upstreamRejected(token: string): Promise<void> {
    return this.resolver.upstreamRejected(token);
  }
}
